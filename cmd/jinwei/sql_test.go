package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// On a server, `jinwei sql` runs the statement as the read-only user of warehouse_readonly
// and writes its audit entry as jinwei's own user (the read-only one could not).
func TestSQLCommandOnServerRunsAsReadOnlyUser(t *testing.T) {
	db := whtest.NewDatabaseName()
	dsn := whtest.WithDatabase(t, whtest.ServerDSN(), db)
	t.Setenv("JINWEI_WAREHOUSE_READONLY", strings.Replace(dsn, "jinwei:jinwei-test@", "jinwei_ro:jinwei-ro@", 1))
	w, err := warehouse.Open(warehouse.Config{ServerDSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer whtest.Exec(context.Background(), w, "DROP DATABASE IF EXISTS "+db, nil)

	out, err := runCLI(t, "sql", "--warehouse", dsn, "--format", "csv", "SELECT count() AS tables FROM schema_migrations WHERE version > 0")
	if err != nil || !strings.Contains(out, "tables") {
		t.Fatalf("jinwei sql: %v\n%s", err, out)
	}
	log, err := w.AuditLog(context.Background(), "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || !strings.HasPrefix(log[0].User, "cli:") || log[0].Outcome != "ok" || log[0].Rows != 1 {
		t.Errorf("audit log %+v; want one ok entry of the command line", log)
	}
	// The user the statement ran as cannot write, guard or no guard (the warehouse test
	// TestGuardedQueryRunsAsReadOnlyUserAndIsAudited sees the server run it as that user).
	ro, err := warehouse.Open(warehouse.Config{ServerDSN: os.Getenv("JINWEI_WAREHOUSE_READONLY")})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := whtest.Exec(context.Background(), ro, "CREATE TABLE nope (n UInt8) ENGINE = Memory", nil); err == nil {
		t.Error("the read-only user created a table")
	}
}

// warehouse_readonly without a server is refused: the embedded engine has no users.
func TestReadonlyDSNWithoutServerIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jinwei.toml")
	if err := os.WriteFile(path, []byte("warehouse_readonly = \"clickhouse://ro:pw@127.0.0.1:9000/jinwei\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := runCLI(t, "config", "check", "--config", path)
	if err == nil || !strings.Contains(err.Error(), "warehouse_readonly needs a warehouse DSN") || strings.Contains(err.Error(), "pw@") {
		t.Errorf("got %v; want warehouse_readonly refused without a warehouse, the DSN not shown", err)
	}
}
