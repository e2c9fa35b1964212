package warehouse

import (
	"context"
	"fmt"
)

// Duplicate is a value one run inserted more than once, with the source cells and the
// value each gave (in the indicator's unit), the kept first.
type Duplicate struct {
	Indicator, Region string
	PeriodKind        string // year, quarter, month, ytd
	Year, PeriodNo    int
	Lines             []int
	Sheets            []string
	Cols              []int // from 1; 0 where the line is the value's place
	Values            []float64
}

// RunDuplicates finds values the run inserted more than once for one key.
func (w *Warehouse) RunDuplicates(ctx context.Context, runID string) ([]Duplicate, error) {
	// Not through the cache: the run's rows change while it loads.
	surplus, err := w.runSurplus(ctx, runID)
	if err != nil || surplus == 0 {
		return nil, err
	}
	res, err := w.runDuplicatesQuery(ctx, "run_duplicates", runID)
	if err != nil {
		return nil, err
	}
	var out []Duplicate
	err = res.each(func(rr *rowReader) {
		out = append(out, Duplicate{Indicator: rr.str("indicator_code"), Region: rr.str("region_code"),
			PeriodKind: rr.str("period_kind"), Year: rr.int("year"), PeriodNo: rr.int("period_no"), Lines: rr.ints("lines"), Sheets: rr.strings("sheets"), Cols: rr.ints("cols"), Values: rr.floats("vals")})
	})
	return out, err
}

// DeleteRunDuplicates deletes the later copies of the run's duplicate values, dups as
// RunDuplicates found them, and returns how many rows it removed.
func (w *Warehouse) DeleteRunDuplicates(ctx context.Context, runID string, dups []Duplicate) (int, error) {
	n := 0
	for _, d := range dups {
		n += len(d.Lines) - 1
	}
	what := "delete duplicates of run " + runID
	err := w.change(ctx, func() error {
		// The surplus counts hash collisions too (run_duplicates_possible): the copies are
		// gone when it has fallen by their number, which may leave it above zero.
		before, err := w.runSurplus(ctx, runID)
		if err != nil {
			return err
		}
		mutation, err := w.deleteRows(ctx, "run_duplicates_delete", Params{"run_id": runID})
		if err != nil || !mutation {
			return err
		}
		// The run commits next: its copies must be gone by then.
		return awaitMutation(ctx, what, func(ctx context.Context) (bool, error) {
			surplus, err := w.runSurplus(ctx, runID)
			return surplus <= before-n, err
		})
	})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return n, nil
}

// runSurplus counts the values the run inserted more than once, or a few more on a hash
// collision (see run_duplicates_possible).
func (w *Warehouse) runSurplus(ctx context.Context, runID string) (int, error) {
	res, err := w.runDuplicatesQuery(ctx, "run_duplicates_possible", runID)
	if err != nil {
		return 0, err
	}
	surplus := -1
	err = res.each(func(rr *rowReader) { surplus = rr.int("surplus") })
	return surplus, err
}

func (w *Warehouse) runDuplicatesQuery(ctx context.Context, name, runID string) (*Result, error) {
	text, err := namedQuery(name)
	if err != nil {
		return nil, err
	}
	res, err := w.eng.query(ctx, text, Params{"run_id": runID})
	if err != nil {
		return nil, fmt.Errorf("find duplicates of run %s: %w", runID, err)
	}
	return res, nil
}
