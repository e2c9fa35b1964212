package guard_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// A result longer than MaxRows is cut to MaxRows and marked; one of exactly MaxRows is not.
func TestGuardCutsResultsAtMaxRows(t *testing.T) {
	w := etltest.SharedDemo(t)
	ctx := context.Background()
	cases := []struct {
		stmt      string
		maxRows   int
		rows      int
		truncated bool
	}{
		{"SELECT * FROM indicator_values", 100, 100, true},
		{"SELECT code FROM regions WHERE level = 'province'", 31, 31, false},
		{"SELECT code FROM regions WHERE level = 'province'", 30, 30, true},
		{"SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3", 2, 2, true},
		{"SHOW TABLES", 3, 3, true},
		{"DESCRIBE TABLE regions", 2, 2, true},
	}
	for _, tc := range cases {
		r, err := w.GuardedQuery(ctx, tc.stmt, warehouse.Limits{MaxRows: tc.maxRows})
		if err != nil {
			t.Errorf("%s: %v", tc.stmt, err)
			continue
		}
		if len(r.Rows) != tc.rows || r.Truncated != tc.truncated {
			t.Errorf("%s with MaxRows %d: %d rows, truncated %v; want %d, %v", tc.stmt, tc.maxRows, len(r.Rows), r.Truncated, tc.rows, tc.truncated)
		}
	}
}

// The engine stops a statement at the memory, time and result size limits, and at the
// context's deadline when that comes first; each is a *LimitError naming the limit.
func TestGuardStopsAtLimits(t *testing.T) {
	w := etltest.SharedDemo(t)
	// The first guarded statement starts the ad hoc SQL worker, which takes a busy machine a
	// while: the cases are timed without it.
	if _, err := w.GuardedQuery(context.Background(), "SELECT 1", warehouse.Limits{MaxTime: 5 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	crossJoin := "SELECT count() FROM indicator_values AS a, indicator_values AS b, indicator_values AS c"
	// Each case leaves the engine only the limit it is about: the others are minutes or
	// gigabytes away, so a busy machine cannot make another limit come first.
	const untimed = 10 * time.Minute
	cases := []struct {
		name     string
		deadline time.Duration // of the caller's context, from the case's start; 0 for none
		stmt     string
		lim      warehouse.Limits
		limit    string
	}{
		{"memory", 0, "SELECT length(groupArray(repeat(a.name_zh, 1000))) FROM regions AS a, regions AS b", warehouse.Limits{MaxMemory: 32 << 20, MaxTime: untimed}, "memory"},
		{"time", 0, crossJoin, warehouse.Limits{MaxTime: 300 * time.Millisecond}, "time"},
		// The cross join would run for hours, and to its ten-minute limit, without the
		// deadline. A deadline that passes while the guard still parses (a busy machine) is
		// the time limit too, so a short one holds either way, and burns less CPU.
		{"deadline", time.Second, crossJoin, warehouse.Limits{MaxTime: untimed}, "time"},
		{"result size", 0, "SELECT repeat(name_zh, 100000) FROM regions", warehouse.Limits{MaxResultBytes: 1 << 20, MaxTime: untimed}, "result size"},
		// One value past what the engine lets a value hold is refused before any memory is
		// taken: the statement asked too much of one value (it was reported as memory).
		{"value size", 0, "SELECT length(repeat('x', 5000000000))", warehouse.Limits{MaxTime: untimed}, "value size"},
	}
	for _, tc := range cases {
		start := time.Now()
		ctx, cancel := context.Background(), context.CancelFunc(func() {})
		if tc.deadline > 0 {
			ctx, cancel = context.WithTimeout(ctx, tc.deadline)
		}
		_, err := w.GuardedQuery(ctx, tc.stmt, tc.lim)
		cancel()
		var le *warehouse.LimitError
		if !errors.As(err, &le) || le.Limit != tc.limit {
			t.Errorf("%s: err = %v; want the %s limit", tc.name, err, tc.limit)
		}
		// Unstopped, these run for hours, and the deadline case would reach its ten-minute
		// limit: two minutes is generous for a busy machine and still tells them apart.
		if took := time.Since(start); took > 2*time.Minute {
			t.Errorf("%s: took %v", tc.name, took)
		}
	}
	passed, cancelPassed := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancelPassed()
	if _, err := w.GuardedQuery(passed, "SELECT 1", warehouse.Limits{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("with the deadline passed: err = %v; want context.DeadlineExceeded", err)
	}
}

// chDB hands a failed query's partial output to the next call on the connection. Ordinary
// queries running beside guarded statements that fail must still get their own answers.
func TestGuardedFailuresDoNotLeakIntoOtherQueries(t *testing.T) {
	w := etltest.SharedDemo(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		bombs := []string{
			"SELECT count() FROM indicator_values AS a, indicator_values AS b, indicator_values AS c",
			"SELECT length(groupArray(repeat(a.name_zh, 1000))) FROM regions AS a, regions AS b",
			"SELECT count() FROM indicator_values AS a, indicator_values AS b WHERE throwIf(b.year = 2024) = 0",
		}
		lim := warehouse.Limits{MaxTime: 100 * time.Millisecond, MaxMemory: 32 << 20}
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := w.GuardedQuery(ctx, bombs[i%len(bombs)], lim); err == nil {
				t.Errorf("bomb %q succeeded", bombs[i%len(bombs)])
			}
		}
	}()
	for i := range 40 {
		res, err := whtest.Query(ctx, w, "SELECT {n:UInt32} AS n", warehouse.Params{"n": fmt.Sprint(i)})
		if err != nil {
			t.Errorf("query %d: %v", i, err)
			continue
		}
		if len(res.Columns) != 1 || res.Columns[0].Name != "n" || len(res.Rows) != 1 || fmt.Sprint(res.Rows[0][0]) != fmt.Sprint(i) {
			t.Errorf("query %d answered %v %v; want its own n = %d", i, res.Columns, res.Rows, i)
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
}

// The statement reaches the engine's parser exactly as typed: backslashes, quotes, tabs and
// line breaks included; the answer shows the engine read the literals as SQL defines them.
func TestGuardPassesStatementTextIntact(t *testing.T) {
	w := etltest.SharedDemo(t)
	ctx := context.Background()
	cases := []struct {
		stmt string
		want string
	}{
		{`SELECT 'a\\b\tc'`, "a\\b\tc"},
		{"SELECT 'line 1\nline 2'", "line 1\nline 2"},
		{"SELECT 'tab\there'", "tab\there"},
		{"SELECT 'cr\r\nlf'", "cr\r\nlf"},
		{`SELECT 'it''s \'quoted\' "twice"'`, `it's 'quoted' "twice"`},
		{"SELECT '甘肃省 \\n'", "甘肃省 \n"},
		{"SELECT\n\t'multi-line'\n\t-- comment with ' quote\n", "multi-line"},
	}
	for _, tc := range cases {
		r, err := w.GuardedQuery(ctx, tc.stmt, warehouse.Limits{})
		if err != nil {
			t.Errorf("%q: %v", tc.stmt, err)
			continue
		}
		if len(r.Rows) != 1 || r.Rows[0][0] != tc.want {
			t.Errorf("%q answered %q; want %q", tc.stmt, r.Rows, tc.want)
		}
	}
}

// A statement the engine cannot parse or run is an engine error, not a refusal, so callers
// can tell a typo from a blocked statement.
func TestGuardReportsEngineErrorsAsSuch(t *testing.T) {
	w := etltest.SharedDemo(t)
	ctx := context.Background()
	for _, stmt := range []string{"SELEC 1", "SELECT no_such_column FROM regions", "SELECT * FROM no_such_table"} {
		_, err := w.GuardedQuery(ctx, stmt, warehouse.Limits{})
		var ee *warehouse.EngineError
		var re *warehouse.RefusedError
		if !errors.As(err, &ee) || errors.As(err, &re) {
			t.Errorf("%s: err = %v; want an engine error", stmt, err)
		}
	}
	for _, stmt := range []string{"  \n ", "-- only a comment", ";"} {
		_, err := w.GuardedQuery(ctx, stmt, warehouse.Limits{})
		var re *warehouse.RefusedError
		if !errors.As(err, &re) || !strings.Contains(re.Reason, "empty") {
			t.Errorf("%q: err = %v; want refused as empty", stmt, err)
		}
	}
	_, err := w.GuardedQuery(ctx, "SELECT (1", warehouse.Limits{})
	if err == nil || strings.Contains(err.Error(), "formatQuerySingleLine") || !strings.Contains(err.Error(), "position 8") {
		t.Errorf("syntax error reads %v; want the position in the statement, not the guard's query", err)
	}
}

// byteCounter is a RowSink that counts the text it is handed.
type byteCounter struct{ rows, bytes int }

func (c *byteCounter) Columns([]warehouse.Column) error { return nil }

func (c *byteCounter) Rows(rows [][]any) error {
	for _, r := range rows {
		c.rows++
		for _, v := range r {
			c.bytes += len(fmt.Sprint(v))
		}
	}
	return nil
}

// A streamed result is stopped at its size limit, counted as it passes: the issue's
// statement (1 MB strings, one per region, UNION ALL'd 20 times), scaled down, stops at a
// 4 MiB limit, and the sink has been handed no more than that. The engine's own
// max_result_bytes let 2.68 GB through at a 64 MiB limit.
func TestGuardStopsStreamedResultsAtTheirSize(t *testing.T) {
	w := etltest.Demo(t)
	parts := make([]string, 20)
	for i := range parts {
		parts[i] = "SELECT repeat('a', 100000) AS s FROM regions"
	}
	const limit = 4 << 20
	sink := &byteCounter{}
	_, err := w.GuardedStream(context.Background(), strings.Join(parts, " UNION ALL "), warehouse.Limits{MaxResultBytes: limit, MaxRows: 1 << 30}, sink)
	t.Logf("%v; the sink had %d rows, %d bytes", err, sink.rows, sink.bytes)
	var le *warehouse.LimitError
	if !errors.As(err, &le) || le.Limit != "result size" {
		t.Errorf("err = %v; want the result size limit", err)
	}
	if sink.bytes > limit {
		t.Errorf("the sink was handed %d bytes; the limit is %d", sink.bytes, limit)
	}
}

// Limits someone set stay; the ones left zero (or negative) take the defaults of their use,
// field by field: the console's and the exports' limits are both filled this way.
func TestLimitsOrFillsOnlyUnsetFields(t *testing.T) {
	d := warehouse.Limits{MaxRows: 1, MaxTime: time.Second, MaxMemory: 2, MaxResultBytes: 3, MaxStatementBytes: 4}
	if got := (warehouse.Limits{}).Or(d); got != d {
		t.Errorf("nothing set: %+v, want %+v", got, d)
	}
	set := warehouse.Limits{MaxRows: 10, MaxTime: -time.Second, MaxMemory: 20, MaxResultBytes: 0, MaxStatementBytes: 40}
	want := warehouse.Limits{MaxRows: 10, MaxTime: time.Second, MaxMemory: 20, MaxResultBytes: 3, MaxStatementBytes: 40}
	if got := set.Or(d); got != want {
		t.Errorf("some set: %+v, want %+v", got, want)
	}
}
