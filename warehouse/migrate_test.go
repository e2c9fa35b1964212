package warehouse_test

import (
	"context"
	"slices"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

func TestMigrateAppliesOnceInOrder(t *testing.T) {
	ctx := context.Background()
	w := whtest.OpenEmpty(t)
	all, err := warehouse.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	first, err := w.Migrate(ctx)
	if err != nil {
		t.Fatalf("first migrate: %v", err)
	}
	if len(first) != len(all) || first[0] != all[0].Name {
		t.Fatalf("first migrate applied %v, want all %d migrations in order", first, len(all))
	}
	again, err := w.Migrate(ctx)
	if err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if len(again) != 0 {
		t.Fatalf("second migrate applied %v, want nothing", again)
	}
	res, err := whtest.Query(ctx, w, "SELECT count() AS n FROM schema_migrations", nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := res.Rows[0][0]; n != uint64(len(all)) && n != int64(len(all)) {
		t.Fatalf("schema_migrations has %v rows, want %d", n, len(all))
	}
	tables, err := whtest.Query(ctx, w, "SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name", nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range tables.Rows {
		names = append(names, r[0].(string))
	}
	for _, want := range []string{"regions", "indicators", "peer_groups", "peer_group_members", "indicator_values", "targets",
		"ecology_items", "ecology_status_events", "campaign_metric_defs", "campaign_metrics", "etl_runs", "etl_rejects",
		"committed_runs", "indicator_values_current"} {
		if !slices.Contains(names, want) {
			t.Errorf("table %s missing after migrate; have %v", want, names)
		}
	}
}

func TestSplitStatementsKeepsSemicolonsInsideLines(t *testing.T) {
	got := warehouse.SplitStatements("-- a comment;\nCREATE TABLE a (x String DEFAULT 'a;b');\n\n-- only a comment\nSELECT 1;\n")
	want := []string{"CREATE TABLE a (x String DEFAULT 'a;b')", "SELECT 1"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
