package warehouse

import (
	"context"
	"slices"

	"jinwei/warehouse/guard"
)

// Ad hoc SQL is guarded by package guard; the warehouse says where it runs (its guard
// engine) and which tables of its database it may read.

type (
	Limits        = guard.Limits
	LimitError    = guard.LimitError
	RefusedError  = guard.RefusedError
	GuardedResult = guard.GuardedResult
	RowSink       = guard.RowSink
	Streamed      = guard.Streamed
)

// RefusalKinds and LimitKinds are what a RefusedError's Kind and a LimitError's Limit may be.
var (
	RefusalKinds = guard.RefusalKinds
	LimitKinds   = guard.LimitKinds
)

// DefaultLimits are the guard's limits for a statement that names none.
func DefaultLimits() Limits { return guard.DefaultLimits() }

// ResultTooLarge is the error of a result that passed its size limit (see guard.ResultTooLarge).
func ResultTooLarge(limit int64, what string) *LimitError { return guard.ResultTooLarge(limit, what) }

// GuardedQuery runs one statement typed by a person, if the guard allows it, within lim,
// and returns its rows (see guard.Query).
func (w *Warehouse) GuardedQuery(ctx context.Context, stmt string, lim Limits) (*GuardedResult, error) {
	return guard.Query(ctx, w.guard, w.analystDatabase(), stmt, lim)
}

// GuardedStream runs one statement as GuardedQuery does and hands its rows to sink as the
// engine produces them (see guard.Stream).
func (w *Warehouse) GuardedStream(ctx context.Context, stmt string, lim Limits, sink RowSink) (*Streamed, error) {
	return guard.Stream(ctx, w.guard, w.analystDatabase(), stmt, lim, sink)
}

func (w *Warehouse) analystDatabase() guard.Database {
	return guard.Database{Name: w.db, Allowed: w.analystAllowed}
}

// AnalystTables lists the tables and views ad hoc SQL may read, the built-in ones and those
// allowed with AllowAnalystTables, sorted.
func (w *Warehouse) AnalystTables() []string {
	w.tablesMu.RLock()
	defer w.tablesMu.RUnlock()
	out := guard.AnalystTables()
	for t := range w.extraTables {
		out = append(out, t)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// AllowAnalystTables lets ad hoc SQL read more tables of the warehouse's database: a site's
// own tables (configuration), or a test's.
func (w *Warehouse) AllowAnalystTables(names ...string) {
	w.tablesMu.Lock()
	defer w.tablesMu.Unlock()
	if w.extraTables == nil {
		w.extraTables = map[string]bool{}
	}
	for _, n := range names {
		w.extraTables[n] = true
	}
}

// analystAllowed says whether ad hoc SQL may read table (a bare name).
func (w *Warehouse) analystAllowed(table string) bool {
	if guard.AnalystTable(table) {
		return true
	}
	w.tablesMu.RLock()
	defer w.tablesMu.RUnlock()
	return w.extraTables[table]
}
