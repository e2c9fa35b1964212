package warehouse

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
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
//  4. That text runs, holding the connection, and the result is cut at MaxRows.

// RefusedError reports that the guard refused a statement; the engine did not run it.
type RefusedError struct {
	Reason string
}

func (e *RefusedError) Error() string { return "statement refused: " + e.Reason }

func refuse(format string, args ...any) *RefusedError {
	return &RefusedError{Reason: fmt.Sprintf(format, args...)}
}

// GuardedResult is the answer to a guarded statement.
type GuardedResult struct {
	*Result
	// Statement is the statement as the engine formatted it, without comments: what ran,
	// before the guard's limits were attached.
	Statement string
	// Truncated is set when the result had more than MaxRows rows and was cut.
	Truncated bool
}

// GuardedQuery runs one statement typed by a person, if the guard allows it, within lim.
// A refusal is a *RefusedError; a statement the engine stopped at a limit fails with a
// *LimitError; anything else the engine reports (a syntax error, an unknown column) is an
// *EngineError, wrapped.
func (w *Warehouse) GuardedQuery(ctx context.Context, stmt string, lim Limits) (*GuardedResult, error) {
	lim = lim.orDefaults()
	if err := checkText(stmt, lim.MaxStatementBytes); err != nil {
		return nil, err
	}
	var out *GuardedResult
	err := w.exclusive(ctx, func(run runFunc) error {
		canonical, err := canonicalize(run, stmt)
		if err != nil {
			return err
		}
		tree, err := explainAST(run, canonical)
		if err != nil {
			return err
		}
		kind, err := policy{db: w.db}.check(tree, canonical)
		if err != nil {
			return err
		}
		// The time left is measured now, once the connection is ours.
		timeout, err := lim.timeout(ctx)
		if err != nil {
			return err
		}
		final := lim.limited(canonical, kind, timeout)
		if err := checkLimited(run, final, tree, kind, lim.MaxRows+1); err != nil {
			return err
		}
		res, err := run(final, nil)
		if err != nil {
			return fmt.Errorf("run guarded statement: %w", asLimitError(err))
		}
		out = &GuardedResult{Result: res, Statement: canonical}
		if len(res.Rows) > lim.MaxRows {
			res.Rows, out.Truncated = res.Rows[:lim.MaxRows], true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// exclusive runs fn's statements with nobody else's in between, where the engine can.
func (w *Warehouse) exclusive(ctx context.Context, fn func(run runFunc) error) error {
	if x, ok := w.eng.(exclusiveEngine); ok {
		return x.exclusive(ctx, fn)
	}
	return fn(func(stmt string, params Params) (*Result, error) { return w.eng.query(ctx, stmt, params) })
}

// checkText refuses text no statement needs: empty, too long, not UTF-8, NUL bytes.
func checkText(stmt string, maxBytes int) error {
	switch {
	case strings.TrimSpace(stmt) == "":
		return refuse("the statement is empty")
	case len(stmt) > maxBytes:
		return refuse("the statement is %d bytes long; the limit is %d", len(stmt), maxBytes)
	case !utf8.ValidString(stmt):
		return refuse("the statement is not UTF-8 text")
	case strings.ContainsRune(stmt, 0):
		return refuse("the statement contains a NUL character")
	}
	return nil
}
