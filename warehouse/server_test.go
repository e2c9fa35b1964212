package warehouse_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// The test server is Debian's 18.16 (see design.md); a current server passes the same tests.
// On 18.x the warehouse applies the whole schema through the compat rewrite (DateTime64 as
// DateTime, LowCardinality(T) as T, no table COMMENT): that is the compatible part.
func TestServerMigrateCompatSchemaOnceThenNothing(t *testing.T) {
	ctx := context.Background()
	w := whtest.OpenServerEmpty(t)
	if w.Engine() != "server" {
		t.Fatalf("engine %q, want server", w.Engine())
	}
	all, err := warehouse.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	first, err := w.Migrate(ctx)
	if err != nil {
		t.Fatalf("first migrate: %v", err)
	}
	if len(first) != len(all) {
		t.Fatalf("first migrate applied %v, want all %d migrations", first, len(all))
	}
	again, err := w.Migrate(ctx)
	if err != nil || len(again) != 0 {
		t.Fatalf("second migrate applied %v (%v), want nothing", again, err)
	}
	tables, err := whtest.Query(ctx, w, "SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name", nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range tables.Rows {
		names = append(names, r[0].(string))
	}
	for _, want := range []string{"schema_migrations", "regions", "indicators", "peer_groups", "peer_group_members",
		"indicator_values", "targets", "ecology_items", "ecology_status_events", "campaign_metric_defs",
		"campaign_metrics", "etl_runs", "etl_rejects", "committed_runs", "indicator_values_current"} {
		if !slices.Contains(names, want) {
			t.Errorf("table %s missing after migrate; have %v", want, names)
		}
	}
}

// A second process opening the same database (the ETL beside `serve`) finds the schema in
// place: nothing to apply, and the rows the first one wrote.
func TestServerReopenAppliesNothingAndSeesRows(t *testing.T) {
	ctx := context.Background()
	w := whtest.OpenServer(t)
	rec := indicatorValues(1000, "0192f5a0-0000-7000-8000-0000000000aa")
	defer rec.Release()
	if err := w.Insert(ctx, "indicator_values", rec); err != nil {
		t.Fatal(err)
	}
	db := w.Database()
	other, err := warehouse.Open(warehouse.Config{ServerDSN: whtest.WithDatabase(t, whtest.ServerDSN(), db)})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	applied, err := other.Migrate(ctx)
	if err != nil || len(applied) != 0 {
		t.Fatalf("migrate from a second process applied %v (%v), want nothing", applied, err)
	}
	res, err := whtest.Query(ctx, other, "SELECT count() AS n FROM indicator_values", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows[0][0] != int64(1000) {
		t.Fatalf("second process sees %v rows, want 1000", res.Rows[0][0])
	}
}

func TestServerWrongPasswordSaysSo(t *testing.T) {
	dsn := strings.Replace(whtest.ServerDSN(), ":jinwei-test@", ":not-the-password@", 1)
	_, err := warehouse.Open(warehouse.Config{ServerDSN: dsn})
	if err == nil {
		t.Fatal("opened the server with a wrong password")
	}
	msg := err.Error()
	if !strings.Contains(msg, `refused user "jinwei": wrong user name or password`) || strings.Contains(msg, "not-the-password") {
		t.Fatalf("error %q should say the user or password is wrong, without the password", msg)
	}
}

func TestServerUnreachableHostSaysNoServerAnswered(t *testing.T) {
	addrs := "127.0.0.1:" + itoa(whtest.FreePort(t)) + ",127.0.0.1:" + itoa(whtest.FreePort(t))
	start := time.Now()
	_, err := warehouse.Open(warehouse.Config{ServerDSN: "clickhouse://jinwei:x@" + addrs + "/jinwei"})
	if err == nil {
		t.Fatal("opened a server on a closed port")
	}
	if !strings.Contains(err.Error(), "no ClickHouse server answered at "+addrs) {
		t.Fatalf("error %q should name the addresses and say no server answered", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("took %s to report a closed port", d)
	}
}

// The caller's deadline ends a query, and the error says so in a way errors.Is can see.
func TestServerQueryHonoursDeadline(t *testing.T) {
	w := whtest.OpenServerEmpty(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	// 30 s of sleep, half a second per row: the deadline, not the statement's end, must stop it.
	_, err := whtest.Query(ctx, w, "SELECT sleepEachRow(0.5) FROM numbers(60) SETTINGS max_block_size = 1", nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Fatalf("query ran %s past a 300 ms deadline; want it stopped well before its 30 s end", d)
	}
	// The pool recovers: the next query gets a working connection.
	if _, err := whtest.Query(context.Background(), w, "SELECT 1", nil); err != nil {
		t.Fatalf("query after a deadline: %v", err)
	}
}

func TestServerErrorsAreEngineErrors(t *testing.T) {
	w := whtest.OpenServerEmpty(t)
	_, err := whtest.Query(context.Background(), w, "SELECT nope FROM nowhere", nil)
	var ee *warehouse.EngineError
	if !errors.As(err, &ee) || !strings.Contains(ee.Message, "nowhere") {
		t.Fatalf("got %v (%T), want an *EngineError naming the table", err, err)
	}
}

func TestServerUnknownClusterNamesTheKnownOnes(t *testing.T) {
	_, err := warehouse.Open(warehouse.Config{ServerDSN: whtest.ServerDSN(), Cluster: "no_such_cluster"})
	if err == nil || !strings.Contains(err.Error(), `cluster "no_such_cluster" is not among`) {
		t.Fatalf("got %v, want an error naming the unknown cluster", err)
	}
}

// The read-only user (profile readonly=1 on 18.x; GRANT SELECT on a current server, see the
// README) reads the tables and cannot write them.
func TestServerReadOnlyUserReadsButCannotWrite(t *testing.T) {
	ctx := context.Background()
	w := whtest.OpenServer(t)
	dsn := strings.Replace(whtest.WithDatabase(t, whtest.ServerDSN(), w.Database()), "jinwei:jinwei-test@", "jinwei_ro:jinwei-ro@", 1)
	ro, err := warehouse.Open(warehouse.Config{ServerDSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := whtest.Query(ctx, ro, "SELECT count() FROM regions", nil); err != nil {
		t.Fatalf("read-only user cannot read: %v", err)
	}
	rec := indicatorValues(1, "0192f5a0-0000-7000-8000-0000000000ab")
	defer rec.Release()
	err = ro.Insert(ctx, "indicator_values", rec)
	var ee *warehouse.EngineError
	if !errors.As(err, &ee) || !strings.Contains(strings.ToLower(ee.Message), "readonly") {
		t.Fatalf("read-only user's insert: %v, want the server's readonly refusal", err)
	}
}

// A server warehouse never looks for the embedded engine's library: a machine without
// libchdb.so runs jinwei against a server.
func TestServerNeedsNoEngineLibrary(t *testing.T) {
	db := whtest.NewDatabaseName()
	w, err := warehouse.Open(warehouse.Config{ServerDSN: whtest.WithDatabase(t, whtest.ServerDSN(), db),
		ChdbLib: "/nonexistent/libchdb.so", DataDir: "/nonexistent"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := whtest.Exec(context.Background(), w, "DROP DATABASE "+db, nil); err != nil {
		t.Fatal(err)
	}
}
