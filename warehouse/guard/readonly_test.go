package guard_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// readOnlyDSN is the test server's read-only user (whtest/clickhouse/users.xml) on db.
func readOnlyDSN(t *testing.T, db string) string {
	return strings.Replace(whtest.WithDatabase(t, whtest.ServerDSN(), db), "jinwei:jinwei-test@", "jinwei_ro:jinwei-ro@", 1)
}

// On a server with a read-only DSN, a guarded statement runs as the read-only user (the
// server lists it under that user while it streams) and its audit entry is written as
// jinwei's own user, which the read-only one could not do. Debian's 18.16 has no parser
// the guard can use, so the embedded engine's parses for it; an embedded warehouse is kept
// open meanwhile so the parser shares its data directory (chDB allows one per process).
func TestGuardedQueryRunsAsReadOnlyUserAndIsAudited(t *testing.T) {
	ctx := context.Background()
	_ = whtest.OpenEmpty(t)
	main := whtest.OpenServer(t)
	const n = 3_000_000
	if err := whtest.Exec(ctx, main, "CREATE TABLE ro_rows (n UInt64, s String) ENGINE = MergeTree ORDER BY n", nil); err != nil {
		t.Fatal(err)
	}
	// A string of 16 hex digits per row: a result too large to sit in the socket's buffers,
	// so the statement is still running when the first chunk arrives.
	if err := whtest.Exec(ctx, main, fmt.Sprintf("INSERT INTO ro_rows (n, s) SELECT number, hex(cityHash64(number)) FROM numbers(%d)", n), nil); err != nil {
		t.Fatal(err)
	}
	w, err := warehouse.Open(warehouse.Config{ServerDSN: whtest.WithDatabase(t, whtest.ServerDSN(), main.Database()), ReadonlyDSN: readOnlyDSN(t, main.Database())})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.AllowAnalystTables("ro_rows")

	// While the statement streams, the server is asked (as jinwei's own user) who runs it.
	marker := "ro_marker_" + strings.TrimPrefix(main.Database(), "test_")
	var users []string
	probe := &rowCounter{onChunk: func(c *rowCounter) error {
		if c.chunks > 1 {
			return nil
		}
		res, err := whtest.Query(ctx, main, "SELECT user FROM system.processes "+
			"WHERE position(query, {marker:String}) > 0 AND position(query, 'system.processes') = 0", warehouse.Params{"marker": marker})
		for _, r := range res.Rows {
			users = append(users, fmt.Sprint(r[0]))
		}
		return err
	}}
	res, err := w.AuditedStream(ctx, "analyst", "export", "csv", "SELECT n AS "+marker+", s FROM ro_rows", exportLimits, probe)
	if err != nil {
		t.Fatalf("guarded statement on the server: %v", err)
	}
	if len(users) != 1 || users[0] != "jinwei_ro" {
		t.Errorf("the server ran the guarded statement as %v; want [jinwei_ro]", users)
	}
	if res.Rows != n || probe.rows != n || res.Truncated || probe.sum != sumBelow(n) {
		t.Errorf("streamed %d rows (sink %d, sum %d, truncated %v); want %d rows summing to %d", res.Rows, probe.rows, probe.sum, res.Truncated, n, sumBelow(n))
	}
	log, err := w.AuditLog(ctx, "analyst", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Outcome != "ok" || log[0].Rows != n || log[0].Action != "export" {
		t.Errorf("audit log %+v; want one ok export of %d rows", log, n)
	}
	// SHOW and DESCRIBE run whole, never on the engine whose parser the guard borrowed; 18.x
	// takes no SETTINGS on them, so the guard refuses them there rather than run them
	// without limits.
	for _, stmt := range []string{"DESCRIBE TABLE ro_rows", "SHOW TABLES"} {
		_, err := w.GuardedQuery(ctx, stmt, warehouse.Limits{})
		var refused *warehouse.RefusedError
		if !errors.As(err, &refused) || !strings.Contains(refused.Reason, "older than 20.1") {
			t.Errorf("%s on 18.16: %v; want it refused for the old server", stmt, err)
		}
	}
	// The read-only user is a fence of its own: what the guard refuses never reaches it,
	// and what reaches it cannot write.
	if _, err := w.GuardedQuery(ctx, "INSERT INTO ro_rows (n, s) SELECT 1, 'x'", warehouse.Limits{}); err == nil {
		t.Error("the guard let an INSERT through")
	}
}

// A read-only DSN makes sense only beside a server, and on the warehouse's own database.
func TestReadOnlyDSNNeedsTheServerAndItsDatabase(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  warehouse.Config
		want string
	}{
		{"embedded", warehouse.Config{DataDir: t.TempDir(), ReadonlyDSN: readOnlyDSN(t, "jinwei")}, "needs a ClickHouse server warehouse"},
		{"not a DSN", warehouse.Config{ServerDSN: whtest.ServerDSN(), ReadonlyDSN: "jinwei_ro:pw@host"}, "must start with clickhouse://"},
		{"other database", warehouse.Config{ServerDSN: whtest.WithDatabase(t, whtest.ServerDSN(), "jinwei"), ReadonlyDSN: readOnlyDSN(t, "elsewhere")}, "names database elsewhere, the warehouse's is jinwei"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := warehouse.Open(tc.cfg)
			if err == nil {
				w.Close()
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v; want an error saying %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "jinwei-ro") || strings.Contains(err.Error(), ":pw@") {
				t.Errorf("error %q shows a password", err)
			}
		})
	}
}
