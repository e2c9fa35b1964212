package guard_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"jinwei/warehouse"
	"jinwei/warehouse/internal/hooks"
	"jinwei/warehouse/whtest"
)

// rowCounter is a RowSink that counts what it is handed and sums the first column; onChunk,
// when set, runs after each chunk.
type rowCounter struct {
	columnCalls int
	columns     []warehouse.Column
	chunks      int
	rows        int
	sum         int64
	onChunk     func(c *rowCounter) error
}

func (c *rowCounter) Columns(cols []warehouse.Column) error {
	c.columnCalls++
	c.columns = cols
	return nil
}

func (c *rowCounter) Rows(rows [][]any) error {
	for _, r := range rows {
		if n, ok := r[0].(int64); ok {
			c.sum += n
		}
	}
	c.chunks++
	c.rows += len(rows)
	if c.onChunk != nil {
		return c.onChunk(c)
	}
	return nil
}

// sumBelow is 0 + 1 + … + n-1.
func sumBelow(n int) int64 { return int64(n) * int64(n-1) / 2 }

// exportLimits are the limits of a large export: rows far beyond the console's cap.
var exportLimits = warehouse.Limits{MaxRows: 10_000_000, MaxTime: 2 * time.Minute, MaxResultBytes: 4 << 30}

// A guarded statement's rows reach the sink chunk by chunk, every one of them, or up to the
// row cap; statements the engine cannot stream arrive as one chunk; an empty result still
// names its columns. After each, the connection answers the next statement.
func TestGuardedStreamHandsOverEveryRow(t *testing.T) {
	w := whtest.Open(t)
	const n = 1_500_000
	whtest.NumbersTable(t, w, "big", n)
	cases := []struct {
		name      string
		stmt      string
		maxRows   int
		rows      int
		sum       int64
		truncated bool
		minChunks int
	}{
		{"every row of a large result", "SELECT n FROM big", 10_000_000, n, sumBelow(n), false, 2},
		{"cut at the row cap", "SELECT n FROM big ORDER BY n", 100_000, 100_000, sumBelow(100_000), true, 1},
		{"no rows", "SELECT n FROM big WHERE n > 10000000000", 100, 0, 0, false, 0},
		{"DESCRIBE, run whole", "DESCRIBE TABLE big", 100, 2, 0, false, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lim := exportLimits
			lim.MaxRows = tc.maxRows
			sink := &rowCounter{}
			res, err := w.GuardedStream(context.Background(), tc.stmt, lim, sink)
			if err != nil {
				t.Fatal(err)
			}
			if res.Rows != tc.rows || sink.rows != tc.rows || sink.sum != tc.sum || res.Truncated != tc.truncated {
				t.Errorf("%d rows (sink %d, sum %d, truncated %v); want %d rows, sum %d, truncated %v",
					res.Rows, sink.rows, sink.sum, res.Truncated, tc.rows, tc.sum, tc.truncated)
			}
			if sink.chunks < tc.minChunks {
				t.Errorf("%d chunks; want at least %d", sink.chunks, tc.minChunks)
			}
			if sink.columnCalls != 1 || len(sink.columns) == 0 || sink.columns[0].Name == "" {
				t.Errorf("Columns called %d times with %v; want once, naming the columns", sink.columnCalls, sink.columns)
			}
			next, err := whtest.Query(context.Background(), w, "SELECT count() AS c FROM big", nil)
			if err != nil || next.Rows[0][0] != int64(n) {
				t.Errorf("the next statement answered %v, %v", next, err)
			}
		})
	}
}

// joinTables returns a warehouse with tables big (a million rows) and small (smallRows
// rows): their cross join makes a statement as long as a test needs.
func joinTables(t *testing.T, smallRows int) *warehouse.Warehouse {
	w := whtest.Open(t)
	whtest.NumbersTable(t, w, "big", 1_000_000)
	whtest.NumbersTable(t, w, "small", smallRows)
	return w
}

// A statement that is producing rows stops soon after its caller cancels (chDB is told to
// cancel between chunks), the audit log says so, and the embedded connection answers the
// next statement at once. The bounds are generous: this checks that cancel works, not how
// fast.
func TestCancelStopsAStreamingStatement(t *testing.T) {
	w := joinTables(t, 100)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cancelledAt time.Time
	sink := &rowCounter{onChunk: func(c *rowCounter) error {
		if c.chunks == 1 { // the statement is running: the user presses Cancel
			time.AfterFunc(300*time.Millisecond, func() { cancelledAt = time.Now(); cancel() })
		}
		return nil
	}}
	// 100 million rows: far more than arrive before the cancel.
	_, err := w.AuditedStream(ctx, "analyst", "export", "csv", "SELECT a.n * b.n FROM big AS a CROSS JOIN small AS b", exportLimits, sink)
	returned := time.Now()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v; want the statement cancelled", err)
	}
	// That it stopped is shown by the rows: fewer than its cap arrived. The time bound only
	// catches a cancel that hangs, generous for a busy machine.
	if cancelledAt.IsZero() || returned.Sub(cancelledAt) > 30*time.Second {
		t.Errorf("returned %s after the cancel; want within 30 s", returned.Sub(cancelledAt))
	}
	if sink.rows >= exportLimits.MaxRows {
		t.Errorf("%d rows arrived: the statement ran to its cap", sink.rows)
	}
	t.Logf("cancel: returned %s after the cancel, %d rows had arrived", returned.Sub(cancelledAt).Round(time.Millisecond), sink.rows)

	start := time.Now()
	res, err := w.GuardedQuery(context.Background(), "SELECT count() FROM small", warehouse.Limits{})
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != int64(100) {
		t.Fatalf("the statement after the cancel: %v, %v", res, err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("the statement after the cancel took %s; want it answered, not queued behind the cancelled one", d)
	}
	log, err := w.AuditLog(context.Background(), "analyst", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Outcome != "failed" || !strings.Contains(log[0].Message, "cancelled") {
		t.Errorf("audit log %+v; want one failed entry saying it was cancelled", log)
	}
}

// The documented limit of cancel on the embedded engine: chDB stops a statement only
// between chunks of output, so an aggregation, which has none until it ends, runs on after a
// cancel until its time limit stops it.
func TestCancelOfAnAggregationWaitsForItsTimeLimit(t *testing.T) {
	w := joinTables(t, 100_000)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lim := warehouse.Limits{MaxTime: 3 * time.Second}
	// Cancel 200 ms after the engine has the statement: a timer from the call would, on a
	// busy machine, fire while the guard still parses, and the statement would never start.
	var once sync.Once
	hooks.StreamStarted = func() { once.Do(func() { time.AfterFunc(200*time.Millisecond, cancel) }) }
	defer func() { hooks.StreamStarted = nil }()
	start := time.Now()
	// 10^11 rows to count: minutes of work, without a row of output until the end.
	_, err := w.GuardedStream(ctx, "SELECT count() FROM big AS a CROSS JOIN small AS b WHERE (a.n * b.n) % 7 = 3", lim, &rowCounter{})
	took := time.Since(start)
	var limited *warehouse.LimitError
	if !errors.As(err, &limited) || limited.Limit != "time" {
		t.Fatalf("got %v; want the time limit to have stopped it", err)
	}
	// Ordering, not speed: it outlived the cancel and stopped at the time limit (minutes
	// before the statement would end); the upper bound is generous for a busy machine.
	if took < 2*time.Second || took > 60*time.Second {
		t.Errorf("returned after %s; want about the 3 s time limit, not the 200 ms cancel", took)
	}
	t.Logf("aggregation cancelled at 200 ms returned after %s", took.Round(time.Millisecond))
}

// On a server, cancel reaches the statement itself: clickhouse-go cancels the query, so even
// an aggregation, which the embedded engine cannot stop before its time limit, ends at once
// and is gone from the server's process list.
func TestCancelStopsAnAggregationOnTheServer(t *testing.T) {
	_ = whtest.OpenEmpty(t) // the embedded parser the 18.16 server borrows shares its directory
	main := whtest.OpenServer(t)
	bg := context.Background()
	for _, stmt := range []string{
		"CREATE TABLE big (n UInt64) ENGINE = MergeTree ORDER BY n",
		"INSERT INTO big SELECT number FROM numbers(1000000)",
		"CREATE TABLE small (n UInt64) ENGINE = MergeTree ORDER BY n",
		"INSERT INTO small SELECT number FROM numbers(10000)",
	} {
		if err := whtest.Exec(bg, main, stmt, nil); err != nil {
			t.Fatal(err)
		}
	}
	// 18.16 lends its guard the embedded parser only behind a read-only user.
	w, err := warehouse.Open(warehouse.Config{ServerDSN: whtest.WithDatabase(t, whtest.ServerDSN(), main.Database()), ReadonlyDSN: readOnlyDSN(t, main.Database())})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.AllowAnalystTables("big", "small")
	marker := "cancel_marker_" + strings.TrimPrefix(main.Database(), "test_")
	running := func() (int, error) {
		res, err := whtest.Query(bg, main, "SELECT count() FROM system.processes WHERE position(query, {marker:String}) > 0 AND position(query, 'system.processes') = 0",
			warehouse.Params{"marker": marker})
		if err != nil {
			return 0, err
		}
		return int(res.Rows[0][0].(int64)), nil
	}
	ctx, cancel := context.WithCancel(bg)
	// Cancel once the server lists the statement, however long a busy machine takes to get
	// it there (the guard parses it first), rather than after a fixed wait.
	var cancelledAt time.Time
	var before int
	var beforeErr error
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		defer cancel()
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline) && ctx.Err() == nil; time.Sleep(50 * time.Millisecond) {
			if before, beforeErr = running(); before > 0 || beforeErr != nil {
				break
			}
		}
		cancelledAt = time.Now()
	}()
	// 10 billion pairs: minutes of work, with no row out before the end. Its time limit is
	// far off, so only the cancel can end it within the waits below.
	lim := exportLimits
	lim.MaxTime = 30 * time.Minute
	_, err = w.AuditedStream(ctx, "analyst", "query", "json", "SELECT sum(a.n * b.n) AS "+marker+" FROM big AS a CROSS JOIN small AS b", lim, &rowCounter{})
	returned := time.Now()
	cancel() // stops the watch if the statement ended by itself
	<-watched
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v; want the statement cancelled", err)
	}
	if before != 1 || beforeErr != nil {
		t.Fatalf("before the cancel the server listed the statement %d times (%v); want once", before, beforeErr)
	}
	// Minutes of work stopped: within 30 s is generous for a busy machine and still far
	// short of the statement's end.
	if returned.Sub(cancelledAt) > 30*time.Second {
		t.Fatalf("returned %s after the cancel; want within 30 s", returned.Sub(cancelledAt))
	}
	// The server notices the cancel between blocks of the join, each a block of big times
	// all of small: on a busy machine that can take a minute or more. Five minutes is
	// generous and still far short of the statement's end or its time limit.
	deadline := time.Now().Add(5 * time.Minute)
	for {
		n, err := running()
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server still runs the statement %s after the cancel", time.Since(cancelledAt).Round(time.Millisecond))
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("cancel: returned %s after it, and the server's process list was clear %s after it",
		returned.Sub(cancelledAt).Round(time.Millisecond), time.Since(cancelledAt).Round(time.Millisecond))
}
