package scorecard

// Excess is a rate item whose numerator (tasks done on time, complaints resolved) a unit
// reported above its denominator (tasks assigned, complaints received) in one month. It
// can be right, when the month finished earlier months' cases, and is more often a slip of
// the keyboard: the unit is asked to look again, not refused. A stock item is left out: it
// closes earlier months' cases first, so more closed than opened in a month is how a
// backlog is cleared.
type Excess struct {
	Item     Item
	Num, Den float64
}

// Excesses lists, in the items' order, the rate items whose numerator is above their
// denominator in one month's report (categories summed). An item with either side
// unreported is left out.
func Excesses(items []Item, month Report) []Excess {
	var out []Excess
	for _, it := range items {
		if it.Formula != Rate {
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
