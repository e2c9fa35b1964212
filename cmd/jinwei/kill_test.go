package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// A load killed with SIGKILL half way leaves none of its file visible; the next start marks
// its run abandoned, and loading the file again completes it.
func TestLoadKilledMidwayLeavesNothingAndRerunCompletes(t *testing.T) {
	t.Parallel()
	p := newProcEnv(t, "JINWEI_BATCH_ROWS=20000")
	dir, dataDir := p.dir, p.dataDir
	demo, _ := filepath.Abs(filepath.Join("..", "..", "data"))
	p.run(t, "migrate")
	p.run(t, "etl", "load", "--job", "regions", filepath.Join(demo, "regions.csv"))
	p.run(t, "etl", "load", "--job", "indicators", filepath.Join(demo, "indicators.csv"))
	const rows = 1_200_000
	big := filepath.Join(dir, "big.csv")
	writeMonthlyFile(t, big, rows)
	p.run(t, "etl", "load", "--job", "indicators", filepath.Join(dir, "indicators.csv"))
	load := p.command("etl", "load", "--job", "economy", big)
	if err := load.Start(); err != nil {
		t.Fatal(err)
	}
	p.waitForBatches(t, 3)
	if err := load.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = load.Wait()

	// A staged insert the dead process may have left; the next process to open the
	// warehouse removes it.
	leftover := filepath.Join(dataDir, "jinwei_spool", "insert-left-by-the-dead.arrow")
	if err := os.MkdirAll(filepath.Dir(leftover), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(leftover, make([]byte, 1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := warehouse.Open(warehouse.Config{DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the dead process's staged file is still there after the warehouse opened (%v)", err)
	}
	ctx := context.Background()
	count := func(q string) int64 {
		res, err := whtest.Query(ctx, w, q, nil)
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

	out, err := p.command("etl", "load", "--job", "economy", big).CombinedOutput()
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
