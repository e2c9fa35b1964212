package warehouse_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// twoProcesses opens a warehouse on a new migrated database of the engine, and a second
// warehouse on the same database: two processes (or hosts) sharing one warehouse, each with
// its own query cache.
func twoProcesses(t *testing.T, engine string) (a, b *warehouse.Warehouse) {
	t.Helper()
	if engine == "server" {
		a = whtest.OpenServer(t)
		var err error
		b, err = warehouse.Open(warehouse.Config{ServerDSN: whtest.WithDatabase(t, whtest.ServerDSN(), a.Database())})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = b.Close() })
		return a, b
	}
	a = whtest.Open(t)
	return a, whtest.Reopen(t, a.Database())
}

func regionCodes(t *testing.T, w *warehouse.Warehouse) []string {
	t.Helper()
	regions, err := w.Regions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, r := range regions {
		codes = append(codes, r.Code)
	}
	slices.Sort(codes)
	return codes
}

// A write by one process starts a new data version that another process, serving from its
// query cache, sees: its cached pages are dropped and it shows the new data. With the
// version kept in each process's memory, the second process served the old rows forever.
func TestWriteByAnotherProcessInvalidatesTheCache(t *testing.T) {
	for _, engine := range []string{"embedded", "server"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			a, b := twoProcesses(t, engine)
			etltest.LoadCSV(t, a, "regions", "regions.csv", "code,name_zh,short_zh,name_en,level,parent_code\n620000,甘肃省,甘肃,Gansu,province,100000\n")
			if got := regionCodes(t, b); !slices.Equal(got, []string{"620000"}) {
				t.Fatalf("b reads regions %v; want [620000]", got)
			}
			before := b.CacheStats()
			if got := regionCodes(t, b); !slices.Equal(got, []string{"620000"}) || b.CacheStats().Misses != before.Misses {
				t.Fatalf("b's repeated read: %v with %d engine queries; want it from the cache", got, b.CacheStats().Misses-before.Misses)
			}
			etltest.LoadCSV(t, a, "regions", "more_regions.csv", "code,name_zh,short_zh,name_en,level,parent_code\n620000,甘肃省,甘肃,Gansu,province,100000\n630000,青海省,青海,Qinghai,province,100000\n")
			want, err := a.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want <= before.DataVersion {
				t.Fatalf("data version %d after a load, %d before; want it grown", want, before.DataVersion)
			}
			// b reads the version at most once a second: poll, with a deadline for a busy machine.
			deadline := time.Now().Add(60 * time.Second)
			for got := regionCodes(t, b); !slices.Equal(got, []string{"620000", "630000"}); got = regionCodes(t, b) {
				if time.Now().After(deadline) {
					t.Fatalf("b still reads regions %v a minute after a's load (data version %d, b saw %d)", got, want, b.CacheStats().DataVersion)
				}
				time.Sleep(100 * time.Millisecond)
			}
			if got := b.CacheStats().DataVersion; got != want {
				t.Errorf("b's cache is at data version %d; want a's %d", got, want)
			}
		})
	}
}

// The data version is kept in the warehouse: a warehouse opened again reads the version it
// had, not zero; writes that change data move it, and the console's own rows (the audit
// log, saved queries) do not.
func TestDataVersionIsKeptInTheWarehouse(t *testing.T) {
	ctx := context.Background()
	w := whtest.Open(t)
	version := func(w *warehouse.Warehouse) uint64 {
		t.Helper()
		v, err := w.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// fresh reads the table, past what the process knows: a write that forgot to say so
	// still shows.
	fresh := func(w *warehouse.Warehouse) uint64 {
		t.Helper()
		v, err := w.ReadDataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	migrated := version(w)
	if migrated == 0 {
		t.Errorf("data version 0 after migrating; want the migration counted")
	}
	etltest.LoadCSV(t, w, "regions", "regions.csv", "code,name_zh,short_zh,name_en,level,parent_code\n620000,甘肃省,甘肃,Gansu,province,100000\n")
	loaded := version(w)
	if loaded <= migrated {
		t.Fatalf("data version %d after a load, %d before; want it grown", loaded, migrated)
	}
	if _, err := w.AuditedQuery(ctx, "analyst", "query", "json", "SELECT count() FROM regions", warehouse.Limits{}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SaveQuery(ctx, "analyst", "regions", "SELECT * FROM regions"); err != nil {
		t.Fatal(err)
	}
	// Nor do a readiness check's look for pending migrations and a start-up's migrate that
	// finds nothing to apply: they ran CREATE TABLE IF NOT EXISTS, which once moved it.
	if pending, err := w.PendingMigrations(ctx); err != nil || len(pending) != 0 {
		t.Fatalf("pending migrations %v, %v", pending, err)
	}
	if applied, err := w.Migrate(ctx); err != nil || len(applied) != 0 {
		t.Fatalf("migrate again applied %v, %v", applied, err)
	}
	if v := fresh(w); v != loaded {
		t.Errorf("data version %d after an audited query, a saved one, a readiness check and a migrate with nothing to do, %d before; want it unchanged", v, loaded)
	}
	again := whtest.Reopen(t, w.Database())
	if v := version(again); v != loaded {
		t.Errorf("reopened, the data version is %d; want %d", v, loaded)
	}
	if _, err := again.Regions(ctx); err != nil {
		t.Fatal(err)
	}
	if v := again.CacheStats().DataVersion; v != loaded {
		t.Errorf("reopened, the cache is at data version %d; want %d", v, loaded)
	}
}

// A server restarted keeps the data version: it is rows in a table, not a process's count.
func TestDataVersionSurvivesAServerRestart(t *testing.T) {
	ctx := context.Background()
	srv := whtest.StartServer(t, 0, "")
	dsn := whtest.WithDatabase(t, srv.DSN(), whtest.NewDatabaseName())
	open := func() *warehouse.Warehouse {
		t.Helper()
		w, err := warehouse.Open(warehouse.Config{ServerDSN: dsn})
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	w := open()
	if _, err := w.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	etltest.LoadCSV(t, w, "regions", "regions.csv", "code,name_zh,short_zh,name_en,level,parent_code\n620000,甘肃省,甘肃,Gansu,province,100000\n")
	before, err := w.DataVersion(ctx)
	if err != nil || before < 2 {
		t.Fatalf("data version %d (%v) after a migration and a load; want at least 2", before, err)
	}
	_ = w.Close()
	srv.Kill(t)
	srv.Start(t)
	w = open()
	defer w.Close()
	after, err := w.DataVersion(ctx)
	if err != nil || after != before {
		t.Fatalf("after the restart the data version is %d (%v); want %d", after, err, before)
	}
}

// BenchmarkDataVersion is what the query cache pays at most once a second per process to
// learn the warehouse's data version (the demo's data_version table), beside a cached named
// query, which pays nothing more within that second.
func BenchmarkDataVersion(b *testing.B) {
	w := etltest.SharedDemo(b)
	ctx := context.Background()
	q := warehouse.RankingQuery{Indicator: "gdp", Year: 2024, Group: "all31", Home: etltest.Home}
	b.Run("read_version", func(b *testing.B) {
		for b.Loop() {
			if _, err := w.ReadDataVersion(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached_ranking", func(b *testing.B) {
		if _, err := w.Ranking(ctx, q); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := w.Ranking(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})
}
