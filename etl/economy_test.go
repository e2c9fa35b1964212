package etl_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"jinwei/etl"
	"jinwei/etl/etltest"
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
		7:  "duplicate: line 2 already gives gdp for Gansu (620000) in 2025",
		10: "row has 2 fields, the header has 6",
		11: `unit "%" cannot be converted to the indicator's unit "亿元"`,
		12: `unknown region "<script>alert(1)</script>"`,
	}
	stored, _, err := w.RejectsPage(ctx, warehouse.RejectsQuery{RunID: rep.Run.ID, Limit: 10_000})
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
	// Each says why in Chinese too, as the run's message: the fields by their Chinese
	// headers, and the first reject without a place it does not have.
	tests := []struct {
		name, content, want, wantZh string
	}{
		{"noheader.csv", "2025,620000,甘肃省,gdp,1,亿元\n", "lacks indicator, value, period, region_code",
			"缺少 “指标”（indicator）、“数值”（value）、“时期”（period）、“地区代码”（region_code）"},
		{"empty.csv", "", "the file is empty", "文件被拒收：文件是空的"},
		{"allbad.csv", header + "2025,620000,甘肃省,nonsense,1,亿元\n", "1 of the 1 values with a number rejected (100%), more than the allowed 20%",
			"文件被拒收：1 条中有 1 条被拒收（100%），超过允许的 20%；第一条：第 2 行 “indicator”列：未知的指标“nonsense”"},
		{"headeronly.csv", header, "no row could be loaded", "文件被拒收：没有一行可以载入"},
		// Good rows come first and are inserted (one row per batch) before the broken quote.
		{"truncated.csv", header + "2025,610000,陕西省,gdp,5,亿元\n2025,630000,青海省,gdp,6,亿元\n2025,640000,\"宁夏回族自治区,gdp,7", "extraneous or missing \" in quoted-field",
			"引号不配对"},
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
			if !strings.Contains(rep.Run.MessageZh, tc.wantZh) {
				t.Errorf("in Chinese: %q; want it to say %q", rep.Run.MessageZh, tc.wantZh)
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
	if err == nil || !strings.Contains(err.Error(), "1 of the 2 values with a number rejected (50%), more than the allowed 0%") {
		t.Fatalf("error %v; want a refusal for the rejected share", err)
	}
	if n := visible(t, w, "gdp", 2025); n != 0 {
		t.Errorf("%d values visible after a strict refusal, want 0", n)
	}
}

// A file sent again after a later file replaced its values is loaded again when a person
// sends it (an upload, the command line), so its values are the current ones, as the sender
// means; a URL feed or an inbox scan repeating it stays unchanged and says what replaced it. Each family, and a dimension, which carries no run per row.
func TestFileSentAgainAfterALaterOneReplacedIt(t *testing.T) {
	w, l := demoCopy(t)
	current := func(t *testing.T, sql string) string {
		t.Helper()
		res, err := whtest.Query(context.Background(), w, sql, nil)
		if err != nil || len(res.Rows) != 1 {
			t.Fatalf("%s: %v %v", sql, res, err)
		}
		return fmt.Sprint(res.Rows[0][0])
	}
	for _, tc := range []struct {
		name, job, a, b, read, wantA, wantB string
	}{
		{"economy", etl.JobEconomy, header + "2026,620000,甘肃省,gdp,11201.6,亿元\n", header + "2026,620000,甘肃省,gdp,99999,亿元\n",
			"SELECT value FROM indicator_values_current WHERE indicator_code = 'gdp' AND region_code = '620000' AND year = 2026 AND period_kind = 'year'", "11201.6", "99999"},
		{"ledger", etl.JobEcology,
			"item_id,region,title,found_date,deadline,status,progress,status_date,note\nR-1,兰州市,河道采砂,2023-01-05,2023-06-30,整改中,40%,2023-03-31,\n",
			"item_id,region,title,found_date,deadline,status,progress,status_date,note\nR-1,兰州市,河道采砂（改）,2023-01-05,2023-06-30,整改中,40%,2023-03-31,\n",
			"SELECT title FROM ecology_items_current WHERE item_id = 'R-1'", "河道采砂", "河道采砂（改）"},
		{"campaign", etl.JobCampaign, "unit_code,unit,month,metric,value\n620100,兰州市,2026-01,study_sessions,12\n",
			"unit_code,unit,month,metric,value\n620100,兰州市,2026-01,study_sessions,30\n",
			"SELECT argMax(value, loaded_at) FROM campaign_metrics WHERE run_id IN (SELECT run_id FROM committed_runs) AND unit_code = '620100' AND month = '2026-01-01' AND metric_code = 'study_sessions'", "12", "30"},
		{"dimension", etl.JobIndicators, "code,name_zh,name_en,unit,direction,frequency,category\nx_test,试验甲,Test A,个,1,year,economy\n",
			"code,name_zh,name_en,unit,direction,frequency,category\nx_test,试验乙,Test B,个,1,year,economy\n",
			"SELECT name_zh FROM indicators FINAL WHERE code = 'x_test'", "试验甲", "试验乙"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			load := func(ctx context.Context, path string) *etl.Report {
				t.Helper()
				rep, err := l.Load(ctx, tc.job, path, etltest.Home, nil, nil)
				if err != nil {
					t.Fatalf("load %s: %v", filepath.Base(path), err)
				}
				return rep
			}
			a, b := writeFile(t, tc.name+"-a.csv", tc.a), writeFile(t, tc.name+"-b.csv", tc.b)
			upload := warehouse.WithStartedBy(context.Background(), warehouse.StartedByUpload+":alice")
			first := load(upload, a)
			if got := current(t, tc.read); got != tc.wantA {
				t.Fatalf("after a: %s, want %s", got, tc.wantA)
			}
			// The same file again with nothing in between changes nothing, whoever sends it.
			if rep := load(upload, a); !rep.Unchanged {
				t.Errorf("a again at once: %+v, want unchanged", rep.Run)
			}
			load(upload, b)
			// A feed repeating itself is no news, nor a scan of an inbox a synced folder
			// filled again: unchanged, saying b replaced it.
			replaced := "1 of its values since replaced by run"
			if tc.job == etl.JobIndicators {
				replaced = "its rows may since have been replaced by run"
			}
			for _, by := range []string{warehouse.StartedByURL, warehouse.StartedBySchedule, warehouse.StartedByRunNow + ":ops"} {
				rep := load(warehouse.WithStartedBy(context.Background(), by), a)
				if !rep.Unchanged || !strings.Contains(rep.Run.Message, replaced) || !strings.Contains(rep.Run.Message, filepath.Base(b)) {
					t.Errorf("a from %s after b: %+v, want unchanged and saying %q by b", by, rep.Run, replaced)
				}
			}
			if got := current(t, tc.read); got != tc.wantB {
				t.Errorf("after the feed and the scans: %s, want b's %s", got, tc.wantB)
			}
			// Someone sending a again wants its values back (here from the command line).
			again := load(context.Background(), a)
			if again.Unchanged || again.Run.Status != warehouse.RunCommitted || again.Run.ID == first.Run.ID ||
				!strings.Contains(again.Run.Message, "loaded again") {
				t.Errorf("a uploaded again after b: %+v, want a new committed run", again.Run)
			}
			if got := current(t, tc.read); got != tc.wantA {
				t.Errorf("after a was sent again: %s, want %s", got, tc.wantA)
			}
			// And now a's values are current, so once more is unchanged.
			if rep := load(upload, a); !rep.Unchanged {
				t.Errorf("a a third time: %+v, want unchanged", rep.Run)
			}
		})
	}
}

// The demo loads its fixed files at every start: a correction an operator loaded since is
// kept, not undone by the demo's older value.
func TestDemoAtStartKeepsACorrectionLoadedSince(t *testing.T) {
	w, l := demoCopy(t)
	ctx := context.Background()
	read := "SELECT value FROM indicator_values_current WHERE indicator_code = 'gdp' AND region_code = '110000' AND year = 2012 AND period_kind = 'year'"
	if _, err := l.LoadEconomy(ctx, writeFile(t, "fix.csv", header+"2012,110000,北京市,gdp,19570,亿元\n")); err != nil {
		t.Fatal(err)
	}
	reports, err := l.LoadDemo(ctx, etltest.DataDir(), etltest.Home)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reports {
		if !r.Unchanged {
			t.Errorf("the demo at start loaded %s again: %+v", filepath.Base(r.Run.FilePath), r.Run)
		}
	}
	res, err := whtest.Query(ctx, w, read, nil)
	if err != nil || len(res.Rows) != 1 || fmt.Sprint(res.Rows[0][0]) != "19570" {
		t.Errorf("Beijing's 2012 GDP after the demo started again: %v %v, want the correction 19570", res, err)
	}
}

// A dry run (an upload's preview) refuses a value the file gave already, as the load does:
// the preview said 3 would load and none be refused, and the load then refused the file
// for its duplicates (a first-time user's finding). Each says whether the copy agrees with
// the value kept, in the indicator's unit, and gives both where they differ.
func TestDryRunFindsDuplicatesAsTheLoadDoes(t *testing.T) {
	_, l := demoCopy(t)
	ctx := context.Background()
	path := writeFile(t, "dup.csv", header+"2025,620000,甘肃省,gdp,0.102436,亿元\n2025,620000,甘肃省,gdp,2,亿元\n2025,610000,陕西省,gdp,3,亿元\n2025,620000,甘肃省,gdp,1024.36,万元\n")
	l.MaxRejectShare = 1
	dry, err := l.DryRun(ctx, etl.JobEconomy, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	load, err := l.LoadEconomy(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	said := func(rep *etl.Report) string {
		var b strings.Builder
		fmt.Fprintf(&b, "loaded %d rejected %d;", rep.Run.RowsLoaded, rep.Run.RowsRejected)
		for _, r := range rep.Rejects {
			fmt.Fprintf(&b, " %d %s %s / %s;", r.Line, r.Code, r.Reason, r.ReasonZh)
		}
		return b.String()
	}
	want := "loaded 2 rejected 2; 3 duplicate duplicate: line 2 already gives gdp for Gansu (620000) in 2025, as 0.102436 亿元 (this line 2 亿元); the first is kept" +
		" / 重复：第 2 行已给出甘肃省（620000）2025年的地区生产总值，为0.102436亿元（本行为2亿元），保留先出现的值;" +
		" 5 duplicate duplicate: line 2 already gives gdp for Gansu (620000) in 2025, the same value / 重复：第 2 行已给出甘肃省（620000）2025年的地区生产总值，数值相同;"
	if got := said(dry); got != want {
		t.Errorf("the dry run: %s\nwant %s", got, want)
	}
	// The preview's rows are those the load would write, not the repeats it refuses.
	var lines []int
	for _, p := range dry.Preview {
		lines = append(lines, p.Line)
	}
	if !slices.Equal(lines, []int{2, 4}) {
		t.Errorf("the preview lists lines %v to load; want 2 and 4", lines)
	}
	if got := said(load); got != want {
		t.Errorf("the load: %s\nwant %s", got, want)
	}
}

// A dry run remembers a bounded number of values to find repeats; past the bound it says
// from which line it stopped looking (the preview said nothing, and a file it passed was
// then refused by the load), and still finds repeats of the values it remembers.
func TestDryRunSaysWhereItStoppedLookingForRepeats(t *testing.T) {
	_, l := demoCopy(t)
	etl.RememberKeys(t, 2)
	path := writeFile(t, "many.csv", header+"2025,620000,甘肃省,gdp,1,亿元\n2025,610000,陕西省,gdp,3,亿元\n"+
		"2025,630000,青海省,gdp,4,亿元\n2025,620000,甘肃省,gdp,1,亿元\n2025,630000,青海省,gdp,5,亿元\n")
	l.MaxRejectShare = 1
	dry, err := l.DryRun(context.Background(), etl.JobEconomy, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if dry.UncheckedFrom != 4 || len(dry.Rejects) != 1 || dry.Rejects[0].Line != 5 {
		t.Errorf("unchecked from line %d, rejects %+v; want from line 4 (the third value), line 5's repeat of line 2 still found", dry.UncheckedFrom, dry.Rejects)
	}
	var out strings.Builder
	etl.PrintDryRun(&out, dry)
	if want := "values first given from line 4 on were not remembered (the dry run remembers 2), so repeats of them may have gone unnoticed; the load checks them all"; !strings.Contains(out.String(), want) {
		t.Errorf("the dry run printed:\n%s\nwant %q", out.String(), want)
	}
	etl.RememberKeys(t, 100)
	if dry, err := l.DryRun(context.Background(), etl.JobEconomy, path, nil); err != nil || dry.UncheckedFrom != 0 || len(dry.Rejects) != 2 {
		t.Errorf("within the bound: unchecked from %d, %d rejects (%v); want every line checked and both repeats found", dry.UncheckedFrom, len(dry.Rejects), err)
	}
}

// A value given twice on the same line number (two sheets of one workbook) keeps one copy:
// the load deleted both, as a copy was known by its line alone, and said it removed one.
func TestDuplicatesOnOneLineKeepOneCopy(t *testing.T) {
	w, l := demoCopy(t)
	ctx := context.Background()
	f := excelize.NewFile()
	if _, err := f.NewSheet("Sheet2"); err != nil {
		t.Fatal(err)
	}
	for _, sheet := range []string{"Sheet1", "Sheet2"} {
		for i, row := range [][]any{{"year", "region_code", "indicator", "value"}, {2025, "620000", "gdp", 7}} {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "twice.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	l.MaxRejectShare = 1
	// The refused copy says its sheet and cell, in the preview as in the load: "第 2 行"
	// alone did not say which sheet's.
	dry, err := l.DryRun(ctx, etl.JobEconomy, path, nil)
	if err != nil || len(dry.Rejects) != 1 || dry.Rejects[0].Location != "Sheet2!D2" {
		t.Errorf("the preview refuses %+v (%v); want Sheet2!D2", dry.Rejects, err)
	}
	rep, err := l.LoadEconomy(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Run.RowsLoaded != 1 || rep.Run.RowsRejected != 1 || rep.Rejects[0].Location != "Sheet2!D2" {
		t.Errorf("loaded %d, rejected %d at %q; want one kept and one refused as a duplicate at Sheet2!D2", rep.Run.RowsLoaded, rep.Run.RowsRejected, rep.Rejects[0].Location)
	}
	if n := visible(t, w, "gdp", 2025); n != 1 {
		t.Errorf("%d values visible for 2025, want the one kept", n)
	}
}

// Duplicates count in the share that refuses a file once the file is read, in the preview
// as in the load: found while reading, a thousand early ones refused the preview of a file
// whose load took it (1,000 of 7,000 values, under the 20 % allowed).
func TestDryRunCountsDuplicatesAtTheEndAsTheLoadDoes(t *testing.T) {
	w, l := demoCopy(t)
	ctx := context.Background()
	regions, err := w.Regions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, r := range regions {
		if r.Level != "province" {
			continue
		}
		for year := 1950; year < 2025 && len(rows) < 6000; year++ {
			for _, ind := range []string{"gdp", "population", "rural_income"} {
				rows = append(rows, fmt.Sprintf("%d,%s,,%s,1,", year, r.Code, ind))
			}
		}
	}
	rows = rows[:6000]
	file := header + strings.Join(rows[:1000], "\n") + "\n" + strings.Join(rows, "\n") + "\n"
	dry, err := l.DryRun(ctx, etl.JobEconomy, writeFile(t, "early.csv", file), nil)
	if err != nil || dry.Run.RowsRejected != 1000 || dry.Run.RowsLoaded != 6000 {
		t.Errorf("the preview: %v, loaded %d, rejected %d; want it to load 6,000 and refuse the 1,000 repeated", err, dry.Run.RowsLoaded, dry.Run.RowsRejected)
	}
}

// A growth rate written with its percent sign loads as the number where the indicator is
// counted in percent, full-width or with a space too; beside an amount it is refused, saying
// why ("5.2%" was no number to the reader, a first-time user's finding).
func TestPercentValuesLoadWhereTheIndicatorIsInPercent(t *testing.T) {
	w, l := demoCopy(t)
	l.MaxRejectShare = 1
	ctx := context.Background()
	path := writeFile(t, "growth.csv", header+
		"2025,620000,甘肃省,gdp_growth,5.2%,\n"+
		"2025,610000,陕西省,gdp_growth,６.１％,\n"+
		"2025,630000,青海省,gdp_growth,-0.3 %,%\n"+
		"2025,620000,甘肃省,gdp,5.2%,\n")
	rep, err := l.LoadEconomy(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Run.RowsLoaded != 3 || len(rep.Rejects) != 1 || rep.Rejects[0].Line != 5 ||
		rep.Rejects[0].Reason != "5.2% is a percentage, but gdp is counted in 亿元" || rep.Rejects[0].ReasonZh != "5.2% 是百分数，而地区生产总值以亿元计" {
		t.Fatalf("loaded %d, rejects %+v; want 3 loaded and the percentage beside GDP refused", rep.Run.RowsLoaded, rep.Rejects)
	}
	for region, want := range map[string]float64{"620000": 5.2, "610000": 6.1, "630000": -0.3} {
		if v, _ := currentValue(t, w, "gdp_growth", region, 2025); v != want {
			t.Errorf("growth of %s: %v, want %v", region, v, want)
		}
	}
}

// A load writes its rejected values to the warehouse as it goes and its report lists the
// first of them: it held every one until it ended (a file of 4 million rows with one in six
// bad kept 666,667 in memory) and listed them all. Every one is kept, once.
func TestALoadKeepsEveryRejectAndReportsTheFirst(t *testing.T) {
	w, l := demoCopy(t)
	l.MaxRejectShare = 1
	var b strings.Builder
	b.WriteString(header)
	// Ten good values, then 12,000 from a region nobody knows.
	const bad = 12_000
	for year := 2015; year < 2025; year++ {
		fmt.Fprintf(&b, "%d,620000,甘肃省,gdp,%d,亿元\n", year, year)
	}
	for i := range bad {
		fmt.Fprintf(&b, "2024,%d,火星,gdp,1,亿元\n", 990000+i)
	}
	rep, err := l.LoadEconomy(context.Background(), writeFile(t, "bad.csv", b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Run.RowsRejected != bad || len(rep.Rejects) != 1000 || rep.Rejects[0].Line != 12 || rep.Rejects[999].Line != 1011 {
		t.Errorf("%d rejected, the report lists %d from line %d; want %d, the first 1,000 listed from line 12", rep.Run.RowsRejected, len(rep.Rejects), rep.Rejects[0].Line, bad)
	}
	res, err := whtest.Query(context.Background(), w, "SELECT count(), uniqExact(line), min(line), max(line) FROM etl_rejects WHERE run_id = toUUID({run:String})",
		map[string]string{"run": rep.Run.ID})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(res.Rows[0]...); got != fmt.Sprint(int64(bad), int64(bad), int64(12), int64(11+bad)) {
		t.Errorf("the warehouse keeps (count, lines, first, last) %s; want each of the %d once", got, bad)
	}
}
