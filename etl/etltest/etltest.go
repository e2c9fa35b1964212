// Package etltest gives tests of other packages a real warehouse loaded with the demo data.
//
// Loading the demo takes seconds, so a test process loads it once and its tests share it:
//
//	w := etltest.SharedDemo(t) // reads only: pages, APIs, queries, the guard
//	w := etltest.Demo(t)       // writes: loads, audit entries, saved queries, DDL
//
// SharedDemo is the demo loaded once per process, read through a handle of the test's own
// (its own query cache), so read-only tests may run in parallel (t.Parallel). A test that
// writes data through it fails when it ends (the warehouse's data version moved), and the
// test process fails at its end if any of the shared demo's tables changed (the audit log
// and saved queries too, which start no data version). Demo is a private copy of the shared
// demo (the engine copies its tables: 0.3-2.5 s on a busy 2-core machine, where the load
// took 15-25 s) on a database of the test's own, dropped when the test ends: write to it
// freely. Both need the package's TestMain to call whtest.Run:
//
//	func TestMain(m *testing.M) { os.Exit(whtest.Run(m)) }
package etltest

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

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

// Demo returns a warehouse of the test's own holding the demo data set, dropped when the
// test ends: a copy of the shared demo, for tests that write. Tests that only read should
// use SharedDemo.
func Demo(tb testing.TB) *warehouse.Warehouse {
	tb.Helper()
	return whtest.Clone(tb, sharedDemo(tb))
}

func loadDemo(w *warehouse.Warehouse) error {
	l := etl.NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, err := l.LoadDemo(context.Background(), DataDir(), Home); err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	return nil
}

var shared struct {
	once    sync.Once
	w       *warehouse.Warehouse // the loader's handle, open until whtest.Run ends
	sums    []whtest.TableChecksum
	version uint64
	err     error
}

// SharedDemo returns a handle of the test's own on the demo data set, loaded once per test
// process and shared by every test that calls it, as is its cache of read queries (see
// whtest.ReopenSharing). Read it, never write to it: loads, DDL,
// ad hoc SQL (which writes its audit entry) and saved queries belong on Demo. A test that
// wrote data through it fails when it ends, and the test process fails if any table of the
// shared demo changed.
func SharedDemo(tb testing.TB) *warehouse.Warehouse {
	tb.Helper()
	src := sharedDemo(tb)
	w := whtest.ReopenSharing(tb, src)
	tb.Cleanup(func() {
		// One row read, where comparing every table would cost a query per table per test.
		if v, err := w.DataVersion(context.Background()); err != nil || v != shared.version {
			tb.Errorf("the shared demo was written to (data version %d, loaded at %d; %v): tests that write use etltest.Demo", v, shared.version, err)
		}
	})
	return w
}

// sharedDemo loads the shared demo at its first call.
func sharedDemo(tb testing.TB) *warehouse.Warehouse {
	tb.Helper()
	shared.once.Do(func() {
		w, err := whtest.OpenProcessDatabase(tb)
		if err == nil {
			err = loadDemo(w)
		}
		if err == nil {
			shared.sums, err = whtest.ChecksumsOf(w)
		}
		if err == nil {
			shared.version, err = w.DataVersion(context.Background())
		}
		shared.w, shared.err = w, err
		if err == nil {
			whtest.AtEnd(checkShared)
		}
	})
	if shared.err != nil {
		tb.Fatalf("shared demo warehouse: %v", shared.err)
	}
	return shared.w
}

// checkShared reports a table of the shared demo that no longer holds what was loaded.
func checkShared() error {
	sums, err := whtest.ChecksumsOf(shared.w)
	if err != nil {
		return fmt.Errorf("checksum the shared demo: %w", err)
	}
	if slices.Equal(sums, shared.sums) {
		return nil
	}
	for i, s := range sums {
		if i >= len(shared.sums) || s != shared.sums[i] {
			return fmt.Errorf("the shared demo was written to: table %s now %d rows (checksum %x)", s.Table, s.Rows, s.Sum)
		}
	}
	return fmt.Errorf("the shared demo was written to: a table was dropped")
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

// SubmitForm has a unit send its report of month ("2025-03") through the form at at (now
// when zero), failing the test if it cannot.
func SubmitForm(tb testing.TB, w *warehouse.Warehouse, unitCode, month string, at time.Time, cells ...warehouse.ReportCell) {
	tb.Helper()
	ctx := context.Background()
	unit, err := w.Unit(ctx, unitCode)
	if err != nil {
		tb.Fatal(err)
	}
	sub := warehouse.Submission{Unit: unit, Month: month, By: "clerk", Channel: warehouse.ChannelForm, At: at, Cells: cells}
	if _, err := w.SubmitReport(ctx, warehouse.UnitScope(unitCode), sub); err != nil {
		tb.Fatalf("submit %s's report of %s: %v", unitCode, month, err)
	}
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

// ReadGBKCSV reads a CSV file's bytes saved in GBK, as the demo's monthly campaign reports
// are (Chinese Excel's "CSV (逗号分隔)").
func ReadGBKCSV(tb testing.TB, raw []byte) [][]string {
	tb.Helper()
	text, err := simplifiedchinese.GBK.NewDecoder().Bytes(raw)
	if err != nil {
		tb.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(text)).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	return rows
}
