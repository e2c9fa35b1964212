package guard

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"jinwei/warehouse/ch"
)

// The guard runs SQL that people type: exactly one read-only statement (SELECT or
// WITH … SELECT, SHOW TABLES, SHOW CREATE TABLE, DESCRIBE, EXPLAIN) over the warehouse's own
// database, within time, memory and result limits. Engine settings alone are no fence — a
// statement can carry its own SETTINGS, even in a subquery, and some functions reach files
// and the network even when the engine is read-only — so the statement is checked first,
// with the engine's own parser, against an allowlist:
//
//  1. The engine formats the text (formatQuerySingleLine, the text passed as a bound
//     parameter, never spliced). It refuses a second statement; comments go; what remains
//     is the canonical statement, and only it is ever run. It must format to itself again.
//  2. The engine prints the canonical statement's parse tree (EXPLAIN AST), and policy walks
//     it: allowed statement kinds, node kinds, functions, and tables of this database only.
//  3. The limits are attached as a SETTINGS clause the statement cannot override (it has
//     none of its own), plus readonly = 1; the engine's formatter must read that text as one
//     statement, and its parse tree must be the checked tree plus only the guard's wrapper
//     and settings.
//  4. That text runs, holding the embedded connection, and its rows stream to the caller,
//     cut at MaxRows. On a server it runs as the read-only user when the warehouse has one
//     (Config.ReadonlyDSN), a second fence behind the guard.

// RefusedError reports that the guard refused a statement; the engine did not run it.
type RefusedError struct {
	Reason string
	// Kind is one of RefusalKinds, and Args the Reason's arguments in order.
	Kind string
	Args []any
}

func (e *RefusedError) Error() string { return "statement refused: " + e.Reason }

func refuse(kind, format string, args ...any) *RefusedError {
	return &RefusedError{Reason: fmt.Sprintf(format, args...), Kind: kind, Args: args}
}

// GuardedResult is the answer to a guarded statement, collected whole (the console's run,
// `jinwei sql`): at most MaxRows rows.
type GuardedResult struct {
	*ch.Result
	// Statement is the statement as the engine formatted it, without comments: what ran,
	// before the guard's limits were attached.
	Statement string
	// Truncated is set when the result had more than MaxRows rows and was cut.
	Truncated bool
}

// RowSink takes a guarded statement's result as the engine produces it, so that a large
// result (an export) passes through without being held in memory.
type RowSink interface {
	// Columns is called once, before any rows (also when there are none).
	Columns(cols []ch.Column) error
	// Rows is called with each chunk of rows, in order; the sink may keep the slice.
	Rows(rows [][]any) error
}

// Streamed describes a guarded statement whose rows went to a RowSink.
type Streamed struct {
	// Statement is the statement as the engine formatted it (see GuardedResult).
	Statement string
	Columns   []ch.Column
	// Rows is how many rows the sink took: at most MaxRows.
	Rows int
	// Truncated is set when the result had more than MaxRows rows; the engine was stopped
	// at the cap.
	Truncated bool
	Elapsed   time.Duration
}

// Database is the database guarded statements read: its name, and which of its tables
// analysts may read.
type Database struct {
	Name    string
	Allowed func(table string) bool
}

// Query runs one statement typed by a person, if the guard allows it, within lim,
// and returns its rows. A refusal is a *RefusedError; a statement the engine stopped at a
// limit fails with a *LimitError; anything else the engine reports (a syntax error, an
// unknown column) is an *ch.EngineError, wrapped.
func Query(ctx context.Context, on ch.GuardEngine, db Database, stmt string, lim Limits) (*GuardedResult, error) {
	return Collect(func(sink RowSink) (*Streamed, error) { return Stream(ctx, on, db, stmt, lim, sink) })
}

// Stream runs one statement as Query does and hands its rows to sink as the
// engine produces them. The statement stops at MaxRows (it is limited to MaxRows+1 rows,
// and the engine is told to stop once the extra row shows the result is longer) or when
// ctx ends; see chdbConn.streamLocked for when the embedded engine can stop. An error from
// the sink ends the statement and is returned wrapped.
func Stream(ctx context.Context, on ch.GuardEngine, db Database, stmt string, lim Limits, sink RowSink) (*Streamed, error) {
	lim = lim.Or(DefaultLimits())
	if err := checkText(stmt, lim.MaxStatementBytes); err != nil {
		return nil, err
	}
	var out *Streamed
	err := on.Guarded(ctx, func(s ch.Session) error {
		canonical, err := canonicalize(s.Parse, stmt)
		if err != nil {
			return err
		}
		tree, err := explainAST(s.Parse, canonical)
		if err != nil {
			return err
		}
		catalog := s.Tables
		if catalog == nil {
			catalog = s.Run
		}
		existing, err := tableNames(catalog)
		if err != nil {
			return fmt.Errorf("read the warehouse's tables: %w", err)
		}
		access := &tableAccess{allowed: db.Allowed, existing: existing}
		kind, err := policy{db: db.Name, tables: access}.check(tree, canonical)
		if err != nil {
			return err
		}
		// The time left is measured now, once the connection is ours.
		timeout, err := lim.timeout(ctx)
		if err != nil {
			return err
		}
		if s.OldServer {
			if kind != kindSelect {
				return refuse(refusedOldServer, "this ClickHouse server (older than 20.1) cannot take the guard's limits on SHOW, DESCRIBE or EXPLAIN; the schema browser lists the tables and their columns")
			}
			timeout = (timeout + time.Second - 1).Truncate(time.Second)
		}
		if s.Limits != nil {
			s.Limits(timeout, lim.MaxResultBytes)
		}
		final := lim.limited(canonical, kind, timeout, !s.ReadOnly)
		if err := checkLimited(s.Parse, final, tree, kind, lim.MaxRows+1); err != nil {
			return err
		}
		start := time.Now()
		cut := &rowCap{sink: sink, max: lim.MaxRows, maxBytes: lim.MaxResultBytes}
		if err := runFinal(s, final, kind, cut, access); err != nil {
			return err
		}
		out = &Streamed{Statement: canonical, Columns: cut.cols, Rows: cut.rows, Truncated: cut.truncated, Elapsed: time.Since(start)}
		return nil
	})
	var limited *LimitError
	if errors.Is(err, context.DeadlineExceeded) && !errors.As(err, &limited) {
		// The caller's deadline is the statement's time limit, whether it passed while the
		// statement ran or while it was checked or waited for its turn.
		err = &LimitError{Limit: "time", Err: err}
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// runFinal runs the limited statement into cut. A SELECT streams; SHOW, DESCRIBE and
// EXPLAIN cannot (chDB refuses to stream them), and their answers are as small as the
// schema or the statement, so they are run whole and handed over as one chunk.
func runFinal(s ch.Session, final string, kind statementKind, cut *rowCap, access *tableAccess) error {
	var err error
	if kind == kindSelect {
		err = s.Stream(final, cut.chunk)
	} else {
		var res *ch.Result
		if res, err = s.Run(final, nil); err == nil {
			rows := res.Rows
			if kind == kindShowTables {
				// The tables closed to ad hoc SQL (accounts, sessions, the audit log) were
				// listed by name, though none could be read.
				rows = slices.DeleteFunc(rows, func(r []any) bool {
					name, ok := r[0].(string)
					return ok && access.check(name) != nil
				})
			}
			if err = cut.chunk(res.Columns, rows); errors.Is(err, ch.ErrStopStream) {
				err = nil
			}
		}
	}
	switch {
	case cut.sinkErr != nil:
		return fmt.Errorf("write result: %w", cut.sinkErr)
	case err != nil:
		return fmt.Errorf("run guarded statement: %w", asLimitError(err))
	}
	if !cut.begun { // no chunk at all: the sink still learns there are no columns
		return cut.begin(nil)
	}
	return nil
}

// rowCap passes chunks on to a sink until max rows have passed, then stops the stream. It
// also counts the result's bytes as they pass (resultSize), and fails the statement, which
// stops the engine, once they pass maxBytes: the engine's own max_result_bytes is not
// enforced on a streamed result (2.68 GB of JSON passed a 64 MiB limit).
type rowCap struct {
	sink      RowSink
	max       int
	maxBytes  int64
	bytes     int64
	begun     bool
	cols      []ch.Column
	rows      int
	truncated bool
	sinkErr   error // the sink's own failure, told apart from the engine's
}

// ResultTooLarge is the error of a result that passed its size limit, counted in Go as it
// passed; what is a LimitError with Limit "result size".
func ResultTooLarge(limit int64, what string) *LimitError {
	return &LimitError{Limit: "result size", Err: fmt.Errorf("%s passed the limit of %d bytes", what, limit)}
}

func (c *rowCap) begin(cols []ch.Column) error {
	c.begun, c.cols = true, cols
	if err := c.sink.Columns(cols); err != nil {
		c.sinkErr = err
		return err
	}
	return nil
}

func (c *rowCap) chunk(cols []ch.Column, rows [][]any) error {
	if !c.begun {
		if err := c.begin(cols); err != nil {
			return err
		}
	}
	if left := c.max - c.rows; len(rows) > left {
		rows, c.truncated = rows[:left], true
	}
	for _, r := range rows {
		c.bytes += rowSize(r)
	}
	if c.maxBytes > 0 && c.bytes > c.maxBytes {
		return ResultTooLarge(c.maxBytes, "the result")
	}
	if len(rows) > 0 {
		if err := c.sink.Rows(rows); err != nil {
			c.sinkErr = err
			return err
		}
		c.rows += len(rows)
	}
	if c.truncated {
		return ch.ErrStopStream
	}
	return nil
}

// rowSize is what a row adds to a result's size: its text's bytes, 8 per number, and the
// same for what arrays, maps and tuples hold; near what the engine and every file format
// spend on it.
func rowSize(row []any) int64 {
	var n int64
	for _, v := range row {
		n += valueSize(v)
	}
	return n
}

func valueSize(v any) int64 {
	switch x := v.(type) {
	case nil:
		return 1
	case string:
		return int64(len(x))
	case []byte:
		return int64(len(x))
	case []any:
		return rowSize(x) + 2
	case map[string]any:
		n := int64(2)
		for k, e := range x {
			n += int64(len(k)) + valueSize(e)
		}
		return n
	}
	return 8
}

// collector is a RowSink that keeps every row, for the callers that want them all.
type collector struct{ rows [][]any }

func (c *collector) Columns([]ch.Column) error { return nil }

func (c *collector) Rows(rows [][]any) error {
	c.rows = append(c.rows, rows...)
	return nil
}

// Collect runs a streaming call into a collector and returns its rows as a GuardedResult.
func Collect(run func(sink RowSink) (*Streamed, error)) (*GuardedResult, error) {
	c := &collector{rows: [][]any{}}
	st, err := run(c)
	if err != nil {
		return nil, err
	}
	return &GuardedResult{Result: &ch.Result{Columns: st.Columns, Rows: c.rows, Elapsed: st.Elapsed}, Statement: st.Statement, Truncated: st.Truncated}, nil
}

// checkText refuses text no statement needs: empty, too long, not UTF-8, NUL bytes.
func checkText(stmt string, maxBytes int) error {
	switch {
	case strings.TrimSpace(stmt) == "":
		return refuse(refusedEmpty, "the statement is empty")
	case len(stmt) > maxBytes:
		return refuse(refusedTooLong, "the statement is %d bytes long; the limit is %d", len(stmt), maxBytes)
	case !utf8.ValidString(stmt):
		return refuse(refusedNotUtf8, "the statement is not UTF-8 text")
	case strings.ContainsRune(stmt, 0):
		return refuse(refusedNul, "the statement contains a NUL character")
	}
	return nil
}
