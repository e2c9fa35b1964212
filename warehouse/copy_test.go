package warehouse_test

import (
	"context"
	"reflect"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// An embedded warehouse moves onto a server: every table's rows arrive with the same
// values, and copying again changes nothing.
func TestCopyEmbeddedWarehouseToServer(t *testing.T) {
	ctx := context.Background()
	src, dst := whtest.Open(t), whtest.OpenServerEmpty(t)
	rec := indicatorValues(30_000, "0192f5a0-0000-7000-8000-0000000000e1")
	defer rec.Release()
	if err := src.Insert(ctx, "indicator_values", rec); err != nil {
		t.Fatal(err)
	}
	if err := src.Insert(ctx, "etl_runs", committedRun("0192f5a0-0000-7000-8000-0000000000e1")); err != nil {
		t.Fatal(err)
	}
	// Every column type the schema uses, NULLs and hostile text among them.
	for _, w := range []*warehouse.Warehouse{src, dst} {
		if _, err := w.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := warehouse.ExecDDL(w, ctx, arrowTypesDDL); err != nil {
			t.Fatal(err)
		}
	}
	types := arrowTypesRecord()
	defer types.Release()
	if err := src.Insert(ctx, "arrow_types", types); err != nil {
		t.Fatal(err)
	}

	copied := map[string]int64{}
	if err := src.CopyTo(ctx, dst, func(table string, n int64) { copied[table] = n }); err != nil {
		t.Fatal(err)
	}
	if copied["indicator_values"] != 30_000 || copied["etl_runs"] != 1 || copied["arrow_types"] != 2 {
		t.Fatalf("copied %v", copied)
	}
	for _, q := range []string{
		"SELECT count() AS n, sum(value) AS s, uniqExact(region_code) AS r FROM indicator_values_current",
		arrowTypesRead,
	} {
		want, err := whtest.Query(ctx, src, q, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := whtest.Query(ctx, dst, q, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Rows, want.Rows) {
			t.Fatalf("%s\non the server: %v\nembedded:     %v", q, got.Rows, want.Rows)
		}
	}

	again := map[string]int64{}
	if err := src.CopyTo(ctx, dst, func(table string, n int64) { again[table] = n }); err != nil {
		t.Fatal(err)
	}
	for table, n := range again {
		if n != 0 {
			t.Errorf("copying again copied %d rows of %s, want none", n, table)
		}
	}
}
