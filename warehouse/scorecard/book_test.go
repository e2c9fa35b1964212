package scorecard

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// fixture is a made-up province: 20 units of different sizes reporting for 14 months.
func fixture(t *testing.T) (items []Item, months []string, units []UnitInput) {
	t.Helper()
	items = testItems(t)
	rng := rand.New(rand.NewPCG(7, 11))
	for m := 0; m < 14; m++ {
		months = append(months, string(rune('A'+m)))
	}
	for u := 0; u < 20; u++ {
		size := 10 + float64(u)*5
		vigor := 0.8 + rng.Float64()*0.4
		in := UnitInput{Code: string(rune('a' + u)), Name: "unit", Size: size}
		for range months {
			n := func(per float64) float64 { return math.Round(per * size * vigor * (0.8 + rng.Float64()*0.4)) }
			assigned := n(2)
			found := n(0.5)
			received, flagged := n(0.3), n(0.2)
			in.Reports = append(in.Reports, Report{
				"study_sessions": n(0.3), "training_hours": n(1), "tasks_assigned": assigned,
				"tasks_on_time": math.Round(assigned * math.Min(1, 0.8*vigor)), "inspections_4b2z": n(0.2),
				"problems_found": found, "problems_rectified": math.Round(found * math.Min(1, 0.9*vigor)),
				"enterprise_visits": n(1.5), "complaints_received": received, "complaints_resolved": math.Round(received * math.Min(1, 0.9*vigor)),
				"poverty_flagged": flagged, "poverty_assisted": math.Round(flagged * math.Min(1, vigor)),
			})
		}
		units = append(units, in)
	}
	return items, months, units
}

// score scores a month and returns the units by code.
func score(items []Item, months []string, units []UnitInput, month int) map[string]Unit {
	return scoreWeighted(items, months, units, month, nil)
}

// scoreWeighted is score with weights overriding the items'.
func scoreWeighted(items []Item, months []string, units []UnitInput, month int, weights map[string]float64) map[string]Unit {
	b := NewBook(items, "region", months, units, weights)
	res, _, _ := b.Month(month)
	out := map[string]Unit{}
	for _, u := range res {
		out[u.Code] = u
	}
	return out
}

// clone copies units deeply so that a scenario changes only its own copy.
func clone(units []UnitInput) []UnitInput {
	out := make([]UnitInput, len(units))
	for i, u := range units {
		out[i] = u
		out[i].Reports = make([]Report, len(u.Reports))
		for m, r := range u.Reports {
			if r != nil {
				out[i].Reports[m] = Report{}
				for k, v := range r {
					out[i].Reports[m][k] = v
				}
			}
		}
	}
	return out
}

const last = 13

// A blank cell never helps: the item is 缺报 and scores 0, so the unit is no better off
// than with the worst value it could have reported.
func TestGamingBlankCell(t *testing.T) {
	items, months, units := fixture(t)
	worst := clone(units)
	worst[5].Reports[last]["tasks_on_time"] = 0
	blank := clone(units)
	delete(blank[5].Reports[last], "tasks_on_time")
	w, b := score(items, months, worst, last)["f"], score(items, months, blank, last)["f"]
	if b.Score > w.Score+1e-9 || b.Rank < w.Rank {
		t.Errorf("blank on-time count: score %.2f rank %d; with 0 on time %.2f rank %d: a blank must not beat the worst value", b.Score, b.Rank, w.Score, w.Rank)
	}
	if !slices.Equal(b.Missing, []string{"on_time_rate"}) {
		t.Errorf("missing %v; want on_time_rate marked 缺报", b.Missing)
	}
}

// One unit's outlier moves no other unit's score in its month (yardsticks come from the
// months before), and the next month's only a little (medians ignore one value).
func TestGamingOneOutlier(t *testing.T) {
	items, months, units := fixture(t)
	out := clone(units)
	out[3].Reports[last-1]["enterprise_visits"] *= 30
	out[3].Reports[last]["enterprise_visits"] *= 30
	base, got := score(items, months, units, last), score(items, months, out, last)
	moved := 0
	for code, u := range got {
		if code == "d" {
			continue
		}
		if math.Abs(u.Score-base[code].Score) > 0.5 {
			t.Errorf("unit %s: score %.2f → %.2f because of another unit's outlier", code, base[code].Score, u.Score)
		}
		// Only d itself can pass or drop behind a unit.
		if d := u.Rank - base[code].Rank; d != 0 && d != 1 && d != -1 {
			moved++
		}
	}
	if moved > 0 {
		t.Errorf("%d units moved more than the one place d can take", moved)
	}
	b := NewBook(items, "region", months, out, nil)
	sameMonth := NewBook(items, "region", months, units, nil)
	x, _, _ := b.Month(last - 1)
	y, _, _ := sameMonth.Month(last - 1)
	for i := range x {
		if x[i].Code != "d" && x[i].Code == y[i].Code && !near(x[i].Score, y[i].Score) {
			t.Errorf("month of the outlier: unit %s scored %.4f, %.4f without it", x[i].Code, x[i].Score, y[i].Score)
		}
	}
}

// Reporting more problems found never lowers a unit: found is scored positive (up to its
// band's cap), and the new problems weigh on rectification only when they fall due.
func TestGamingMoreProblemsFound(t *testing.T) {
	items, months, units := fixture(t)
	for _, u := range []int{2, 9, 17} {
		more := clone(units)
		more[u].Reports[last]["problems_found"] += 10
		code := units[u].Code
		b, m := score(items, months, units, last)[code], score(items, months, more, last)[code]
		if m.Score < b.Score-1e-9 || m.Rank > b.Rank {
			t.Errorf("unit %s reporting 10 more problems: score %.2f rank %d, was %.2f rank %d", code, m.Score, m.Rank, b.Score, b.Rank)
		}
	}
}

// A unit four times the size with four times every count scores the same: counts are per
// head, rates and stocks are shares.
func TestGamingBiggerUnit(t *testing.T) {
	items, months, units := fixture(t)
	big := clone(units)
	big[4].Size *= 4
	for _, r := range big[4].Reports {
		for k := range r {
			r[k] *= 4
		}
	}
	b, g := score(items, months, units, last)["e"], score(items, months, big, last)["e"]
	if !near(b.Score, g.Score) || b.Rank != g.Rank {
		t.Errorf("four times bigger: score %.4f rank %d, was %.4f rank %d", g.Score, g.Rank, b.Score, b.Rank)
	}
}

// A unit that misses months is listed 未报 at the bottom, never dropped; when it returns it
// has no rank change, and it changes no other unit's.
func TestGamingReturningUnit(t *testing.T) {
	items, months, units := fixture(t)
	gap := clone(units)
	gap[0].Reports[last-1] = nil
	b := NewBook(items, "region", months, gap, nil)
	prev, _, _ := b.Month(last - 1)
	cur, _, _ := b.Month(last)
	if tail := prev[len(prev)-1]; tail.Code != "a" || tail.Reported || tail.Rank != 0 || len(prev) != 20 {
		t.Fatalf("month without a report: last row %+v of %d; want unit a listed unranked at the bottom", tail, len(prev))
	}
	ranks := map[string]int{}
	for _, u := range prev {
		ranks[u.Code] = u.Rank
	}
	changes := Changes(ranks, cur)
	if _, ok := changes["a"]; ok {
		t.Errorf("the returning unit has a rank change %d", changes["a"])
	}
	// Without a's return, the same changes.
	without := clone(gap)
	without[0].Reports[last] = nil
	cur2, _, _ := NewBook(items, "region", months, without, nil).Month(last)
	changes2 := Changes(ranks, cur2)
	for code, c := range changes2 {
		if changes[code] != c {
			t.Errorf("unit %s: change %d with a back, %d without: a's return moved it", code, changes[code], c)
		}
	}
}

// A unit whose population is not loaded has its counts per resident not applicable: scored
// on its rates alone (4 of 9 items, 6 of 11 in weight), it is listed after the ranked units,
// unranked, with no hint, and the others' ranks run without a gap. With the counts weighing
// half as much, its rates carry enough of the weight, and it is ranked.
func TestAUnitScoredOnTooFewItemsIsNotRanked(t *testing.T) {
	items, months, units := fixture(t)
	units[4].Size = 0
	b := NewBook(items, "region", months, units, nil)
	got, _, hints := b.Month(last)
	var ranks []int
	for i, u := range got {
		switch {
		case u.Code == "e":
			if !u.Partial || u.Rank != 0 || i != len(got)-1 || !u.Reported {
				t.Errorf("unit e without a population: %+v at %d of %d; want reported, partial, unranked, last", u, i, len(got))
			}
		default:
			ranks = append(ranks, u.Rank)
		}
	}
	if !slices.IsSorted(ranks) || ranks[0] != 1 || ranks[len(ranks)-1] > 19 || slices.Contains(ranks, 0) {
		t.Errorf("the others' ranks %v; want 1… without the unranked unit", ranks)
	}
	if h, ok := hints["e"]; ok {
		t.Errorf("the unranked unit has a hint %+v", h)
	}
	// A department's stock items apply to nobody before their first deadline: they do not
	// count against everyone (no department was ranked in the campaign's first month).
	for m := range 3 {
		deps, _, _ := NewBook(items, "department", months, units, nil).Month(m)
		for _, u := range deps {
			if u.Partial || u.Rank == 0 {
				t.Errorf("month %d: department %s unranked (partial %v)", m, u.Code, u.Partial)
				break
			}
		}
	}
	light := map[string]float64{}
	for _, it := range b.Items {
		if it.Formula == PerSize {
			light[it.Code] = 0.5
		}
	}
	u := score(items, months, units, last)["e"]
	if withLight := scoreWeighted(items, months, units, last, light)["e"]; withLight.Partial || withLight.Rank == 0 || u.Rank != 0 {
		t.Errorf("unit e with counts weighing 0.5 each: %+v (default weights rank %d); want ranked", withLight, u.Rank)
	}
}

// Weights from the config override the data's defaults, item by item.
func TestBookWeights(t *testing.T) {
	items, months, units := fixture(t)
	b := NewBook(items, "region", months, units, map[string]float64{"on_time_rate": 5})
	if b.Weights["on_time_rate"] != 5 || b.Weights["study_sessions_pc"] != 1 {
		t.Errorf("weights %v; want on_time_rate overridden, the rest the data's", b.Weights)
	}
	d := NewBook(items, "department", months, units, nil)
	for _, it := range d.Items {
		if it.Formula == PerSize {
			t.Errorf("departments scored on a count per head (%s)", it.Code)
		}
	}
}
