package dashboard_test

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The English report form was refused whenever it was sent (400 "a value names no field of
// the form: [lang]"): its address's ?lang=en was read as one of its values. Sent to the
// address its page gives it, it submits, and the unit is taken back to its page in English.
func TestTheEnglishReportFormSubmits(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t, reporters(t, map[string]string{"chengguan": "620102"}))
	rep, csrf := signedInReporter(t, f, "chengguan", "620102")
	const month = "2024-06"
	res, err := rep.Get(f.srv.URL + "/report/620102/" + month + "?lang=en")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`<form id="report-form" method="post" action="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no report form on the English page (%d)", res.StatusCode)
	}
	action := html.UnescapeString(string(m[1]))
	form := url.Values{"_csrf": {csrf}}
	for i, fl := range reportFormFields(t, rep, f.srv.URL, "620102", month) {
		form.Set(fl.Key, strconv.Itoa(10+i))
	}
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+action, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err = rep.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "lang=en") {
		t.Errorf("the English form sent to %s: %d to %q, want 303 back to the English page\n%.400s", action, res.StatusCode, res.Header.Get("Location"), body)
	}
}
