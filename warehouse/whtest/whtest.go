// Package whtest opens real embedded warehouses for tests: one chDB data directory per test
// process, a fresh database per test, migrated. A missing engine fails the test with the
// reason; it never skips.
//
// Databases come in two lifetimes. Open, OpenEmpty and Clone give a test a database of its
// own, dropped when the test ends: use them for anything that writes. OpenProcessDatabase
// makes one that lives until the test process ends, for a fixture loaded once and read by
// many tests (etltest.SharedDemo is one); Reopen gives each test its own handle on it. The
// package's TestMain must call Run, which drops those and the data directory at the end.
package whtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/internal/hooks"
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

// Open returns a migrated warehouse on a new database that is dropped when the test ends:
// a copy of an empty database migrated once per process, made in about half the time
// (10 Opens: 1.9 s migrating each, 1.1 s copying).
func Open(tb testing.TB) *warehouse.Warehouse {
	tb.Helper()
	migrated.once.Do(func() {
		// Said to every later test if this one stops the test (Fatal) before it is made.
		migrated.err = errors.New("the migrated database to copy was not made: see the first test that asked for one")
		migrated.w, migrated.err = OpenProcessDatabase(tb)
	})
	if migrated.err != nil {
		tb.Fatalf("migrate test warehouse: %v", migrated.err)
	}
	return Clone(tb, migrated.w)
}

// migrated is the process's empty migrated database that Open copies.
var migrated struct {
	once sync.Once
	w    *warehouse.Warehouse
	err  error
}

// OpenEmpty returns an unmigrated warehouse on a new database dropped when the test ends.
func OpenEmpty(tb testing.TB) *warehouse.Warehouse {
	tb.Helper()
	db := NewDatabaseName()
	w, err := openEmbedded(tb, db)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := Exec(context.Background(), w, "DROP DATABASE IF EXISTS "+db, nil); err != nil {
			tb.Errorf("drop test database %s: %v", db, err)
		}
		_ = w.Close()
	})
	return w
}

func openEmbedded(tb testing.TB, db string) (*warehouse.Warehouse, error) {
	tb.Helper()
	w, err := warehouse.Open(warehouse.Config{DataDir: filepath.Join(DataDir(tb), "chdb"), Database: db, Worker: Worker(tb)})
	if err != nil {
		return nil, fmt.Errorf("the tests need the embedded ClickHouse engine and could not open it: %w", err)
	}
	return w, nil
}

// process holds what lives until Run ends: the process-wide warehouses, closed and dropped
// at the end, and the checks run then.
var process struct {
	mu     sync.Mutex
	open   []*warehouse.Warehouse
	checks []func() error
}

// OpenProcessDatabase returns a migrated warehouse on a new database that outlives the
// test: it stays until Run ends, which drops it. It is for fixtures built once per process
// (under a sync.Once) and shared by many tests; each of those tests should then read it
// through its own handle from Reopen, and must never write to it. The returned handle
// stays open until Run ends, which also keeps the process's engine connection open between
// tests instead of closing and reopening it with each.
func OpenProcessDatabase(tb testing.TB) (*warehouse.Warehouse, error) {
	tb.Helper()
	db := NewDatabaseName()
	w, err := openEmbedded(tb, db)
	if err != nil {
		return nil, err
	}
	process.mu.Lock()
	process.open = append(process.open, w)
	process.mu.Unlock()
	if _, err := w.Migrate(context.Background()); err != nil {
		return nil, fmt.Errorf("migrate process test database %s: %w", db, err)
	}
	return w, nil
}

// Reopen returns a handle of the test's own on database db of the process's data directory
// (one made by OpenProcessDatabase), closed when the test ends; the database stays. A
// handle has its own query cache and observers, so tests sharing a database do not see each
// other's cache hits (ReopenSharing's do).
func Reopen(tb testing.TB, db string) *warehouse.Warehouse {
	tb.Helper()
	w, err := openEmbedded(tb, db)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = w.Close() })
	return w
}

// ReopenSharing is Reopen of src's database, its handle sharing src's cache of read
// queries: tests that only read a fixture ask the engine once between them for what they
// all show (the embedded engine runs one statement at a time for the whole process), and
// count each other's hits and misses. The handle reads the data version before it shares:
// a handle's first reading of it starts a new generation of its cache, which would have
// dropped every other test's results. Only for fixtures nobody writes to.
func ReopenSharing(tb testing.TB, src *warehouse.Warehouse) *warehouse.Warehouse {
	tb.Helper()
	w := Reopen(tb, src.Database())
	if _, err := w.DataVersion(context.Background()); err != nil {
		tb.Fatal(err)
	}
	hooks.ShareCache(w, src)
	return w
}

// AtEnd registers check to run when Run ends, after every test: a failing check fails the
// test binary with its message. Fixtures use it to prove that what they share was left as
// they made it.
func AtEnd(check func() error) {
	process.mu.Lock()
	process.checks = append(process.checks, check)
	process.mu.Unlock()
}

// Clone returns a warehouse on a new database, dropped when the test ends, holding a copy
// of every table and view of src (an embedded warehouse of this process): a private,
// writable copy of a shared fixture. The engine copies each table's parts as links (CLONE
// AS), in a fraction of the time the fixture took to load.
func Clone(tb testing.TB, src *warehouse.Warehouse) *warehouse.Warehouse {
	tb.Helper()
	w := OpenEmpty(tb)
	if err := copyDatabase(context.Background(), w, src); err != nil {
		tb.Fatalf("clone %s: %v", src.Database(), err)
	}
	return w
}

// copyDatabase makes dst's database a copy of src's: its tables with their parts, then its
// views, each made once what it reads exists (a view may read another).
func copyDatabase(ctx context.Context, dst, src *warehouse.Warehouse) error {
	res, err := Query(ctx, src, `SELECT name, multiIf(engine LIKE '%MergeTree', 'table', engine = 'View', 'view', engine) AS kind,
		create_table_query FROM system.tables WHERE database = currentDatabase() ORDER BY kind, name`, nil)
	if err != nil {
		return fmt.Errorf("list its tables: %w", err)
	}
	from, to := src.Database()+".", dst.Database()+"."
	var views []string
	for _, r := range res.Rows {
		name := r[0].(string)
		switch r[1] {
		case "table":
			if _, err := Query(ctx, dst, "CREATE TABLE "+to+"`"+name+"` CLONE AS "+from+"`"+name+"`", nil); err != nil {
				return fmt.Errorf("table %s: %w", name, err)
			}
		case "view":
			views = append(views, strings.ReplaceAll(r[2].(string), from, to))
		default:
			// Made again from its definition it would be empty (a Memory table) or
			// fill a second table (a materialized view): not a copy.
			return fmt.Errorf("%s is a %s, which this copy cannot copy", name, r[1])
		}
	}
	for len(views) > 0 {
		var later []string
		var lastErr error
		for _, v := range views {
			if _, err := Query(ctx, dst, v, nil); err != nil {
				later, lastErr = append(later, v), err
			}
		}
		if len(later) == len(views) {
			return fmt.Errorf("views: %w", lastErr)
		}
		views = later
	}
	return nil
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

// Run runs a package's tests, then the checks of AtEnd, drops the process-wide databases
// and removes the process's embedded data directory; call it from TestMain:
// os.Exit(whtest.Run(m)). Started as an ad hoc SQL worker (Worker), the
// test binary serves as one instead.
func Run(m *testing.M) int {
	if warehouse.IsWorker() {
		return warehouse.RunWorker()
	}
	// A test process lives a minute or two and builds much short-lived JSON, HTML and Arrow:
	// at Go's default (GOGC=100) the collector took an eighth of its CPU, and CPU is what
	// make test lacks on two cores. Garbage may grow to four times the live heap, up to a
	// gigabyte (past it the collector runs as often as it must). A GOGC set by the caller
	// is kept: make bench sets 100, so its figures are the product's.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
		debug.SetMemoryLimit(1 << 30)
	}
	code := m.Run()
	process.mu.Lock()
	defer process.mu.Unlock()
	for _, check := range process.checks {
		if err := check(); err != nil {
			fmt.Fprintln(os.Stderr, "FAIL:", err)
			code = 1
		}
	}
	for _, w := range process.open {
		_ = Exec(context.Background(), w, "DROP DATABASE IF EXISTS "+w.Database(), nil)
		_ = w.Close()
	}
	process.open, process.checks = nil, nil
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
	if err := Exec(ctx, w, "CREATE TABLE "+name+" (n UInt64, label String) ENGINE = MergeTree ORDER BY n", nil); err != nil {
		tb.Fatalf("create table %s: %v", name, err)
	}
	stmt := "INSERT INTO " + name + " (n, label) SELECT number, concat('第', toString(number), '行') FROM numbers(" + strconv.Itoa(rows) + ")"
	if err := Exec(ctx, w, stmt, nil); err != nil {
		tb.Fatalf("fill table %s: %v", name, err)
	}
	w.AllowAnalystTables(name)
}

// TableChecksum is one table's row count and content checksum.
type TableChecksum struct {
	Table string
	Rows  uint64
	Sum   uint64
}

// Checksums lists every table of w's database with its row count and a checksum of its
// content, to show that something left the tables as they were (a restore, a test that
// must not write). Tables that merge rows (ReplacingMergeTree…) are read merged (FINAL), so
// the engine's background merges do not change their checksum. The data version's table is
// left out: it counts writes (a restore adds one), it is not data.
func Checksums(tb testing.TB, w *warehouse.Warehouse) []TableChecksum {
	tb.Helper()
	sums, err := ChecksumsOf(w)
	if err != nil {
		tb.Fatal(err)
	}
	return sums
}

// ChecksumsOf is Checksums for code outside a test (a fixture built once, a check at the end).
func ChecksumsOf(w *warehouse.Warehouse) ([]TableChecksum, error) {
	ctx := context.Background()
	res, err := Query(ctx, w, `SELECT name, engine FROM system.tables
		WHERE database = currentDatabase() AND engine LIKE '%MergeTree' AND name != 'data_version' ORDER BY name`, nil)
	if err != nil {
		return nil, fmt.Errorf("list tables to checksum: %w", err)
	}
	var out []TableChecksum
	for _, row := range res.Rows {
		name, engine := row[0].(string), row[1].(string)
		final := ""
		if engine != "MergeTree" {
			final = " FINAL"
		}
		r, err := Query(ctx, w, "SELECT count() AS n, groupBitXor(cityHash64(*)) AS s FROM "+name+final, nil)
		if err != nil {
			return nil, fmt.Errorf("checksum %s: %w", name, err)
		}
		out = append(out, TableChecksum{Table: name, Rows: r.Uint(0, 0), Sum: r.Uint(0, 1)})
	}
	return out, nil
}
