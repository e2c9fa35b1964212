package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"jinwei/warehouse"
)

// A load killed with SIGKILL half way leaves none of its file visible; the next start marks
// its run abandoned, and loading the file again completes it.
func TestLoadKilledMidwayLeavesNothingAndRerunCompletes(t *testing.T) {
	bin := testBinary(t)
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "wh")
	demo, _ := filepath.Abs(filepath.Join("..", "..", "data"))
	env := append(os.Environ(), "JINWEI_DEMO_DIR="+demo, "JINWEI_SOURCES_DIR="+filepath.Join(demo, "sources"), "JINWEI_BATCH_ROWS=20000")
	run := func(args ...string) *exec.Cmd {
		c := exec.Command(bin, append(args, "--data-dir", dataDir)...)
		c.Dir, c.Env = dir, env
		return c
	}
	if out, err := run("migrate").CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	for _, ref := range []struct{ job, file string }{{"regions", "regions.csv"}, {"indicators", "indicators.csv"}} {
		if out, err := run("etl", "load", "--job", ref.job, filepath.Join(demo, ref.file)).CombinedOutput(); err != nil {
			t.Fatalf("load %s: %v\n%s", ref.file, err, out)
		}
	}
	const rows = 1_200_000
	big := filepath.Join(dir, "big.csv")
	writeMonthlyFile(t, big, rows)
	if out, err := run("etl", "load", "--job", "indicators", filepath.Join(dir, "indicators.csv")).CombinedOutput(); err != nil {
		t.Fatalf("load test indicators: %v\n%s", err, out)
	}

	load := run("etl", "load", "--job", "economy", big)
	if err := load.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once a few batches are in: the spool holds each batch on its way in.
	spool := filepath.Join(dataDir, "jinwei_spool")
	seen := map[string]bool{}
	deadline := time.Now().Add(60 * time.Second)
	for len(seen) < 3 && time.Now().Before(deadline) {
		entries, _ := os.ReadDir(spool)
		for _, e := range entries {
			seen[e.Name()] = true
		}
		time.Sleep(time.Millisecond)
	}
	if len(seen) < 3 {
		t.Fatalf("the load never inserted a batch")
	}
	if err := load.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = load.Wait()

	w, err := warehouse.Open(warehouse.Config{DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	count := func(q string) int64 {
		res, err := w.Query(ctx, q, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res.Rows[0][0].(int64)
	}
	inserted := count("SELECT count() FROM indicator_values WHERE run_id NOT IN (SELECT run_id FROM committed_runs)")
	visible := count("SELECT count() FROM indicator_values_current WHERE indicator_code LIKE 'bench_%'")
	if inserted == 0 || inserted >= rows || visible != 0 {
		t.Fatalf("after the kill: %d rows of the dead run inserted, %d visible; want some inserted and none visible", inserted, visible)
	}
	if err := w.AbandonStaleRuns(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count("SELECT count() FROM etl_runs FINAL WHERE status = 'abandoned'"); n != 1 {
		t.Errorf("%d abandoned runs after start-up, want 1", n)
	}
	w.Close()

	out, err := run("etl", "load", "--job", "economy", big).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "committed (run") {
		t.Fatalf("rerun: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), fmt.Sprintf("loaded %d, rejected 0", rows)) {
		t.Fatalf("rerun did not load the whole file:\n%s", out)
	}
}

// writeMonthlyFile writes rows of made-up monthly indicators for the provinces, all valid
// once bench_NNN indicators exist; they are defined in an indicators file loaded first.
func writeMonthlyFile(t *testing.T, path string, rows int) {
	t.Helper()
	provinces := []string{"110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000", "310000", "320000", "330000",
		"340000", "350000", "360000", "370000", "410000", "420000", "430000", "440000", "450000", "460000", "500000", "510000",
		"520000", "530000", "540000", "610000", "620000", "630000", "640000", "650000"}
	indicators := filepath.Join(filepath.Dir(path), "indicators.csv")
	var ib strings.Builder
	ib.WriteString("code,name_zh,unit,direction,frequency\n")
	const nIndicators = 200
	for i := 0; i < nIndicators; i++ {
		fmt.Fprintf(&ib, "bench_%03d,测试指标%d,亿元,1,month\n", i, i)
	}
	if err := os.WriteFile(indicators, []byte(ib.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "period,region_code,indicator,value")
	n := 0
	for y := 1950; n < rows; y++ {
		for m := 1; m <= 12 && n < rows; m++ {
			for i := 0; i < nIndicators && n < rows; i++ {
				for _, p := range provinces {
					if n == rows {
						break
					}
					fmt.Fprintf(w, "%d-%02d,%s,bench_%03d,%d\n", y, m, p, i, n)
					n++
				}
			}
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}
