package scorecard

import (
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// testItems are the demo's items as data/campaign_scoring.csv defines them.
func testItems(t *testing.T) []Item {
	t.Helper()
	items, err := ReadItems(filepath.Join("..", "..", "data", "campaign_scoring.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestParseItemsRefusesBadDefinitions(t *testing.T) {
	head := "code,name_zh,name_en,dimension,formula,num,den,direction,weight,kinds,deadline\n"
	for name, row := range map[string]string{
		"rate without den":    "a,甲,A,study,rate,x,,1,1,region,",
		"stock without limit": "a,甲,A,study,stock,x,y,1,1,region,0",
		"direction 2":         "a,甲,A,study,per_size,x,,2,1,region,",
		"negative weight":     "a,甲,A,study,per_size,x,,1,-1,region,",
		"unknown formula":     "a,甲,A,study,sum,x,,1,1,region,",
		"weight not a number": "a,甲,A,study,per_size,x,,1,heavy,region,",
	} {
		if _, err := ParseItems(strings.NewReader(head + row + "\n")); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	items := testItems(t)
	if len(items) < 5 || slices.ContainsFunc(items, func(it Item) bool { return it.Code == "overdue_rate" }) {
		t.Errorf("items %v: want the data file's items, timeliness once (no overdue rate)", items)
	}
}

func TestValues(t *testing.T) {
	perSize := Item{Code: "v", Formula: PerSize, Num: "visits", Direction: 1, Kinds: []string{"region"}}
	rate := Item{Code: "r", Formula: Rate, Num: "done", Den: "due", Direction: 1}
	tests := []struct {
		name   string
		it     Item
		report Report
		size   float64
		want   Value
	}{
		{"count per 万人", perSize, Report{"visits": 30}, 60, Value{OK, 0.5}},
		{"blank count is 缺报, not 0", perSize, Report{"other": 1}, 60, Value{Status: Missing}},
		{"no report is 缺报", perSize, nil, 60, Value{Status: Missing}},
		{"unknown size: not applicable", perSize, Report{"visits": 30}, 0, Value{Status: NotApplicable}},
		{"rate in per cent", rate, Report{"done": 3, "due": 4}, 1, Value{OK, 75}},
		{"rate capped at 100", rate, Report{"done": 5, "due": 4}, 1, Value{OK, 100}},
		{"nothing due: not applicable", rate, Report{"done": 0, "due": 0}, 1, Value{Status: NotApplicable}},
		{"blank numerator is 缺报, not 0 %", rate, Report{"due": 4}, 1, Value{Status: Missing}},
		{"blank denominator is 缺报", rate, Report{"done": 4}, 1, Value{Status: Missing}},
	}
	for _, tc := range tests {
		got := Values([]Item{tc.it}, []Report{tc.report}, tc.size)[0][tc.it.Code]
		if got.Status != tc.want.Status || !near(got.Value, tc.want.Value) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// A pooled item sums the months up to the scored one, skipping months left blank; a
// count gives its monthly mean.
func TestPooledValues(t *testing.T) {
	rate := Item{Code: "r", Formula: Rate, Num: "done", Den: "due", Direction: 1, Pool: 3}
	count := Item{Code: "c", Formula: PerSize, Num: "visits", Direction: 1, Pool: 3}
	reports := []Report{
		{"done": 1, "due": 10, "visits": 100},
		{"done": 9, "due": 10, "visits": 10},
		{"done": 5, "due": 10},
		{"done": 10, "due": 10, "visits": 40},
	}
	got := Values([]Item{rate, count}, reports, 10)
	for _, tc := range []struct {
		month int
		item  string
		want  Value
	}{
		{0, "r", Value{OK, 10}}, {1, "r", Value{OK, 50}}, {2, "r", Value{OK, 50}}, {3, "r", Value{OK, 80}},
		{1, "c", Value{OK, 5.5}}, {2, "c", Value{Status: Missing}}, {3, "c", Value{OK, 2.5}},
	} {
		if g := got[tc.month][tc.item]; g.Status != tc.want.Status || !near(g.Value, tc.want.Value) {
			t.Errorf("month %d %s: %+v, want %+v", tc.month, tc.item, g, tc.want)
		}
	}
}

// The stock follows cases first in first out and judges each month's cases when they fall
// due, so cases reported now weigh nothing until then.
func TestStockValues(t *testing.T) {
	it := Item{Code: "s", Formula: Stock, Num: "closed", Den: "opened", Direction: 1, Deadline: 2}
	r := func(opened, closed float64) Report { return Report{"opened": opened, "closed": closed} }
	tests := []struct {
		name    string
		reports []Report
		want    []Value
	}{
		{"all closed in time", []Report{r(10, 10), r(10, 10), r(5, 5)},
			[]Value{{Status: NotApplicable}, {OK, 100}, {OK, 100}}},
		{"closed the month after: still in time", []Report{r(10, 0), r(0, 10), r(0, 0)},
			[]Value{{Status: NotApplicable}, {OK, 100}, {Status: NotApplicable}}},
		{"old cases first: month 1's cases wait behind month 0's", []Report{r(10, 4), r(10, 6), r(0, 4)},
			[]Value{{Status: NotApplicable}, {OK, 100}, {OK, 40}}},
		{"closing more than is open closes nothing in advance", []Report{r(0, 50), r(10, 0), r(0, 0)},
			[]Value{{Status: NotApplicable}, {Status: NotApplicable}, {OK, 0}}},
		{"a blank month is 缺报 and counts 0 in the history", []Report{r(10, 5), {"opened": 0}, r(0, 5)},
			[]Value{{Status: NotApplicable}, {Status: Missing}, {Status: NotApplicable}}},
	}
	for _, tc := range tests {
		got := Values([]Item{it}, tc.reports, 1)
		for i, w := range tc.want {
			if g := got[i]["s"]; g.Status != w.Status || !near(g.Value, w.Value) {
				t.Errorf("%s: month %d %+v, want %+v", tc.name, i, g, w)
			}
		}
	}
	// Ten more problems found in month 1 (not yet closed) change nothing in months 1 and 2:
	// they fall due in month 2 behind month 1's others, and only then if still open.
	base := []Report{r(10, 8), r(10, 8), r(10, 14), r(0, 10)}
	more := []Report{r(10, 8), r(20, 8), r(10, 14), r(0, 10)}
	b, m := Values([]Item{it}, base, 1), Values([]Item{it}, more, 1)
	for i := range base {
		if b[i]["s"] != m[i]["s"] {
			t.Errorf("month %d: %+v with more problems reported, %+v without", i, m[i]["s"], b[i]["s"])
		}
	}
}

func TestYardstickAndPoints(t *testing.T) {
	it := Item{MinSpread: 5}
	tests := []struct {
		name   string
		values []float64
		want   Yardstick
	}{
		{"median and 1.4826 × MAD", []float64{60, 70, 80, 90, 100}, Yardstick{80, 1.4826 * 10, 5}},
		{"one outlier barely moves it", []float64{60, 70, 80, 90, 10000}, Yardstick{80, 1.4826 * 10, 5}},
		{"all equal: the item's smallest spread", []float64{90, 90, 90}, Yardstick{90, 5, 3}},
		{"nothing yet", nil, Yardstick{0, 5, 0}},
	}
	for _, tc := range tests {
		if got := NewYardstick(it, tc.values); !near(got.Median, tc.want.Median) || !near(got.Spread, tc.want.Spread) || got.N != tc.want.N {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
	if got := NewYardstick(Item{}, []float64{200, 200}); !near(got.Spread, 10) {
		t.Errorf("spread %v; want 5 %% of the median when every value agrees", got.Spread)
	}
	y := Yardstick{Median: 80, Spread: 10}
	for _, tc := range []struct {
		v    float64
		dir  int
		want float64
	}{{80, 1, 50}, {90, 1, 75}, {70, 1, 25}, {120, 1, 100}, {0, 1, 0}, {90, -1, 25}, {60, -1, 100}} {
		if got := Points(tc.v, y, tc.dir); !near(got, tc.want) {
			t.Errorf("Points(%v, dir %d) = %v, want %v", tc.v, tc.dir, got, tc.want)
		}
	}
}

// A rate reaches full marks at 100 %, the values between the median and 100 % earning
// 50–100 in proportion, or more by the spread rule.
// The yardsticks of a month come from the Window months before it; a month with none
// there (the first, or the first after months without reports) uses itself.
func TestYardsticksWindow(t *testing.T) {
	it := Item{Code: "x", MinSpread: 0.01}
	month := func(vs ...float64) []map[string]Value {
		var out []map[string]Value
		for _, v := range vs {
			out = append(out, map[string]Value{"x": {Value: v, Status: OK}})
		}
		return out
	}
	// Two units over 16 months: values 10 and 20 in months 0–2, nothing in 3–14, 90 and
	// 100 in month 15.
	values := make([][]map[string]Value, 2)
	for u := range values {
		values[u] = make([]map[string]Value, 16)
		for m := range 3 {
			values[u][m] = month(float64(10 * (u + 1)))[0]
		}
		values[u][15] = month(float64(90 + 10*u))[0]
	}
	for _, tc := range []struct {
		name   string
		i      int
		median float64
		n      int
	}{
		{"the first month uses itself", 0, 15, 2},
		{"months before it", 2, 15, 4},
		{"twelve months before it: month 2 has values, 3–13 none", 14, 15, 2},
		{"after twelve empty months, itself", 15, 95, 2},
	} {
		y := Yardsticks([]Item{it}, values, tc.i)["x"]
		if !near(y.Median, tc.median) || y.N != tc.n {
			t.Errorf("%s (month %d): median %v of %d values, want %v of %d", tc.name, tc.i, y.Median, y.N, tc.median, tc.n)
		}
	}
}

func TestItemPointsCeiling(t *testing.T) {
	rate := Item{Formula: Rate, Direction: 1}
	count := Item{Formula: PerSize, Direction: 1}
	tests := []struct {
		name string
		it   Item
		v    float64
		y    Yardstick
		want float64
	}{
		{"perfect when most are perfect", rate, 100, Yardstick{100, 5, 9}, 100},
		{"below a perfect median: the spread rule", rate, 95, Yardstick{100, 5, 9}, 25},
		{"half way to 100 %", rate, 90, Yardstick{80, 15, 9}, 75},
		{"spread rule when it gives more", rate, 90, Yardstick{80, 5, 9}, 100},
		{"at 100 %", rate, 100, Yardstick{80, 15, 9}, 100},
		{"below the median unchanged", rate, 65, Yardstick{80, 15, 9}, 25},
		{"a count has no ceiling", count, 2, Yardstick{1, 1, 9}, 75},
	}
	for _, tc := range tests {
		if got := ItemPoints(tc.it, tc.v, tc.y); !near(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// A 缺报 item scores 0 at its full weight; a not-applicable one is left out and the others
// renormalised.
func TestScore(t *testing.T) {
	items := []Item{{Code: "a", Dimension: "study", Direction: 1}, {Code: "b", Dimension: "execution", Direction: 1}, {Code: "c", Dimension: "execution", Direction: -1}}
	ys := map[string]Yardstick{"a": {50, 10, 1}, "b": {50, 10, 1}, "c": {50, 10, 1}}
	w := map[string]float64{"a": 1, "b": 2, "c": 1}
	tests := []struct {
		name string
		vals map[string]Value
		want float64
		dims map[string]float64
	}{
		{"all present", map[string]Value{"a": {OK, 60}, "b": {OK, 50}, "c": {OK, 40}}, (75 + 2*50 + 75) / 4.0, map[string]float64{"study": 75, "execution": (100 + 75) / 3.0}},
		{"缺报 counts 0", map[string]Value{"a": {OK, 60}, "b": {Status: Missing}, "c": {OK, 40}}, (75 + 0 + 75) / 4.0, map[string]float64{"study": 75, "execution": 25}},
		{"not applicable is left out", map[string]Value{"a": {OK, 60}, "b": {Status: NotApplicable}, "c": {OK, 40}}, 75, map[string]float64{"study": 75, "execution": 75}},
	}
	for _, tc := range tests {
		got, dims, _ := Score(items, tc.vals, ys, w)
		if !near(got, tc.want) {
			t.Errorf("%s: score %v, want %v", tc.name, got, tc.want)
		}
		for d, v := range tc.dims {
			if !near(dims[d], v) {
				t.Errorf("%s: dimension %s %v, want %v", tc.name, d, dims[d], v)
			}
		}
	}
}

func TestRankTiesShare(t *testing.T) {
	units := []Unit{{Code: "d", Score: 60, Reported: true}, {Code: "n", Reported: false}, {Code: "b", Score: 70.001, Reported: true},
		{Code: "a", Score: 80, Reported: true}, {Code: "c", Score: 70, Reported: true}, {Code: "p", Score: 99, Reported: true, Partial: true}}
	Rank(units)
	var got []string
	for _, u := range units {
		got = append(got, u.Code+":"+string(rune('0'+u.Rank)))
	}
	if want := []string{"a:1", "b:2", "c:2", "d:4", "p:0", "n:0"}; !slices.Equal(got, want) {
		t.Errorf("ranks %v, want %v (ties share; scored on too few items, then unreported, last and unranked)", got, want)
	}
	if r := RankOf(70, []float64{80, 70, 60}); r != 2 {
		t.Errorf("RankOf = %d, want 2", r)
	}
}

func TestCoveredIsTwoThirdsOfTheWeightInPlay(t *testing.T) {
	items := []Item{{Code: "a"}, {Code: "b"}, {Code: "c"}, {Code: "d"}}
	even := map[string]float64{"a": 1, "b": 1, "c": 1, "d": 1}
	scored := func(weights map[string]float64, statuses ...Status) []ItemScore {
		var out []ItemScore
		for i, st := range statuses {
			out = append(out, ItemScore{Code: items[i].Code, Status: st, Weight: weights[items[i].Code]})
		}
		return out
	}
	// The defaults of a department's items scaled by 0.98: the share is two thirds less
	// 1e-16 when summed in this order.
	scaled := map[string]float64{"a": 1.96, "b": 1.96, "c": 0.98, "d": 0.98}
	tests := []struct {
		name    string
		scored  []ItemScore
		inPlay  []Item
		weights map[string]float64
		want    bool
	}{
		{"all apply", scored(even, OK, OK, OK, OK), items, even, true},
		{"a blank item (缺报) applies", scored(even, OK, Missing, OK, OK), items, even, true},
		{"three of four apply", scored(even, OK, OK, OK, NotApplicable), items, even, true},
		{"two of four apply", scored(even, OK, OK, NotApplicable, NotApplicable), items, even, false},
		{"by weight, not by count", scored(map[string]float64{"a": 3, "b": 1}, OK, NotApplicable), items[:2], map[string]float64{"a": 3, "b": 1}, true},
		{"the heavy one missing", scored(map[string]float64{"a": 1, "b": 3}, OK, NotApplicable), items[:2], map[string]float64{"a": 1, "b": 3}, false},
		{"exactly two thirds, rounding aside", scored(scaled, NotApplicable, OK, OK, OK), items, scaled, true},
		{"an item in play for nobody is left out", scored(even, OK, OK, NotApplicable, NotApplicable), items[:3], even, true},
		{"an item left out of the scoring does not apply", scored(even, OK, OK), items, even, false},
		{"no weight at all: covered alike", scored(map[string]float64{}, OK, NotApplicable), items[:2], map[string]float64{}, true},
	}
	for _, tc := range tests {
		if got := Covered(tc.scored, tc.inPlay, tc.weights); got != tc.want {
			t.Errorf("%s: covered %v, want %v", tc.name, got, tc.want)
		}
	}
	units := []Unit{{Items: scored(even, OK, NotApplicable, NotApplicable, OK)}, {Items: scored(even, NotApplicable, NotApplicable, OK, OK)}, {}}
	if got := InPlay(items, units); len(got) != 3 || got[0].Code != "a" || got[1].Code != "c" || got[2].Code != "d" {
		t.Errorf("in play %v; want a, c and d, which apply to someone", got)
	}
}

func TestChangesAmongCommonUnits(t *testing.T) {
	prev := map[string]int{"a": 1, "b": 2, "c": 3}
	tests := []struct {
		name string
		cur  []Unit
		want map[string]int
	}{
		{"swap", []Unit{{Code: "b", Rank: 1}, {Code: "a", Rank: 2}, {Code: "c", Rank: 3}}, map[string]int{"a": -1, "b": 1, "c": 0}},
		{"a returning unit moves nobody", []Unit{{Code: "a", Rank: 1}, {Code: "r", Rank: 2}, {Code: "b", Rank: 3}, {Code: "c", Rank: 4}}, map[string]int{"a": 0, "b": 0, "c": 0}},
		{"an unranked unit has no change", []Unit{{Code: "a", Rank: 1}, {Code: "c", Rank: 2}, {Code: "b", Rank: 0}}, map[string]int{"a": 0, "c": 0}},
	}
	for _, tc := range tests {
		got := Changes(prev, tc.cur)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		for k, v := range tc.want {
			if g, ok := got[k]; !ok || g != v {
				t.Errorf("%s: %s changed %d (%v), want %d", tc.name, k, g, ok, v)
			}
		}
	}
}

func TestImprovePicksTheBiggestGain(t *testing.T) {
	items := []Item{{Code: "rate", Formula: Rate, Direction: 1, Step: 10}, {Code: "count", Formula: PerSize, Direction: 1}}
	ys := map[string]Yardstick{"rate": {80, 5, 1}, "count": {2, 1, 1}}
	u := Unit{Code: "u", Reported: true, Rank: 3, Score: 50, Items: []ItemScore{
		{Code: "rate", Status: OK, Value: 80, Points: 50, Weight: 1},
		{Code: "count", Status: OK, Value: 2, Points: 50, Weight: 1},
	}}
	h, ok := Improve(items, u, ys, []float64{70, 60, 40})
	// +10 points of rate is two spreads (+50 points → +25 score); +1 spread of count is +25
	// points (+12.5 score).
	if !ok || h.Item != "rate" || !near(h.Step, 10) || !near(h.Score, 75) || h.Rank != 1 || !h.Improves {
		t.Errorf("hint %+v; want the rate's +10 points to reach 75 and first place", h)
	}
	u.Items[0].Value, u.Items[0].Points = 100, 100
	if h, _ := Improve(items, u, ys, nil); h.Item != "count" || !near(h.Step, 1) {
		t.Errorf("hint %+v; a rate at 100 %% cannot rise, so the count's one spread", h)
	}
}
