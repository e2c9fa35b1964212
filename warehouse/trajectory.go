package warehouse

import (
	"context"
	"sort"

	"jinwei/warehouse/measure"
)

// RegionSeries is one region's values and ranks over the years of a Trajectory.
type RegionSeries struct {
	Code   string
	NameZh string
	Short  string
	NameEn string
	Home   bool
	// Ranks and Values follow Trajectory.Years; a rank of 0 and a nil value mean no data.
	Ranks  []int
	Values []*float64
	// Growth is the change on the year before, in % (for rates, the rate itself).
	Growth []*float64
}

// CatchUp says whether, and when, the home region reaches the national level, with the
// years its average growth is taken over.
type CatchUp = measure.CatchUp

// Growth bases: what a trajectory's growth series are.
const (
	GrowthNominal = "nominal" // from current-price values: 名义
	GrowthReal    = "real"    // from a real series (constant prices): 实际
	GrowthRate    = "rate"    // the values are rates already
	GrowthIndex   = "index"   // an index on the year before: its value less 100
	GrowthPlain   = "plain"   // not money (population): plain change on the year before
)

// Trajectory is a group's ranks and values on one indicator over every year with data,
// with the national series and the home region's path to it.
type Trajectory struct {
	Indicator Indicator
	Group     PeerGroup
	Years     []int
	Regions   []RegionSeries
	Nation    RegionSeries
	// GroupMedianGrowth is the members' median growth each year.
	GroupMedianGrowth []*float64
	// RatioToNation is the home value over the national one each year.
	RatioToNation []*float64
	CatchUp       *CatchUp
	// GrowthBasis says what the growth series are (nominal, real, rate, plain), and
	// GrowthFrom the indicator they come from when it is not this one (gdp's real growth
	// is gdp_growth).
	GrowthBasis string
	GrowthFrom  string
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
		if !r.inGroup {
			continue
		}
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
		s.Growth = measure.Growth(ind.Kind, s.Values)
		t.Regions = append(t.Regions, *s)
	}
	sort.Slice(t.Regions, func(a, b int) bool { return t.Regions[a].Code < t.Regions[b].Code })
	if err := w.nationSeries(ctx, t); err != nil {
		return nil, err
	}
	if err := w.realGrowth(ctx, t); err != nil {
		return nil, err
	}
	t.GroupMedianGrowth = make([]*float64, len(t.Years))
	for i := range t.Years {
		col := make([]*float64, len(t.Regions))
		for j, r := range t.Regions {
			col[j] = r.Growth[i]
		}
		t.GroupMedianGrowth[i] = measure.Median(col)
	}
	var home *RegionSeries
	for i := range t.Regions {
		if t.Regions[i].Home {
			home = &t.Regions[i]
		}
	}
	if home != nil {
		if ind.Kind.ComparesToNation() {
			t.RatioToNation = make([]*float64, len(t.Years))
			for i := range t.Years {
				if h := home.Values[i]; h != nil {
					if r, ok := measure.ShareOfNation(ind.Kind, *h, t.Nation.Values[i]); ok {
						t.RatioToNation[i] = &r
					}
				}
			}
		}
		if ind.Direction > 0 {
			// The average ends by the year asked for: the page of 2019 spoke of 2021–2024.
			n := len(t.Years)
			if q.Year > 0 {
				n = sort.SearchInts(t.Years, q.Year+1)
			}
			t.CatchUp = measure.CatchUpTo(ind.Kind, t.Years[:n], home.Values[:n], t.Nation.Values[:n])
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
	t.Nation.Growth = measure.Growth(t.Indicator.Kind, t.Nation.Values)
	return err
}

// realGrowth says what the growth series are and, where the indicator names a loaded real
// growth series (gdp → gdp_growth), puts it in place of growth from current-price values:
// a page never shows nominal growth beside the real growth a leader quotes.
func (w *Warehouse) realGrowth(ctx context.Context, t *Trajectory) error {
	ind := t.Indicator
	switch {
	case ind.Kind == measure.Index:
		// Not "a growth rate itself": a CPI of 102 is a change of 2 %.
		t.GrowthBasis = GrowthIndex
		return nil
	case ind.Kind.IsRate():
		t.GrowthBasis = GrowthRate
		return nil
	case ind.PriceBasis == measure.Constant:
		t.GrowthBasis = GrowthReal
	case ind.PriceBasis == measure.Current:
		t.GrowthBasis = GrowthNominal
	default:
		t.GrowthBasis = GrowthPlain
	}
	if ind.RealGrowth == "" || ind.PriceBasis != measure.Current {
		return nil
	}
	codes := make([]string, 0, len(t.Regions)+1)
	for _, r := range t.Regions {
		codes = append(codes, r.Code)
	}
	res, err := w.named(ctx, "indicator_series", Params{"indicator": ind.RealGrowth, "regions": arrayParam(append(codes, NationCode))})
	if err != nil {
		return err
	}
	idx := map[int]int{}
	for i, y := range t.Years {
		idx[y] = i
	}
	realBy := map[string][]*float64{}
	err = res.each(func(rr *rowReader) {
		i, ok := idx[rr.int("year")]
		if !ok {
			return
		}
		code := rr.str("region_code")
		if realBy[code] == nil {
			realBy[code] = make([]*float64, len(t.Years))
		}
		v := rr.float("value")
		realBy[code][i] = &v
	})
	if err != nil || len(realBy) == 0 {
		return err
	}
	t.GrowthBasis, t.GrowthFrom = GrowthReal, ind.RealGrowth
	for i := range t.Regions {
		t.Regions[i].Growth = orEmpty(realBy[t.Regions[i].Code], len(t.Years))
	}
	// The nation's real series may not be loaded: then it has none, rather than a
	// nominal one drawn beside real ones.
	t.Nation.Growth = orEmpty(realBy[NationCode], len(t.Years))
	return nil
}

func orEmpty(s []*float64, n int) []*float64 {
	if s == nil {
		return make([]*float64, n)
	}
	return s
}
