package dashboard_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// A form body sent chunked (no declared length) past its route's limit is answered 413 on
// every form route, including those whose answer is a page: found red-teaming a real
// server, the report form's 3 MB chunked body was read as a form with no fields and
// answered 422 "fix the fields" (the CSRF check's parse had met the limit and kept an
// empty form, and the handler's own parse then saw no error).
func TestChunkedFormPastTheLimitIs413(t *testing.T) {
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
