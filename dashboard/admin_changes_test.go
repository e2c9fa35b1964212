package dashboard_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"jinwei/etl"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// uploadThrough loads content as an upload by ops through a job runner with an inbox, as
// the upload page does, keeping the original file.
func uploadThrough(t *testing.T, w *warehouse.Warehouse, name, content string) *etl.Report {
	t.Helper()
	l := etl.NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r, err := etl.NewRunner(l, etltest.Home, nil, []etl.JobConfig{{Name: etl.JobEconomy, Inbox: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	r.Originals = warehouse.DefaultOriginalsPolicy
	rep, err := r.SaveUpload(warehouse.WithStartedBy(context.Background(), "upload:ops"), etl.JobEconomy, name, strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// A wide file's run said "读取行数 6" for a file of two lines: a run's counts are of
// values, and the run and loads pages say so.
func TestRunCountsSayTheyAreValues(t *testing.T) {
	t.Parallel()
	f, _ := newOperatorServer(t)
	c, _ := f.signedIn(t, "ops")
	rep := uploadThrough(t, f.w, "县域.csv", "year,region_code,indicator,value\n2024,620102,gdp,100\n2024,620103,gdp,200\n")
	for _, page := range []string{"/admin/loads/" + rep.Run.ID, "/admin/loads"} {
		zh, en := body(t, c, f.srv.URL+page), body(t, c, f.srv.URL+page+"?lang=en")
		for _, want := range []string{"读取条数", "按条计数：宽表（各年或各指标横排）的一行，每个数值格算一条"} {
			if !strings.Contains(zh, want) {
				t.Errorf("%s lacks %q", page, want)
			}
		}
		if strings.Contains(zh, "读取行数") || !strings.Contains(en, "a line of a wide file (years or indicators across) counts once per value cell") {
			t.Errorf("%s counts rows of what are values", page)
		}
	}
}

// A run's page says what the load changed (values added, values revised old → new with
// their history, totals by year in words) or that it changed nothing; it offers the
// original file of an upload for download under its Chinese name, audited, and says when a
// file came from the command line.
func TestRunPageShowsChangesAndOriginal(t *testing.T) {
	t.Parallel()
	f, _ := newOperatorServer(t)
	c, _ := f.signedIn(t, "ops")
	const head = "year,region_code,region_name_zh,indicator,value,unit\n"
	first := uploadThrough(t, f.w, "县域 GDP 2001.csv", head+"2001,620102,城关区,gdp,100,亿元\n2001,620103,七里河区,gdp,200,亿元\n")
	if runPage := body(t, c, f.srv.URL+"/admin/loads/"+first.Run.ID); !strings.Contains(runPage, `href="/admin/loads/`+first.Run.ID+`/changes"`) {
		t.Errorf("the run page does not link to what the load changed")
	}
	page := body(t, c, f.srv.URL+"/admin/loads/"+first.Run.ID+"/changes")
	if !strings.Contains(page, "本次载入新增 2001 年数值 2 个") {
		t.Errorf("first load's page lacks its additions: %s", between(page, `id="changes"`, "</section>"))
	}
	// Its heading once: the section said the page's title again under it.
	if n := strings.Count(page, ">本次载入的改动</h"); n != 1 {
		t.Errorf("the changes page says its heading %d times", n)
	}
	second := uploadThrough(t, f.w, "县域 GDP 2001 修订.csv", head+"2001,620102,城关区,gdp,110,亿元\n2001,620103,七里河区,gdp,200,亿元\n")
	changes := between(body(t, c, f.srv.URL+"/admin/loads/"+second.Run.ID+"/changes"), `id="changes"`, "</section>")
	// What changed in words beside its codes, and values in their unit (it read gdp, 620102,
	// value, 100 → 110).
	for _, want := range []string{"本次载入修订 2001 年数值 1 个", "<td>地区生产总值 <code>gdp</code></td><td>城关区 620102</td><td>2001</td><td>数值</td>",
		"<del>100亿元</del> → <strong>110亿元</strong>", `href="/admin/loads/` + first.Run.ID + `">100亿元</a>`} {
		if !strings.Contains(changes, want) {
			t.Errorf("revising load's changes lack %q: %s", want, changes)
		}
	}
	if strings.Contains(changes, "七里河区") || strings.Count(changes, `class="change `) != 1 {
		t.Errorf("a value loaded again unchanged is listed as a change: %s", changes)
	}
	en := body(t, c, f.srv.URL+"/admin/loads/"+second.Run.ID+"/changes?lang=en")
	for _, want := range []string{"This load revised 1 values for 2001", "<td>Chengguan District 620102</td><td>2001</td><td>Value</td>"} {
		if !strings.Contains(en, want) {
			t.Errorf("English changes page lacks %q: %s", want, between(en, `id="changes"`, "</section>"))
		}
	}
	third := uploadThrough(t, f.w, "again.csv", head+"2001,620102,城关区,gdp,110,亿元\n")
	if p := body(t, c, f.srv.URL+"/admin/loads/"+third.Run.ID+"/changes"); !strings.Contains(p, `id="changes-none">本次载入未改变任何数值。`) {
		t.Errorf("a load that changed nothing does not say so: %s", between(p, `id="changes"`, "</section>"))
	}

	// The original of the upload, byte for byte, under its own name.
	page = body(t, c, f.srv.URL+"/admin/loads/"+second.Run.ID)
	if !strings.Contains(page, `id="original-download"`) {
		t.Fatalf("no download of the uploaded original: %s", between(page, `id="original"`, "</td>"))
	}
	res, err := c.Get(f.srv.URL + "/admin/loads/" + second.Run.ID + "/original")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(string(got), head) || !strings.Contains(string(got), "110") {
		t.Errorf("original download: %d %q", res.StatusCode, got)
	}
	cd := res.Header.Get("Content-Disposition")
	if !strings.Contains(cd, `filename*=UTF-8''%E5%8E%BF%E5%9F%9F%20GDP%202001%20%E4%BF%AE%E8%AE%A2.csv`) || !strings.HasPrefix(cd, `attachment; filename="`) {
		t.Errorf("Content-Disposition %q lacks the name in RFC 5987 form beside an ASCII one", cd)
	}
	if audit := body(t, c, f.srv.URL+"/admin/accounts?user=ops&kind=admin"); !strings.Contains(audit, "download original 县域 GDP 2001 修订.csv of run "+second.Run.ID) {
		t.Errorf("the download is not in the audit log")
	}

	// A file loaded from a path on the command line is not kept, and the page says so.
	cli := etltest.LoadCSV(t, f.w, "economy", "cli.csv", head+"2001,620104,西固区,gdp,300,亿元\n")
	if p := body(t, c, f.srv.URL+"/admin/loads/"+cli.Run.ID); !strings.Contains(p, `data-state="cli">由命令行从本机路径载入`) {
		t.Errorf("a CLI load's page does not say its file was not kept: %s", between(p, `id="original"`, "</td>"))
	}
	if got := status(t, c, http.MethodGet, f.srv.URL+"/admin/loads/"+cli.Run.ID+"/original", nil); got != http.StatusNotFound {
		t.Errorf("download of a CLI load's file: %d, want 404", got)
	}
}

// between is s from the first from to the next to after it, for failure messages and scoped checks.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

// A unit's report is named as one where loads are listed and in a page's footnote (单位填报
// 620102 2026-11（第1版）); they named it by its revision's file, r1.
func TestAUnitsReportIsNamedAsOne(t *testing.T) {
	t.Parallel()
	f, _ := newOperatorServer(t)
	c, _ := f.signedIn(t, "ops")
	// A month whose reports are due: the campaign page scores no month before its deadline.
	now := time.Now()
	month := time.Date(now.Year(), now.Month()-2, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
	etltest.SubmitForm(t, f.w, "620102", month, now, warehouse.ReportCell{Metric: "tasks_assigned", Value: 3})
	for path, want := range map[string]string{
		"/admin/loads":                     ">单位填报 620102 " + month + "（第1版）<",
		"/admin/loads?lang=en":             ">Report of unit 620102 for " + month + " (revision 1)<",
		"/campaign?month=" + month:         `<span class="file">单位填报 620102 ` + month + "（第1版）</span>",
		"/campaign?lang=en&month=" + month: `<span class="file">Report of unit 620102 for ` + month + " (revision 1)</span>",
	} {
		if page := body(t, c, f.srv.URL+path); !strings.Contains(page, want) || strings.Contains(page, ">r1<") {
			t.Errorf("%s does not name the unit's report as one (%s): %s", path, want, between(page, "<footer", "</footer>"))
		}
	}
	// Its run's page says a form has no file, not that its file was not kept.
	runs, err := f.w.RecentRuns(context.Background(), 1)
	if err != nil || len(runs) != 1 {
		t.Fatalf("the report's run: %v %v", runs, err)
	}
	// It names the report too (it showed its run's path, 填报/620102/…/r1).
	p := body(t, c, f.srv.URL+"/admin/loads/"+runs[0].ID)
	if !strings.Contains(p, `data-state="form">单位在填报表单中填写，没有原始文件`) {
		t.Errorf("the report's run page: %s", between(p, `id="original"`, "</td>"))
	}
	if want := `id="run-file">单位填报 620102 ` + month + "（第1版）<"; !strings.Contains(p, want) {
		t.Errorf("the report's run page does not name it (%s): %s", want, between(p, `<table`, "</table>"))
	}
}
