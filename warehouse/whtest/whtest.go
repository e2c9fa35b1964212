// Package whtest opens real embedded warehouses for tests: one chDB data directory per test
// process, a fresh database per test, migrated. A missing engine fails the test with the
// reason; it never skips.
package whtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"jinwei/warehouse"
)

var (
	dirOnce sync.Once
	dataDir string
	dirErr  error
)

// DataDir is the process's embedded data directory for tests.
func DataDir(tb testing.TB) string {
	tb.Helper()
	dirOnce.Do(func() {
		dataDir, dirErr = os.MkdirTemp("", "jinwei-test-*")
	})
	if dirErr != nil {
		tb.Fatalf("create test data directory: %v", dirErr)
	}
	return dataDir
}

// Open returns a migrated warehouse on a new database that is dropped when the test ends.
func Open(tb testing.TB) *warehouse.Warehouse {
	tb.Helper()
	w := OpenEmpty(tb)
	if _, err := w.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate test warehouse: %v", err)
	}
	return w
}

// OpenEmpty returns an unmigrated warehouse on a new database dropped when the test ends.
func OpenEmpty(tb testing.TB) *warehouse.Warehouse {
	tb.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	db := "test_" + hex.EncodeToString(b[:])
	w, err := warehouse.Open(warehouse.Config{DataDir: filepath.Join(DataDir(tb), "chdb"), Database: db, Worker: Worker(tb)})
	if err != nil {
		tb.Fatalf("the tests need the embedded ClickHouse engine and could not open it: %v", err)
	}
	tb.Cleanup(func() {
		if err := w.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db, nil); err != nil {
			tb.Errorf("drop test database %s: %v", db, err)
		}
		_ = w.Close()
	})
	return w
}

// Worker is the program that runs ad hoc SQL workers for tests: the test binary itself,
// whose TestMain (Run) serves as one when started so.
func Worker(tb testing.TB) string {
	tb.Helper()
	exe, err := os.Executable()
	if err != nil {
		tb.Fatalf("the test binary, to run ad hoc SQL workers: %v", err)
	}
	return exe
}

// Run runs a package's tests and then removes the process's embedded data directory; call
// it from TestMain: os.Exit(whtest.Run(m)). Started as an ad hoc SQL worker (Worker), the
// test binary serves as one instead.
func Run(m *testing.M) int {
	if warehouse.IsWorker() {
		return warehouse.RunWorker()
	}
	code := m.Run()
	if dataDir != "" {
		_ = os.RemoveAll(dataDir)
	}
	return code
}

// NumbersTable creates table name (n UInt64, label String) in w's database holding rows
// rows: n from 0 to rows-1 and label '第n行', Chinese text for the exports to carry. Ad hoc
// SQL may read it.
func NumbersTable(tb testing.TB, w *warehouse.Warehouse, name string, rows int) {
	tb.Helper()
	ctx := context.Background()
	if err := w.Exec(ctx, "CREATE TABLE "+name+" (n UInt64, label String) ENGINE = MergeTree ORDER BY n", nil); err != nil {
		tb.Fatalf("create table %s: %v", name, err)
	}
	stmt := "INSERT INTO " + name + " (n, label) SELECT number, concat('第', toString(number), '行') FROM numbers(" + strconv.Itoa(rows) + ")"
	if err := w.Exec(ctx, stmt, nil); err != nil {
		tb.Fatalf("fill table %s: %v", name, err)
	}
	w.AllowAnalystTables(name)
}
