package etl_test

import (
	"context"
	"path/filepath"
	"testing"

	"jinwei/etl"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// benchWarehouse is a warehouse with the demo's dimensions and published statistics.
func benchWarehouse(tb testing.TB) (*warehouse.Warehouse, *etl.Loader) {
	w := whtest.Open(tb)
	l := etl.NewLoader(w, quietLogger())
	ctx := context.Background()
	for _, f := range []struct{ job, file string }{{etl.JobRegions, "regions.csv"}, {etl.JobIndicators, "indicators.csv"}} {
		if _, err := l.LoadReference(ctx, f.job, filepath.Join("..", "data", f.file), gansu); err != nil {
			tb.Fatal(err)
		}
	}
	return w, l
}
