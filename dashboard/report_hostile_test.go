package dashboard_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"jinwei/dashboard"
	"jinwei/warehouse"
)

// A form body sent chunked (no declared length) past its route's limit is answered 413 on
// every form route, including those whose answer is a page: found red-teaming a real
// server, the report form's 3 MB chunked body was read as a form with no fields and
// answered 422 "fix the fields" (the CSRF check's parse had met the limit and kept an
// empty form, and the handler's own parse then saw no error).
func TestChunkedFormPastTheLimitIs413(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t, reporters(t, map[string]string{"chengguan": "620102"}))
	rep, csrf := signedInReporter(t, f, "chengguan", "620102")
	for _, path := range []string{"/report/620102/2024-05", "/report/620102/2024-06"} {
		req, _ := http.NewRequest(http.MethodPost, f.srv.URL+path, io.MultiReader(strings.NewReader("study_sessions=1&note="), strings.NewReader(strings.Repeat("p", 3<<20))))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", csrf)
		req.ContentLength = -1
		res, err := rep.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("3 MB chunked form to %s: %d, want 413", path, res.StatusCode)
		}
	}
}

// The report form sent with one field twice, the values different, submits nothing (400):
// the first value was taken before, found red-teaming a real server. The same form with
// the field once is a submission.
func TestReportFormFieldTwiceWithDifferentValues(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t, reporters(t, map[string]string{"chengguan": "620102"}))
	rep, csrf := signedInReporter(t, f, "chengguan", "620102")
	const month = "2024-06"
	form := url.Values{"_csrf": {csrf}}
	for i, fl := range reportFormFields(t, rep, f.srv.URL, "620102", month) {
		form.Set(fl.Key, strconv.Itoa(10+i))
	}
	post := func(form url.Values) int {
		t.Helper()
		code, _ := postReportForm(t, rep, f.srv.URL, "620102", month, form)
		return code
	}
	twice := url.Values{}
	for k, vs := range form {
		twice[k] = vs
	}
	twice.Add("study_sessions", "999")
	if code := post(twice); code != http.StatusBadRequest {
		t.Errorf("study_sessions twice (10 and 999): %d, want 400", code)
	}
	events, err := f.w.ReportEvents(context.Background(), warehouse.ProvinceScope(), "620102", []string{month})
	if err != nil || len(events) != 0 {
		t.Errorf("after the refused form: %d report steps, %v", len(events), err)
	}
	if code := post(form); code != http.StatusSeeOther {
		t.Errorf("the same form with the field once: %d, want 303", code)
	}
}

// reportFormFields are the fields of a unit's report form of a month, as its JSON gives
// them to c.
func reportFormFields(t *testing.T, c *http.Client, base, unit, month string) []dashboard.ReportField {
	t.Helper()
	_, body := call(t, c, "GET", base+"/api/report/"+unit+"/"+month, nil, nil)
	var v dashboard.ReportView
	if err := json.Unmarshal([]byte(body), &v); err != nil || len(v.Fields) == 0 {
		t.Fatalf("the form: %v %.200s", err, body)
	}
	return v.Fields
}

// postReportForm posts a unit's report form as a browser without scripts does, answering
// the status and where it sends the browser next.
func postReportForm(t *testing.T, c *http.Client, base, unit, month string, form url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/report/"+unit+"/"+month, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location")
}

// A month older than the picker's twelve, opened by its link, is the one the picker shows
// chosen: it showed the newest month above 2024-05's form.
func TestAnOldMonthsReportIsTheOneItsPickerShows(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t, reporters(t, map[string]string{"chengguan": "620102"}))
	rep, _ := signedInReporter(t, f, "chengguan", "620102")
	page := pageBody(t, rep, f.srv.URL+"/report/620102/2024-05")
	if n := strings.Count(page, " selected>"); !strings.Contains(page, `<option value="2024-05" selected>2024-05</option>`) || n != 1 {
		t.Errorf("the picker of 2024-05's report: %q", regexp.MustCompile(`<option value="[0-9-]+"[^>]*>`).FindAllString(page, -1))
	}
}
