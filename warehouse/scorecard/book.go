package scorecard

// UnitInput is one unit's reports over the campaign's months.
type UnitInput struct {
	Code, Name string
	// Size is the unit's size measure (population in 万人); 0 when unknown.
	Size float64
	// Reports has one entry per month of Book.Months, nil where the unit sent no report.
	Reports []Report
}

// Book holds every item value of the units of one kind over all months, so that any month
// can be scored against the months before it.
type Book struct {
	Items   []Item
	Months  []string
	Units   []UnitInput
	Weights map[string]float64
	values  [][]map[string]Value
}

// NewBook computes the item values of units of kind (region or department) for every month.
// Items that do not apply to the kind are dropped; weights gives each item's weight
// (items absent from it weigh their default).
func NewBook(items []Item, kind string, months []string, units []UnitInput, weights map[string]float64) *Book {
	b := &Book{Months: months, Units: units, Weights: map[string]float64{}}
	for _, it := range items {
		if !it.AppliesTo(kind) {
			continue
		}
		b.Items = append(b.Items, it)
		b.Weights[it.Code] = it.Weight
		if w, ok := weights[it.Code]; ok {
			b.Weights[it.Code] = w
		}
	}
	b.values = make([][]map[string]Value, len(units))
	for u, in := range units {
		b.values[u] = Values(b.Items, in.Reports, in.Size)
	}
	return b
}

// Month scores month i: every unit, ranked (those scored on too few items and those that
// sent no report last, unranked), with the yardsticks used and, for each ranked unit, the
// improvement that would raise it most.
func (b *Book) Month(i int) ([]Unit, map[string]Yardstick, map[string]Hint) {
	ys := Yardsticks(b.Items, b.values, i)
	units := make([]Unit, len(b.Units))
	for u, in := range b.Units {
		units[u] = Unit{Code: in.Code, Name: in.Name, Reported: in.Reports[i] != nil}
		if !units[u].Reported {
			continue
		}
		units[u].Score, units[u].Dimensions, units[u].Items = Score(b.Items, b.values[u][i], ys, b.Weights)
		for _, s := range units[u].Items {
			if s.Status == Missing {
				units[u].Missing = append(units[u].Missing, s.Code)
			}
		}
	}
	inPlay := InPlay(b.Items, units)
	for u := range units {
		units[u].Partial = units[u].Reported && !Covered(units[u].Items, inPlay, b.Weights)
	}
	Rank(units)
	hints := map[string]Hint{}
	for u := range units {
		if !units[u].Ranked() {
			continue
		}
		var others []float64
		for o := range units {
			if o != u && units[o].Ranked() {
				others = append(others, units[o].Score)
			}
		}
		if h, ok := Improve(b.Items, units[u], ys, others); ok {
			hints[units[u].Code] = h
		}
	}
	return units, ys, hints
}
