package dashboard_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jinwei/dashboard"
	"jinwei/etl"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// runnerJobs stages and loads uploads through a real job runner (inspect, dry run, load,
// original kept); the rest of the operator's ETL is opJobs'.
type runnerJobs struct {
	*opJobs
	r *etl.Runner
}

func (j runnerJobs) Stage(ctx context.Context, job, name string, body io.Reader) (dashboard.StagedUpload, error) {
	st, err := j.r.StageUpload(ctx, job, name, body)
	return stagedUpload(job, st, err)
}

func (j runnerJobs) PreviewStaged(ctx context.Context, job, id string) (dashboard.StagedUpload, error) {
	st, err := j.r.PreviewStaged(ctx, job, id)
	return stagedUpload(job, st, err)
}

// stagedUpload is the page's part of a staged upload of job (cmd/jinwei maps the rest).
func stagedUpload(job string, st *etl.Staged, err error) (dashboard.StagedUpload, error) {
	if err != nil {
		return dashboard.StagedUpload{}, err
	}
	out := dashboard.StagedUpload{ID: st.ID, Name: st.Name, Job: job, Refusal: st.DryRunError}
	if rep := st.DryRun; rep != nil {
		out.DryRun = &dashboard.JobResult{Run: rep.Run, Rejects: rep.Rejects}
	}
	return out, nil
}

func (j runnerJobs) LoadStaged(ctx context.Context, job, id string) (dashboard.JobResult, error) {
	rep, err := j.r.LoadStaged(ctx, job, id)
	if rep == nil {
		return dashboard.JobResult{}, err
	}
	res := dashboard.JobResult{Run: rep.Run, Rejects: rep.Rejects}
	if err != nil {
		res.Error = err.Error()
	}
	return res, nil
}

// awaitJS evaluates js in the page and waits for the promise it returns.
func awaitJS(t *testing.T, s *session, js string) string {
	t.Helper()
	v, err := chromedp.Run(s.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// changesOf follows the run page's link to what the load changed and reads its totals.
func changesOf(t *testing.T, s *session) string {
	t.Helper()
	if err := chromedp.Do(s.ctx, chromedp.Click(chromedp.CSS("#changes-link")), chromedp.WaitVisible(chromedp.CSS("#change-totals"))); err != nil {
		t.Fatalf("open what the load changed: %v", err)
	}
	return s.text(t, "#change-totals")
}

// countyGDP is a file of 2001 GDP for ten Gansu counties, lines 2–11, with bad rows after
// them as given.
func countyGDP(t *testing.T, name string, revised float64, bad ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("year,region_code,indicator,value,unit\n")
	for i, code := range []string{"620102", "620103", "620104", "620105", "620111", "620121", "620122", "620123", "620201", "620302"} {
		v := float64(100 + i)
		if i == 0 {
			v = revised
		}
		fmt.Fprintf(&b, "2001,%s,gdp,%g,亿元\n", code, v)
	}
	for _, row := range bad {
		b.WriteString(row + "\n")
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The operator's month, in a real browser, as an admin: upload a file with bad rows, read
// its rejects grouped by reason, export them as CSV and XLSX, fix the file and upload it
// again, and read what the second load revised; then add an analyst, who signs in with the
// password shown once and is refused the operator pages.
func TestOperatorMonthInBrowser(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	l := etl.NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r, err := etl.NewRunner(l, etltest.Home, nil, []etl.JobConfig{{Name: etl.JobEconomy, Inbox: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	r.Originals = warehouse.DefaultOriginalsPolicy
	f := newOperatorServerWith(t, w, runnerJobs{opJobs: &opJobs{staged: map[string][]byte{}}, r: r})
	s := browser(t, chromedp.Flag("ignore-certificate-errors", true))
	upload := func(file string) {
		t.Helper()
		err := chromedp.Do(s.ctx,
			chromedp.Navigate(f.srv.URL+"/admin/upload"),
			chromedp.WaitVisible(chromedp.CSS("#upload-files")),
			chromedp.SetValue(chromedp.CSS("#upload-job"), "economy"),
			chromedp.SetUploadFiles(chromedp.CSS("#upload-files"), []string{file}),
			chromedp.Click(chromedp.CSS("#upload-preview")),
			chromedp.WaitVisible(chromedp.CSS(".upload-load")),
			chromedp.Click(chromedp.CSS(".upload-load")),
			chromedp.WaitVisible(chromedp.CSS("#loaded a")),
			chromedp.Click(chromedp.CSS("#loaded a")),
			chromedp.WaitVisible(chromedp.CSS("#run")),
		)
		if err != nil {
			t.Fatalf("upload and load %s: %v", filepath.Base(file), err)
		}
	}
	err = chromedp.Do(s.ctx,
		chromedp.Navigate(f.srv.URL+"/admin/loads"),
		chromedp.WaitVisible(chromedp.CSS("#login-user")),
		chromedp.SendKeys(chromedp.CSS("#login-user"), "ops"),
		chromedp.SendKeys(chromedp.CSS("#login-password"), "ops-pw"),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#admin-nav")),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}

	// Two bad rows beside ten good ones: loaded, and the two kept with their reasons.
	upload(countyGDP(t, "县域GDP_2001.csv", 100, "2001,999999,gdp,5,亿元", "2001,620321,gdp,一百,亿元"))
	if reasons := s.text(t, "#reasons"); !strings.Contains(reasons, "unknown_region ×1") || !strings.Contains(reasons, "取值不合规 bad_value ×1") {
		t.Errorf("grouped rejects read %q, want unknown_region ×1 and bad_value ×1", reasons)
	}
	// The exports, fetched by the page as a click would, with the admin's session.
	csv := awaitJS(t, s, `fetch(document.getElementById('export-csv').href).then(function (r) { return r.text().then(function (b) { return r.status + ' ' + r.headers.get('Content-Type') + '\n' + b; }); })`)
	if !strings.HasPrefix(csv, "200 text/csv") || !strings.Contains(csv, "unknown_region") || !strings.Contains(csv, "一百") {
		t.Errorf("CSV export: %q", csv)
	}
	xlsx := awaitJS(t, s, `fetch(document.getElementById('export-xlsx').href).then(function (r) { return r.arrayBuffer().then(function (b) { return r.status + ' ' + b.byteLength + ' ' + String.fromCharCode.apply(null, new Uint8Array(b).slice(0, 2)); }); })`)
	if !strings.HasPrefix(xlsx, "200 ") || !strings.HasSuffix(xlsx, " PK") {
		t.Errorf("XLSX export: %q, want 200 and a zip (PK)", xlsx)
	}

	if got := changesOf(t, s); got != "本次载入新增 2001 年数值 10 个" {
		t.Errorf("the first load's changes read %q", got)
	}

	// The office fixes the two rows and revises one value: the second load adds the two
	// fixed values and revises the one.
	upload(countyGDP(t, "县域GDP_2001_修订.csv", 104.5, "2001,620171,gdp,5,亿元", "2001,620321,gdp,100,亿元"))
	if got := s.eval(t, `String(!!document.getElementById('no-rejects'))`); got != "true" {
		t.Errorf("the fixed file's run shows rejects: %s", s.text(t, "#rejects"))
	}
	if s.text(t, "#original") == "" || s.eval(t, `String(!!document.getElementById('original-download'))`) != "true" {
		t.Errorf("the uploaded original is not offered for download")
	}
	totals := changesOf(t, s)
	if !strings.Contains(totals, "本次载入修订 2001 年数值 1 个") || !strings.Contains(totals, "本次载入新增 2001 年数值 2 个") {
		t.Errorf("the fixed load's changes read %q, want 1 revised (620102 100 → 104.5) and 2 added (620171, 620321)", totals)
	}
	if list := s.text(t, "#change-list"); !strings.Contains(list, "100亿元 → 104.5亿元") {
		t.Errorf("the revision list lacks 100亿元 → 104.5亿元: %s", list)
	}

	// A new analyst: the password is shown once, and it signs in.
	err = chromedp.Do(s.ctx,
		chromedp.Navigate(f.srv.URL+"/admin/accounts"),
		chromedp.WaitVisible(chromedp.CSS("#new-name")),
		chromedp.SendKeys(chromedp.CSS("#new-name"), "ana"),
		chromedp.SetValue(chromedp.CSS("#new-role"), dashboard.RoleAnalyst),
		chromedp.Click(chromedp.CSS("#add-account-submit")),
		chromedp.WaitVisible(chromedp.CSS("#secret-password")),
	)
	if err != nil {
		t.Fatalf("add an analyst: %v", err)
	}
	password := s.text(t, "#secret-password")
	err = chromedp.Do(s.ctx,
		chromedp.Click(chromedp.CSS("#logout")),
		chromedp.WaitVisible(chromedp.CSS("#login-user")),
		chromedp.Navigate(f.srv.URL+"/console"),
		chromedp.WaitVisible(chromedp.CSS("#login-user")),
		chromedp.SendKeys(chromedp.CSS("#login-user"), "ana"),
		chromedp.SendKeys(chromedp.CSS("#login-password"), password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#run")),
	)
	if err != nil {
		t.Fatalf("sign in as the new analyst: %v", err)
	}
	if user := s.text(t, "#user"); user != "ana" {
		t.Errorf("signed in as %q, want ana", user)
	}
	if code := awaitJS(t, s, `fetch('/admin/loads').then(function (r) { return String(r.status); })`); code != "403" {
		t.Errorf("the analyst opened the loads page: %s, want 403", code)
	}
}
