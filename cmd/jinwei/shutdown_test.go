package main

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// SIGTERM while the server loads a large file handed to it: the server stops soon after its
// grace period, the load is abandoned with nothing of the file visible (or, on a machine
// fast enough to finish it within the grace period, committed whole), and after a restart
// the same file loads completely.
func TestSIGTERMDuringLoadAbandonsItCleanly(t *testing.T) {
	t.Parallel()
	p := newProcEnv(t, "JINWEI_BATCH_ROWS=20000")
	dir, dataDir := p.dir, p.dataDir
	big := filepath.Join(dir, "big.csv")
	const rows = 4_000_000
	writeMonthlyFile(t, big, rows)
	p.run(t, "demo", "load")
	p.run(t, "etl", "load", "--job", "indicators", filepath.Join(dir, "indicators.csv"))
	serve, _, exited := p.serve(t, "--no-demo")
	load := p.command("etl", "load", "--job", "economy", big)
	if err := load.Start(); err != nil {
		t.Fatal(err)
	}
	p.waitForBatches(t, 3)
	deadline := time.Now().Add(3 * time.Minute) // generous for a busy machine
	// What the CLI shows while the server loads: the server's in-flight counts.
	c, err := newServerClient(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	var progress warehouse.Run
	for progress.RowsRead == 0 && time.Now().Before(deadline) {
		runs, err := c.inflight(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range runs {
			if filepath.Base(r.FilePath) == "big.csv" {
				progress = r
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if progress.RowsRead == 0 || progress.Status != warehouse.RunRunning {
		t.Fatalf("in-flight progress of the handed-over load: %+v", progress)
	}
	signalled := time.Now()
	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("serve exited with %v after SIGTERM", err)
		}
	case <-time.After(2 * time.Minute): // it stops in seconds; the bound is for a busy machine
		t.Fatal("serve did not stop within 2 minutes of SIGTERM")
	}
	t.Logf("serve stopped %s after SIGTERM", time.Since(signalled).Round(time.Millisecond))
	_ = load.Wait()

	w, err := warehouse.Open(warehouse.Config{DataDir: dataDir})
	if err != nil {
		t.Fatalf("reopen after shutdown: %v", err)
	}
	res, err := whtest.Query(context.Background(), w, "SELECT count() FROM indicator_values_current WHERE indicator_code LIKE 'bench_%'", nil)
	if err != nil {
		t.Fatal(err)
	}
	visible := res.Rows[0][0].(int64)
	runs, err := w.RecentRuns(context.Background(), 5)
	if err != nil || len(runs) == 0 {
		t.Fatal(err)
	}
	w.Close()
	last := runs[0]
	t.Logf("the load was %s with %d rows visible", last.Status, visible)
	switch {
	case last.Status == warehouse.RunCommitted && visible == rows:
		return // it finished within the grace period, whole
	case last.Status == warehouse.RunFailed && visible == 0:
	default:
		t.Fatalf("after SIGTERM the load is %s with %d of %d rows visible; want failed with none, or committed with all", last.Status, visible, rows)
	}
	out, err := p.command("etl", "load", "--job", "economy", big).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "loaded 4000000, rejected 0") {
		t.Fatalf("reload after restart: %v\n%s", err, out)
	}
}
