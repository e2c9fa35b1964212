package scorecard

// Excess is an item whose numerator (tasks done, complaints resolved, problems rectified)
// a unit reported above its denominator (tasks assigned, complaints received, problems
// found) in one month. It can be right, when the month cleared earlier months' cases, and
// is more often a slip of the keyboard: the unit is asked to look again, not refused.
type Excess struct {
	Item     Item
	Num, Den float64
}

// Excesses lists, in the items' order, the rate and stock items whose numerator is above
// their denominator in one month's report (metric code → the month's value, categories
// summed). An item with either side unreported is left out.
func Excesses(items []Item, month map[string]float64) []Excess {
	var out []Excess
	for _, it := range items {
		if it.Formula != Rate && it.Formula != Stock {
			continue
		}
		num, okNum := month[it.Num]
		den, okDen := month[it.Den]
		if okNum && okDen && num > den {
			out = append(out, Excess{Item: it, Num: num, Den: den})
		}
	}
	return out
}
