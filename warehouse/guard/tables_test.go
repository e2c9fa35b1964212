package guard_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// A table nobody put on the analysts' allowlist — here one like the reporters table a later
// migration adds — is closed to ad hoc SQL however it is named, and the schema browser does
// not list it; AllowAnalystTables opens one on purpose.
func TestGuardDeniesTablesNotOnTheAllowlist(t *testing.T) {
	w := whtest.Open(t)
	ctx := context.Background()
	if err := whtest.Exec(ctx, w, "CREATE TABLE reporters (user String, password_hash String) ENGINE = MergeTree ORDER BY user", nil); err != nil {
		t.Fatal(err)
	}
	if err := whtest.Exec(ctx, w, "INSERT INTO reporters VALUES ('admin', 'secret-hash')", nil); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		"SELECT * FROM reporters",
		"SELECT password_hash FROM " + w.Database() + ".reporters",
		"WITH reporters AS (SELECT 1 AS x) SELECT * FROM reporters",
		"SELECT * FROM regions WHERE code IN (SELECT user FROM reporters)",
		"DESCRIBE TABLE reporters",
		"SHOW CREATE TABLE reporters",
	} {
		res, err := w.GuardedQuery(ctx, stmt, warehouse.Limits{})
		var refused *warehouse.RefusedError
		if !errors.As(err, &refused) || !strings.Contains(refused.Reason, "table reporters is not open") {
			t.Errorf("%s: got %v, %v; want it refused", stmt, res, err)
		}
	}
	schema, err := w.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	allowed := w.AnalystTables()
	var listed []string
	for _, tbl := range schema {
		listed = append(listed, tbl.Name)
		if !slices.Contains(allowed, tbl.Name) {
			t.Errorf("the schema browser lists %s, which ad hoc SQL may not read", tbl.Name)
		}
		// Every table the browser shows can be read.
		if _, err := w.GuardedQuery(ctx, "SELECT count() FROM "+tbl.Name, warehouse.Limits{}); err != nil {
			t.Errorf("the schema browser lists %s, but reading it fails: %v", tbl.Name, err)
		}
	}
	for _, hidden := range []string{"reporters", "accounts", "sessions", "api_tokens", "audit_log", "saved_queries"} {
		if slices.Contains(listed, hidden) {
			t.Errorf("the schema browser lists %s", hidden)
		}
	}
	if !slices.Contains(listed, "indicator_values_current") || !slices.Contains(listed, "regions") {
		t.Errorf("the schema browser lists %v; want the analysts' tables", listed)
	}
	w.AllowAnalystTables("reporters")
	if res, err := w.GuardedQuery(ctx, "SELECT count() FROM reporters", warehouse.Limits{}); err != nil || len(res.Rows) != 1 {
		t.Errorf("after AllowAnalystTables: %v, %v", res, err)
	}
}
