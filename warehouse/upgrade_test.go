package warehouse_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// A warehouse made by the first released schema, with data in it, upgrades to the current
// schema keeping every row, and the later views and tables work over the old data.
func TestUpgradeFromFirstMigrationKeepsData(t *testing.T) {
	ctx := context.Background()
	w := whtest.OpenEmpty(t)
	all, err := warehouse.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	// Asking for pending migrations creates the bookkeeping table, as the first release did.
	if _, err := w.PendingMigrations(ctx); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range all[0].Statements {
		if err := whtest.Exec(ctx, w, stmt, nil); err != nil {
			t.Fatalf("migration 1: %v", err)
		}
	}
	if err := whtest.Exec(ctx, w, "INSERT INTO schema_migrations (version, name, checksum) VALUES (1, {n:String}, {c:String})",
		warehouse.Params{"n": all[0].Name, "c": all[0].Checksum}); err != nil {
		t.Fatal(err)
	}
	// Data as version 1 wrote it: a committed run with two values and a ledger item.
	for _, stmt := range []string{
		"INSERT INTO etl_runs (run_id, job, file_path, content_hash, status, started_at, finished_at, version) VALUES ('0192f5a0-0000-7000-8000-0000000000aa', 'economy', 'old.csv', 'h', 'committed', now64(3), now64(3), 1)",
		"INSERT INTO indicator_values (indicator_code, region_code, period_kind, year, period_no, value, run_id, loaded_at) VALUES ('gdp', '620000', 'year', 2023, 0, 11863.8, '0192f5a0-0000-7000-8000-0000000000aa', now64(3)), ('gdp', '610000', 'year', 2023, 0, 33786.1, '0192f5a0-0000-7000-8000-0000000000aa', now64(3))",
		"INSERT INTO ecology_items (item_id, region_code, title, found_date, deadline, run_id, loaded_at) VALUES ('OLD-1', '620100', 'old item', '2022-07-20', '2023-07-20', '0192f5a0-0000-7000-8000-0000000000aa', now64(3))",
		"INSERT INTO ecology_status_events (item_id, status, progress_pct, event_date, run_id, loaded_at) VALUES ('OLD-1', '整改中', 50, '2022-12-31', '0192f5a0-0000-7000-8000-0000000000aa', now64(3))",
	} {
		if err := whtest.Exec(ctx, w, stmt, nil); err != nil {
			t.Fatal(err)
		}
	}
	before := whtest.Checksums(t, w)
	applied, err := w.Migrate(ctx)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	if len(applied) != len(all)-1 {
		t.Fatalf("upgrade applied %v, want the %d later migrations", applied, len(all)-1)
	}
	after := whtest.Checksums(t, w)
	kept := map[string]whtest.TableChecksum{}
	for _, c := range after {
		kept[c.Table] = c
	}
	// Tables a later migration widened keep their rows; their hash covers the new columns too.
	// (Migration 015 gave the fact tables the sheet and column of each value: '' and 0 for
	// rows loaded before it.)
	widened := map[string]bool{"etl_runs": true, "indicator_values": true, "ecology_items": true, "ecology_status_events": true, "campaign_metrics": true}
	for _, c := range before {
		if c.Table == "schema_migrations" {
			continue
		}
		if widened[c.Table] {
			if kept[c.Table].Rows != c.Rows {
				t.Errorf("table %s had %d rows, then %d", c.Table, c.Rows, kept[c.Table].Rows)
			}
			continue
		}
		if kept[c.Table] != c {
			t.Errorf("table %s changed in the upgrade: %+v, then %+v", c.Table, c, kept[c.Table])
		}
	}
	if res, err := whtest.Query(ctx, w, "SELECT count() FROM indicator_values WHERE source_sheet = '' AND source_col = 0", nil); err != nil || fmt.Sprint(res.Rows[0][0]) != "2" {
		t.Errorf("old values after migration 015: %v %v; want both without a sheet or column", res, err)
	}
	runs, err := w.RecentRuns(ctx, 10)
	if err != nil || len(runs) != 1 || runs[0].FilePath != "old.csv" || runs[0].Status != warehouse.RunCommitted || runs[0].RowsNoValue != 0 {
		t.Errorf("the old run after the upgrade: %+v %v", runs, err)
	}
	// Migration 009: the old (salted) hash stays the run's unchanged key.
	if len(runs) == 1 && (runs[0].ContentHash != "h" || runs[0].UnchangedKey != "h") {
		t.Errorf("the old run's hash %q and unchanged key %q, want both h", runs[0].ContentHash, runs[0].UnchangedKey)
	}
	res, err := whtest.Query(ctx, w, "SELECT count() FROM indicator_coverage WHERE indicator_code = 'gdp' AND year = 2023 AND province = 1", nil)
	if err != nil || res.Rows[0][0] != int64(1) {
		t.Errorf("coverage of the old values after upgrade: %v %v", res, err)
	}
	items, err := w.LedgerOn(ctx, mustDate(t, "2023-01-01"))
	if err != nil || len(items) != 1 || items[0].Status != "整改中" {
		t.Errorf("old ledger item through the new views: %+v %v", items, err)
	}
	if again, err := w.Migrate(ctx); err != nil || len(again) != 0 {
		t.Errorf("migrate after upgrade: %v %v; want nothing to do", again, err)
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
