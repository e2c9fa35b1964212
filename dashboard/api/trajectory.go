package api

import (
	"jinwei/warehouse"
	"jinwei/warehouse/measure"
)

// RegionSeries is a region's ranks, values and growth over the years (warehouse.RegionSeries).
type RegionSeries struct {
	Code   string     `json:"code"`
	NameZh string     `json:"name_zh"`
	Short  string     `json:"short_zh"`
	NameEn string     `json:"name_en"`
	Home   bool       `json:"home"`
	Ranks  []int      `json:"ranks"`
	Values []*float64 `json:"values"`
	Growth []*float64 `json:"growth"`
}

// Trajectory is an indicator's ranks and values over the years in a peer group
// (warehouse.Trajectory).
type Trajectory struct {
	Indicator         Indicator      `json:"indicator"`
	Group             PeerGroup      `json:"group"`
	Years             []int          `json:"years"`
	Regions           []RegionSeries `json:"regions"`
	Nation            RegionSeries   `json:"nation"`
	GroupMedianGrowth []*float64     `json:"group_median_growth"`
	RatioToNation     []*float64     `json:"ratio_to_nation"`
	CatchUp           *CatchUp       `json:"catch_up"`
	GrowthBasis       string         `json:"growth_basis"`
	GrowthFrom        string         `json:"growth_from,omitempty"`
}

func series(s warehouse.RegionSeries) RegionSeries { return RegionSeries(s) }

// TrajectoryOf is a trajectory's JSON shape; nil stays nil.
func TrajectoryOf(t *warehouse.Trajectory) *Trajectory {
	return ptr(t, func(t warehouse.Trajectory) Trajectory {
		return Trajectory{Indicator: IndicatorOf(t.Indicator), Group: PeerGroupOf(t.Group), Years: t.Years,
			Regions: each(t.Regions, series), Nation: series(t.Nation), GroupMedianGrowth: t.GroupMedianGrowth,
			RatioToNation: t.RatioToNation,
			CatchUp:       ptr(t.CatchUp, func(c measure.CatchUp) CatchUp { return CatchUp(c) }), GrowthBasis: t.GrowthBasis, GrowthFrom: t.GrowthFrom}
	})
}
