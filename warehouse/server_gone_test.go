package warehouse_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// A server killed while it receives an insert: the load fails saying the connection to
// that server was lost; once the server is back, the same warehouse reconnects, nothing of
// the killed insert is there, and loading again completes.
func TestServerKilledMidInsertSaysConnectionLostAndLeavesNothing(t *testing.T) {
	ctx := context.Background()
	srv := whtest.StartServer(t, 0, "")
	w, err := warehouse.Open(warehouse.Config{ServerDSN: whtest.WithDatabase(t, srv.DSN(), "jinwei")})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	rec := indicatorValues(1_000_000, "0192f5a0-0000-7000-8000-0000000000d1")
	defer rec.Release()

	inserted := make(chan error, 1)
	go func() { inserted <- w.Insert(ctx, "indicator_values", rec) }()
	// The server lists the INSERT as soon as it has the statement, before the rows arrive.
	for receiving := false; !receiving; {
		select {
		case err := <-inserted:
			t.Fatalf("the insert ended (%v) before the server could be killed under it", err)
		default:
		}
		res, err := whtest.Query(ctx, w, "SELECT count() AS n FROM system.processes WHERE query LIKE 'INSERT INTO%'", nil)
		if err != nil {
			t.Fatal(err)
		}
		receiving = res.Rows[0][0] != int64(0)
	}
	srv.Kill(t)

	err = <-inserted
	if err == nil || !strings.Contains(err.Error(), "lost the connection to ClickHouse server "+srv.Addr()) {
		t.Fatalf("insert under a killed server: %v; want it to say the connection to %s was lost", err, srv.Addr())
	}
	t.Logf("insert: %v", err)
	// A pooled connection may meet the dead server first, or a new one may find nobody there.
	_, err = whtest.Query(ctx, w, "SELECT 1", nil)
	if err == nil || !strings.Contains(err.Error(), "no ClickHouse server answered at "+srv.Addr()) &&
		!strings.Contains(err.Error(), "lost the connection to ClickHouse server "+srv.Addr()) {
		t.Fatalf("query while the server is down: %v; want it to say %s is gone", err, srv.Addr())
	}
	t.Logf("query while down: %v", err)

	srv.Start(t)
	res := queryEventually(t, w, "SELECT count() AS n FROM indicator_values")
	if res.Rows[0][0] != int64(0) {
		t.Fatalf("%v rows of the killed insert are in the table, want none", res.Rows[0][0])
	}
	if err := w.Insert(ctx, "indicator_values", rec); err != nil {
		t.Fatalf("load again after the restart: %v", err)
	}
	res = queryEventually(t, w, "SELECT count() AS n FROM indicator_values")
	if res.Rows[0][0] != int64(rec.NumRows()) {
		t.Fatalf("%v rows after loading again, want %d", res.Rows[0][0], rec.NumRows())
	}
}

// queryEventually retries while the pool replaces connections that died with the server.
func queryEventually(t *testing.T, w *warehouse.Warehouse, stmt string) *warehouse.Result {
	t.Helper()
	var err error
	for range 20 {
		var res *warehouse.Result
		if res, err = whtest.Query(context.Background(), w, stmt, nil); err == nil {
			return res
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s after the restart: %v", stmt, err)
	return nil
}
