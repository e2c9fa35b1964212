package etl_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"jinwei/etl"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// runValues reads what a run loaded, keyed "indicator region period".
func runValues(t *testing.T, w *warehouse.Warehouse, runID string) map[string]float64 {
	t.Helper()
	res, err := whtest.Query(context.Background(), w,
		"SELECT indicator_code, region_code, period_kind, year, period_no, value FROM indicator_values WHERE run_id = toUUID({r:String})",
		warehouse.Params{"r": runID})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, r := range res.Rows {
		key := fmt.Sprintf("%s %s %v%v-%v", r[0], r[1], r[2], r[3], r[4])
		out[key] = r[5].(float64)
	}
	return out
}

func assertValues(t *testing.T, got, want map[string]float64) {
	t.Helper()
	for k, v := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: not loaded", k)
		} else if math.Abs(g-v) > 1e-9*math.Max(1, math.Abs(v)) {
			t.Errorf("%s = %v, want %v", k, g, v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("loaded %d values, want %d: %v", len(got), len(want), got)
	}
}

// A yearbook table as printed: padded names (北　京, 地  区), note marks, a unit line above
// the table, "—" where a series had not begun, a 合计 row, 其中 and indented sub-item rows.
// The mapping copies the header marker from the file, padding and all. Missing values and
// the rows beside the regions are neither rejects nor a reason to refuse a strict load.
func TestYearbookTypesettingLoadsStrict(t *testing.T) {
	w, l := benchWarehouse(t)
	l.MaxRejectShare = 0 // --strict
	path := writeFile(t, "yearbook.csv", strings.Join([]string{
		"表2-12 各地区生产总值,,,",
		",,,单位：亿元",
		"地  区,2024年,2023年①,2022年",
		"全　国,1349083.5,1294271.7,—",
		"北　京①,49843.1,47760.8,…",
		"甘　肃,13002.9,12266.4,-",
		"宁\u00a0夏*,5503.1,5329.9,x",
		"　其中：民族地区,100,100,100",
		"　城镇,1,1,1",
		"合　计,68349.1,65357.1,",
		"注：①北京数据为初步核算数。",
		"资料来源：国家统计局。",
	}, "\n")+"\n")
	m := &etl.Mapping{Name: "yearbook", Job: etl.JobEconomy, HeaderMarker: "地  区",
		Columns: map[string]string{"region": "地　区"}, Fixed: map[string]string{"indicator": "gdp"},
		Wide: &etl.WideLayout{Field: "period"}}
	rep, err := l.LoadFile(context.Background(), etl.JobEconomy, path, m)
	if err != nil {
		t.Fatalf("load: %v (rejects %+v)", err, rep)
	}
	r := rep.Run
	if r.RowsRejected != 0 || r.RowsNoValue != 5 || r.RowsSkipped != 8 || r.RowsLoaded != 8 {
		t.Errorf("run: read %d, loaded %d, rejected %d, no value %d, skipped %d; want 8 loaded, 5 no value, 8 skipped, 0 rejected (%+v)",
			r.RowsRead, r.RowsLoaded, r.RowsRejected, r.RowsNoValue, r.RowsSkipped, rep.Rejects)
	}
	assertValues(t, runValues(t, w, r.ID), map[string]float64{
		"gdp 100000 year2024-0": 1349083.5, "gdp 100000 year2023-0": 1294271.7,
		"gdp 110000 year2024-0": 49843.1, "gdp 110000 year2023-0": 47760.8,
		"gdp 620000 year2024-0": 13002.9, "gdp 620000 year2023-0": 12266.4,
		"gdp 640000 year2024-0": 5503.1, "gdp 640000 year2023-0": 5329.9,
	})
	runs, err := w.RecentRuns(context.Background(), 1)
	if err != nil || len(runs) != 1 || runs[0].RowsNoValue != 5 || runs[0].RowsSkipped != 8 {
		t.Errorf("the run record: %+v %v; want no value 5, skipped 8", runs, err)
	}
}

// The unit the file states is the values' unit: a unit line above a table of 万元 is
// converted to the indicator's 亿元; a header's unit likewise. A mapping that fixes another
// unit is an error naming both.
func TestUnitFromTheFile(t *testing.T) {
	w, l := benchWarehouse(t)
	ctx := context.Background()
	line := writeFile(t, "wan.csv", "单位：万元\n地区,2024年\n甘肃,130029000\n")
	m := &etl.Mapping{Name: "u", Job: etl.JobEconomy, Columns: map[string]string{"region": "地区"},
		Fixed: map[string]string{"indicator": "gdp"}, Wide: &etl.WideLayout{Field: "period"}}
	rep, err := l.LoadFile(ctx, etl.JobEconomy, line, m)
	if err != nil {
		t.Fatal(err)
	}
	assertValues(t, runValues(t, w, rep.Run.ID), map[string]float64{"gdp 620000 year2024-0": 13002.9})

	header := writeFile(t, "header.csv", "地区,年份,地区生产总值（万元）\n甘肃,2024,130029000\n")
	hm := &etl.Mapping{Name: "h", Job: etl.JobEconomy, Columns: map[string]string{"region": "地区", "year": "年份", "value": "地区生产总值（万元）"},
		Fixed: map[string]string{"indicator": "gdp"}}
	rep, err = l.LoadFile(ctx, etl.JobEconomy, header, hm)
	if err != nil {
		t.Fatal(err)
	}
	assertValues(t, runValues(t, w, rep.Run.ID), map[string]float64{"gdp 620000 year2024-0": 13002.9})

	conflict := *m
	conflict.Fixed = map[string]string{"indicator": "gdp", "unit": "亿元"}
	_, err = l.LoadFile(ctx, etl.JobEconomy, line, &conflict)
	if err == nil || !strings.Contains(err.Error(), `"亿元"`) || !strings.Contains(err.Error(), `"万元"`) {
		t.Errorf("conflicting units: %v; want an error naming 亿元 and 万元", err)
	}
}

// An indicator named with a bracket that is not a unit is its own indicator: 地区生产总值
// （修订前） is gdp_prerev, not gdp.
func TestIndicatorBracketNotAUnit(t *testing.T) {
	w, l := benchWarehouse(t)
	path := writeFile(t, "prerev.csv", "year,region_code,indicator,value\n2022,620000,地区生产总值（修订前）,11121.4\n2022,620000,地区生产总值（亿元）,11863.8\n2022,620000,其中：第一产业增加值,1515.3\n")
	rep, err := l.LoadEconomy(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	assertValues(t, runValues(t, w, rep.Run.ID), map[string]float64{
		"gdp_prerev 620000 year2022-0": 11121.4, "gdp 620000 year2022-0": 11863.8, "gdp_primary 620000 year2022-0": 1515.3})
}
