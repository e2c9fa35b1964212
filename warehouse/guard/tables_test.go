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

// Every table and view of the migrated warehouse is decided: analysts read the statistics,
// the ledgers, the campaign and the record of units' reporting (units, their aliases,
// submissions and returns, ledger steps, the attachments' list), and never accounts,
// sessions, tokens, drafts or any file's bytes. A table a later migration adds fails here
// until it is put on one side or the other.
func TestAnalystsReadReportingNotSecrets(t *testing.T) {
	w := whtest.Open(t)
	ctx := context.Background()
	open := []string{"units", "unit_names", "reporting_units", "unit_aliases", "report_events", "ecology_item_units",
		"ecology_attachment_files", "ecology_events_visible", "campaign_metrics", "regions"}
	closed := []string{"accounts", "sessions", "api_tokens", "audit_log", "saved_queries", "report_drafts",
		"ecology_attachments", "load_originals", "briefs", "alert_rules", "alert_states", "alert_deliveries",
		"alert_lease", "subscriptions", "data_version"}
	if err := whtest.Exec(ctx, w, `INSERT INTO ecology_attachments (id, item_id, event_at, file_name, content_type, size, sha256, data, uploaded_by, uploaded_at)
		VALUES ('a1', 'GS-1', now64(3), 'x.pdf', 'application/pdf', 6, 'h', 'SECRET', 'u', now64(3))`, nil); err != nil {
		t.Fatal(err)
	}
	res, err := whtest.Query(ctx, w, "SELECT name FROM system.tables WHERE database = currentDatabase()", nil)
	if err != nil {
		t.Fatal(err)
	}
	allowed := w.AnalystTables()
	for _, r := range res.Rows {
		name := r[0].(string)
		if slices.Contains(allowed, name) == slices.Contains(closed, name) {
			t.Errorf("table %s is neither open to analysts nor closed on purpose (or both): decide it in warehouse/guard/tables.go", name)
		}
	}
	for _, name := range open {
		if _, err := w.GuardedQuery(ctx, "SELECT * FROM "+name+" LIMIT 1", warehouse.Limits{}); err != nil {
			t.Errorf("analysts cannot read %s: %v", name, err)
		}
	}
	for _, name := range closed {
		_, err := w.GuardedQuery(ctx, "SELECT count() FROM "+name, warehouse.Limits{})
		var refused *warehouse.RefusedError
		if !errors.As(err, &refused) || !strings.Contains(refused.Reason, "table "+name+" ") {
			t.Errorf("SELECT from %s: %v, want it refused", name, err)
		}
	}
	got, err := w.GuardedQuery(ctx, "SELECT file_name, size FROM ecology_attachment_files", warehouse.Limits{})
	if err != nil || len(got.Rows) != 1 || got.Rows[0][0] != "x.pdf" {
		t.Errorf("the attachments' list: %v, %v", got, err)
	}
	if _, err := w.GuardedQuery(ctx, "SELECT data FROM ecology_attachment_files", warehouse.Limits{}); err == nil {
		t.Errorf("the attachments' list gives their bytes")
	}
}
