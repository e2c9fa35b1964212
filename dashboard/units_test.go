package dashboard_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"jinwei/dashboard"
	"jinwei/dashboard/api"
	"jinwei/warehouse"
)

// reporters are the config accounts of two units' staff, for tests of what a unit sees.
func reporters(t testing.TB, units map[string]string) func(*dashboard.Config) {
	return func(cfg *dashboard.Config) {
		for name, unit := range units {
			h, err := dashboard.HashPassword(name + "-pw")
			if err != nil {
				t.Fatal(err)
			}
			cfg.Users = append(cfg.Users, dashboard.User{Name: name, Role: dashboard.RoleReporter, Unit: unit, PasswordHash: h})
		}
	}
}

// A reporter answers for its unit only: no province-wide page or JSON (the ledger's pages
// show it its own unit's items: TestLedgerLoopOverHTTP), no SQL console or
// API, no admin page or API. A verifier sees the dashboards but runs no SQL and no loads.
func TestReportersReachNoProvincePageSQLOrAdmin(t *testing.T) {
	t.Parallel()
	f := newAccountsServer(t, false, reporters(t, map[string]string{"eco": "D03"}))
	eco, csrf := signedInHere(t, f, "eco")
	base := f.srv.URL
	for _, u := range []string{"/", "/api/cockpit", "/ranking", "/api/ranking", "/counties", "/api/counties", "/campaign", "/api/campaign", "/api/campaign/method", "/api/version",
		"/console", "/api/sql/schema", "/api/admin/runs", "/api/admin/accounts", "/api/admin/tokens", "/admin/accounts", "/admin/loads"} {
		if code := status(t, eco, "GET", base+u, nil); code != http.StatusForbidden && code != http.StatusNotFound {
			t.Errorf("reporter GET %s: %d, want 403", u, code)
		}
	}
	for _, u := range []string{"/api/sql", "/api/admin/accounts", "/api/admin/jobs/campaign/run"} {
		if code, body := call(t, eco, "POST", base+u, map[string]string{"X-CSRF-Token": csrf}, map[string]string{"sql": "SELECT 1"}); code != http.StatusForbidden {
			t.Errorf("reporter POST %s: %d %s, want 403", u, code, body)
		}
	}
	if code, body := call(t, f.client(t), "POST", base+"/api/admin/accounts", cliToken, dashboard.AccountRequest{Name: "verify1", Role: dashboard.RoleVerifier}); code != http.StatusOK {
		t.Fatalf("add a verifier: %d %s", code, body)
	}
	for _, bad := range []dashboard.AccountRequest{
		{Name: "r1", Role: dashboard.RoleReporter},
		{Name: "r2", Role: dashboard.RoleReporter, Unit: "X99"},
		{Name: "r3", Role: dashboard.RoleViewer, Unit: "D03"},
	} {
		if code, body := call(t, f.client(t), "POST", base+"/api/admin/accounts", cliToken, bad); code != http.StatusBadRequest {
			t.Errorf("add %+v: %d %s, want 400", bad, code, body)
		}
	}
	if !dashboard.RoleAllows(dashboard.RoleVerifier, dashboard.PermViewDashboards) || dashboard.RoleAllows(dashboard.RoleVerifier, dashboard.PermRunSQL) ||
		dashboard.RoleAllows(dashboard.RoleVerifier, dashboard.PermAdminLoads) || !dashboard.RoleAllows(dashboard.RoleVerifier, dashboard.PermVerify) {
		t.Errorf("the verifier role holds the wrong permissions")
	}
	if got := dashboard.ScopeOf(dashboard.RoleReporter, "D03"); got.All() || !got.Sees("D03") || got.Sees("D02") {
		t.Errorf("a reporter's scope is %v", got)
	}
	if got := dashboard.ScopeOf(dashboard.RoleVerifier, ""); !got.All() {
		t.Errorf("a verifier's scope is %v", got)
	}
}

// signedInReporter signs a unit's reporter in and reads the CSRF token off its report page.
func signedInReporter(t *testing.T, f *authFixture, user, unit string) (*http.Client, string) {
	t.Helper()
	c := f.client(t)
	if res := signIn(t, c, f.srv.URL, user, user+"-pw"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/report" {
		t.Fatalf("sign-in of %s: %d to %q, want /report", user, res.StatusCode, res.Header.Get("Location"))
	}
	return c, pageToken(t, c, f.srv.URL+"/report/"+unit+"/2024-05")
}

// fullReport is a valid value for every field of the report form.
func fullReport(t *testing.T, c *http.Client, base, unit, month string) map[string]string {
	t.Helper()
	code, body := call(t, c, "GET", base+"/api/report/"+unit+"/"+month, nil, nil)
	var v dashboard.ReportAnswer
	if err := json.Unmarshal([]byte(body), &v); code != http.StatusOK || err != nil || len(v.Fields) != 25 {
		t.Fatalf("report form of %s: %d %v %.300s", unit, code, err, body)
	}
	values := map[string]string{}
	for i, f := range v.Fields {
		values[f.Key] = strconv.Itoa(i + 1)
	}
	return values
}

// Two units sign in: each fills, submits and corrects its own report, never reaches the
// other's by URL (404, the same as a report that does not exist), and sees none of the
// other's rows on its pages or in its JSON; the province sees a submission at once, returns
// it with a reason the unit reads; hostile values change nothing; every step is audited.
func TestUnitsReachOnlyTheirOwnReports(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t, reporters(t, map[string]string{"chengguan": "620102", "qilihe": "620103"}))
	base := f.srv.URL
	a, csrfA := signedInReporter(t, f, "chengguan", "620102")
	b, csrfB := signedInReporter(t, f, "qilihe", "620103")
	ops, csrfOps := f.signedIn(t, "ops")
	const month = "2024-05"
	urlA := base + "/api/report/620102/" + month
	ctx := context.Background()
	v0, _ := f.w.DataVersion(ctx)

	// Hostile and wrong values: each error beside its field, nothing written.
	values := fullReport(t, a, base, "620102", month)
	bad := maps.Clone(values)
	bad["study_sessions"] = "<script>alert(1)</script>"
	bad["training_hours"] = "1e-12"
	bad["tasks_assigned"] = strings.Repeat("9", 10_000)
	delete(bad, "problems_found:3")
	bad["problems_rectified:2"] = "2.5"
	bad["enterprise_visits"] = "1e300"
	bad["tasks_on_time"] = "-3"
	bad["tasks_overdue"] = "5e-10" // a count: told it must be whole, not to write 0.000000001
	code, body := call(t, a, "POST", urlA+"/submit", map[string]string{"X-CSRF-Token": csrfA}, dashboard.ReportRequest{Values: bad})
	var res dashboard.ReportResult
	_ = json.Unmarshal([]byte(body), &res)
	if code != http.StatusUnprocessableEntity || len(res.Errors) != 8 || res.Errors["training_hours"] != "数值过小：不为零时至少为 0.000000001" || res.Errors["tasks_overdue"] != "请填写整数：此项计数" || res.Errors["study_sessions"] != "请填写数字" || res.Errors["tasks_on_time"] != "不能为负数" ||
		res.Errors["problems_rectified:2"] != "请填写整数：此项计数" || res.Errors["enterprise_visits"] != "数值过大：任何单位单月都不会超过1000万" ||
		res.Errors["problems_found:3"] != "必填" || res.Errors["tasks_assigned"] == "" || strings.Contains(body, "<script>") {
		t.Fatalf("hostile submission: %d %s", code, body)
	}
	// A count's field says it takes a whole number and opens the phone's digit keypad; an
	// amount of hours may be fractional.
	_, form := call(t, a, "GET", base+"/report/620102/"+month, nil, nil)
	for _, want := range []string{`id="f-study_sessions" name="study_sessions" value="[^"]*" inputmode="numeric"`, `id="f-training_hours" name="training_hours" value="[^"]*" inputmode="decimal"`,
		`id="h-study_sessions"[^>]*>单位：次，填非负整数`, `id="h-training_hours"[^>]*>单位：学时，填非负数`} {
		if !regexp.MustCompile(want).MatchString(form) {
			t.Errorf("the report page lacks %s", want)
		}
	}
	// Its sections in the campaign's order, as the scorecard's columns: 学习, 执行, 效能 (they
	// came in the alphabet's order of their codes: efficiency, execution, study).
	legends := regexp.MustCompile(`<legend>([^<]+)</legend>`).FindAllStringSubmatch(form, -1)
	var got []string
	for _, l := range legends {
		got = append(got, l[1])
	}
	if strings.Join(got, " ") != "学习 执行 效能" {
		t.Errorf("the report form's sections read %v, want 学习 执行 效能", got)
	}
	unknown := maps.Clone(values)
	unknown["<img src=x>"] = "1"
	if code, body := call(t, a, "POST", urlA+"/submit", map[string]string{"X-CSRF-Token": csrfA}, dashboard.ReportRequest{Values: unknown}); code != http.StatusBadRequest {
		t.Errorf("a value of no field: %d %s", code, body)
	}
	huge := map[string]string{"study_sessions": strings.Repeat("1", 2<<20)}
	if code, _ := call(t, a, "POST", urlA+"/draft", map[string]string{"X-CSRF-Token": csrfA}, dashboard.ReportRequest{Values: huge}); code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 2 MiB draft: %d, want 413", code)
	}
	if code, _ := call(t, a, "POST", urlA+"/submit", nil, dashboard.ReportRequest{Values: values}); code != http.StatusForbidden && code != http.StatusBadRequest {
		t.Errorf("a submission without the CSRF token: %d", code)
	}
	if v, _ := f.w.DataVersion(ctx); v != v0 {
		t.Errorf("refused submissions changed data (version %d → %d)", v0, v)
	}
	if ev, _ := f.w.ReportEvents(ctx, warehouse.ProvinceScope(), "620102", []string{month}); len(ev) != 0 {
		t.Fatalf("refused submissions left steps: %v", ev)
	}

	// A draft, then the submission; the province reads it at once.
	if code, body := call(t, a, "POST", urlA+"/draft", map[string]string{"X-CSRF-Token": csrfA}, dashboard.ReportRequest{Values: map[string]string{"study_sessions": "4"}}); code != http.StatusOK {
		t.Fatalf("draft: %d %s", code, body)
	}
	values["study_sessions"] = "987"
	if code, body := call(t, a, "POST", urlA+"/submit", map[string]string{"X-CSRF-Token": csrfA}, dashboard.ReportRequest{Values: values}); code != http.StatusOK || !strings.Contains(body, `"revision":1`) {
		t.Fatalf("submit: %d %s", code, body)
	}
	if _, body := call(t, ops, "GET", urlA, nil, nil); !strings.Contains(body, `"key":"study_sessions"`) || !strings.Contains(body, `"value":"987"`) {
		t.Errorf("the province does not see the submitted 987:\n%.500s", body)
	}

	// Unit B reaches none of A's report by URL, and reads nothing of A on its own.
	for _, u := range []string{"/report/620102/" + month, "/api/report/620102/" + month, "/api/report/620102/" + month + "/revisions/1",
		"/report/620102/2024-04", "/api/report/D03/" + month} {
		if code, body := call(t, b, "GET", base+u, nil, nil); code != http.StatusNotFound || strings.Contains(body, "987") {
			t.Errorf("unit B GET %s: %d", u, code)
		}
	}
	for _, u := range []string{"/submit", "/draft", "/return"} {
		if code, _ := call(t, b, "POST", urlA+u, map[string]string{"X-CSRF-Token": csrfB}, dashboard.ReportRequest{Values: values}); code != http.StatusNotFound && code != http.StatusForbidden {
			t.Errorf("unit B POST %s of A's report: %d", u, code)
		}
	}
	for _, u := range []string{"/reports", "/api/reports", "/campaign", "/api/campaign?kind=county", "/api/sql/schema"} {
		if code, _ := call(t, b, "GET", base+u, nil, nil); code != http.StatusForbidden {
			t.Errorf("unit B GET %s: %d, want 403", u, code)
		}
	}
	// The ledger is open to reporters, scoped to their own unit's items.
	if code, body := call(t, b, "GET", base+"/api/ecology", nil, nil); code != http.StatusOK || strings.Contains(body, `"region_code":"620102"`) {
		t.Errorf("unit B GET /api/ecology: %d, or it lists unit A's items", code)
	}
	for _, u := range []string{"/report/620103/" + month, "/api/report/620103/" + month} {
		code, body := call(t, b, "GET", base+u, nil, nil)
		if code != http.StatusOK || strings.Contains(body, "620102") || strings.Contains(body, "城关区") || strings.Contains(body, "987") {
			t.Errorf("unit B's own %s (%d) shows unit A", u, code)
		}
	}

	// The province returns A's report with a reason; A reads it and corrects.
	if code, _ := call(t, a, "POST", urlA+"/return", map[string]string{"X-CSRF-Token": csrfA}, dashboard.ReturnRequest{Comment: "x"}); code != http.StatusForbidden {
		t.Errorf("a unit returning its own report: %d", code)
	}
	if code, _ := call(t, ops, "POST", urlA+"/return", map[string]string{"X-CSRF-Token": csrfOps}, dashboard.ReturnRequest{Comment: ""}); code != http.StatusUnprocessableEntity {
		t.Errorf("a return without a reason: %d", code)
	}
	reason := "<script>alert(2)</script>学习次数与台账不符"
	if code, body := call(t, ops, "POST", urlA+"/return", map[string]string{"X-CSRF-Token": csrfOps}, dashboard.ReturnRequest{Comment: reason}); code != http.StatusOK {
		t.Fatalf("return: %d %s", code, body)
	}
	code, page := call(t, a, "GET", base+"/report/620102/"+month, nil, nil)
	if code != http.StatusOK || !strings.Contains(page, "退回原因") || !strings.Contains(page, "学习次数与台账不符") || strings.Contains(page, "<script>alert(2)") {
		t.Errorf("A's page after the return (%d) does not show the reason, escaped", code)
	}
	values["study_sessions"] = "12"
	if code, body := call(t, a, "POST", urlA+"/submit", map[string]string{"X-CSRF-Token": csrfA}, dashboard.ReportRequest{Values: values}); code != http.StatusOK || !strings.Contains(body, `"revision":2`) {
		t.Fatalf("correction: %d %s", code, body)
	}
	_, body = call(t, ops, "GET", base+"/api/reports?to="+month+"&kind=county", nil, nil)
	var comp api.Completeness
	if err := json.Unmarshal([]byte(body), &comp); err != nil || len(comp.Units) != 86 {
		t.Fatalf("completeness: %v %.300s", err, body)
	}
	// The other counties sent nothing through the form; the province's file gave their values.
	for i, u := range comp.Units {
		want := warehouse.StateLoaded
		if u.Code == "620102" {
			want = warehouse.StateLate
		}
		if got := comp.States[i][5].State; got != want {
			t.Errorf("%s in %s: %s, want %s", u.Code, month, got, want)
		}
	}
	if code, page := call(t, ops, "GET", base+"/reports?to="+month, nil, nil); code != http.StatusOK || !strings.Contains(page, "逾期") || !strings.Contains(page, "文件载入") {
		t.Errorf("the completeness page: %d", code)
	}

	entries, err := f.w.AuditLog(ctx, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, e := range entries {
		if e.Action == "report" {
			steps = append(steps, e.User+": "+e.Statement)
		}
	}
	joined := strings.Join(steps, "\n")
	for _, want := range []string{"chengguan: submit report 620102 2024-05 r1", "ops: return report 620102 2024-05: " + reason, "chengguan: submit report 620102 2024-05 r2"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, joined)
		}
	}
}
