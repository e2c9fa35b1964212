package dashboard_test

import (
	"io"
	"net/http"
	"net/url"
	"testing"
)

// BenchmarkAuthPerRequest is what identifying a request costs, on a route that runs no
// engine statement of its own: a cached session cookie (no engine round trip), the CLI's
// admin token, and a personal API token (whose every use is written to the audit log).
func BenchmarkAuthPerRequest(b *testing.B) {
	f := newAccountsServer(b, true, nil)
	admin := f.client(b)
	if res := signIn(b, admin, f.srv.URL, "ops", "ops-pw"); res.StatusCode != http.StatusSeeOther {
		b.Fatalf("sign in: %d", res.StatusCode)
	}
	tok := addToken(b, f, "bench", "admin", "1d").Token
	u, _ := url.Parse(f.srv.URL)
	var cookie string
	for _, c := range admin.Jar.Cookies(u) {
		if c.Name == "jinwei_session" {
			cookie = c.Name + "=" + c.Value
		}
	}
	for _, bc := range []struct{ name, header, value string }{
		{"session_cookie", "Cookie", cookie},
		{"admin_token", "Authorization", "Bearer cli-token"},
		{"api_token_audited", "Authorization", "Bearer " + tok},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := f.client(b)
			for i := 0; i < b.N; i++ {
				req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/api/admin/inflight", nil)
				req.Header.Set(bc.header, bc.value)
				res, err := c.Do(req)
				if err != nil || res.StatusCode != http.StatusOK {
					b.Fatalf("%s: %v %v", bc.name, err, res)
				}
				_, _ = io.Copy(io.Discard, res.Body) // read to the end, so the connection is reused
				res.Body.Close()
			}
		})
	}
}
