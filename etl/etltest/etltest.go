// Package etltest gives tests of other packages a real warehouse loaded with the demo data.
package etltest

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"jinwei/etl"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// Home is the demo's home province, Gansu.
const Home = "620000"

// DataDir is the repository's demo data directory.
func DataDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "data")
}

// Demo returns a fresh migrated warehouse holding the demo data set.
func Demo(tb testing.TB) *warehouse.Warehouse {
	tb.Helper()
	w := whtest.Open(tb)
	l := etl.NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, err := l.LoadDemo(context.Background(), DataDir(), Home); err != nil {
		tb.Fatalf("load demo data: %v", err)
	}
	return w
}

// LoadCSV writes content to a file named name and loads it with job (any of
// etl.JobNames), failing the test if the load fails.
func LoadCSV(tb testing.TB, w *warehouse.Warehouse, job, name, content string) *etl.Report {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		tb.Fatal(err)
	}
	l := etl.NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	rep, err := l.Load(context.Background(), job, path, Home, nil, nil)
	if err != nil {
		tb.Fatalf("load %s: %v", name, err)
	}
	return rep
}

// Provincial returns a fresh warehouse holding the demo's dimensions and the published
// provincial statistics of data/real/province_annual.csv less the rows drop selects: the
// way tests take values away to see that missing data is shown, never silently ranked.
func Provincial(tb testing.TB, drop func(year, region, indicator string) bool) *warehouse.Warehouse {
	tb.Helper()
	w := whtest.Open(tb)
	l := etl.NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	for _, f := range []struct{ job, file string }{
		{etl.JobRegions, "regions.csv"}, {etl.JobIndicators, "indicators.csv"}, {etl.JobPeerGroups, "peer_groups.csv"}, {etl.JobTargets, "targets.csv"},
	} {
		if _, err := l.Load(ctx, f.job, filepath.Join(DataDir(), f.file), Home, nil, nil); err != nil {
			tb.Fatalf("load %s: %v", f.file, err)
		}
	}
	b, err := os.ReadFile(filepath.Join(DataDir(), "real", "province_annual.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	var kept []string
	for i, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		f := strings.Split(line, ",")
		if i > 0 && len(f) > 3 && drop != nil && drop(f[0], f[1], f[3]) {
			continue
		}
		kept = append(kept, line)
	}
	path := filepath.Join(tb.TempDir(), "province_annual.csv")
	if err := os.WriteFile(path, []byte(strings.Join(kept, "\n")+"\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	if _, err := l.Load(ctx, etl.JobEconomy, path, Home, nil, nil); err != nil {
		tb.Fatalf("load provincial statistics: %v", err)
	}
	return w
}

var (
	sharedOnce sync.Once
	shared     *warehouse.Warehouse
	sharedErr  error
)

// SharedDemo returns one warehouse holding the demo data set, loaded once per test process
// and shared by every test that only reads it (sweeps over many parameters): a test must
// not write to it. It lives in the process's test data directory, which whtest.Run
// removes at exit.
func SharedDemo(tb testing.TB) *warehouse.Warehouse {
	tb.Helper()
	dir := whtest.DataDir(tb)
	sharedOnce.Do(func() {
		w, err := warehouse.Open(warehouse.Config{DataDir: filepath.Join(dir, "chdb"), Database: "shared_demo"})
		if err != nil {
			sharedErr = err
			return
		}
		ctx := context.Background()
		if _, err = w.Migrate(ctx); err == nil {
			_, err = etl.NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil))).LoadDemo(ctx, DataDir(), Home)
		}
		shared, sharedErr = w, err
	})
	if sharedErr != nil {
		tb.Fatalf("load the shared demo warehouse: %v", sharedErr)
	}
	return shared
}
