package warehouse

import (
	"context"
	"slices"
)

// RunLineage names the loads with these run ids, for a page's footnote: a page lists
// exactly the loads whose rows fed the numbers it shows.
func (w *Warehouse) RunLineage(ctx context.Context, runIDs []string) ([]Lineage, error) {
	runs := map[string]bool{}
	for _, id := range runIDs {
		if id != "" && id != "00000000-0000-0000-0000-000000000000" {
			runs[id] = true
		}
	}
	return w.lineage(ctx, runs)
}

// MergeLineage joins footnotes, each load once, in the order first seen.
func MergeLineage(lists ...[]Lineage) []Lineage {
	var out []Lineage
	for _, l := range lists {
		for _, s := range l {
			if !slices.ContainsFunc(out, func(x Lineage) bool { return x.RunID == s.RunID }) {
				out = append(out, s)
			}
		}
	}
	return out
}
