package etl_test

import (
	"context"
	"path/filepath"
	"testing"

	"fmt"
	"jinwei/etl"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// On Debian's ClickHouse server (18.16) a file loads through the same ETL path, becomes
// visible only when committed, and loading it again changes nothing.
func TestEconomyLoadAndReloadOnServer(t *testing.T) {
	w, l := referenceOnServer(t)
	ctx := context.Background()
	path := writeFile(t, "gdp.csv", header+"2023,620000,甘肃省,gdp,11863.8,亿元\n2023,610000,陕西省,gdp,33786.1,亿元\n2023,630000,青海省,gdp,3799.1,亿元\n")
	first, err := l.LoadEconomy(ctx, path)
	if err != nil || first.Run.Status != warehouse.RunCommitted || first.Run.RowsLoaded != 3 {
		t.Fatalf("first load on the server: %v %+v", err, first)
	}
	again, err := l.LoadEconomy(ctx, path)
	if err != nil || !again.Unchanged {
		t.Fatalf("reload on the server: %v %+v; want unchanged", err, again)
	}
	res, err := whtest.Query(ctx, w, "SELECT count() AS n, sum(value) AS s FROM indicator_values_current WHERE indicator_code = 'gdp' AND year = 2023", nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := res.Rows[0][0]; n != int64(3) && n != uint64(3) {
		t.Errorf("%v values visible on the server after load and reload, want 3", n)
	}
}

// A file giving a value twice loads on the server as on the embedded engine: the later copy
// is refused as a duplicate and removed before the run commits. The server has no DELETE
// FROM before 22.8 and a cluster's Distributed table takes none, so the load failed there.
func TestDuplicatesRemovedOnServer(t *testing.T) {
	w, l := referenceOnServer(t)
	ctx := context.Background()
	l.MaxRejectShare = 1
	path := writeFile(t, "dup.csv", header+"2023,620000,甘肃省,gdp,11863.8,亿元\n2023,610000,陕西省,gdp,33786.1,亿元\n2023,620000,甘肃省,gdp,11863.8,亿元\n")
	rep, err := l.LoadEconomy(ctx, path)
	if err != nil || rep.Run.Status != warehouse.RunCommitted || rep.Run.RowsLoaded != 2 || rep.Run.RowsRejected != 1 {
		t.Fatalf("load with a duplicate on the server: %v %+v; want committed, 2 loaded and 1 refused", err, rep)
	}
	res, err := whtest.Query(ctx, w, "SELECT count() AS n FROM indicator_values WHERE run_id = toUUID({r:String})", warehouse.Params{"r": rep.Run.ID})
	if err != nil {
		t.Fatal(err)
	}
	if n := fmt.Sprint(res.Rows[0][0]); n != "2" {
		t.Errorf("%s rows of the run stored on the server, want 2 (the later copy removed)", n)
	}
}

// referenceOnServer is a loader on a new database of the test server holding the regions
// and indicators.
func referenceOnServer(t *testing.T) (*warehouse.Warehouse, *etl.Loader) {
	t.Helper()
	w := whtest.OpenServer(t)
	l := etl.NewLoader(w, quietLogger())
	for _, f := range []struct{ job, file string }{{etl.JobRegions, "regions.csv"}, {etl.JobIndicators, "indicators.csv"}} {
		if _, err := l.LoadReference(context.Background(), f.job, filepath.Join("..", "data", f.file), gansu); err != nil {
			t.Fatalf("load %s on the server: %v", f.file, err)
		}
	}
	return w, l
}
