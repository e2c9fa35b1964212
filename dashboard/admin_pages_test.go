package dashboard_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"jinwei/dashboard"
	"jinwei/etl"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// opJobs is an ETL for the operator pages: two jobs, one failing, and uploads staged and
// loaded by id. It notes what started each call.
type opJobs struct {
	mu        sync.Mutex
	startedBy []string
	staged    map[string][]byte
	loaded    []string
}

func (j *opJobs) note(ctx context.Context) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.startedBy = append(j.startedBy, warehouse.StartedBy(ctx))
}

func (j *opJobs) RunJob(ctx context.Context, job string) ([]dashboard.JobResult, error) {
	j.note(ctx)
	return []dashboard.JobResult{{Run: warehouse.Run{ID: "00000000-0000-7000-8000-000000000001", Job: job, FilePath: "inbox/" + job + ".csv",
		Status: warehouse.RunCommitted, RowsLoaded: 7}}}, nil
}
func (j *opJobs) InFlight() []warehouse.Run { return nil }
func (j *opJobs) Upload(ctx context.Context, job, name string, body io.Reader) (dashboard.JobResult, error) {
	j.note(ctx)
	return dashboard.JobResult{}, nil
}
func (j *opJobs) Schedules(now time.Time) []dashboard.JobSchedule {
	return []dashboard.JobSchedule{
		{Job: "ecology", Cron: "0 6 * * *", Inbox: "/var/inbox/ecology", Next: now.Add(time.Hour)},
		{Job: "economy", Cron: "*/10 * * * *", Inbox: "/var/inbox/economy", URL: "https://stats.example/gdp.csv", Next: now.Add(time.Minute)},
	}
}
func (j *opJobs) Stage(ctx context.Context, job, name string, body io.Reader) (dashboard.StagedUpload, error) {
	b, err := io.ReadAll(body)
	if err != nil {
		return dashboard.StagedUpload{}, err
	}
	j.mu.Lock()
	id := fmt.Sprintf("%016x-%s", len(j.staged), name)
	j.staged[id] = b
	j.mu.Unlock()
	return j.PreviewStaged(ctx, job, id)
}

// PreviewStaged is the preview of a file Stage kept, by its name.
func (j *opJobs) PreviewStaged(_ context.Context, job, id string) (dashboard.StagedUpload, error) {
	j.mu.Lock()
	_, ok := j.staged[id]
	j.mu.Unlock()
	if !ok {
		return dashboard.StagedUpload{}, fmt.Errorf("preview upload: %q is no longer waiting", id)
	}
	name := id[17:]
	if job == "indicators" {
		// A dimension file: what it would change (etl's TestStagedDimensionFileSaysWhatItChanges).
		return dashboard.StagedUpload{ID: id, Name: name, Job: job, DryRun: &dashboard.JobResult{Run: warehouse.Run{RowsRead: 3, RowsLoaded: 3}},
			Changes: &dashboard.StagedChanges{Added: 60, Changed: 1, Same: 1, Turned: 1, Items: append([]dashboard.StagedChange{
				{Line: 2, Key: "gdp", NameZh: "地区生产总值", NameEn: "GDP", Fields: []dashboard.StagedField{{Column: "direction", Old: "1", New: "-1"}, {Column: "name_en", Old: "", New: "Gross product"}}}},
				slices.Repeat([]dashboard.StagedChange{{Line: 3, Key: "new_one", Added: true}}, 49)...)}}, nil
	}
	// b.csv's refusal is worded in Chinese too; old.csv's, as a loader's before it was, in
	// English only.
	refusal, refusalZh := "", ""
	if name == "b.csv" || name == "old.csv" {
		refusal = "file rejected: 1 of the 2 values with a number rejected (50%), more than the allowed 20%"
	}
	if name == "b.csv" {
		refusalZh = "文件被拒收：2 个有数的数值中拒收 1 个（50%），超过允许的 20%"
	}
	// A text file's table has no sheet name; b.csv goes on past what inspect read, across
	// 10,000 columns.
	header := []string{"year", "region_code", "indicator", "value"}
	if name == "b.csv" {
		for y := range 9996 {
			header = append(header, fmt.Sprintf("y%d", y))
		}
	}
	return dashboard.StagedUpload{ID: id, Name: name, Job: job, Format: "csv", Encoding: "utf-8", Reading: warehouse.ReadByColumnNames,
		Sheets: []dashboard.StagedSheet{{Layout: warehouse.LayoutLong, Header: header, HeaderLine: 1, HeaderRows: 1,
			DataRows: 2, Cut: name == "b.csv", Indicators: []string{"gdp", "no_such"}}},
		Notes: []dashboard.StagedNote{{Kind: warehouse.NoteTotalsLeftOut, Text: "合计"}},
		DryRun: &dashboard.JobResult{Run: warehouse.Run{RowsRead: 27, RowsLoaded: 1, RowsRejected: 26}, Rejects: []warehouse.Reject{
			{Line: 3, Location: "column region_code", Reason: `unknown region code "999999"`, ReasonZh: `未知的地区代码 "999999"`, Code: "unknown_region", Values: 25},
			{Line: 4, Location: "column 2024", Reason: `"x" is not a number`, Code: "bad_value", Values: 1}}},
		Preview: []dashboard.PreviewRow{{Line: 2, Indicator: "gdp", Region: "620000", PeriodKind: "ytd", Year: 2025, PeriodNo: 3, Value: 1349083.5, Unit: "亿元"}},
		Refusal: refusal, RefusalZh: refusalZh, Refused: refusal != ""}, nil
}
func (j *opJobs) LoadStaged(ctx context.Context, job, id string) (dashboard.JobResult, error) {
	j.note(ctx)
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, ok := j.staged[id]; !ok {
		return dashboard.JobResult{}, fmt.Errorf("%q is not a staged upload", id)
	}
	j.loaded = append(j.loaded, id)
	if strings.HasSuffix(id, "-b.csv") {
		// As cmd's adapter answers a load the loader refused: the failed run, its error beside it.
		return dashboard.JobResult{Run: warehouse.Run{ID: "00000000-0000-7000-8000-000000000003", Job: job, FilePath: id, Status: warehouse.RunFailed},
			Error: "load b.csv: file rejected: 1 of the 2 values with a number rejected"}, nil
	}
	return dashboard.JobResult{Run: warehouse.Run{ID: "00000000-0000-7000-8000-000000000002", Job: job, FilePath: id, Status: warehouse.RunCommitted}}, nil
}

// operatorRoutes are the routes of the last operator server built: what the role test walks.
var operatorRoutes []*echo.Route

// newOperatorServer is newAuthServer's warehouse and accounts with the operator's ETL.
func newOperatorServer(t testing.TB) (*authFixture, *opJobs) {
	t.Helper()
	jobs := &opJobs{staged: map[string][]byte{}}
	return newOperatorServerWith(t, etltest.Demo(t), jobs), jobs
}

// newOperatorServerWith is an operator server over w running jobs.
func newOperatorServerWith(t testing.TB, w *warehouse.Warehouse, jobs dashboard.Jobs) *authFixture {
	t.Helper()
	f := &authFixture{now: time.Now(), w: w}
	var users []dashboard.User
	for _, u := range []struct{ name, role, unit string }{{"leader", dashboard.RoleViewer, ""}, {"analyst", dashboard.RoleAnalyst, ""},
		{"ops", dashboard.RoleAdmin, ""}, {"filler", dashboard.RoleReporter, "620100"}, {"checker", dashboard.RoleVerifier, ""}} {
		h, err := dashboard.HashPassword(u.name + "-pw")
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, dashboard.User{Name: u.name, Role: u.role, Unit: u.unit, PasswordHash: h})
	}
	app, err := dashboard.New(dashboard.Config{HomeRegion: etltest.Home, Users: users, SessionKey: []byte(strings.Repeat("k", 32)),
		SessionTTL: time.Hour, Clock: func() time.Time { return f.now }, Jobs: jobs}, f.w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewTLSServer(app)
	t.Cleanup(f.srv.Close)
	operatorRoutes = app.Routes()
	return f
}

// adminRoutes are every operator page, form and admin API endpoint the server routes
// (/admin/… and /api/admin/…), read from its router so a route added later is checked too,
// with their parameters filled in.
func adminRoutes(t *testing.T) (gets, posts []string) {
	t.Helper()
	fill := strings.NewReplacer(":id", "00000000-0000-7000-8000-000000000009", ":job", "economy", ":name", "leader")
	for _, r := range operatorRoutes {
		if !strings.HasPrefix(r.Path, "/admin/") && !strings.HasPrefix(r.Path, "/api/admin/") {
			continue
		}
		p := fill.Replace(r.Path)
		switch r.Method {
		case http.MethodGet:
			gets = append(gets, p)
		case http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
			posts = append(posts, r.Method+" "+p)
		}
	}
	// The router must have been read: these are known to exist.
	for _, want := range []string{"/admin/loads", "/admin/loads/00000000-0000-7000-8000-000000000009/original", "/api/admin/runs"} {
		if !slices.Contains(gets, want) {
			t.Fatalf("the admin routes read from the router lack GET %s: %v", want, gets)
		}
	}
	return gets, posts
}

// Every role but admin gets 403 on every operator page, form and admin endpoint, and
// nobody signed in is sent to sign in (pages) or refused (the API); an admin gets the pages.
func TestAdminPagesAreForAdminsOnly(t *testing.T) {
	t.Parallel()
	f, jobs := newOperatorServer(t)
	gets, posts := adminRoutes(t)
	// Each user signs in once: sign-in allows five attempts at once per address.
	clients := map[string]*http.Client{}
	var others []string
	for _, r := range dashboard.RoleNames() {
		if r != dashboard.RoleAdmin {
			others = append(others, r)
		}
	}
	users := map[string]string{dashboard.RoleViewer: "leader", dashboard.RoleAnalyst: "analyst", dashboard.RoleReporter: "filler", dashboard.RoleVerifier: "checker"}
	for _, role := range others {
		user, ok := users[role]
		if !ok {
			t.Fatalf("no account of role %s in the operator server: add one", role)
		}
		c := f.client(t)
		signIn(t, c, f.srv.URL, user, user+"-pw")
		clients[user] = c
		token := csrfTokenOf(t, c, f.srv.URL, role)
		for _, p := range gets {
			if got := status(t, c, http.MethodGet, f.srv.URL+p, nil); got != http.StatusForbidden {
				t.Errorf("%s (%s) GET %s: %d, want 403", user, role, p, got)
			}
		}
		for _, mp := range posts {
			method, p, _ := strings.Cut(mp, " ")
			req, _ := http.NewRequest(method, f.srv.URL+p, strings.NewReader(url.Values{"_csrf": {token}, "role": {"admin"}, "name": {"x"}, "job": {"economy"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-CSRF-Token", token)
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s (%s) %s %s: %d, want 403", user, role, method, p, res.StatusCode)
			}
		}
	}
	anon := f.client(t)
	for _, p := range gets {
		want := http.StatusSeeOther
		if strings.HasPrefix(p, "/api/") {
			want = http.StatusUnauthorized
		}
		if got := status(t, anon, http.MethodGet, f.srv.URL+p, nil); got != want {
			t.Errorf("anonymous GET %s: %d, want %d", p, got, want)
		}
	}
	if len(jobs.startedBy) != 0 {
		t.Errorf("jobs ran for non-admins: %v", jobs.startedBy)
	}
	ops, _ := f.signedIn(t, "ops")
	for _, p := range []string{"/admin/loads", "/admin/schedules", "/admin/upload", "/admin/accounts", "/admin/loads?lang=en"} {
		if got := status(t, ops, http.MethodGet, f.srv.URL+p, nil); got != http.StatusOK {
			t.Errorf("ops GET %s: %d, want 200", p, got)
		}
	}
	// The operator pages are one link away from every page, for admins only.
	if !strings.Contains(body(t, ops, f.srv.URL+"/ranking"), `id="nav-admin" href="/admin/loads"`) {
		t.Errorf("no operations link in an admin's navigation")
	}
	if strings.Contains(body(t, clients["leader"], f.srv.URL+"/ranking"), `id="nav-admin"`) {
		t.Errorf("a viewer's navigation links to the operator pages")
	}
}

var dataRun = regexp.MustCompile(`data-run="([^"]+)"`)
var nextPage = regexp.MustCompile(`id="next-page" href="([^"]+)"`)

// pages follows a paged table's next-page links from u, returning every page's matches of re.
func pages(t *testing.T, c *http.Client, base, u string, re *regexp.Regexp) (all []string, n int) {
	t.Helper()
	for u != "" && n < 100 {
		b := body(t, c, base+u)
		n++
		for _, m := range re.FindAllStringSubmatch(b, -1) {
			all = append(all, m[1])
		}
		u = ""
		if m := nextPage.FindStringSubmatch(b); m != nil {
			u = html.UnescapeString(m[1])
		}
	}
	return all, n
}

// The loads page filters runs by job, status and date and pages through them by keyset:
// every run once, newest first, with what started it.
func TestLoadsPageFiltersAndPages(t *testing.T) {
	t.Parallel()
	f, _ := newOperatorServer(t)
	ctx := context.Background()
	base := time.Date(2020, 3, 1, 8, 0, 0, 0, time.UTC)
	var failedEcology []string
	for i := range 130 {
		job, status := "economy", warehouse.RunCommitted
		if i%3 == 0 {
			job = "ecology"
		}
		if i%5 == 0 {
			status = "failed"
		}
		r := warehouse.Run{ID: fmt.Sprintf("00000000-0000-7000-8000-%012d", i+1), Job: job, FilePath: fmt.Sprintf("/in/f%d.csv", i),
			Status: status, RowsRead: 10, RowsLoaded: 9, RowsRejected: 1, StartedAt: base.Add(time.Duration(i) * time.Hour),
			FinishedAt: base.Add(time.Duration(i)*time.Hour + 3*time.Second), StartedBy: "schedule"}
		// A run is recorded running first, as the loader does: the page shows its last state.
		running := r
		running.Status, running.FinishedAt = "running", time.Time{}
		if err := f.w.RecordRun(ctx, running); err != nil {
			t.Fatal(err)
		}
		if err := f.w.RecordRun(ctx, r); err != nil {
			t.Fatal(err)
		}
		if job == "ecology" && status == "failed" && r.StartedAt.Before(time.Date(2020, 3, 4, 0, 0, 0, 0, time.UTC)) {
			failedEcology = append(failedEcology, r.ID)
		}
	}
	c, _ := f.signedIn(t, "ops")
	got, _ := pages(t, c, f.srv.URL, "/admin/loads?job=ecology&status=failed&from=2020-03-01&to=2020-03-03", dataRun)
	if fmt.Sprint(got) != fmt.Sprint(reversed(failedEcology)) {
		t.Errorf("failed ecology runs of 1–3 March: %v, want %v", got, reversed(failedEcology))
	}
	all, n := pages(t, c, f.srv.URL, "/admin/loads?from=2020-01-01&to=2020-12-31", dataRun)
	seen := map[string]bool{}
	for _, id := range all {
		seen[id] = true
	}
	if len(all) != 130 || len(seen) != 130 || n != 3 {
		t.Errorf("paging: %d runs (%d distinct) on %d pages, want 130 on 3", len(all), len(seen), n)
	}
	if len(all) > 0 && all[0] != "00000000-0000-7000-8000-000000000130" {
		t.Errorf("first run %s, want the newest", all[0])
	}
	if got, _ := pages(t, c, f.srv.URL, "/admin/loads?status=running&from=2020-01-01&to=2020-12-31", dataRun); len(got) != 0 {
		t.Errorf("%d runs still shown running after they finished", len(got))
	}
	page := body(t, c, f.srv.URL+"/admin/loads?job=economy&from=2020-03-01&to=2020-03-01")
	for _, want := range []string{">定时<", "<td class=\"num\">9</td>", "3s", "f1.csv", ">已提交<"} {
		if !strings.Contains(page, want) {
			t.Errorf("loads page lacks %q", want)
		}
	}
	// Statuses and what started a run are words of the page's language, never codes.
	en := body(t, c, f.srv.URL+"/admin/loads?job=economy&from=2020-03-01&to=2020-03-01&lang=en")
	for _, want := range []string{">Schedule<", ">Committed<", `<option value="failed">Failed</option>`} {
		if !strings.Contains(en, want) {
			t.Errorf("English loads page lacks %q", want)
		}
	}
	for _, raw := range []string{">committed<", ">failed<", ">schedule<", ">unchanged<"} {
		if strings.Contains(page, raw) || strings.Contains(en, raw) {
			t.Errorf("loads page shows the status code %q untranslated", raw)
		}
	}
	// So are the jobs, in the table, the filter and on a run's page; the code stays in the
	// option's value and the cell's title, for an operator matching a log or a config.
	run := body(t, c, f.srv.URL+"/admin/loads/00000000-0000-7000-8000-000000000002")
	runEn := body(t, c, f.srv.URL+"/admin/loads/00000000-0000-7000-8000-000000000002?lang=en")
	for _, p := range []struct{ name, page, cell, option string }{
		{"loads", page, `title="economy">经济数据</td>`, `<option value="ecology">生态整改台账</option>`},
		{"English loads", en, `title="economy">Economic data</td>`, `<option value="ecology">Ecology ledger</option>`},
		{"run", run, `title="economy">经济数据</td>`, ""},
		{"English run", runEn, `title="economy">Economic data</td>`, ""},
	} {
		for _, want := range []string{p.cell, p.option} {
			if !strings.Contains(p.page, want) {
				t.Errorf("%s page lacks %q", p.name, want)
			}
		}
		for _, raw := range []string{">economy<", ">ecology<"} {
			if strings.Contains(p.page, raw) {
				t.Errorf("%s page shows the job code %q as its text", p.name, raw)
			}
		}
	}
	for _, bad := range []string{"/admin/loads?from=March", "/admin/loads?before=nonsense"} {
		if got := status(t, c, http.MethodGet, f.srv.URL+bad, nil); got != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 400", bad, got)
		}
	}
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

// loadBad loads an economy file of mostly bad rows through the ETL, as an upload would.
func loadBad(t *testing.T, w *warehouse.Warehouse, content string) *etl.Report {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	l := etl.NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	l.MaxRejectShare = 1
	rep, err := l.Load(warehouse.WithStartedBy(context.Background(), "upload:ops"), etl.JobEconomy, path, etltest.Home, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

var rejectLine = regexp.MustCompile(`<tr class="reject"><td class="num">(\d+)</td>`)

// A run's page groups its rejects by reason code, searches and pages them, and exports them
// as CSV and XLSX with the page's filters.
func TestRunPageGroupsSearchesAndExportsRejects(t *testing.T) {
	t.Parallel()
	f, _ := newOperatorServer(t)
	var b strings.Builder
	b.WriteString("year,region,indicator,value\n2019,甘肃,gdp,1\n") // line 2 loads
	for i := range 150 {                                          // lines 3–152: unknown regions
		fmt.Fprintf(&b, "2019,火星%d,gdp,1\n", i)
	}
	b.WriteString("2019,陕西,gdp,一千\n2019,宁夏,gdp,二\n") // 153, 154: not numbers
	rep := loadBad(t, f.w, b.String())
	c, _ := f.signedIn(t, "ops")
	run := "/admin/loads/" + rep.Run.ID
	page := body(t, c, f.srv.URL+run)
	// Each code says its kind of fault in the page's language, and each reason and example
	// is in Chinese: the page said them in English.
	for _, want := range []string{`data-code="unknown_region"><strong>无法识别的代码或名称 <code>unknown_region</code></strong> ×150`,
		`<strong>取值不合规 <code>bad_value</code></strong> ×2`, ">上传（ops）<", ">已提交<", `<td>未知的地区“火星0”</td>`,
		`<span class="example">未知的地区“火星`, `<span class="example">“一千”不是数字</span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("run page lacks %q", want)
		}
	}
	if strings.Contains(page, `<span lang="en">`) || strings.Contains(page, `id="reasons-in-english"`) {
		t.Errorf("the Chinese run page shows a reason in English")
	}
	if en := body(t, c, f.srv.URL+run+"?lang=en"); !strings.Contains(en, `<td>unknown region &#34;火星0&#34;</td>`) {
		t.Errorf("the English run page does not give the reasons in English")
	}
	lines, n := pages(t, c, f.srv.URL, run, rejectLine)
	if len(lines) != 152 || n != 2 || lines[0] != "3" || lines[151] != "154" {
		t.Errorf("rejects: %d on %d pages (first %v), want 152 on 2 from line 3 to 154", len(lines), n, lines[:min(3, len(lines))])
	}
	if got, _ := pages(t, c, f.srv.URL, run+"?code=bad_value", rejectLine); fmt.Sprint(got) != "[153 154]" {
		t.Errorf("bad_value rejects: lines %v, want [153 154]", got)
	}
	if got, _ := pages(t, c, f.srv.URL, run+"?q="+url.QueryEscape("火星12"), rejectLine); len(got) != 11 {
		t.Errorf("search 火星12: %d rejects, want 11 (火星12, 火星120–129)", len(got))
	}
	// A search that finds nothing says so, not that the load rejected nothing (a red-team
	// finding: "本次载入没有拒收行" under a header of 152 rejected).
	if b := body(t, c, f.srv.URL+run+"?q=nomatchzz"); !strings.Contains(b, `id="no-match">没有符合条件的拒收行`) || strings.Contains(b, "本次载入没有拒收行") {
		t.Errorf("a search finding nothing reads: %s", between(b, `<table id="rejects">`, "</table>"))
	}
	res, err := c.Get(f.srv.URL + run + "/rejects?format=csv&code=bad_value")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(res.Body).ReadAll()
	res.Body.Close()
	if err != nil || len(recs) != 3 || strings.TrimPrefix(recs[0][0], "\ufeff") != "line" || recs[1][0] != "153" || recs[1][2] != "bad_value" ||
		recs[1][3] != `"一千" is not a number` || recs[1][4] != `“一千”不是数字` || !strings.Contains(recs[1][5], "一千") {
		t.Errorf("CSV export: %v %v; want a header and lines 153, 154 with code, reason in both languages and raw row", recs, err)
	}
	res, err = c.Get(f.srv.URL + run + "/rejects?format=xlsx")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	x, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("XLSX export: %v", err)
	}
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil || len(rows) != 153 {
		t.Errorf("XLSX export: %d rows, %v; want 152 rejects and a header", len(rows), err)
	}
	if got := status(t, c, http.MethodGet, f.srv.URL+run+"/rejects?format=parquet", nil); got != http.StatusBadRequest {
		t.Errorf("parquet export: %d, want 400", got)
	}
	audit := body(t, c, f.srv.URL+"/admin/accounts?user=ops&kind=admin")
	if !strings.Contains(audit, "export rejects of run "+rep.Run.ID) {
		t.Errorf("the export is not in the audit log")
	}
	// Each entry's kind is named in the reader's words, and the search offers the kinds by
	// name: the column said admin, query, wall on a Chinese page, and the search was a box
	// for a code no page gave.
	for _, want := range []string{`<td title="admin">运维操作</td>`, `<option value="admin" selected>运维操作</option>`, `<option value="ledger_step">台账整改步骤</option>`} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %s", want)
		}
	}
	if en := body(t, c, f.srv.URL+"/admin/accounts?user=ops&kind=admin&lang=en"); !strings.Contains(en, `<td title="admin">Operator change</td>`) {
		t.Errorf("the English audit log does not name the entries' kind")
	}
	// A reject stored before reasons had Chinese shows its English, marked as English, with
	// the note that says why.
	if err := whtest.Exec(context.Background(), f.w, `INSERT INTO etl_rejects (run_id, file_path, line, location, raw, reason, reason_code, created_at)
		VALUES (toUUID({run:String}), 'f.csv', 155, '', 'x', 'an older reason', 'bad_value', now64(3))`, warehouse.Params{"run": rep.Run.ID}); err != nil {
		t.Fatal(err)
	}
	page = body(t, c, f.srv.URL+run+"?code=bad_value")
	for _, want := range []string{`<td><span lang="en">an older reason</span></td>`, `id="reasons-in-english"`, `<td>“二”不是数字</td>`} {
		if !strings.Contains(page, want) {
			t.Errorf("with a reject stored without Chinese, the run page lacks %q", want)
		}
	}
	// A refused run says why in the page's language (it said it in English only); one
	// recorded before there was Chinese, in English, marked so.
	for i, c2 := range []struct{ zh, want, wantEn string }{
		{"文件被拒收：没有一行可以载入", `id="run-message">文件被拒收：没有一行可以载入</td>`, `id="run-message">file rejected: no row could be loaded</td>`},
		{"", `id="run-message"><span lang="en">file rejected: no row could be loaded</span> <small>（载入程序记录的英文原文）</small></td>`, `id="run-message">file rejected: no row could be loaded</td>`},
	} {
		r := rep.Run
		r.ID, r.Status, r.Message, r.MessageZh = fmt.Sprintf("0193a6f0-0000-7000-8000-00000000000%d", i), warehouse.RunFailed, "file rejected: no row could be loaded", c2.zh
		if err := f.w.RecordRun(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		if got := body(t, c, f.srv.URL+"/admin/loads/"+r.ID); !strings.Contains(got, c2.want) {
			t.Errorf("a refused run's page (Chinese %q) lacks %s", c2.zh, c2.want)
		}
		if got := body(t, c, f.srv.URL+"/admin/loads/"+r.ID+"?lang=en"); !strings.Contains(got, c2.wantEn) {
			t.Errorf("a refused run's English page lacks %s", c2.wantEn)
		}
	}
}

// The accounts page adds an account (its password shown once, and it signs in), changes its
// role, resets its password, disables it, revokes a token; each change is in the audit log.
func TestAccountsPage(t *testing.T) {
	t.Parallel()
	f, _ := newOperatorServer(t)
	c, token := f.signedIn(t, "ops")
	post := func(p string, form url.Values) string {
		t.Helper()
		form.Set("_csrf", token)
		res, err := c.PostForm(f.srv.URL+p, form)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %d %s", p, res.StatusCode, b)
		}
		return string(b)
	}
	// Roles and units in words, in each language: the pickers listed admin, analyst …
	// and a reporter's unit was its code alone.
	post("/admin/accounts", url.Values{"name": {"clerk2"}, "role": {"reporter"}, "unit": {"620102"}})
	for lang, want := range map[string][]string{
		"zh": {`<option value="viewer">查看者（领导）</option>`, `<option value="reporter" selected>填报员</option>`, "<td>城关区 620102</td>"},
		"en": {`<option value="admin">administrator</option>`, "<td>Chengguan District 620102</td>"},
	} {
		page := body(t, c, f.srv.URL+"/admin/accounts?lang="+lang)
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("the %s accounts page lacks %s", lang, w)
			}
		}
	}
	if page := body(t, c, f.srv.URL+"/admin/alerts"); !strings.Contains(page, `<option value="county">县市区</option>`) {
		t.Errorf("the alert rule's scope is offered by its code, not as 县市区")
	}
	secret := regexp.MustCompile(`<code id="secret-password">([^<]+)</code>`)
	page := post("/admin/accounts", url.Values{"name": {"newbie"}, "role": {"analyst"}})
	m := secret.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the new account's password is not shown")
	}
	if strings.Contains(body(t, c, f.srv.URL+"/admin/accounts"), m[1]) {
		t.Errorf("the password is shown again")
	}
	nc := f.client(t)
	if res := signIn(t, nc, f.srv.URL, "newbie", m[1]); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/ranking" {
		t.Fatalf("newbie cannot sign in with the shown password: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if got := status(t, nc, http.MethodGet, f.srv.URL+"/console", nil); got != http.StatusOK {
		t.Errorf("analyst newbie: console %d, want 200", got)
	}
	post("/admin/accounts/newbie/role", url.Values{"role": {"viewer"}})
	if got := status(t, nc, http.MethodGet, f.srv.URL+"/console", nil); got == http.StatusOK {
		t.Errorf("newbie still opens the console after becoming a viewer")
	}
	page = post("/admin/accounts/newbie/password", url.Values{})
	m2 := secret.FindStringSubmatch(page)
	if m2 == nil || m2[1] == m[1] {
		t.Fatalf("reset shows no new password")
	}
	post("/admin/accounts/newbie/disable", url.Values{})
	if res := signIn(t, f.client(t), f.srv.URL, "newbie", m2[1]); res.StatusCode == http.StatusSeeOther && res.Header.Get("Location") == "/ranking" {
		t.Errorf("a disabled account signed in")
	}
	// A token made over the JSON API is listed and revoked on the page.
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/api/admin/tokens", strings.NewReader(`{"name":"ops","role":"viewer"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", token)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := io.ReadAll(res.Body)
	res.Body.Close()
	id := regexp.MustCompile(`"id":"([^"]+)"`).FindStringSubmatch(string(tb))
	if id == nil {
		t.Fatalf("token: %d %s", res.StatusCode, tb)
	}
	// Its role in words and its day in Beijing time, as the accounts above (it read viewer).
	beijing := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	if row := regexp.MustCompile(`(?s)data-token="` + id[1] + `">.*?</tr>`).FindString(body(t, c, f.srv.URL+"/admin/accounts")); row == "" {
		t.Errorf("the token is not listed")
	} else if !strings.Contains(row, "<td>查看者（领导）</td><td>"+beijing+"</td>") {
		t.Errorf("the token's row does not give its role in words and the day it was made in Beijing (%s): %s", beijing, row)
	}
	page = post("/admin/tokens/"+id[1]+"/revoke", url.Values{})
	if row := regexp.MustCompile(`(?s)data-token="` + id[1] + `">.*?</tr>`).FindString(page); !strings.Contains(row, `class="fail"`) {
		i := strings.Index(page, `id="tokens"`)
		t.Errorf("the token is not shown revoked: %s", page[i:min(len(page), i+1500)])
	}
	audit := body(t, c, f.srv.URL+"/admin/accounts?user=ops&kind=admin&from="+time.Now().UTC().Format(time.DateOnly))
	for _, want := range []string{"add account newbie (analyst)", "change role of newbie to viewer", "reset password of newbie", "disable account newbie", "revoke API token " + id[1]} {
		if !strings.Contains(audit, html.EscapeString(want)) {
			t.Errorf("audit log lacks %q", want)
		}
	}
	if strings.Contains(body(t, c, f.srv.URL+"/admin/accounts?user=nobody"), "add account newbie") {
		t.Errorf("the audit search by user returned another user's entries")
	}
	if strings.Contains(body(t, c, f.srv.URL+"/admin/accounts?user=ops&to=2000-01-01"), "add account newbie") {
		t.Errorf("the audit search by date returned today's entries for a day in 2000")
	}
}

// The schedules page shows each job's cron, inbox, URL and next run, a failing job first;
// "run now" runs it as the admin who asked. The upload page stages files, shows their
// preview, dry run and refusal, and loads them only on the operator's go.
func TestSchedulesAndUploadPages(t *testing.T) {
	t.Parallel()
	f, jobs := newOperatorServer(t)
	ctx := context.Background()
	start := time.Now().UTC().Add(time.Minute) // after the demo's runs
	for _, r := range []warehouse.Run{
		{ID: "00000000-0000-7000-8000-0000000000e1", Job: "ecology", FilePath: "x.csv", Status: "failed", Message: "file rejected", StartedAt: start, FinishedAt: start.Add(time.Second)},
		{ID: "00000000-0000-7000-8000-0000000000e2", Job: "economy", FilePath: "y.csv", Status: warehouse.RunCommitted, StartedAt: start, FinishedAt: start.Add(time.Second)},
	} {
		if err := f.w.RecordRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	c, token := f.signedIn(t, "ops")
	// A file refused whole has no rejected lines: its page said 本次载入没有拒收行 under
	// counts of 0, as if it had loaded cleanly.
	for path, want := range map[string]string{
		"/admin/loads/00000000-0000-7000-8000-0000000000e1":         "本次载入失败，没有写入任何数据；原因见上面的“说明”",
		"/admin/loads/00000000-0000-7000-8000-0000000000e1?lang=en": "The load failed and nothing was written",
		"/admin/loads/00000000-0000-7000-8000-0000000000e2":         "本次载入没有拒收行",
	} {
		if got := between(body(t, c, f.srv.URL+path), `<p id="no-rejects">`, "</p>"); !strings.Contains(got, want) {
			t.Errorf("%s says %q of its rejects; want %q", path, got, want)
		}
	}
	page := body(t, c, f.srv.URL+"/admin/schedules")
	failing := strings.Index(page, `class="job failing" data-job="ecology"`)
	fine := strings.Index(page, `data-job="economy"`)
	if failing < 0 || fine < 0 || failing > fine {
		t.Errorf("the failing job is not marked or not first (%d, %d)", failing, fine)
	}
	for _, want := range []string{"<code>*/10 * * * *</code>", "https://stats.example/gdp.csv", "/var/inbox/ecology"} {
		if !strings.Contains(page, html.EscapeString(want)) && !strings.Contains(page, want) {
			t.Errorf("schedules page lacks %q", want)
		}
	}
	// No number on an operator page comes from a load, so it has no source footnote (it
	// said "数据来源: —").
	for _, p := range []string{"/admin/schedules", "/admin/schedules?lang=en", "/admin/upload", "/admin/upload?lang=en"} {
		pg := page
		if p != "/admin/schedules" {
			pg = body(t, c, f.srv.URL+p)
		}
		for _, bad := range []string{"数据来源", "Source:", `<span class="source">`} {
			if strings.Contains(pg, bad) {
				t.Errorf("%s shows a source footnote (%q) though no loaded data is on it", p, bad)
			}
		}
	}
	res, err := c.PostForm(f.srv.URL+"/admin/schedules/economy/run", url.Values{"_csrf": {token}})
	if err != nil {
		t.Fatal(err)
	}
	rb, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(rb), `id="run-result"`) || fmt.Sprint(jobs.startedBy) != "[run-now:ops]" {
		t.Errorf("run now: %d, started by %v", res.StatusCode, jobs.startedBy)
	}
	// Upload: the job field, then two files, as the page's form sends them.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("job", "economy")
	for _, name := range []string{"a.csv", "b.csv"} {
		fw, _ := mw.CreateFormFile("file", name)
		io.WriteString(fw, "year,region_code,indicator,value\n2025,620000,gdp,13800\n2025,999999,gdp,2\n")
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/admin/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", token)
	res, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	rb, _ = io.ReadAll(res.Body)
	res.Body.Close()
	page = string(rb)
	if res.StatusCode != http.StatusOK || strings.Count(page, `class="staged"`) != 2 {
		t.Fatalf("upload preview: %d, %d staged files\n%s", res.StatusCode, strings.Count(page, `class="staged"`), page)
	}
	// A reject's kind and reason are said in the reader's words, as on a run's page (the
	// reason was the loader's English); a reason without Chinese is its English, marked so,
	// with the note.
	// A line's values refused for one reason are one row, with their count; all 26 are
	// listed, so no note says only the first are.
	// Where a reject is, in the reader's words (it said "column region_code").
	for _, want := range []string{"无法识别的代码或名称<br><code>unknown_region</code>", `<td>未知的地区代码 &#34;999999&#34;</td>`, `<td><span lang="en">&#34;x&#34; is not a number</span></td>`, `id="reasons-in-english"`, `<td class="num">此行 25 个数值</td>`, "1,349,083.5", "将被拒绝",
		"<td>“region_code”列</td>", "<td>“2024”列</td>",
		// The refusal is in Chinese: it was the loader's English.
		`将被拒绝：文件被拒收：2 个有数的数值中拒收 1 个（50%），超过允许的 20%</p>`} {
		if !strings.Contains(page, want) {
			t.Errorf("upload preview lacks %q", want)
		}
	}
	// A refusal without Chinese is the loader's English, marked so, and said to be.
	jobs.mu.Lock()
	jobs.staged["00000000000000aa-old.csv"] = nil
	jobs.mu.Unlock()
	old := body(t, c, f.srv.URL+"/admin/upload?job=economy&staged=00000000000000aa-old.csv")
	if want := `将被拒绝：<span lang="en">file rejected: 1 of the 2 values with a number rejected (50%), more than the allowed 20%</span> <small>（载入程序记录的英文原文）</small>`; !strings.Contains(old, want) {
		t.Errorf("a refusal without Chinese: the preview lacks %s", want)
	}
	// Each table says what it lists: two tables of lines stood one under the other, unnamed.
	for _, want := range []string{"<caption>将被拒收的行</caption>", "<caption>将载入的数值（显示前 1 条）</caption>"} {
		if !strings.Contains(page, want) {
			t.Errorf("upload preview lacks %q", want)
		}
	}
	// Indicators, regions, periods and units are named as every other page names them (the
	// preview showed gdp, 2025, and 620000 甘肃省 on the English page too).
	for _, want := range []string{"<dd><code>gdp</code> 地区生产总值；<code>no_such</code></dd>", "<td><code>gdp</code> 地区生产总值</td><td>620000 甘肃省</td><td>2025年1-3月累计</td>", "<td>亿元</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("upload preview lacks %q", want)
		}
	}
	if strings.Contains(page, `id="rejects-first"`) {
		t.Errorf("upload preview says it lists only the first rejects; it lists all 26 values")
	}
	// What inspect made of each file, and how it is read, in the reader's words: it said
	// "工作表 : 布局 long, 表头 (1)", its notes in English, and a value as 1.3490835e+06.
	for _, want := range []string{"<dd>长表：每行一个数值</dd>", "<dd>第 1 行</dd>", "<dt>列（4）</dt>", "<dd>2（只查看了表格开头；下面的试载入读取全表）</dd>",
		"“合计”等合计行不载入", `<p class="reading">没有为此文件名配置读法，也未能完整认出表格形式：按列名读取`} {
		if !strings.Contains(page, want) {
			t.Errorf("upload preview lacks %q", want)
		}
	}
	// A table of 10,000 columns lists its first 60 names (the page was 228 KB of them).
	if !strings.Contains(page, "<dt>列（10000）</dt>") || !strings.Contains(page, "<code>y55</code> ……另有 9940 列") || strings.Contains(page, "<code>y56</code>") {
		t.Errorf("a preview of 10,000 columns lists them otherwise than the first 60 and a count")
	}
	for _, bad := range []string{"<dt>工作表</dt>", ">long<", " long,", "e+06", "rows are totals"} {
		if strings.Contains(page, bad) {
			t.Errorf("upload preview says %q", bad)
		}
	}
	// A file its load would refuse offers no load (a.csv loads, b.csv is refused).
	if n := strings.Count(page, `class="upload-load"`); n != 1 || !strings.Contains(page, "此文件不能载入") {
		t.Errorf("upload preview offers %d loads for one file that loads and one refused; want 1, and the refused one to say so", n)
	}
	if !strings.Contains(page, "试载入（未写入）：读取 27 条，可载入 1 条，无数值 0 条，拒收 26 条。") {
		t.Errorf("upload preview's dry run does not say what it would load: %s", between(page, `<p class="dry-run">`, "</p>"))
	}
	// The preview's language switch leads to the same files' preview in English, and back
	// (it led to an empty upload form: the preview answers a POST).
	switchTo := func(page string) string {
		m := regexp.MustCompile(`id="lang-switch" lang="[^"]*" href="([^"]+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no language switch on the page")
		}
		return body(t, c, f.srv.URL+html.UnescapeString(m[1]))
	}
	en := switchTo(page)
	for _, want := range []string{`class="staged"`, "Dry run (nothing written): 27 read, 1 would load, 0 without a value, 26 refused.", "25 values in this line", "b.csv",
		"<caption>Lines that would be refused</caption>", "<caption>Values that would load (the first 1 shown)</caption>",
		"<dd>Long: one value per row</dd>", "<dd>row 1</dd>", "Total rows such as “合计” are left out", "it is read by its column names", "<td>column region_code</td>",
		"<dd><code>gdp</code> GDP; <code>no_such</code></dd>", "<td><code>gdp</code> GDP</td><td>620000 Gansu</td><td>2025 months 1–3 (cumulative)</td>", "<td>100 million yuan</td>"} {
		if !strings.Contains(en, want) || strings.Count(en, `class="staged"`) != 2 {
			t.Errorf("the preview in English lacks %q, or its two files", want)
		}
	}
	if zh := switchTo(en); strings.Count(zh, `class="staged"`) != 2 || !strings.Contains(zh, "此行 25 个数值") {
		t.Errorf("the preview switched back to Chinese lacks its files")
	}
	if gone := body(t, c, f.srv.URL+"/admin/upload?job=economy&staged=00000000000000ff-gone.csv"); !strings.Contains(gone, "is no longer waiting") || strings.Contains(gone, `class="staged"`) {
		t.Errorf("a preview of an upload no longer waiting does not say so")
	}
	if res, err := c.Get(f.srv.URL + "/admin/upload?job=nope&staged=00000000000000ff-gone.csv"); err != nil {
		t.Fatal(err)
	} else if res.Body.Close(); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a preview of a job there is not answered %d; want 400", res.StatusCode)
	}
	// Each preview reads its file whole: an address names a bounded number of them.
	many := url.Values{"job": {"economy"}}
	for i := range 101 {
		many.Add("staged", fmt.Sprintf("%016x-a.csv", i))
	}
	if res, err := c.Get(f.srv.URL + "/admin/upload?" + many.Encode()); err != nil {
		t.Fatal(err)
	} else if res.Body.Close(); res.StatusCode != http.StatusBadRequest {
		t.Errorf("an address naming 101 staged uploads answered %d; want 400", res.StatusCode)
	}
	if len(jobs.loaded) != 0 {
		t.Fatalf("files loaded before the operator's go: %v", jobs.loaded)
	}
	id := regexp.MustCompile(`name="staged" value="([^"]+)"`).FindStringSubmatch(page)
	res, err = c.PostForm(f.srv.URL+"/admin/upload/load", url.Values{"_csrf": {token}, "job": {"economy"}, "staged": {html.UnescapeString(id[1])}})
	if err != nil {
		t.Fatal(err)
	}
	rb, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || len(jobs.loaded) != 1 || !strings.Contains(string(rb), `id="loaded"`) || jobs.startedBy[len(jobs.startedBy)-1] != "upload:ops" {
		t.Errorf("load: %d, loaded %v, started by %v", res.StatusCode, jobs.loaded, jobs.startedBy)
	}
	// A load the loader refused is audited as failed: it was written down as a success, its
	// run page saying 失败.
	refusedID := regexp.MustCompile(`data-staged="([^"]+-b\.csv)"`).FindStringSubmatch(page)
	if refusedID == nil {
		t.Fatal("no staged b.csv on the preview")
	}
	if _, err := c.PostForm(f.srv.URL+"/admin/upload/load", url.Values{"_csrf": {token}, "job": {"economy"}, "staged": {html.UnescapeString(refusedID[1])}}); err != nil {
		t.Fatal(err)
	}
	entries, err := f.w.SearchAudit(ctx, warehouse.AuditQuery{User: "ops", Action: warehouse.AuditAdmin, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[string]string{}
	for _, e := range entries {
		if strings.HasPrefix(e.Statement, "load upload ") {
			outcomes[e.Statement[len("load upload "):]] = e.Outcome + " " + e.Message
		}
	}
	if got := outcomes[html.UnescapeString(refusedID[1])+" for job economy"]; !strings.HasPrefix(got, "failed file rejected") && !strings.HasPrefix(got, "failed load b.csv: file rejected") {
		t.Errorf("the refused load is audited as %q; want failed, with the loader's reason (all: %v)", got, outcomes)
	}
	if got := outcomes[html.UnescapeString(id[1])+" for job economy"]; got != "ok " {
		t.Errorf("the load that went through is audited as %q; want ok", got)
	}
	// Without the CSRF header the upload is refused.
	req, _ = http.NewRequest(http.MethodPost, f.srv.URL+"/admin/upload", strings.NewReader("--x--"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	if res, err = c.Do(req); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusBadRequest {
		t.Errorf("upload without CSRF token: %d, want refused", res.StatusCode)
	}
	// A dimension file's preview says what it would change, and warns of a turned
	// direction (it said nothing, and GDP could be loaded as "lower is better").
	buf.Reset()
	mw = multipart.NewWriter(&buf)
	_ = mw.WriteField("job", "indicators")
	fw, _ := mw.CreateFormFile("file", "indicators.csv")
	io.WriteString(fw, "code,name_zh,unit,direction,frequency\ngdp,地区生产总值,亿元,-1,year\n")
	mw.Close()
	req, _ = http.NewRequest(http.MethodPost, f.srv.URL+"/admin/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", token)
	if res, err = c.Do(req); err != nil {
		t.Fatal(err)
	}
	rb, _ = io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{"与仓库中现有的相比：新增 60 项，修改 1 项，1 项不变。", `id="direction-changes"`, "<caption>将新增或修改的项</caption>",
		`<code>gdp</code> 地区生产总值</td>`, `<span class="field-change grave"><code>direction</code> 1 → -1（越高越好 → 越低越好）</span>`, `<code>name_en</code> — → Gross product`, "另有 11 项新增或修改未列出。"} {
		if !strings.Contains(string(rb), want) {
			t.Errorf("indicators preview lacks %q", want)
		}
	}
}

// A run's page says how its job counts records where a line may hold several values, in
// the page's language; a ledger run's, where a line is one item, says nothing of years
// across (it did).
func TestRunPageSaysHowItsJobCounts(t *testing.T) {
	t.Parallel()
	f, _ := newOperatorServer(t)
	c, _ := f.signedIn(t, "ops")
	economy := loadBad(t, f.w, "year,region,indicator,value\n2019,甘肃,gdp,1\n2019,火星,gdp,1\n")
	ledger := etltest.LoadCSV(t, f.w, "ecology", "ledger.csv", "item_id,region,title,found_date,deadline,status,status_date,responsible_unit\n"+
		"GS-T-1,兰州市,河道整治,2024-01-05,2024-06-30,整改中,2024-03-31,兰州市生态环境局\n")
	for _, tc := range []struct {
		run, lang, want string
	}{
		{economy.Run.ID, "", "宽表（各年或各指标横排）的一行，每个数值格算一条"},
		{economy.Run.ID, "en", "a line of a wide file (years or indicators across) counts once per value cell"},
		{ledger.Run.ID, "", ""},
	} {
		page := body(t, c, f.srv.URL+"/admin/loads/"+tc.run+"?lang="+tc.lang)
		note := between(page, `id="counted-in-values">`, "</p>")
		if tc.want == "" && strings.Contains(page, `id="counted-in-values"`) || !strings.Contains(note, tc.want) {
			t.Errorf("run %s (lang %q) counts: %q, want %q", tc.run, tc.lang, note, tc.want)
		}
	}
}
