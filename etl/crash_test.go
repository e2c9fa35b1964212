package etl

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// A process killed mid-load leaves a run marked running with some of its rows inserted.
// Those rows must never be visible, the next start marks the run abandoned, and loading
// the file again completes it.
func TestKilledLoadIsInvisibleAndRerunCompletesIt(t *testing.T) {
	ctx := context.Background()
	w := whtest.Open(t)
	l := NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, err := l.LoadDemo(ctx, filepath.Join("..", "data"), "620000"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	content := "year,region_code,indicator,value\n2025,620000,gdp,1\n2025,610000,gdp,2\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	hash, _, err := hashFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	// What the dead process left: a running run and one inserted batch.
	run := warehouse.Run{ID: uuid.NewString(), Job: JobEconomy, FilePath: path, ContentHash: hash, Status: warehouse.RunRunning, StartedAt: time.Now().UTC()}
	if err := w.RecordRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	s := &runState{ctx: ctx, wh: w, run: &run, loadedAt: run.StartedAt}
	snk, err := newEconomySink(ctx, l, s)
	if err != nil {
		t.Fatal(err)
	}
	if p := snk.add(fieldRow{vals: []string{eIndicator: "gdp", eValue: "1", eYear: "2025", eRegionCode: "620000", eUnit: ""}, line: 2, col: -1}); p != nil {
		t.Fatal(p.why)
	}
	if err := snk.flush(); err != nil {
		t.Fatal(err)
	}
	count := func() int64 {
		res, err := whtest.Query(ctx, w, "SELECT count() FROM indicator_values_current WHERE year = 2025", nil)
		if err != nil {
			t.Fatal(err)
		}
		return res.Rows[0][0].(int64)
	}
	if n := count(); n != 0 {
		t.Fatalf("%d rows of an uncommitted run are visible, want 0", n)
	}
	if err := w.AbandonStaleRuns(ctx); err != nil {
		t.Fatal(err)
	}
	runs, err := w.RecentRuns(ctx, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.ID == run.ID && r.Status != warehouse.RunAbandoned {
			t.Errorf("dead run is %s after start-up, want abandoned", r.Status)
		}
	}
	rep, err := l.LoadEconomy(ctx, path)
	if err != nil || rep.Unchanged {
		t.Fatalf("rerun: %+v, %v; want a fresh load", rep, err)
	}
	if n := count(); n != 2 {
		t.Fatalf("%d rows visible after the rerun, want 2", n)
	}
}
