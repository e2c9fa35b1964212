package dashboard_test

import (
	"net/http"
	"strings"
	"testing"

	"jinwei/etl/etltest"
)

// Every answer carries the security policy: pages, the API, static files, errors and
// unknown paths, to GET and HEAD. Without it any site could frame a signed-in page (an
// admin's accounts page under a decoy, clicks landing on its buttons).
func TestEveryAnswerCarriesTheSecurityPolicy(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	for _, path := range []string{"/", "/ranking?lang=en", "/api/ranking", "/static/app.js", "/no-such-page", "/api/no-such", "/ranking?indicator=nope"} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			req, err := http.NewRequest(method, srv.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			h := res.Header
			csp := h.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors 'self'") || !strings.Contains(csp, "script-src 'self';") || !strings.Contains(csp, "object-src 'none'") ||
				h.Get("X-Frame-Options") != "SAMEORIGIN" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
				t.Errorf("%s %s (%d): policy %q, frame options %q, nosniff %q, referrer %q", method, path, res.StatusCode, csp,
					h.Get("X-Frame-Options"), h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
			}
		}
	}
}
