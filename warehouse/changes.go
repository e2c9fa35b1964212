package warehouse

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// What a load changed, for the operator's run page: the values a committed run added and
// revised, counted by year and listed a page at a time, each with its history.

// Change kinds, in the order the page lists them.
const (
	ChangeRevised = "revised"
	ChangeAdded   = "added"
)

// ChangeTotal counts one kind of change a run made to one year's values.
type ChangeTotal struct {
	Kind  string
	Year  int
	Count int
}

// ValueVersion is one committed value of a key: when it was loaded, by which run.
type ValueVersion struct {
	At, Value, RunID string
}

// ValueChange is one value a run added or revised. Subject is the indicator, ledger item
// or campaign metric; Region the region or unit; Field what of the subject changed ("value",
// a ledger item's field, "status" of a ledger event, "category_N" of a campaign metric).
type ValueChange struct {
	Kind                      string
	Year                      int
	Subject, Region, Period   string
	Field, OldValue, NewValue string
	History                   []ValueVersion
	rank                      int
}

// RunChanges is what a run changed: totals by kind and year, one page of changes, and the
// next page's cursor ("" after the last).
type RunChanges struct {
	Totals  []ChangeTotal
	Changes []ValueChange
	Next    string
}

// ChangesQuery picks a page of one run's changes.
type ChangesQuery struct {
	// RunID and Job are the run and its job (economy, ecology or campaign: the tables it
	// wrote).
	RunID, Job string
	// After is the previous page's cursor; "" the first page.
	After string
	Limit int
}

// changeCursor is where a page of changes ends, in the list's order. Its JSON is the
// opaque cursor's encoding (base64 of it), not an API shape.
type changeCursor struct {
	Rank    int    `json:"r"`
	Year    int    `json:"y"`
	Subject string `json:"s"`
	Region  string `json:"g"`
	Period  string `json:"p"`
	Field   string `json:"f"`
}

func (c ValueChange) cursor() string {
	b, _ := json.Marshal(changeCursor{c.rank, c.Year, c.Subject, c.Region, c.Period, c.Field})
	return base64.RawURLEncoding.EncodeToString(b)
}

// Changes returns what a committed run changed. A run of another job (a reference table)
// or one that did not commit changed no values this reads.
func (w *Warehouse) Changes(ctx context.Context, q ChangesQuery) (RunChanges, error) {
	var out RunChanges
	if !slices.Contains(FactJobs, q.Job) {
		return out, nil
	}
	var after changeCursor
	if q.After != "" {
		b, err := base64.RawURLEncoding.DecodeString(q.After)
		if err != nil || json.Unmarshal(b, &after) != nil {
			return out, fmt.Errorf("%w: changes cursor %q", ErrBadCursor, q.After)
		}
	}
	text, err := namedQuery("run_changes")
	if err != nil {
		return out, err
	}
	p := Params{"run_id": q.RunID, "job": q.Job, "limit": strconv.Itoa(q.Limit + 1),
		"after_rank": strconv.Itoa(after.Rank), "after_year": strconv.Itoa(after.Year), "after_subject": after.Subject,
		"after_region": after.Region, "after_period": after.Period, "after_field": after.Field}
	res, err := w.eng.query(ctx, text, p)
	if err != nil {
		return out, fmt.Errorf("read changes of run %s: %w", q.RunID, err)
	}
	err = res.each(func(rr *rowReader) {
		kind := ChangeRevised
		if rr.int("rank") == 1 {
			kind = ChangeAdded
		}
		if rr.str("row_kind") == "total" {
			out.Totals = append(out.Totals, ChangeTotal{Kind: kind, Year: rr.int("year"), Count: rr.int("n")})
			return
		}
		c := ValueChange{Kind: kind, Year: rr.int("year"), Subject: rr.str("subject"), Region: rr.str("region"), Period: rr.str("period"),
			Field: rr.str("field"), OldValue: rr.str("old_value"), NewValue: rr.str("new_value"), rank: rr.int("rank")}
		at, values, runs := rr.strings("history_at"), rr.strings("history_values"), rr.strings("history_runs")
		for i := range min(len(at), len(values), len(runs)) {
			c.History = append(c.History, ValueVersion{At: at[i], Value: values[i], RunID: runs[i]})
		}
		out.Changes = append(out.Changes, c)
	})
	if err != nil {
		return out, fmt.Errorf("read changes of run %s: %w", q.RunID, err)
	}
	// UNION ALL keeps no order between or within its branches' blocks: both are sorted here.
	sortTotals(out.Totals)
	slices.SortFunc(out.Changes, func(a, b ValueChange) int { return strings.Compare(a.cursorKey(), b.cursorKey()) })
	out.Changes, out.Next, err = pageOf(out.Changes, q.Limit, ValueChange.cursor)
	return out, err
}

// sortTotals orders totals as the page reads them: revisions first, then by year.
func sortTotals(ts []ChangeTotal) {
	slices.SortFunc(ts, func(a, b ChangeTotal) int {
		if a.Kind != b.Kind {
			if a.Kind == ChangeRevised {
				return -1
			}
			return 1
		}
		return a.Year - b.Year
	})
}

// cursorKey orders changes as the query does: rank, year, then the key's text, bytewise.
func (c ValueChange) cursorKey() string {
	return fmt.Sprintf("%d\x00%05d\x00%s\x00%s\x00%s\x00%s", c.rank, c.Year, c.Subject, c.Region, c.Period, c.Field)
}
