package guard

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"jinwei/warehouse/ch"
)

// Limits bound what one guarded statement may use. A zero field takes DefaultLimits' value.
type Limits struct {
	// MaxRows is how many rows are returned; a longer result is cut and marked Truncated.
	MaxRows int
	// MaxTime is how long the engine may work on the statement; a context deadline that
	// comes sooner wins.
	MaxTime time.Duration
	// MaxMemory is how many bytes of memory the engine may use for the statement.
	MaxMemory int64
	// MaxResultBytes is how large the result may be, in the engine's uncompressed bytes.
	MaxResultBytes int64
	// MaxStatementBytes is how long the statement's text may be. The engine parses at most
	// 256 KiB, and the guard's form of the statement is longer than the text, so more than
	// about 100 KiB only turns refusals into parse errors.
	MaxStatementBytes int
}

// DefaultLimits suit an analyst's console on one machine: a screenful of pages of rows,
// half a minute, a gigabyte.
func DefaultLimits() Limits {
	return Limits{
		MaxRows:           10000,
		MaxTime:           30 * time.Second,
		MaxMemory:         1 << 30,
		MaxResultBytes:    64 << 20,
		MaxStatementBytes: 64 << 10,
	}
}

// Or fills l's zero fields from d: limits someone set, over the defaults of their use.
func (l Limits) Or(d Limits) Limits {
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	if l.MaxTime <= 0 {
		l.MaxTime = d.MaxTime
	}
	if l.MaxMemory <= 0 {
		l.MaxMemory = d.MaxMemory
	}
	if l.MaxResultBytes <= 0 {
		l.MaxResultBytes = d.MaxResultBytes
	}
	if l.MaxStatementBytes <= 0 {
		l.MaxStatementBytes = d.MaxStatementBytes
	}
	return l
}

// timeout is the engine's time limit: MaxTime, or less when ctx ends sooner. The embedded
// engine ignores ctx, so its deadline has to travel as a setting.
func (l Limits) timeout(ctx context.Context) (time.Duration, error) {
	t := l.MaxTime
	if deadline, ok := ctx.Deadline(); ok {
		left := time.Until(deadline)
		if left <= time.Millisecond {
			return 0, context.DeadlineExceeded
		}
		t = min(t, left)
	}
	return t.Round(time.Millisecond), nil
}

// limited writes the statement that actually runs: the canonical statement with the limits
// attached as a SETTINGS clause, written as the engine formats it so that the engine's own
// formatter can prove it is still one statement. A SELECT is wrapped, SELECT * FROM (…)
// LIMIT n+1, because a trailing SETTINGS clause on a UNION binds to its last SELECT and the
// engine then applies result limits to that part alone; the LIMIT stops the work once the
// rows are there and tells a cut result from a whole one. Other statements cannot be
// wrapped; their results are as small as the schema or the statement, and are cut at MaxRows
// here. There is no max_result_rows: EXPLAIN AST of this text, which the guard runs to check
// it, applies the text's settings to the parse tree it prints. readonly = 1 comes last: a
// second fence, for writes, should the allowlist ever miss one. It is left out (setReadonly
// false) on a session that is read-only already, which may not set it.
func (l Limits) limited(canonical string, kind statementKind, timeout time.Duration, setReadonly bool) string {
	text := canonical
	if kind == kindSelect {
		text = fmt.Sprintf("SELECT * FROM (%s) LIMIT %d", canonical, l.MaxRows+1)
	}
	readonly := ""
	if setReadonly {
		readonly = ", readonly = 1"
	}
	return fmt.Sprintf("%s SETTINGS max_result_bytes = %d, result_overflow_mode = 'throw', "+
		"max_execution_time = %s, timeout_overflow_mode = 'throw', max_memory_usage = %d%s",
		text, l.MaxResultBytes, strconv.FormatFloat(timeout.Seconds(), 'f', -1, 64), l.MaxMemory, readonly)
}

// LimitError reports that the engine stopped a guarded statement at one of its limits.
type LimitError struct {
	// Limit is "time", "memory", "result size", "value size", "recursion" or "statement
	// size".
	Limit string
	// Err is the engine's own report.
	Err error
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("statement stopped at the %s limit: %v", e.Limit, e.Err)
}

func (e *LimitError) Unwrap() error { return e.Err }

// LimitKinds lists every Limit a LimitError may name.
var LimitKinds = []string{"time", "memory", "result size", "value size", "recursion", "statement size"}

// limitCodes maps the engine's error names for exceeded limits to the limit.
var limitCodes = map[string]string{
	"TIMEOUT_EXCEEDED":      "time",
	"TOO_SLOW":              "time",
	"MEMORY_LIMIT_EXCEEDED": "memory",
	// One value (a string, an array) past what the engine lets one value hold: the
	// statement asked for a value too large, whatever memory was free.
	"TOO_LARGE_STRING_SIZE":        "value size",
	"TOO_LARGE_ARRAY_SIZE":         "value size",
	"TOO_MANY_ROWS_OR_BYTES":       "result size",
	"TOO_DEEP_RECURSION":           "recursion",
	"TOO_DEEP_SUBQUERIES":          "recursion",
	"TOO_DEEP_AST":                 "statement size",
	"TOO_BIG_AST":                  "statement size",
	"TOO_MANY_TEMPORARY_COLUMNS":   "memory",
	"TOO_MANY_TEMPORARY_NON_CONST": "memory",
}

var engineErrorName = regexp.MustCompile(`\(([A-Z_]+)\)\s*$`)

// asLimitError turns an engine error about an exceeded limit into a *LimitError and leaves
// other errors alone. The caller's deadline is the time limit too: the engine is given the
// time left as its own limit, and which of the two notices first is a race.
func asLimitError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &LimitError{Limit: "time", Err: err}
	}
	var ee *ch.EngineError
	if !errors.As(err, &ee) {
		return err
	}
	m := engineErrorName.FindStringSubmatch(strings.TrimSpace(ee.Message))
	if m == nil {
		return err
	}
	if limit, ok := limitCodes[m[1]]; ok {
		return &LimitError{Limit: limit, Err: err}
	}
	return err
}
