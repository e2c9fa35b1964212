package dashboard_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"jinwei/dashboard"
	"jinwei/dashboard/api"
)

var (
	checksBox = regexp.MustCompile(`(?s)id="report-checks"[^>]*>(.*?)</div>`)
	tags      = regexp.MustCompile(`<[^>]*>`)
)

// A report whose tasks done on time are a hundred times the tasks assigned (12,345 of 123:
// a slip of the keyboard, the red team's) is taken, as a month that cleared a backlog may
// be right, and its page then asks the unit, in its language, to look at those two
// figures; a report within bounds asks nothing.
func TestReportPageAsksToCheckMoreDoneThanAssigned(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t, reporters(t, map[string]string{"chengguan": "620102"}))
	rep, csrf := signedInReporter(t, f, "chengguan", "620102")
	const month = "2024-06"
	fields := reportFormFields(t, rep, f.srv.URL, "620102", month)
	submit := func(done string) {
		t.Helper()
		form := url.Values{"_csrf": {csrf}}
		for _, fl := range fields {
			form.Set(fl.Key, "10")
		}
		form.Set("tasks_assigned", "123")
		form.Set("tasks_on_time", done)
		if code, to := postReportForm(t, rep, f.srv.URL, "620102", month, form); code != http.StatusSeeOther || !strings.Contains(to, "submitted=") {
			t.Fatalf("submitting %s done of 123: %d to %q", done, code, to)
		}
	}
	submit("12345")
	for lang, want := range map[string]string{
		"zh": "请核对第 1 版：“按期办结任务数”（12,345）多于“交办任务数”（123）若含以前月份交办或受理的事项，数字无误即可；若是笔误，请更正后提交新版次。",
		"en": "Please check revision 1:“Tasks completed on time” (12,345) exceeds “Tasks assigned” (123)Right if it counts cases from earlier months; if it is a slip, correct it and submit a new revision.",
	} {
		_, page := call(t, rep, "GET", f.srv.URL+"/report/620102/"+month+"?lang="+lang, nil, nil)
		var got string
		if m := checksBox.FindStringSubmatch(page); m != nil {
			got = squeeze(html.UnescapeString(tags.ReplaceAllString(m[1], "")))
		}
		if !strings.Contains(got, squeeze(want)) {
			t.Errorf("%s page's checks read %q; want %q", lang, got, want)
		}
	}
	_, body := call(t, rep, "GET", f.srv.URL+"/api/report/620102/"+month, nil, nil)
	var a dashboard.ReportAnswer
	want := []api.ReportCheck{{Item: "on_time_rate", Numerator: "tasks_on_time", NumeratorValue: 12345, Denominator: "tasks_assigned", DenominatorValue: 123}}
	if err := json.Unmarshal([]byte(body), &a); err != nil || !slices.Equal(a.Checks, want) {
		t.Errorf("the report's JSON has checks %+v (%v); want %+v", a.Checks, err, want)
	}
	// The province's staff (an administrator here) are asked to check the same figures,
	// without being told to submit anything.
	checker, _ := f.signedIn(t, "ops")
	if _, page := call(t, checker, "GET", f.srv.URL+"/report/620102/"+month, nil, nil); !strings.Contains(page, "“按期办结任务数”（12,345）多于“交办任务数”（123）") || strings.Contains(page, "请更正后提交") {
		t.Errorf("the verifier's page: %.300q", between(page, `id="report-checks"`, "</div>"))
	}
	submit("120")
	if _, page := call(t, rep, "GET", f.srv.URL+"/report/620102/"+month, nil, nil); strings.Contains(page, `id="report-checks"`) {
		t.Errorf("120 done of 123 assigned still asks for a check")
	}
}
