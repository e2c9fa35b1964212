// Package measure is the arithmetic behind every number a leader reads: ranks with ties
// and direction, rank change over the regions present in both periods, gaps to the place
// above and to the nation, shares of the national figure, growth and the years to catch
// up. It knows nothing of the engine: the warehouse's tests prove the SQL, this package's
// table tests prove the arithmetic.
package measure

import (
	"math"
	"slices"
	"sort"
)

// Kind says what an indicator's values are, and so which comparisons mean something.
type Kind string

// The kinds an indicator declares in data/indicators.csv.
const (
	// Total is an amount for the whole region (GDP in 亿元): ranks and the gap to the next
	// place mean something; a share of the national total or "catching up" with the
	// nation's total do not.
	Total Kind = "total"
	// PerCapita is a level per person (GDP per capita, incomes): it compares with the
	// national level as a share, a gap and a time to catch up.
	PerCapita Kind = "per_capita"
	// Rate is a percentage (growth in %): compared in percentage points (个百分点).
	Rate Kind = "rate"
	// Index is an index with a base (上年=100): compared in points, never as a share.
	Index Kind = "index"
	// Share is a proportion in % of a whole (urbanisation rate): compared in percentage points.
	Share Kind = "share"
	// Count is a number of things or people (population): like a total.
	Count Kind = "count"
)

// Kinds lists every kind, for validating data/indicators.csv.
var Kinds = []Kind{Total, PerCapita, Rate, Index, Share, Count}

// Price bases of values in money.
const (
	Current  = "current"  // 当年价格: growth from these values is nominal (名义)
	Constant = "constant" // 不变价格: growth is real (实际)
	NoPrice  = "none"     // not money
)

// ComparesToNation says whether a share of the national figure, the gap to it and the
// years to catch up with it mean something for the kind: only for levels per person.
func (k Kind) ComparesToNation() bool { return k == PerCapita }

// InPoints says whether differences of the kind are differences of percentages or index
// points (个百分点 / 点) rather than amounts in the unit.
func (k Kind) InPoints() bool { return k == Rate || k == Share || k == Index }

// IsRate says whether values are already rates of change (a % or an index on the year
// before), so growth is the value itself rather than the change on the year before.
func (k Kind) IsRate() bool { return k == Rate || k == Index }

// The directions an indicator declares in data/indicators.csv.
const (
	// HigherBetter ranks the highest value first, and a place gained is progress (进位).
	HigherBetter = 1
	// LowerBetter ranks the lowest value first (a price index).
	LowerBetter = -1
	// Neutral is a size that is neither good nor bad (population): ranked largest first,
	// its places are not gained or lost, and nobody is to catch up with the place above.
	Neutral = 0
)

// Sign is the order values are ranked in: -1 for lowest first, 1 for highest first (a
// neutral size too).
func Sign(direction int) int {
	if direction < 0 {
		return -1
	}
	return 1
}

// Ranks gives each region its competition rank (1, 2, 2, 4) by value, the best first:
// lowest first when direction < 0, else highest first (a neutral size too). Ties share a
// rank; regions without a value are simply not in values and get no rank.
func Ranks(values map[string]float64, direction int) map[string]int {
	codes := make([]string, 0, len(values))
	for c := range values {
		codes = append(codes, c)
	}
	better := func(a, b float64) bool {
		if direction < 0 {
			return a < b
		}
		return a > b
	}
	sort.Slice(codes, func(i, j int) bool {
		a, b := values[codes[i]], values[codes[j]]
		if a != b {
			return better(a, b)
		}
		return codes[i] < codes[j]
	})
	out := make(map[string]int, len(codes))
	for i, c := range codes {
		if i > 0 && values[codes[i-1]] == values[c] {
			out[c] = out[codes[i-1]]
			continue
		}
		out[c] = i + 1
	}
	return out
}

// Change is a region's move between two periods.
type Change struct {
	// Comparable is false when the region lacks a value in either period.
	Comparable bool
	// Places gained (进位 > 0, 退位 < 0) among the regions present in both periods.
	Places int
	// Prev and Cur are the region's ranks among those common regions.
	Prev int
	Cur  int
	// Common is how many regions have a value in both periods: a region that appears or
	// disappears never moves another one's rank.
	Common int
}

// RankChange compares code's rank in prev and cur over the regions that have a value in
// both: one region's missing value then cannot make another "move up".
func RankChange(prev, cur map[string]float64, direction int, code string) Change {
	_, okP := prev[code]
	_, okC := cur[code]
	if !okP || !okC {
		return Change{}
	}
	cp, cc := map[string]float64{}, map[string]float64{}
	for k, v := range cur {
		if pv, ok := prev[k]; ok {
			cp[k], cc[k] = pv, v
		}
	}
	rp, rc := Ranks(cp, direction)[code], Ranks(cc, direction)[code]
	return Change{Comparable: true, Places: rp - rc, Prev: rp, Cur: rc, Common: len(cc)}
}

// Missing lists the members without a value, in the members' order.
func Missing(members []string, values map[string]float64) []string {
	var out []string
	for _, m := range members {
		if _, ok := values[m]; !ok && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// Gap is how far a region is from the place above it.
type Gap struct {
	// To is the region of the nearest strictly better rank (ties share a place).
	To string
	// Amount is the change in value that would tie it (negative when lower is better).
	Amount float64
	// Percent is Amount relative to the region's own value, in %; 0 when that is 0.
	Percent float64
}

// NextUp finds the gap from code to the nearest better value; ok is false when code is
// first (or has no value), and for a neutral size, where no place is better.
func NextUp(values map[string]float64, direction int, code string) (g Gap, ok bool) {
	v, has := values[code]
	if !has || direction == Neutral {
		return Gap{}, false
	}
	best := math.NaN()
	for k, x := range values {
		better := x > v
		if direction < 0 {
			better = x < v
		}
		if !better {
			continue
		}
		closer := math.IsNaN(best) || (direction >= 0 && x < best) || (direction < 0 && x > best) ||
			(x == best && k < g.To)
		if closer {
			best, g.To = x, k
		}
	}
	if math.IsNaN(best) {
		return Gap{}, false
	}
	g.Amount = best - v
	if v != 0 {
		g.Percent = g.Amount / v * 100
	}
	return g, true
}

// ShareOfNation is value as a share of the national figure (0.552 = 55.2 %); ok is false
// when the kind has no meaningful share or the nation has no (or a zero) value.
func ShareOfNation(kind Kind, value float64, nation *float64) (float64, bool) {
	if !kind.ComparesToNation() || nation == nil || *nation == 0 {
		return 0, false
	}
	return value / *nation, true
}

// NationGap is a region's distance from the national figure, in the unit the kind calls for.
type NationGap struct {
	// Diff is value − nation: in the unit for levels, in percentage points for rates and
	// shares, in index points for indices.
	Diff float64
	// Points says Diff is in percentage or index points (个百分点 / 点).
	Points bool
}

// GapToNation is value − nation; ok is false for totals and counts (a province's total
// is not measured against the nation's) or without a national value.
func GapToNation(kind Kind, value float64, nation *float64) (NationGap, bool) {
	if nation == nil || (kind != PerCapita && !kind.InPoints()) {
		return NationGap{}, false
	}
	return NationGap{Diff: value - *nation, Points: kind.InPoints()}, true
}

// Growth is each year's growth on the year before, in %: for rates the rate itself, for
// indices on the year before the index less 100; nil where it cannot be computed.
func Growth(kind Kind, values []*float64) []*float64 {
	out := make([]*float64, len(values))
	for i, v := range values {
		switch {
		case v == nil:
		case kind == Rate:
			g := *v
			out[i] = &g
		case kind == Index:
			g := *v - 100
			out[i] = &g
		case kind == Share:
			// A share's change is in percentage points, not a growth rate.
			if i > 0 && values[i-1] != nil {
				g := *v - *values[i-1]
				out[i] = &g
			}
		case i > 0 && values[i-1] != nil && *values[i-1] != 0:
			g := (*v / *values[i-1] - 1) * 100
			out[i] = &g
		}
	}
	return out
}

// Median of the non-nil values; nil when there are none.
func Median(values []*float64) *float64 {
	var xs []float64
	for _, v := range values {
		if v != nil {
			xs = append(xs, *v)
		}
	}
	if len(xs) == 0 {
		return nil
	}
	sort.Float64s(xs)
	m := xs[len(xs)/2]
	if len(xs)%2 == 0 {
		m = (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
	}
	return &m
}

// CatchUpSpan is how many years the average growth of a catch-up is taken over.
const CatchUpSpan = 3

// CatchUp says whether, and when, a region reaches the national level.
type CatchUp struct {
	// FromYear and ToYear name the years the average growth is taken between: every
	// multi-year average says which years it covers.
	FromYear int
	ToYear   int
	// HomeGrowth and NationGrowth are compound average yearly growth, %.
	HomeGrowth   float64
	NationGrowth float64
	// Ratio is the home value as a share of the national one in ToYear.
	Ratio float64
	// Above means the home region is already at or above the national level.
	Above bool
	// Converging is false when the home region grows no faster than the nation.
	Converging bool
	// Years to close the gap at the growth differential; 0 unless converging.
	Years float64
}

// CatchUpTo compares the average growth of home and nation over the last CatchUpSpan
// years in which both have values at both ends, and says how many years at that
// differential the home value takes to reach the national one. It is nil for kinds where
// catching up means nothing (totals, rates, indices) or without such years.
func CatchUpTo(kind Kind, years []int, home, nation []*float64) *CatchUp {
	if !kind.ComparesToNation() {
		return nil
	}
	last := -1
	for i := len(home) - 1; i >= CatchUpSpan; i-- {
		j := i - CatchUpSpan
		if home[i] != nil && nation[i] != nil && home[j] != nil && nation[j] != nil && *home[j] > 0 && *nation[j] > 0 &&
			years[i]-years[j] == CatchUpSpan {
			last = i
			break
		}
	}
	if last < 0 {
		return nil
	}
	first := last - CatchUpSpan
	h, n := *home[last], *nation[last]
	gh := math.Pow(h / *home[first], 1.0/CatchUpSpan) - 1
	gn := math.Pow(n / *nation[first], 1.0/CatchUpSpan) - 1
	c := &CatchUp{FromYear: years[first], ToYear: years[last], HomeGrowth: gh * 100, NationGrowth: gn * 100, Ratio: h / n}
	switch {
	case h >= n:
		c.Above = true
	case gh > gn:
		c.Converging = true
		c.Years = math.Log(n/h) / math.Log((1+gh)/(1+gn))
	}
	return c
}

// Target colours, as a leadership dashboard shows them.
const (
	TargetGreen = "green"
	TargetAmber = "amber"
	TargetRed   = "red"
)

// AmberMargin is how close to its goal a missed target may be and still be amber.
const AmberMargin = 0.05

// Round rounds v to decimals places: the precision a number is shown at.
func Round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

// TargetColour compares actual with goal as the page shows them, both rounded to decimals
// places, so a tile's 55.2% is what is held against the goal's 55%: a reader never sees
// "达标" beside two numbers that contradict it.
func TargetColour(comparison string, actual, goal float64, decimals int) string {
	a, g := Round(actual, decimals), Round(goal, decimals)
	pass := map[string]bool{">=": a >= g, "<=": a <= g, ">": a > g, "<": a < g}[comparison]
	if pass {
		return TargetGreen
	}
	if math.Abs(a-g) <= math.Abs(g)*AmberMargin {
		return TargetAmber
	}
	return TargetRed
}
