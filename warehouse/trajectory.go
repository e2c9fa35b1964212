package warehouse

import (
	"context"
	"math"
	"sort"
	"strings"
)

// RegionSeries is one region's values and ranks over the years of a Trajectory.
type RegionSeries struct {
	Code   string `json:"code"`
	NameZh string `json:"name_zh"`
	Short  string `json:"short_zh"`
	NameEn string `json:"name_en"`
	Home   bool   `json:"home"`
	// Ranks and Values follow Trajectory.Years; a rank of 0 and a nil value mean no data.
	Ranks  []int      `json:"ranks"`
	Values []*float64 `json:"values"`
	// Growth is the change on the year before, in % (for rates, the rate itself).
	Growth []*float64 `json:"growth"`
}

// CatchUp says whether, and when, the home region reaches the national level.
type CatchUp struct {
	// HomeGrowth and NationGrowth are average yearly growth over the last three years, %.
	HomeGrowth   float64 `json:"home_growth"`
	NationGrowth float64 `json:"nation_growth"`
	// Ratio is the home value as a share of the national one in the last year.
	Ratio float64 `json:"ratio"`
	// Above means the home region is already at or above the national level.
	Above bool `json:"above"`
	// Converging is false when the home region grows no faster than the nation.
	Converging bool `json:"converging"`
	// Years to close the gap at the recent growth differential; 0 unless converging.
	Years float64 `json:"years"`
}

// Trajectory is a group's ranks and values on one indicator over every year with data,
// with the national series and the home region's path to it.
type Trajectory struct {
	Indicator Indicator      `json:"indicator"`
	Group     PeerGroup      `json:"group"`
	Years     []int          `json:"years"`
	Regions   []RegionSeries `json:"regions"`
	Nation    RegionSeries   `json:"nation"`
	// GroupMedianGrowth is the members' median growth each year.
	GroupMedianGrowth []*float64 `json:"group_median_growth"`
	// RatioToNation is the home value over the national one each year.
	RatioToNation []*float64 `json:"ratio_to_nation"`
	CatchUp       *CatchUp   `json:"catch_up"`
}

// Trajectory answers the rank-history, growth and gap questions for one indicator.
func (w *Warehouse) Trajectory(ctx context.Context, q RankingQuery) (*Trajectory, error) {
	ind, group, err := w.subject(ctx, q)
	if err != nil {
		return nil, err
	}
	t := &Trajectory{Indicator: ind, Group: group, Years: ind.Years}
	rows, err := w.rankedValues(ctx, q.Indicator, group.Members, ind.Years)
	if err != nil {
		return nil, err
	}
	yearIdx := map[int]int{}
	for i, y := range t.Years {
		yearIdx[y] = i
	}
	byCode := map[string]*RegionSeries{}
	for _, r := range rows {
		s, ok := byCode[r.row.RegionCode]
		if !ok {
			s = &RegionSeries{Code: r.row.RegionCode, NameZh: r.row.NameZh, Short: r.row.ShortZh, NameEn: r.row.NameEn,
				Home: r.row.RegionCode == q.Home, Ranks: make([]int, len(t.Years)), Values: make([]*float64, len(t.Years))}
			byCode[r.row.RegionCode] = s
		}
		i, ok := yearIdx[r.year]
		if !ok {
			continue
		}
		v := r.row.Value
		s.Ranks[i], s.Values[i] = r.row.Rank, &v
	}
	for _, s := range byCode {
		s.Growth = growthSeries(s.Values, ind.Unit)
		t.Regions = append(t.Regions, *s)
	}
	sort.Slice(t.Regions, func(a, b int) bool { return t.Regions[a].Code < t.Regions[b].Code })
	if err := w.nationSeries(ctx, t); err != nil {
		return nil, err
	}
	t.GroupMedianGrowth = medianGrowth(t.Regions, len(t.Years))
	var home *RegionSeries
	for i := range t.Regions {
		if t.Regions[i].Home {
			home = &t.Regions[i]
		}
	}
	if home != nil {
		t.RatioToNation = make([]*float64, len(t.Years))
		for i := range t.Years {
			if h, n := home.Values[i], t.Nation.Values[i]; h != nil && n != nil && *n != 0 {
				r := *h / *n
				t.RatioToNation[i] = &r
			}
		}
		if ind.Direction > 0 && !isRate(ind.Unit) {
			t.CatchUp = catchUp(home.Values, t.Nation.Values)
		}
	}
	return t, nil
}

func (w *Warehouse) nationSeries(ctx context.Context, t *Trajectory) error {
	res, err := w.named(ctx, "indicator_series", Params{"indicator": t.Indicator.Code, "regions": arrayParam([]string{NationCode})})
	if err != nil {
		return err
	}
	t.Nation = RegionSeries{Code: NationCode, NameZh: "全国", Short: "全国", NameEn: "National", Values: make([]*float64, len(t.Years))}
	idx := map[int]int{}
	for i, y := range t.Years {
		idx[y] = i
	}
	err = res.each(func(rr *rowReader) {
		if i, ok := idx[rr.int("year")]; ok {
			v := rr.float("value")
			t.Nation.Values[i] = &v
		}
	})
	t.Nation.Growth = growthSeries(t.Nation.Values, t.Indicator.Unit)
	return err
}

// isRate says whether values in the unit are already rates of change.
func isRate(unit string) bool { return unit == "%" || strings.Contains(unit, "=100") }

// growthSeries is each year's growth on the year before in %; for rates, the rate itself.
func growthSeries(values []*float64, unit string) []*float64 {
	out := make([]*float64, len(values))
	for i, v := range values {
		switch {
		case v == nil:
		case unit == "%":
			g := *v
			out[i] = &g
		case strings.Contains(unit, "=100"):
			g := *v - 100
			out[i] = &g
		case i > 0 && values[i-1] != nil && *values[i-1] != 0:
			g := (*v / *values[i-1] - 1) * 100
			out[i] = &g
		}
	}
	return out
}

func medianGrowth(regions []RegionSeries, n int) []*float64 {
	out := make([]*float64, n)
	for i := 0; i < n; i++ {
		var gs []float64
		for _, r := range regions {
			if r.Growth[i] != nil {
				gs = append(gs, *r.Growth[i])
			}
		}
		if len(gs) == 0 {
			continue
		}
		sort.Float64s(gs)
		m := gs[len(gs)/2]
		if len(gs)%2 == 0 {
			m = (gs[len(gs)/2-1] + gs[len(gs)/2]) / 2
		}
		out[i] = &m
	}
	return out
}

// catchUp compares the last three years' average growth of home and nation: at that
// differential, how many years until the home value reaches the national one.
func catchUp(home, nation []*float64) *CatchUp {
	last := -1
	for i := len(home) - 1; i >= 3; i-- {
		if home[i] != nil && nation[i] != nil && home[i-3] != nil && nation[i-3] != nil && *home[i-3] > 0 && *nation[i-3] > 0 {
			last = i
			break
		}
	}
	if last < 0 {
		return nil
	}
	h, n := *home[last], *nation[last]
	gh := math.Pow(h / *home[last-3], 1.0/3) - 1
	gn := math.Pow(n / *nation[last-3], 1.0/3) - 1
	c := &CatchUp{HomeGrowth: gh * 100, NationGrowth: gn * 100, Ratio: h / n}
	switch {
	case h >= n:
		c.Above = true
	case gh > gn:
		c.Converging = true
		c.Years = math.Log(n/h) / math.Log((1+gh)/(1+gn))
	}
	return c
}
