package chdb_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// slowAdHoc is a statement whose rows are each expensive: editDistance of two 20,000
// character strings, 25 times, in one block. The engine checks its time limit between
// blocks, so on the server's own connection it ran on for its whole length (over 10 s
// here) whatever the limit, and every dashboard query waited behind it.
const slowAdHoc = "SELECT sum(editDistance(repeat('a', 20000), repeat('b', 20000 - x))) AS d FROM (SELECT arrayJoin(range(25)) AS x)"

// While a slow ad hoc statement runs, an uncached dashboard query answers at once: it does
// not wait behind the statement, which runs in a worker process: the ranking answers before
// the statement ends. The statement is stopped at its time limit, not run to its end, and
// the next ad hoc statement is answered.
func TestDashboardQueryDoesNotWaitBehindAdHocSQL(t *testing.T) {
	w := etltest.Demo(t)
	ctx := context.Background()
	lim := warehouse.Limits{MaxTime: 3 * time.Second}
	// How long an uncached ranking takes alone on this machine now: the margin.
	var alone time.Duration
	for _, year := range []int{2021, 2022, 2023} {
		s := time.Now()
		if _, err := w.Ranking(ctx, warehouse.RankingQuery{Indicator: "gdp_per_capita", Year: year, Group: "west12", Home: etltest.Home}); err != nil {
			t.Fatal(err)
		}
		alone = max(alone, time.Since(s))
	}
	// The worker is started on this data version first, so the slow statement runs at once.
	if _, err := w.GuardedQuery(ctx, "SELECT 1", lim); err != nil {
		t.Fatal(err)
	}
	type outcome struct {
		took time.Duration
		end  time.Time
		err  error
	}
	adhoc := make(chan outcome, 1)
	start := time.Now()
	go func() {
		_, err := w.GuardedQuery(ctx, slowAdHoc, lim)
		adhoc <- outcome{time.Since(start), time.Now(), err}
	}()
	time.Sleep(300 * time.Millisecond) // parsed and running by now (the parse takes milliseconds)
	// A ranking nobody has asked for: not in the cache.
	q := warehouse.RankingQuery{Indicator: "gdp_per_capita", Year: 2024, Group: "west12", Home: etltest.Home}
	dashStart := time.Now()
	r, err := w.Ranking(ctx, q)
	dash := outcome{took: time.Since(dashStart), end: time.Now(), err: err}
	if err != nil || len(r.Rows) == 0 {
		t.Fatalf("ranking while ad hoc SQL runs: %v, %v", r, err)
	}
	a := <-adhoc
	t.Logf("uncached ranking took %v while the ad hoc statement ran (%v alone, the slowest of 3); the statement ended after %v: %v", dash.took, alone, a.took, a.err)
	if bound := time.Second + 2*alone; dash.took > bound {
		t.Errorf("the ranking took %v beside an ad hoc statement; want at most 1 s more than twice its %v alone", dash.took, alone)
	}
	if !dash.end.Before(a.end) {
		t.Errorf("the ranking answered after the ad hoc statement ended: it waited behind it")
	}
	var limited *warehouse.LimitError
	if !errors.As(a.err, &limited) || limited.Limit != "time" {
		t.Errorf("the slow statement ended with %v; want it stopped at the time limit", a.err)
	}
	// Only a guard against a hang: the limit error above shows it was stopped, which on a
	// busy machine can come seconds after the limit.
	if a.took > time.Minute {
		t.Errorf("the slow statement ended after %v; want it stopped near its %v limit", a.took, lim.MaxTime)
	}
	res, err := w.GuardedQuery(ctx, "SELECT count() AS n FROM regions WHERE level = 'province'", lim)
	if err != nil || len(res.Rows) != 1 || fmt.Sprint(res.Rows[0][0]) != "31" {
		t.Errorf("the next ad hoc statement answered %v, %v; want 31", res, err)
	}
}
