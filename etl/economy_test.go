package etl_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// visible counts the current values of an indicator in a year, as the pages see them.
func visible(t *testing.T, w *warehouse.Warehouse, indicator string, year int) int {
	t.Helper()
	res, err := whtest.Query(context.Background(), w,
		"SELECT count() AS n FROM indicator_values_current WHERE indicator_code = {i:String} AND year = {y:UInt16}",
		warehouse.Params{"i": indicator, "y": strconv.Itoa(year)})
	if err != nil {
		t.Fatal(err)
	}
	return int(res.Rows[0][0].(int64))
}

func currentValue(t *testing.T, w *warehouse.Warehouse, indicator, region string, year int) (float64, int) {
	t.Helper()
	res, err := whtest.Query(context.Background(), w,
		"SELECT value, versions FROM indicator_values_current WHERE indicator_code = {i:String} AND region_code = {r:String} AND year = {y:UInt16} AND period_kind = 'year'",
		warehouse.Params{"i": indicator, "r": region, "y": strconv.Itoa(year)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 {
		t.Fatalf("%s %s %d: %d current rows, want 1", indicator, region, year, len(res.Rows))
	}
	return res.Rows[0][0].(float64), int(res.Rows[0][1].(int64))
}

const header = "year,region_code,region_name_zh,indicator,value,unit\n"

func TestEconomyLoadKeepsEveryRejectWithLineAndReason(t *testing.T) {
	w, l := demoCopy(t)
	l.MaxRejectShare = 1 // keep the good rows of this mostly bad file
	ctx := context.Background()
	path := writeFile(t, "gdp2025.csv", header+
		"2025,620000,甘肃省,gdp,12000.5,亿元\n"+ // 2 ok
		"2025,999999,火星,gdp,1,亿元\n"+ // 3
		"2025,610000,陕西省,gdp_fake,1,亿元\n"+ // 4
		"2025,610000,陕西省,gdp,abc,亿元\n"+ // 5
		",610000,陕西省,gdp,1,亿元\n"+ // 6
		"2025,620000,甘肃省,gdp,12000.5,亿元\n"+ // 7 duplicate
		"2025,,青海,gdp,38000000,万元\n"+ // 8 ok, by short name, converted
		"2025,640000,宁夏,gdp,—,亿元\n"+ // 9
		"2025,650000\n"+ // 10
		"2025,410000,河南省,gdp,\"1,234.5\",%\n"+ // 11
		"2025,,<script>alert(1)</script>,gdp,1,亿元\n") // 12
	rep, err := l.LoadEconomy(ctx, path)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if rep.Run.Status != warehouse.RunCommitted || rep.Run.RowsRead != 11 || rep.Run.RowsLoaded != 2 || rep.Run.RowsRejected != 8 || rep.Run.RowsNoValue != 1 {
		t.Fatalf("run = %+v; want committed, read 11, loaded 2, rejected 8, no value 1 (a \"—\" is missing, not wrong)", rep.Run)
	}
	want := map[int]string{
		3:  `unknown region code "999999"`,
		4:  `unknown indicator "gdp_fake"`,
		5:  `"abc" is not a number`,
		6:  "no period",
		7:  "duplicate: line 2 already gives gdp for 甘肃省 (620000) in 2025",
		10: "row has 2 fields, the header has 6",
		11: `unit "%" cannot be converted to the indicator's unit "亿元"`,
		12: `unknown region "<script>alert(1)</script>"`,
	}
	stored, err := w.Rejects(ctx, rep.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(want) {
		t.Fatalf("warehouse kept %d rejects, want %d: %+v", len(stored), len(want), stored)
	}
	for _, r := range stored {
		reason, ok := want[r.Line]
		if !ok || !strings.Contains(r.Reason, reason) {
			t.Errorf("line %d rejected for %q, want %q", r.Line, r.Reason, reason)
		}
		// Duplicates are found in the engine after insert, where the raw line is gone.
		if r.FilePath != path || (r.Raw == "" && r.Line != 7) {
			t.Errorf("line %d: reject lacks file or raw row: %+v", r.Line, r)
		}
	}
	if v, _ := currentValue(t, w, "gdp", "630000", 2025); v != 3800 {
		t.Errorf("Qinghai 2025 = %v 亿元, want 3800 (38,000,000 万元 converted)", v)
	}
	if n := visible(t, w, "gdp", 2025); n != 2 {
		t.Errorf("%d values visible for 2025, want 2", n)
	}
}

func TestEconomyReloadOfSameFileChangesNothing(t *testing.T) {
	w, l := demoCopy(t)
	ctx := context.Background()
	path := writeFile(t, "a.csv", header+"2025,620000,甘肃省,gdp,100,亿元\n2025,610000,陕西省,gdp,200,亿元\n")
	first, err := l.LoadEconomy(ctx, path)
	if err != nil || first.Unchanged {
		t.Fatalf("first load: %+v, %v", first, err)
	}
	// The same content under another name is the same data.
	copyPath := writeFile(t, "copy.csv", header+"2025,620000,甘肃省,gdp,100,亿元\n2025,610000,陕西省,gdp,200,亿元\n")
	for _, p := range []string{path, copyPath} {
		again, err := l.LoadEconomy(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if !again.Unchanged || again.Run.Status != warehouse.RunUnchanged || again.Run.RowsLoaded != 0 {
			t.Errorf("reload of %s: %+v; want unchanged", p, again.Run)
		}
	}
	res, err := whtest.Query(ctx, w, "SELECT count() AS n FROM indicator_values WHERE year = 2025", nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := res.Rows[0][0].(int64); n != 2 {
		t.Errorf("indicator_values holds %d rows for 2025 after reloads, want 2", n)
	}
	if v, versions := currentValue(t, w, "gdp", "620000", 2025); v != 100 || versions != 1 {
		t.Errorf("Gansu 2025 = %v with %d versions, want 100 with 1", v, versions)
	}
}

func TestEconomyRevisionReplacesValueAndKeepsHistory(t *testing.T) {
	w, l := demoCopy(t)
	ctx := context.Background()
	if _, err := l.LoadEconomy(ctx, writeFile(t, "prelim.csv", header+"2025,620000,甘肃省,gdp,11201.6,亿元\n2025,610000,陕西省,gdp,200,亿元\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := l.LoadEconomy(ctx, writeFile(t, "final.csv", header+"2025,620000,甘肃省,gdp,11121.4,亿元\n")); err != nil {
		t.Fatal(err)
	}
	if v, versions := currentValue(t, w, "gdp", "620000", 2025); v != 11121.4 || versions != 2 {
		t.Errorf("Gansu 2025 = %v with %d versions, want the revised 11121.4 with 2", v, versions)
	}
	if v, _ := currentValue(t, w, "gdp", "610000", 2025); v != 200 {
		t.Errorf("Shaanxi 2025 = %v, want 200 kept from the first file", v)
	}
}

func TestEconomyBadFileLeavesWarehouseAsItWas(t *testing.T) {
	w, l := demoCopy(t)
	ctx := context.Background()
	if _, err := l.LoadEconomy(ctx, writeFile(t, "base.csv", header+"2025,620000,甘肃省,gdp,100,亿元\n")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, content, want string
	}{
		{"noheader.csv", "2025,620000,甘肃省,gdp,1,亿元\n", "lacks indicator, value, period, region_code"},
		{"empty.csv", "", "the file is empty"},
		{"allbad.csv", header + "2025,620000,甘肃省,nonsense,1,亿元\n", "1 of 1 rows rejected (100%), more than the allowed 20%"},
		{"headeronly.csv", header, "no row could be loaded"},
		// Good rows come first and are inserted (one row per batch) before the broken quote.
		{"truncated.csv", header + "2025,610000,陕西省,gdp,5,亿元\n2025,630000,青海省,gdp,6,亿元\n2025,640000,\"宁夏回族自治区,gdp,7", "extraneous or missing \" in quoted-field"},
	}
	l.BatchRows = 1
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.name, tc.content)
			rep, err := l.LoadEconomy(ctx, path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %v; want one naming %s and saying %q", err, path, tc.want)
			}
			if rep == nil || rep.Run.Status != warehouse.RunFailed {
				t.Fatalf("report %+v; want a failed run", rep)
			}
			if n := visible(t, w, "gdp", 2025); n != 1 {
				t.Errorf("%d values visible for 2025 after the failed load, want the 1 from before", n)
			}
		})
	}
}

func TestEconomyRejectShareAboveLimitRefusesFile(t *testing.T) {
	w, l := demoCopy(t)
	l.MaxRejectShare = 0
	_, err := l.LoadEconomy(context.Background(), writeFile(t, "mixed.csv", header+"2025,620000,甘肃省,gdp,100,亿元\n2025,620000,甘肃省,gdp_x,1,亿元\n"))
	if err == nil || !strings.Contains(err.Error(), "1 of 2 rows rejected (50%), more than the allowed 0%") {
		t.Fatalf("error %v; want a refusal for the rejected share", err)
	}
	if n := visible(t, w, "gdp", 2025); n != 0 {
		t.Errorf("%d values visible after a strict refusal, want 0", n)
	}
}
