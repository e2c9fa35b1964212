package measure_test

import (
	"math"
	"reflect"
	"testing"

	"jinwei/warehouse/measure"
)

func f(v float64) *float64 { return &v }

func TestRanks(t *testing.T) {
	tests := []struct {
		name   string
		values map[string]float64
		dir    int
		want   map[string]int
	}{
		{"higher is better", map[string]float64{"a": 3, "b": 1, "c": 2}, 1, map[string]int{"a": 1, "c": 2, "b": 3}},
		{"lower is better", map[string]float64{"a": 3, "b": 1, "c": 2}, -1, map[string]int{"b": 1, "c": 2, "a": 3}},
		{"ties share a rank and skip the next", map[string]float64{"a": 5, "b": 5, "c": 4, "d": 6}, 1, map[string]int{"d": 1, "a": 2, "b": 2, "c": 4}},
		{"ties lower is better", map[string]float64{"a": 101.2, "b": 100.2, "c": 100.2}, -1, map[string]int{"b": 1, "c": 1, "a": 3}},
		{"a neutral size: largest first", map[string]float64{"a": 3, "b": 1, "c": 2}, 0, map[string]int{"a": 1, "c": 2, "b": 3}},
		{"empty", map[string]float64{}, 1, map[string]int{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := measure.Ranks(tc.values, tc.dir); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Ranks = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSign(t *testing.T) {
	for dir, want := range map[int]int{measure.HigherBetter: 1, measure.LowerBetter: -1, measure.Neutral: 1} {
		if got := measure.Sign(dir); got != want {
			t.Errorf("Sign(%d) = %d, want %d", dir, got, want)
		}
	}
}

func TestRankChangeOnlyOverRegionsInBothPeriods(t *testing.T) {
	prev := map[string]float64{"hl": 10, "gs": 5, "a": 20, "b": 30}
	tests := []struct {
		name string
		cur  map[string]float64
		code string
		want measure.Change
	}{
		// gs is last of four in both years: no move.
		{"same set", map[string]float64{"hl": 11, "gs": 6, "a": 21, "b": 31}, "gs", measure.Change{Comparable: true, Places: 0, Prev: 4, Cur: 4, Common: 4}},
		// hl (above gs) has no value this year: gs is 3/3 now and was 3/3 among the same
		// three, so it did not "move up" although its rank went from 4 to 3.
		{"a region drops out", map[string]float64{"gs": 6, "a": 21, "b": 31}, "gs", measure.Change{Comparable: true, Places: 0, Prev: 3, Cur: 3, Common: 3}},
		{"a real overtaking", map[string]float64{"hl": 5, "gs": 6, "a": 21, "b": 31}, "gs", measure.Change{Comparable: true, Places: 1, Prev: 4, Cur: 3, Common: 4}},
		{"home missing now", map[string]float64{"hl": 5, "a": 21}, "gs", measure.Change{}},
		{"home new this year", map[string]float64{"x": 1, "gs": 2}, "x", measure.Change{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := measure.RankChange(prev, tc.cur, 1, tc.code); got != tc.want {
				t.Errorf("RankChange = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestMissing(t *testing.T) {
	got := measure.Missing([]string{"230000", "620000", "110000", "230000"}, map[string]float64{"620000": 1, "110000": 2})
	if !reflect.DeepEqual(got, []string{"230000"}) {
		t.Errorf("Missing = %v, want [230000]", got)
	}
}

func TestNextUp(t *testing.T) {
	tests := []struct {
		name   string
		values map[string]float64
		dir    int
		code   string
		want   measure.Gap
		ok     bool
	}{
		{"nearest better", map[string]float64{"a": 100, "b": 80, "c": 50}, 1, "c", measure.Gap{To: "b", Amount: 30, Percent: 60}, true},
		{"first", map[string]float64{"a": 100, "b": 80}, 1, "a", measure.Gap{}, false},
		{"tie above is skipped to the strictly better", map[string]float64{"a": 100, "b": 80, "c": 80}, 1, "c", measure.Gap{To: "a", Amount: 20, Percent: 25}, true},
		{"lower is better: a negative amount", map[string]float64{"a": 100.5, "b": 101, "c": 102}, -1, "c", measure.Gap{To: "b", Amount: -1, Percent: -1 / 102.0 * 100}, true},
		{"no value", map[string]float64{"a": 1}, 1, "z", measure.Gap{}, false},
		{"a neutral size has no place to catch up with", map[string]float64{"a": 100, "b": 80}, 0, "b", measure.Gap{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := measure.NextUp(tc.values, tc.dir, tc.code)
			if ok != tc.ok || got.To != tc.want.To || math.Abs(got.Amount-tc.want.Amount) > 1e-9 || math.Abs(got.Percent-tc.want.Percent) > 1e-9 {
				t.Errorf("NextUp = %+v %v, want %+v %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestComparisonsWithTheNationFollowTheKind(t *testing.T) {
	tests := []struct {
		kind      measure.Kind
		value     float64
		nation    *float64
		share     float64
		shareOK   bool
		gap       measure.NationGap
		gapOK     bool
		catchesUp bool
	}{
		{measure.PerCapita, 52840, f(95749), 52840 / 95749.0, true, measure.NationGap{Diff: 52840 - 95749}, true, true},
		{measure.Total, 13002, f(1349084), 0, false, measure.NationGap{}, false, false},
		{measure.Count, 2458, f(140828), 0, false, measure.NationGap{}, false, false},
		// Growth 5.8 % against 5.0 %: 0.8 percentage points, never "116%".
		{measure.Rate, 5.8, f(5.0), 0, false, measure.NationGap{Diff: 0.8, Points: true}, true, false},
		{measure.Share, 55.5, f(67), 0, false, measure.NationGap{Diff: -11.5, Points: true}, true, false},
		// CPI 100.4 against 100.2 (上年=100): 0.2 points, never "100.2%".
		{measure.Index, 100.4, f(100.2), 0, false, measure.NationGap{Diff: 0.2, Points: true}, true, false},
		{measure.PerCapita, 1, nil, 0, false, measure.NationGap{}, false, true},
		{measure.PerCapita, 1, f(0), 0, false, measure.NationGap{Diff: 1}, true, true},
	}
	for _, tc := range tests {
		t.Run(string(tc.kind), func(t *testing.T) {
			s, ok := measure.ShareOfNation(tc.kind, tc.value, tc.nation)
			if ok != tc.shareOK || math.Abs(s-tc.share) > 1e-12 {
				t.Errorf("share %v %v, want %v %v", s, ok, tc.share, tc.shareOK)
			}
			g, ok := measure.GapToNation(tc.kind, tc.value, tc.nation)
			if ok != tc.gapOK || math.Abs(g.Diff-tc.gap.Diff) > 1e-9 || g.Points != tc.gap.Points {
				t.Errorf("gap %+v %v, want %+v %v", g, ok, tc.gap, tc.gapOK)
			}
			if tc.kind.ComparesToNation() != tc.catchesUp {
				t.Errorf("ComparesToNation %v, want %v", tc.kind.ComparesToNation(), tc.catchesUp)
			}
		})
	}
}

func TestGrowth(t *testing.T) {
	vals := []*float64{f(100), nil, f(110), f(121)}
	tests := []struct {
		kind measure.Kind
		in   []*float64
		want []*float64
	}{
		{measure.Total, vals, []*float64{nil, nil, nil, f(10)}},
		{measure.PerCapita, []*float64{f(100), f(105)}, []*float64{nil, f(5)}},
		{measure.Rate, []*float64{f(5.8), nil}, []*float64{f(5.8), nil}},
		{measure.Index, []*float64{f(101.2), f(99.6)}, []*float64{f(1.2), f(-0.4)}},
		{measure.Share, []*float64{f(50), f(51.5)}, []*float64{nil, f(1.5)}},
	}
	for _, tc := range tests {
		t.Run(string(tc.kind), func(t *testing.T) {
			got := measure.Growth(tc.kind, tc.in)
			for i := range got {
				if (got[i] == nil) != (tc.want[i] == nil) || (got[i] != nil && math.Abs(*got[i]-*tc.want[i]) > 1e-9) {
					t.Fatalf("Growth[%d] = %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestMedian(t *testing.T) {
	if m := measure.Median([]*float64{f(3), nil, f(1), f(2)}); m == nil || *m != 2 {
		t.Errorf("odd median %v", m)
	}
	if m := measure.Median([]*float64{f(4), f(1), f(2), f(3)}); m == nil || *m != 2.5 {
		t.Errorf("even median %v", m)
	}
	if m := measure.Median([]*float64{nil}); m != nil {
		t.Errorf("median of nothing %v", *m)
	}
}

func TestCatchUpNamesItsYearsAndOnlyForLevels(t *testing.T) {
	years := []int{2020, 2021, 2022, 2023, 2024}
	home := []*float64{f(50), f(55), f(60), f(66.55), nil}
	nation := []*float64{f(100), f(102), f(104), f(106.1208), f(110)}
	c := measure.CatchUpTo(measure.PerCapita, years, home, nation)
	// The last span with both ends for both is 2020→2023 (2024 has no home value): the
	// answer must say so rather than silently average other years.
	if c == nil || c.FromYear != 2020 || c.ToYear != 2023 {
		t.Fatalf("catch-up %+v, want years 2020→2023", c)
	}
	if math.Abs(c.HomeGrowth-10) > 1e-9 || math.Abs(c.NationGrowth-2) > 1e-9 || !c.Converging {
		t.Errorf("growth %v vs %v converging %v; want 10 vs 2, converging", c.HomeGrowth, c.NationGrowth, c.Converging)
	}
	want := math.Log(106.1208/66.55) / math.Log(1.1/1.02)
	if math.Abs(c.Years-want) > 1e-9 {
		t.Errorf("years %v, want %v", c.Years, want)
	}
	if measure.CatchUpTo(measure.Total, years, home, nation) != nil {
		t.Error("a total catches up with the nation's total: it never does")
	}
	if measure.CatchUpTo(measure.Rate, years, home, nation) != nil {
		t.Error("a rate catches up")
	}
	gapYears := []int{2018, 2020, 2021, 2022}
	if c := measure.CatchUpTo(measure.PerCapita, gapYears, home[:4], nation[:4]); c != nil {
		t.Errorf("catch-up over a span with a missing year: %+v", c)
	}
	above := measure.CatchUpTo(measure.PerCapita, years[:4], nation[:4], home[:4])
	if above == nil || !above.Above || above.Converging {
		t.Errorf("above %+v", above)
	}
	slower := measure.CatchUpTo(measure.PerCapita, years[:4], []*float64{f(50), f(50), f(50), f(50)}, nation[:4])
	if slower == nil || slower.Converging || slower.Years != 0 {
		t.Errorf("not converging %+v", slower)
	}
}

func TestTargetColourAtShownPrecision(t *testing.T) {
	tests := []struct {
		cmp          string
		actual, goal float64
		decimals     int
		want         string
	}{
		{">=", 55.24, 55, 1, measure.TargetGreen},
		{">=", 54.96, 55, 1, measure.TargetGreen}, // shown as 55.0 against 55
		{">=", 54.94, 55, 1, measure.TargetAmber},
		{">=", 40, 55, 1, measure.TargetRed},
		{">", 5.0, 5.0, 1, measure.TargetAmber},
		{"<=", 100.2, 103, 1, measure.TargetGreen},
	}
	for _, tc := range tests {
		if got := measure.TargetColour(tc.cmp, tc.actual, tc.goal, tc.decimals); got != tc.want {
			t.Errorf("%v %s %v: %s, want %s", tc.actual, tc.cmp, tc.goal, got, tc.want)
		}
	}
}
