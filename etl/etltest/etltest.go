// Package etltest gives tests of other packages a real warehouse loaded with the demo data.
package etltest

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
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
