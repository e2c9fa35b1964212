package dashboard_test

import (
	"io"
	"net/http"
	"testing"
)

// A HEAD request (a link checker's, an uptime monitor's) is answered as its GET would be,
// status and headers, without a body: every role, and nobody signed in. Before, a unit's
// reporter got 403 on its own report and an unknown address, because HEAD matched no route
// and fell to the dashboards' catch-all, which wants the dashboards' permission.
func TestHeadAnswersAsGetWould(t *testing.T) {
	t.Parallel()
	f, _ := newOperatorServer(t)
	paths := []string{"/", "/ranking", "/report", "/report/620100/2026-11", "/reports", "/ecology", "/subscriptions",
		"/admin/loads", "/api/version", "/static/app.css", "/login", "/no-such-page", "/api/no-such-thing"}
	clients := map[string]*http.Client{"signed out": f.client(t)}
	for _, user := range []string{"leader", "filler", "checker", "ops"} {
		c := f.client(t)
		signIn(t, c, f.srv.URL, user, user+"-pw")
		clients[user] = c
	}
	for who, c := range clients {
		for _, p := range paths {
			get := do(t, c, http.MethodGet, f.srv.URL+p)
			head := do(t, c, http.MethodHead, f.srv.URL+p)
			if head.status != get.status || head.typ != get.typ || head.location != get.location {
				t.Errorf("%s: HEAD %s answered %d %q → %q; GET answered %d %q → %q", who, p, head.status, head.typ, head.location, get.status, get.typ, get.location)
			}
			if head.body != 0 {
				t.Errorf("%s: HEAD %s sent a body of %d bytes", who, p, head.body)
			}
		}
	}
	// What no route serves is not found, for a reporter too (not "may not do this").
	if got := do(t, clients["filler"], http.MethodGet, f.srv.URL+"/no-such-page"); got.status != http.StatusNotFound {
		t.Errorf("a reporter's GET /no-such-page answered %d, want 404", got.status)
	}
}

type answer struct {
	status        int
	typ, location string
	body          int
}

func do(t *testing.T, c *http.Client, method, u string) answer {
	t.Helper()
	req, _ := http.NewRequest(method, u, nil)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Location"), len(b)}
}
