// Package scorecard is the arithmetic of the 三抓三促 campaign scorecard, apart from the
// engine so that every rule can be proved in a table: item values from a unit's reports,
// the yardsticks they are scaled against, points, weighted scores, ranks that ties share,
// and what would raise a unit most. The items themselves are data (data/campaign_scoring.csv).
package scorecard

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// Formula says how an item is computed from a unit's reported metrics.
type Formula string

const (
	// PerSize is a count per unit of the unit's size (population in 万人): a bigger unit
	// does not score more for being bigger.
	PerSize Formula = "per_size"
	// Rate is Num/Den in per cent, at most 100; not applicable when Den is 0.
	Rate Formula = "rate"
	// Stock is the share of a stock closed within its deadline: Num (closed) against Den
	// (opened), first in first out, each month's new cases due Deadline months later
	// (counting the month they are reported). Cases reported this month weigh nothing until
	// they are due, so reporting a problem early never lowers a score.
	Stock Formula = "stock"
)

// Item is one scored measure.
type Item struct {
	Code      string
	NameZh    string
	NameEn    string
	Dimension string
	Formula   Formula
	Num       string
	Den       string
	// Direction is 1 when more is better, -1 when less is.
	Direction int
	// Weight is the default weight; the config may override it.
	Weight float64
	// Kinds are the unit kinds the item applies to (region, department).
	Kinds []string
	// Deadline is a Stock item's time to close, in months including the reporting month.
	Deadline int
	// Pool is how many months (the scored one and those before it) a PerSize or Rate item
	// pools, so that a small count's chance swings do not move ranks; 0 or 1: the month
	// alone. Months the unit left blank are skipped.
	Pool int
	// MinSpread is the smallest spread the item is scaled with, in its own unit, so that a
	// month in which every unit reports the same value does not make tiny differences huge.
	MinSpread float64
	// Step is the improvement the "what would raise it most" hint tries, in the item's
	// unit; 0 means one yardstick spread.
	Step float64
	// Note says why the item is measured so, in the data's words; NoteEn in English, when
	// the data has it.
	Note, NoteEn string
}

// AppliesTo says whether the item scores units of kind.
func (it Item) AppliesTo(kind string) bool { return slices.Contains(it.Kinds, kind) }

// Check reports an item that cannot be scored as defined.
func (it Item) Check() error {
	switch {
	case it.Code == "" || it.Num == "":
		return fmt.Errorf("score item %q: code and num are required", it.Code)
	case it.Direction != 1 && it.Direction != -1:
		return fmt.Errorf("score item %s: direction %d is not 1 or -1", it.Code, it.Direction)
	case it.Weight < 0:
		return fmt.Errorf("score item %s: negative weight %v", it.Code, it.Weight)
	case (it.Formula == Rate || it.Formula == Stock) && it.Den == "":
		return fmt.Errorf("score item %s: a %s needs a den", it.Code, it.Formula)
	case it.Formula == Stock && it.Deadline < 1:
		return fmt.Errorf("score item %s: a stock needs a deadline of at least one month", it.Code)
	case it.Formula != PerSize && it.Formula != Rate && it.Formula != Stock:
		return fmt.Errorf("score item %s: unknown formula %q", it.Code, it.Formula)
	}
	return nil
}

// Status is what became of an item for a unit in a month.
type Status string

const (
	// OK: the item has a value.
	OK Status = "ok"
	// Missing (缺报): a cell the item needs was blank in the unit's report. It scores 0
	// points at its full weight, so that leaving a cell blank never helps.
	Missing Status = "missing"
	// NotApplicable: nothing to measure (no complaints received, no problem due, no size
	// known). The item is left out and the other weights renormalised.
	NotApplicable Status = "na"
)

// Value is an item's value for a unit in a month.
type Value struct {
	Status Status
	Value  float64
}

// Report is a unit's report for one month: metric code to value. A metric absent from the
// map was blank.
type Report map[string]float64

// Values computes every item for one unit over months in order. reports[i] is the month
// i report, nil when the unit sent none (every item of that month is then Missing). size
// is the unit's size measure (0: unknown, per-size items not applicable).
func Values(items []Item, reports []Report, size float64) []map[string]Value {
	out := make([]map[string]Value, len(reports))
	for i := range out {
		out[i] = map[string]Value{}
	}
	for _, it := range items {
		var stock []Value
		if it.Formula == Stock {
			stock = stockValues(it, reports)
		}
		for i, r := range reports {
			num, hasNum := r[it.Num]
			den, hasDen := r[it.Den]
			if r == nil || !hasNum || (it.Den != "" && !hasDen) {
				out[i][it.Code] = Value{Status: Missing}
				continue
			}
			if it.Formula != Stock {
				num, den = pooled(it, reports, i)
			}
			switch it.Formula {
			case PerSize:
				if size <= 0 {
					out[i][it.Code] = Value{Status: NotApplicable}
				} else {
					out[i][it.Code] = Value{Status: OK, Value: num / size}
				}
			case Rate:
				if den <= 0 {
					out[i][it.Code] = Value{Status: NotApplicable}
				} else {
					out[i][it.Code] = Value{Status: OK, Value: math.Min(num/den, 1) * 100}
				}
			case Stock:
				out[i][it.Code] = stock[i]
			}
		}
	}
	return out
}

// pooled sums an item's cells over the Pool months up to month i that the unit reported
// (month i is reported: the caller checked), giving a PerSize item the monthly mean.
func pooled(it Item, reports []Report, i int) (num, den float64) {
	months := 0
	for j := i; j >= 0 && j > i-max(it.Pool, 1); j-- {
		n, okNum := reports[j][it.Num]
		d, okDen := reports[j][it.Den]
		if !okNum || (it.Den != "" && !okDen) {
			continue
		}
		num, den, months = num+n, den+d, months+1
	}
	if it.Formula == PerSize {
		num /= float64(months)
	}
	return num, den
}

// stockValues follows a stock first in first out: each month opens Den new cases and closes
// Num (at most what is open). In month i the cases opened in month i-Deadline+1 fall due;
// the value is the share of them closed by the end of month i. A blank cell counts as 0
// in the history (the month itself is marked Missing by Values).
func stockValues(it Item, reports []Report) []Value {
	out := make([]Value, len(reports))
	opened := make([]float64, len(reports)) // cumulative cases opened up to and including month i
	closed := make([]float64, len(reports)) // cumulative cases closed by the end of month i
	var cumOpen, cumClosed float64
	for i, r := range reports {
		cumOpen += math.Max(r[it.Den], 0)
		cumClosed += math.Min(math.Max(r[it.Num], 0), cumOpen-cumClosed)
		opened[i], closed[i] = cumOpen, cumClosed
		c := i - it.Deadline + 1
		if c < 0 {
			out[i] = Value{Status: NotApplicable}
			continue
		}
		before := 0.0
		if c > 0 {
			before = opened[c-1]
		}
		due := opened[c] - before
		if due <= 0 {
			out[i] = Value{Status: NotApplicable}
			continue
		}
		done := math.Min(math.Max(closed[i]-before, 0), due)
		out[i] = Value{Status: OK, Value: done / due * 100}
	}
	return out
}

// Yardstick is what an item is scaled against: 50 points at Median, 25 more (or fewer)
// for each Spread above (or below) it, within 0–100.
type Yardstick struct {
	Median float64
	Spread float64
	// N is the number of values it was taken from.
	N int
}

// PointsPerSpread is how many points one spread from the median is worth.
const PointsPerSpread = 25

// NewYardstick takes the median and the spread (1.4826 × the median absolute deviation,
// which equals the standard deviation for normal data and ignores a few outliers) of
// values, never a spread below the item's MinSpread, 5 % of the median, or (all else 0) 1.
func NewYardstick(it Item, values []float64) Yardstick {
	if len(values) == 0 {
		return Yardstick{Spread: math.Max(it.MinSpread, 1)}
	}
	med := median(values)
	dev := make([]float64, len(values))
	for i, v := range values {
		dev[i] = math.Abs(v - med)
	}
	spread := math.Max(1.4826*median(dev), math.Max(it.MinSpread, 0.05*math.Abs(med)))
	if spread == 0 {
		spread = 1
	}
	return Yardstick{Median: med, Spread: spread, N: len(values)}
}

func median(values []float64) float64 {
	s := slices.Clone(values)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Points scales v against y for an item of direction dir: 50 at the median, ±25 per spread,
// clamped to 0–100.
func Points(v float64, y Yardstick, dir int) float64 {
	p := 50 + PointsPerSpread*float64(dir)*(v-y.Median)/y.Spread
	return math.Max(0, math.Min(100, p))
}

// Ceiling is the best value an item can take (100 % for a rate or stock where more is
// better), or 0 when it has none.
func (it Item) Ceiling() float64 {
	if it.Direction > 0 && (it.Formula == Rate || it.Formula == Stock) {
		return 100
	}
	return 0
}

// ItemPoints scores v for it: Points, except that an item with a ceiling reaches 100
// points at the ceiling, the values between the median and the ceiling earning 50–100 in
// proportion (or the spread rule, when it gives more), so a perfect rate always earns full
// marks even in a month when most units are perfect.
func ItemPoints(it Item, v float64, y Yardstick) float64 {
	p := Points(v, y, it.Direction)
	c := it.Ceiling()
	switch {
	case c == 0:
		return p
	case v >= c:
		return 100
	case v <= y.Median:
		return p
	}
	return math.Max(p, 50+50*(v-y.Median)/(c-y.Median))
}

// Window is how many months before the scored one the yardsticks look back.
const Window = 12

// Yardsticks takes each item's yardstick for month i from the OK values of every unit of
// the kind in the Window months before it, so that nothing a unit reports this month moves
// another unit's score; a month with no values at all in the Window before it (the
// campaign's first month, or the first after months without reports) uses itself.
// values[u][m] is unit u's item values in month m.
func Yardsticks(items []Item, values [][]map[string]Value, i int) map[string]Yardstick {
	lo, hi := max(0, i-Window), i
	if !slices.ContainsFunc(items, func(it Item) bool { return len(okValues(it, values, lo, hi)) > 0 }) {
		lo, hi = i, i+1
	}
	out := map[string]Yardstick{}
	for _, it := range items {
		out[it.Code] = NewYardstick(it, okValues(it, values, lo, hi))
	}
	return out
}

// okValues are the OK values of item it of every unit in months lo to hi (not included).
func okValues(it Item, values [][]map[string]Value, lo, hi int) []float64 {
	var vs []float64
	for _, unit := range values {
		for m := lo; m < hi && m < len(unit); m++ {
			if v := unit[m][it.Code]; v.Status == OK {
				vs = append(vs, v.Value)
			}
		}
	}
	return vs
}

// ItemScore is one item's part of a unit's score.
type ItemScore struct {
	Code   string
	Status Status
	Value  float64
	// Normalised is the value in spreads from the yardstick's median, signed so that
	// positive is better.
	Normalised float64
	Points     float64
	Weight     float64
}

// Unit is one unit's scored month.
type Unit struct {
	Code string
	Name string
	// Reported is false for a unit with no report this month (未报): it is not ranked.
	Reported bool
	// Partial is true for a reported unit whose applicable items carry less than
	// MinCoverage of the weight in play (see Covered; counts per resident of a unit whose
	// population is not loaded, say): its score rests on too few items to stand beside the
	// others', so it is not ranked either.
	Partial    bool
	Items      []ItemScore
	Dimensions map[string]float64
	Score      float64
	// Rank is 0 when not ranked.
	Rank int
	// Missing lists the items marked 缺报.
	Missing []string
}

// Score scores one unit's month: each applicable item's points against its yardstick; the
// score is the weighted mean of the points, a Missing item counting 0 at its weight and a
// NotApplicable one left out. weights holds each item's weight.
func Score(items []Item, vals map[string]Value, ys map[string]Yardstick, weights map[string]float64) (score float64, dims map[string]float64, out []ItemScore) {
	var total, weight float64
	dims = map[string]float64{}
	dimW := map[string]float64{}
	for _, it := range items {
		v, ok := vals[it.Code]
		if !ok {
			continue
		}
		s := ItemScore{Code: it.Code, Status: v.Status, Value: v.Value, Weight: weights[it.Code]}
		switch v.Status {
		case OK:
			y := ys[it.Code]
			s.Normalised = float64(it.Direction) * (v.Value - y.Median) / y.Spread
			s.Points = ItemPoints(it, v.Value, y)
		case NotApplicable:
			out = append(out, s)
			continue
		}
		out = append(out, s)
		if s.Weight <= 0 {
			continue
		}
		total += s.Points * s.Weight
		weight += s.Weight
		dims[it.Dimension] += s.Points * s.Weight
		dimW[it.Dimension] += s.Weight
	}
	for d := range dims {
		dims[d] /= dimW[d]
	}
	if weight > 0 {
		score = total / weight
	}
	return score, dims, out
}

// Round is the precision scores are ranked (and shown) at: units whose scores agree to it
// share a rank.
func Round(score float64) float64 { return math.Round(score*100) / 100 }

// MinCoverage is the share of the weight of the items in play that must apply to a unit
// for it to be ranked. A city scored on its 4 rates alone (its five counts per resident
// not applicable for want of a population) stood eleventh of fourteen as if measured like
// the rest: by the default weights counts carry 5 of 11 and rates 6, so a unit measured on
// one kind alone falls short, as does one with neither tasks assigned nor problems due
// (7 of 11); one with no complaint received (10 of 11) is ranked.
const MinCoverage = 2.0 / 3

// Covered says whether a unit's scored items cover enough of the weight of the items in
// play (those that apply to at least one unit that month: a stock item before its first
// deadline applies to nobody, and ranked no department in the campaign's first month).
// The share is compared with a margin for rounding: weights that sum to exactly two thirds
// in one order fell short by 1e-16 in another.
func Covered(scored []ItemScore, inPlay []Item, weights map[string]float64) bool {
	var applies, total float64
	for _, it := range inPlay {
		total += max(weights[it.Code], 0)
	}
	for _, s := range scored {
		if s.Status != NotApplicable && slices.ContainsFunc(inPlay, func(it Item) bool { return it.Code == s.Code }) {
			applies += max(s.Weight, 0)
		}
	}
	return total <= 0 || applies >= MinCoverage*total*(1-1e-9)
}

// InPlay are the items that apply to at least one of the scored units (are not
// NotApplicable for it).
func InPlay(items []Item, units []Unit) []Item {
	var out []Item
	for _, it := range items {
		for _, u := range units {
			if slices.ContainsFunc(u.Items, func(s ItemScore) bool { return s.Code == it.Code && s.Status != NotApplicable }) {
				out = append(out, it)
				break
			}
		}
	}
	return out
}

// Ranked says whether a unit takes a place: it reported and enough of its items apply.
func (u Unit) Ranked() bool { return u.Reported && !u.Partial }

// Rank orders units best first and gives ranks that ties share (1, 2, 2, 4); reported
// units scored on too few items (Partial) follow, unranked, then units that did not report,
// each by code.
func Rank(units []Unit) {
	group := func(u Unit) int {
		switch {
		case u.Ranked():
			return 0
		case u.Reported:
			return 1
		}
		return 2
	}
	sort.SliceStable(units, func(a, b int) bool {
		ua, ub := units[a], units[b]
		if ga, gb := group(ua), group(ub); ga != gb {
			return ga < gb
		}
		if sa, sb := Round(ua.Score), Round(ub.Score); ua.Ranked() && sa != sb {
			return sa > sb
		}
		return ua.Code < ub.Code
	})
	for i := range units {
		switch {
		case !units[i].Ranked():
			units[i].Rank = 0
		case i > 0 && units[i-1].Ranked() && Round(units[i-1].Score) == Round(units[i].Score):
			units[i].Rank = units[i-1].Rank
		default:
			units[i].Rank = i + 1
		}
	}
}

// RankOf is the rank a score would take among others' scores (ties shared).
func RankOf(score float64, others []float64) int {
	r := 1
	for _, o := range others {
		if Round(o) > Round(score) {
			r++
		}
	}
	return r
}

// Hint is the single improvement that would raise a unit's score most.
type Hint struct {
	Item string
	// Step is the improvement tried, in the item's unit (percentage points for rates).
	Step     float64
	Score    float64
	Rank     int
	Formula  Formula
	Gain     float64
	Improves bool
}

// Improve finds, among u's OK items with weight, the one whose improvement by its Step (or
// one spread) raises u's score most, and the rank that score would take with everyone
// else's unchanged. ok is false when no item can improve.
func Improve(items []Item, u Unit, ys map[string]Yardstick, others []float64) (Hint, bool) {
	var best Hint
	found := false
	var total float64
	for _, s := range u.Items {
		if s.Status != NotApplicable && s.Weight > 0 {
			total += s.Weight
		}
	}
	if total == 0 {
		return best, false
	}
	for _, it := range items {
		i := slices.IndexFunc(u.Items, func(s ItemScore) bool { return s.Code == it.Code })
		if i < 0 || u.Items[i].Status != OK || u.Items[i].Weight <= 0 {
			continue
		}
		s := u.Items[i]
		y := ys[it.Code]
		step := it.Step
		if step == 0 {
			step = y.Spread
		}
		v := s.Value + float64(it.Direction)*step
		if it.Formula != PerSize {
			v = math.Max(0, math.Min(100, v))
		}
		gain := (ItemPoints(it, v, y) - s.Points) * s.Weight / total
		if gain <= 1e-9 || (found && gain <= best.Gain) {
			continue
		}
		found = true
		score := u.Score + gain
		best = Hint{Item: it.Code, Step: math.Abs(v - s.Value), Score: score, Rank: RankOf(score, others), Formula: it.Formula, Gain: gain}
		best.Improves = u.Rank > 0 && best.Rank < u.Rank
	}
	return best, found
}

// ParseKinds splits a kinds cell ("region;department").
func ParseKinds(s string) []string {
	var out []string
	for _, k := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ' ' || r == '|' }) {
		out = append(out, k)
	}
	return out
}

// Changes gives the places gained (negative: lost) by each unit ranked both in the
// previous month (prev: code to rank, 0 or absent when unranked) and now. Places are
// counted among the units ranked in both months only, so a unit that returns after a gap,
// or one that drops out, moves nobody else: each unit's change is the number of common
// units it overtook minus the number that overtook it.
func Changes(prev map[string]int, cur []Unit) map[string]int {
	type pair struct {
		code      string
		prev, cur int
	}
	var common []pair
	for _, u := range cur {
		if p := prev[u.Code]; p > 0 && u.Rank > 0 {
			common = append(common, pair{u.Code, p, u.Rank})
		}
	}
	out := map[string]int{}
	for _, a := range common {
		pa, ca := 1, 1
		for _, b := range common {
			if b.prev < a.prev {
				pa++
			}
			if b.cur < a.cur {
				ca++
			}
		}
		out[a.code] = pa - ca
	}
	return out
}
