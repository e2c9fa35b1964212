package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"jinwei/dashboard"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// newAccountsServer serves an empty warehouse (no demo data: these tests are about who may
// do what) with the fixture's three config accounts and the CLI's admin token, over TLS or
// plain http.
func newAccountsServer(t testing.TB, overTLS bool, tweak func(*dashboard.Config)) *authFixture {
	t.Helper()
	f := &authFixture{now: time.Now(), w: whtest.Open(t)}
	var users []dashboard.User
	for _, u := range []struct{ name, role string }{{"leader", dashboard.RoleViewer}, {"analyst", dashboard.RoleAnalyst}, {"ops", dashboard.RoleAdmin}} {
		h, err := dashboard.HashPassword(u.name + "-pw")
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, dashboard.User{Name: u.name, Role: u.role, PasswordHash: h})
	}
	cfg := dashboard.Config{HomeRegion: etltest.Home, Users: users, SessionKey: []byte(strings.Repeat("k", 32)),
		SessionTTL: time.Hour, Clock: func() time.Time { return f.now }, AdminToken: "cli-token"}
	if tweak != nil {
		tweak(&cfg)
	}
	app, err := dashboard.New(cfg, f.w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if overTLS {
		f.srv = httptest.NewTLSServer(app)
	} else {
		f.srv = httptest.NewServer(app)
	}
	t.Cleanup(f.srv.Close)
	return f
}

// signedInHere signs a user in and returns the client and its CSRF token, read from the
// sign-in page (the fixture's warehouse has no data for the dashboards).
func signedInHere(t *testing.T, f *authFixture, user string) (*http.Client, string) {
	t.Helper()
	c := f.client(t)
	if res := signIn(t, c, f.srv.URL, user, user+"-pw"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d", user, res.StatusCode)
	}
	return c, pageToken(t, c, f.srv.URL+"/login")
}

// call sends a request with headers and an optional JSON body; it returns the status and body.
func call(t testing.TB, c *http.Client, method, u string, header map[string]string, body any) (int, string) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, u, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var cliToken = map[string]string{"Authorization": "Bearer cli-token"}

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

// addToken makes an API token through the admin API, as `jinwei token add` does.
func addToken(t testing.TB, f *authFixture, name, role, expires string) dashboard.Secret {
	t.Helper()
	code, body := call(t, f.client(t), "POST", f.srv.URL+"/api/admin/tokens", cliToken, dashboard.AccountRequest{Name: name, Role: role, Expires: expires})
	var s dashboard.Secret
	if err := json.Unmarshal([]byte(body), &s); code != http.StatusOK || err != nil || !strings.HasPrefix(s.Token, "jw_") {
		t.Fatalf("token add: %d %s", code, body)
	}
	return s
}

// Why 7: any "Authorization: Bearer …" header used to skip the CSRF check, so a signed-in
// analyst's cookie with a made-up bearer changed state without the CSRF token. Only a
// bearer that verifies skips it now; a bad one is refused outright.
func TestCSRFIsSkippedOnlyForABearerThatVerifies(t *testing.T) {
	t.Parallel()
	f := newAccountsServer(t, true, nil)
	analyst, csrfToken := signedInHere(t, f, "analyst")
	save := map[string]string{"name": "q", "statement": "SELECT 1"}
	code, body := call(t, analyst, "POST", f.srv.URL+"/api/sql/saved", bearer("made-up"), save)
	if code != http.StatusUnauthorized {
		t.Errorf("cookie + made-up bearer, no CSRF token: %d %s, want 401", code, body)
	}
	code, _ = call(t, analyst, "POST", f.srv.URL+"/api/sql/saved", nil, save)
	if code != http.StatusForbidden && code != http.StatusBadRequest {
		t.Errorf("cookie without CSRF token: %d, want it refused", code)
	}
	// A token in the address would be written into access logs, the browser's history and
	// the Referer of the next page: only the form's body and the header carry it.
	code, _ = call(t, analyst, "POST", f.srv.URL+"/api/sql/saved?_csrf="+url.QueryEscape(csrfToken), nil, save)
	if code != http.StatusBadRequest {
		t.Errorf("cookie with the CSRF token in the query string only: %d, want 400 (no token)", code)
	}
	res, err := analyst.PostForm(f.srv.URL+"/logout?_csrf="+url.QueryEscape(csrfToken), url.Values{"x": {"1"}})
	if err != nil || res.StatusCode != http.StatusBadRequest {
		t.Errorf("sign-out with the CSRF token in the query string only: %v %v, want 400 (no token)", err, res)
	}
	tok := addToken(t, f, "script", dashboard.RoleAnalyst, "90d")
	code, body = call(t, f.client(t), "POST", f.srv.URL+"/api/sql/saved", bearer(tok.Token), save)
	if code != http.StatusCreated {
		t.Errorf("valid API token, no CSRF token: %d %s, want 201", code, body)
	}
}

// Personal API tokens: shown once, kept hashed, listed, scoped by role, audited on every
// use, revocable and expiring. A viewer token (the wall screen) sees the dashboards only.
func TestAPITokens(t *testing.T) {
	t.Parallel()
	f := newAccountsServer(t, true, nil)
	base, anon := f.srv.URL, f.client(t)
	script := addToken(t, f, "script", dashboard.RoleAnalyst, "90d")
	wall := addToken(t, f, "wall", dashboard.RoleViewer, "never")
	if code, body := call(t, anon, "GET", base+"/api/sql/schema", bearer(script.Token), nil); code != http.StatusOK {
		t.Errorf("analyst token on the schema: %d %s", code, body)
	}
	if code, _ := call(t, anon, "POST", base+"/api/sql", bearer(script.Token), map[string]string{"statement": "SELECT 1 AS one"}); code != http.StatusOK {
		t.Errorf("analyst token running SQL: %d", code)
	}
	if code, _ := call(t, anon, "GET", base+"/api/sql/schema", bearer(wall.Token), nil); code != http.StatusForbidden {
		t.Errorf("viewer token on the SQL console: %d, want 403", code)
	}
	if code, _ := call(t, anon, "GET", base+"/ecology", bearer(wall.Token), nil); code == http.StatusUnauthorized || code == http.StatusForbidden || code == http.StatusSeeOther {
		t.Errorf("viewer token on a dashboard: %d, want it admitted", code)
	}
	if code, _ := call(t, anon, "GET", base+"/api/admin/accounts", bearer(script.Token), nil); code != http.StatusForbidden {
		t.Errorf("analyst token managing accounts: %d, want 403", code)
	}
	// Listed without secrets.
	code, list := call(t, anon, "GET", base+"/api/admin/tokens", cliToken, nil)
	if code != http.StatusOK || !strings.Contains(list, script.ID) || strings.Contains(list, script.Token) || strings.Contains(list, script.Token[3:]) {
		t.Errorf("token list: %d %s", code, list)
	}
	// Audited: each use is in the audit log under the token's name and id.
	entries, err := f.w.AuditLog(context.Background(), "script", 100)
	if err != nil {
		t.Fatal(err)
	}
	uses := 0
	for _, e := range entries {
		if e.Action == "token" && strings.Contains(e.Message, script.ID) {
			uses++
		}
	}
	if uses != 3 {
		t.Errorf("audited uses of the script's token: %d, want 3 (%+v)", uses, entries)
	}
	// A token for an account may not hold more than the account.
	if code, _ := call(t, anon, "POST", base+"/api/admin/tokens", cliToken, dashboard.AccountRequest{Name: "leader", Role: dashboard.RoleAnalyst}); code != http.StatusBadRequest {
		t.Errorf("analyst token for a viewer account: %d, want 400", code)
	}
	// Expiry: 91 days on, the 90-day token is refused, the wall's still works.
	f.now = f.now.Add(91 * 24 * time.Hour)
	if code, _ := call(t, anon, "GET", base+"/api/sql/schema", bearer(script.Token), nil); code != http.StatusUnauthorized {
		t.Errorf("expired token: %d, want 401", code)
	}
	// Revocation takes effect on the next request.
	if code, _ := call(t, anon, "GET", base+"/ecology", bearer(wall.Token), nil); code == http.StatusUnauthorized {
		t.Errorf("wall token before revocation: %d", code)
	}
	if code, body := call(t, anon, "POST", base+"/api/admin/tokens/"+wall.ID+"/revoke", cliToken, nil); code != http.StatusOK {
		t.Fatalf("revoke: %d %s", code, body)
	}
	if code, _ := call(t, anon, "GET", base+"/ecology", bearer(wall.Token), nil); code != http.StatusUnauthorized {
		t.Errorf("revoked token: %d, want 401", code)
	}
}

// Found by the red team: a token's role was checked against its account only when the
// token was made. An admin token minted for a name that had no account yet (or for an
// account since demoted) kept admin after the account came to be a viewer.
func TestATokenNeverHoldsMoreThanItsAccountNow(t *testing.T) {
	t.Parallel()
	f := newAccountsServer(t, true, nil)
	base, anon := f.srv.URL, f.client(t)
	early := addToken(t, f, "newcomer", dashboard.RoleAdmin, "90d")
	if code, body := call(t, anon, "GET", base+"/api/admin/runs", bearer(early.Token), nil); code != http.StatusOK {
		t.Fatalf("admin token before the account exists: %d %s", code, body)
	}
	if code, body := call(t, anon, "POST", base+"/api/admin/accounts", cliToken, dashboard.AccountRequest{Name: "newcomer", Role: dashboard.RoleViewer}); code != http.StatusOK {
		t.Fatalf("user add: %d %s", code, body)
	}
	for _, u := range []string{"/api/admin/runs", "/api/sql/schema", "/ecology"} {
		if code, _ := call(t, anon, "GET", base+u, bearer(early.Token), nil); code != http.StatusUnauthorized {
			t.Errorf("admin token of an account that is a viewer now, %s: %d, want 401", u, code)
		}
	}
	within := addToken(t, f, "newcomer", dashboard.RoleViewer, "90d")
	if code, _ := call(t, anon, "GET", base+"/ecology", bearer(within.Token), nil); code == http.StatusUnauthorized || code == http.StatusForbidden {
		t.Errorf("viewer token of the viewer account on a dashboard: %d, want it admitted", code)
	}
}

// sessionCookieOf returns the session cookie a response set.
func sessionCookieOf(t *testing.T, res *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range res.Cookies() {
		if c.Name == "jinwei_session" {
			return c
		}
	}
	t.Fatalf("no session cookie in %v", res.Header)
	return nil
}

// withCookie asks for u with only this session cookie: a replay by someone who kept it.
func withCookie(t *testing.T, f *authFixture, u string, ck *http.Cookie) int {
	t.Helper()
	return status(t, f.client(t), "GET", u, map[string]string{"Cookie": ck.Name + "=" + ck.Value})
}

// Why 12: sign-out only cleared the browser's cookie; the cookie kept and replayed still
// worked until it expired. Sign-out, a password change and disabling the account now
// revoke sessions in the warehouse.
func TestSignOutPasswordChangeAndDisableRevokeSessions(t *testing.T) {
	t.Parallel()
	f := newAccountsServer(t, true, nil)
	base := f.srv.URL
	c, token := signedInHere(t, f, "analyst")
	res := signIn(t, f.client(t), base, "analyst", "analyst-pw")
	other := sessionCookieOf(t, res)
	u, _ := url.Parse(base)
	var kept *http.Cookie
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "jinwei_session" {
			kept = ck
		}
	}
	if kept == nil || withCookie(t, f, base+"/api/sql/schema", kept) != http.StatusOK {
		t.Fatalf("the session before sign-out does not work")
	}
	res, err := c.PostForm(base+"/logout", url.Values{"_csrf": {token}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out: %v %v", err, res)
	}
	if code := withCookie(t, f, base+"/api/sql/schema", kept); code != http.StatusUnauthorized {
		t.Errorf("replayed cookie after sign-out: %d, want 401", code)
	}
	if code := withCookie(t, f, base+"/api/sql/schema", other); code != http.StatusOK {
		t.Errorf("the user's other session after one sign-out: %d, want 200", code)
	}

	// A new password ends every session of the account; the new password signs in.
	code, body := call(t, f.client(t), "POST", base+"/api/admin/accounts/analyst/password", cliToken, nil)
	var s dashboard.Secret
	if err := json.Unmarshal([]byte(body), &s); code != http.StatusOK || err != nil || len(s.Password) < 16 {
		t.Fatalf("password change: %d %s", code, body)
	}
	if code := withCookie(t, f, base+"/api/sql/schema", other); code != http.StatusUnauthorized {
		t.Errorf("session after a password change: %d, want 401", code)
	}
	if res := signIn(t, f.client(t), base, "analyst", "analyst-pw"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("old password after the change: %d, want 401", res.StatusCode)
	}
	res = signIn(t, f.client(t), base, "analyst", s.Password)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new password: %d", res.StatusCode)
	}
	fresh := sessionCookieOf(t, res)

	// Disabling ends its sessions and its sign-ins.
	if code, body := call(t, f.client(t), "POST", base+"/api/admin/accounts/analyst/disable", cliToken, nil); code != http.StatusOK {
		t.Fatalf("disable: %d %s", code, body)
	}
	if code := withCookie(t, f, base+"/api/sql/schema", fresh); code != http.StatusUnauthorized {
		t.Errorf("session of a disabled account: %d, want 401", code)
	}
	if res := signIn(t, f.client(t), base, "analyst", s.Password); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("sign-in of a disabled account: %d, want 401", res.StatusCode)
	}
}

// Accounts are added through the API (what `jinwei user add` calls while serve runs) and
// sign in at once, without a restart or a config edit; their names and roles are checked.
func TestAccountsAreAddedWithoutRestart(t *testing.T) {
	t.Parallel()
	f := newAccountsServer(t, true, nil)
	base, c := f.srv.URL, f.client(t)
	code, body := call(t, c, "POST", base+"/api/admin/accounts", cliToken, dashboard.AccountRequest{Name: "县统计局", Role: dashboard.RoleViewer})
	var s dashboard.Secret
	if err := json.Unmarshal([]byte(body), &s); code != http.StatusOK || err != nil || s.Password == "" {
		t.Fatalf("add account: %d %s", code, body)
	}
	if res := signIn(t, f.client(t), base, "县统计局", s.Password); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in of the new account: %d", res.StatusCode)
	}
	for _, tc := range []struct {
		req  dashboard.AccountRequest
		want int
	}{
		{dashboard.AccountRequest{Name: "县统计局", Role: dashboard.RoleViewer}, http.StatusConflict},
		{dashboard.AccountRequest{Name: "x", Role: "root"}, http.StatusBadRequest},
		{dashboard.AccountRequest{Name: "a b", Role: dashboard.RoleViewer}, http.StatusBadRequest},
	} {
		if code, body := call(t, c, "POST", base+"/api/admin/accounts", cliToken, tc.req); code != tc.want {
			t.Errorf("add %+v: %d %s, want %d", tc.req, code, body, tc.want)
		}
	}
	code, list := call(t, c, "GET", base+"/api/admin/accounts", cliToken, nil)
	if code != http.StatusOK || !strings.Contains(list, `"name":"县统计局"`) || strings.Contains(list, "$2a$") {
		t.Errorf("account list: %d %s", code, list)
	}
	viewer, _ := signedInHere(t, f, "leader")
	if code, _ := call(t, viewer, "GET", base+"/api/admin/accounts", nil, nil); code != http.StatusForbidden {
		t.Errorf("a viewer listing accounts: %d, want 403", code)
	}
}

// Why 8: the sign-in limit keyed on X-Forwarded-For from anyone, so rotating the header
// gave unlimited tries. It is believed only from a configured trusted proxy.
func TestSignInLimitIgnoresForwardedForFromUntrustedPeers(t *testing.T) {
	for _, tc := range []struct {
		name        string
		proxies     []string
		wantLimited bool
	}{
		{"no trusted proxy", nil, true},
		{"peer is not the proxy", []string{"10.9.8.7/32"}, true},
		{"peer is the trusted proxy", []string{"127.0.0.1/32"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newAccountsServer(t, true, func(c *dashboard.Config) { c.TrustedProxies = tc.proxies })
			c := f.client(t)
			token := pageToken(t, c, f.srv.URL+"/login")
			limited := false
			// A different name each time: the per-account limit is not what is tested here.
			for i := 0; i < 12 && !limited; i++ {
				req, _ := http.NewRequest("POST", f.srv.URL+"/login", strings.NewReader(url.Values{"user": {"guess" + string(rune('a'+i))},
					"password": {"x"}, "_csrf": {token}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Forwarded-For", "203.0.113."+strconv.Itoa(i+1))
				res, err := c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				limited = res.StatusCode == http.StatusTooManyRequests
			}
			if limited != tc.wantLimited {
				t.Errorf("12 failed sign-ins with rotating X-Forwarded-For: limited %v, want %v", limited, tc.wantLimited)
			}
		})
	}
}

// Sign-in is also slowed per account: failures for one name from many addresses lock that
// name (even its right password) for a while, not others.
func TestSignInIsSlowedPerAccount(t *testing.T) {
	f := newAccountsServer(t, true, func(c *dashboard.Config) { c.TrustedProxies = []string{"127.0.0.1/32"} })
	c := f.client(t)
	token := pageToken(t, c, f.srv.URL+"/login")
	try := func(i int, user, password string) int {
		req, _ := http.NewRequest("POST", f.srv.URL+"/login", strings.NewReader(url.Values{"user": {user}, "password": {password}, "_csrf": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", "198.51.100."+strconv.Itoa(i+1))
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for i := 0; i < 5; i++ {
		if code := try(i, "ops", "guess"); code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i, code)
		}
	}
	if code := try(20, "ops", "ops-pw"); code != http.StatusTooManyRequests {
		t.Errorf("right password after 5 failures from 5 addresses: %d, want 429", code)
	}
	if code := try(21, "leader", "leader-pw"); code != http.StatusSeeOther {
		t.Errorf("another account meanwhile: %d, want 303", code)
	}
	f.now = f.now.Add(time.Minute)
	if code := try(22, "ops", "ops-pw"); code != http.StatusSeeOther {
		t.Errorf("the account a minute later: %d, want 303", code)
	}
}

// One address sending a wrong password for an account every few seconds held the
// account locked: its owner's right password was refused (429) every time. A browser the
// account has signed in from keeps an allowance of its own; an unknown one is still
// refused while the name is locked, and the known one's own failures still lock it.
func TestAFloodOfWrongPasswordsDoesNotLockTheOwnerOut(t *testing.T) {
	f := newAccountsServer(t, true, func(c *dashboard.Config) { c.TrustedProxies = []string{"127.0.0.1/32"} })
	tryAs := func(c *http.Client, address, user, password string) int {
		token := pageToken(t, c, f.srv.URL+"/login")
		req, _ := http.NewRequest("POST", f.srv.URL+"/login", strings.NewReader(url.Values{"user": {user}, "password": {password}, "_csrf": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", address)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	try := func(c *http.Client, address, password string) int { return tryAs(c, address, "ops", password) }
	owner, laptop := f.client(t), f.client(t)
	for _, c := range []*http.Client{owner, laptop} {
		if code := try(c, "198.51.100.1", "ops-pw"); code != http.StatusSeeOther {
			t.Fatalf("the owner's first sign-in: %d", code)
		}
	}
	attacker := f.client(t)
	locked := false
	for i := 0; i < 8; i++ {
		locked = try(attacker, "203.0.113.9", "guess") == http.StatusTooManyRequests
	}
	if !locked {
		t.Fatalf("8 wrong passwords in a row from one address were never limited")
	}
	if code := try(f.client(t), "198.51.100.2", "ops-pw"); code != http.StatusTooManyRequests {
		t.Errorf("the right password from a browser never signed in, while the name is locked: %d, want 429", code)
	}
	if code := try(owner, "198.51.100.1", "ops-pw"); code != http.StatusSeeOther {
		t.Errorf("the owner's browser, while the name is locked from elsewhere: %d, want 303", code)
	}
	// One person behind the office's address, guessing names, locks the address for
	// browsers not known; the owner's own goes on signing in (it was refused 429).
	guesser := f.client(t)
	for i := 0; i < 12; i++ {
		tryAs(guesser, "198.51.100.1", fmt.Sprintf("nobody%d", i), "guess")
	}
	if code := tryAs(f.client(t), "198.51.100.1", "leader", "leader-pw"); code != http.StatusTooManyRequests {
		t.Errorf("an unknown browser at the address of 12 guesses: %d, want 429", code)
	}
	if code := try(owner, "198.51.100.1", "ops-pw"); code != http.StatusSeeOther {
		t.Errorf("the owner's browser at the address another locked: %d, want 303", code)
	}
	for i := 0; i < 5; i++ {
		try(owner, "198.51.100.1", "typo")
	}
	if code := try(owner, "198.51.100.1", "ops-pw"); code != http.StatusTooManyRequests {
		t.Errorf("the owner's browser after 5 failures of its own: %d, want 429", code)
	}
	// A new password (an admin's reset after a leak) ends every browser's standing.
	code, body := call(t, f.client(t), "POST", f.srv.URL+"/api/admin/accounts/ops/password", cliToken, nil)
	var fresh dashboard.Secret
	if err := json.Unmarshal([]byte(body), &fresh); code != http.StatusOK || err != nil {
		t.Fatalf("password reset: %d %s", code, body)
	}
	if code := try(laptop, "198.51.100.1", fresh.Password); code != http.StatusTooManyRequests {
		t.Errorf("a browser known before the password was reset, while the name is locked: %d, want 429", code)
	}
	// A cookie made for another account, or forged, is an unknown browser's.
	forged := f.client(t)
	u, _ := url.Parse(f.srv.URL)
	forged.Jar.SetCookies(u, []*http.Cookie{{Name: "jinwei_device", Value: "bm9uY2U.c2lnbmF0dXJl", Path: "/"}})
	if code := try(forged, "198.51.100.3", "ops-pw"); code != http.StatusTooManyRequests {
		t.Errorf("a forged device cookie, while the name is locked: %d, want 429", code)
	}
}

// Why 9: /login?next=/%09/evil.example/ sent the browser to another host (it drops the
// tab, leaving //evil.example/). The form and the redirect keep to this site.
func TestSignInRedirectStaysOnThisSite(t *testing.T) {
	t.Parallel()
	f := newAccountsServer(t, true, nil)
	c := f.client(t)
	_, body := call(t, c, "GET", f.srv.URL+"/login?next=/%09/evil.example/", nil, nil)
	if !strings.Contains(body, `name="next" value="/"`) {
		t.Errorf("the sign-in form does not reset the foreign next to /")
	}
	token := pageToken(t, c, f.srv.URL+"/login")
	res, err := c.PostForm(f.srv.URL+"/login", url.Values{"user": {"leader"}, "password": {"leader-pw"}, "_csrf": {token}, "next": {"/\t/evil.example/"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/" {
		t.Errorf("sign-in with next=/<tab>/evil.example/: %d to %q, want /", res.StatusCode, loc)
	}
}

// Why 11: cookies were always Secure, which a browser drops over plain http on any name but
// localhost, so sign-in there was impossible (403). They are Secure when the request came
// over HTTPS (directly, or by a trusted proxy's word), or as configured.
func TestCookiesAreSecureWhenTheRequestIsHTTPS(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		tls        bool
		setting    string
		proxies    []string
		proto      string
		wantSecure bool
	}{
		{"plain http", false, "", nil, "", false},
		{"https", true, "", nil, "", true},
		{"forwarded https from anyone", false, "auto", nil, "https", false},
		{"forwarded https from the trusted proxy", false, "auto", []string{"127.0.0.0/8"}, "https", true},
		{"always", false, "always", nil, "", true},
		{"never", true, "never", nil, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newAccountsServer(t, tc.tls, func(c *dashboard.Config) { c.CookieSecure, c.TrustedProxies = tc.setting, tc.proxies })
			c := f.client(t)
			hdr := map[string]string{}
			if tc.proto != "" {
				hdr["X-Forwarded-Proto"] = tc.proto
			}
			req, _ := http.NewRequest("GET", f.srv.URL+"/login", nil)
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			for _, ck := range res.Cookies() {
				if ck.Secure != tc.wantSecure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode {
					t.Errorf("cookie %s: Secure %v HttpOnly %v SameSite %v; want Secure %v, HttpOnly, Strict", ck.Name, ck.Secure, ck.HttpOnly, ck.SameSite, tc.wantSecure)
				}
			}
			if tc.name == "plain http" {
				// The whole sign-in works over plain http on an intranet name: the cookie
				// jar, like a browser, keeps Secure cookies from http pages out, except on
				// localhost. The name is dialled on loopback.
				addr := f.srv.Listener.Addr().String()
				_, port, _ := net.SplitHostPort(addr)
				jar, _ := cookiejar.New(nil)
				intranet := &http.Client{Jar: jar, Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
					return (&net.Dialer{}).DialContext(ctx, network, addr)
				}}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
				base := "http://jinwei.intranet:" + port
				if res := signIn(t, intranet, base, "leader", "leader-pw"); res.StatusCode != http.StatusSeeOther {
					t.Errorf("sign-in over plain http: %d, want 303", res.StatusCode)
				}
				if code := status(t, intranet, "GET", base+"/api/sql/history", nil); code != http.StatusForbidden {
					t.Errorf("signed-in viewer over plain http: %d, want 403 (signed in, not allowed)", code)
				}
			}
		})
	}
}

// Demo mode (no accounts) gives visitors the viewer role: the dashboards, not the console,
// the SQL API or exports.
func TestDemoVisitorsAreViewersOnly(t *testing.T) {
	t.Parallel()
	f := newAccountsServer(t, false, func(c *dashboard.Config) { c.Users = nil })
	c := f.client(t)
	// Not to a sign-in form that no one can pass (there are no accounts): a page that says
	// why, in the reader's language.
	// Under the banner saying anyone may view the pages it said 无权访问此页 and "ask an
	// administrator", of whom demo mode has none; /subscriptions said "subscriptions belong to
	// accounts: sign in first" in English on a Chinese page.
	for _, tc := range []struct{ path, want string }{
		{"/console", "此页需要“运行 SQL 查询”权限。配置账号后"},
		{"/console?lang=en", "This page needs the permission to run SQL queries. Once accounts are set up"},
		{"/subscriptions", "订阅属于账号：配置账号并登录后即可订阅简报和告警"},
		{"/subscriptions?lang=en", "Subscriptions belong to accounts: once accounts are set up"},
	} {
		code, body := call(t, c, "GET", f.srv.URL+tc.path, nil, nil)
		heading, hint := "演示模式不开放此页", "演示模式无需登录即可查看各分析页"
		if strings.Contains(tc.path, "lang=en") {
			heading, hint = "Not open in demo mode", "Demo mode shows the analysis pages to anyone"
		}
		if code != http.StatusForbidden || !strings.Contains(body, tc.want) || !strings.Contains(body, heading) || !strings.Contains(body, hint) {
			t.Errorf("demo visitor opening %s: %d %.600s; want 403 saying %q under %q", tc.path, code, between(body, "<main>", "</main>"), tc.want, heading)
		}
		for _, bad := range []string{"联系管理员", "ask an administrator", "sign in first", `lang="en"`} {
			if strings.Contains(between(body, "<main>", "</main>"), bad) {
				t.Errorf("demo visitor opening %s is told %q", tc.path, bad)
			}
		}
	}
	// The wall's sign-in asked demo mode for a token no one can make there.
	if code, body := call(t, c, "GET", f.srv.URL+"/wall", nil, nil); code != http.StatusOK || !strings.Contains(body, `<p id="wall-demo">演示模式没有账号，也就没有大屏令牌`) ||
		!strings.Contains(body, `href="/?screen=wall"`) || strings.Contains(body, `id="wall-form"`) {
		t.Errorf("demo visitor on /wall: %d %.600s; want the wall view offered, no token form", code, between(body, "<main", "</main>"))
	}
	// The page it was sent from, in the wall view.
	if _, body := call(t, c, "GET", f.srv.URL+"/wall?next=%2Franking&lang=en", nil, nil); !strings.Contains(body, `href="/ranking?lang=en&amp;screen=wall"`) {
		t.Errorf("demo visitor on /wall?next=/ranking: %.600s; want the ranking's wall view offered", between(body, "<main", "</main>"))
	}
	if code := status(t, c, "GET", f.srv.URL+"/api/sql/schema", nil); code != http.StatusUnauthorized {
		t.Errorf("demo visitor on the SQL API: %d, want 401", code)
	}
	if code, body := call(t, c, "GET", f.srv.URL+"/ecology", nil, nil); code == http.StatusSeeOther || !strings.Contains(body, `id="demo-banner"`) {
		t.Errorf("demo visitor on a dashboard: %d, banner %v", code, strings.Contains(body, "demo-banner"))
	}
}

// A signed-in request costs no engine statement once its session is cached; a server
// started afresh on the same warehouse reads a session once, and with AccountsRefresh set
// (a shared ClickHouse server) sees another process's sign-out within that period.
func TestSessionsAreCachedAndRefreshed(t *testing.T) {
	t.Parallel()
	var statements atomic.Int64
	f := newAccountsServer(t, true, nil)
	stop := f.w.ObserveQueries(func(string, warehouse.Params, time.Duration, error) { statements.Add(1) })
	defer stop()
	admin, _ := signedInHere(t, f, "ops")
	before := statements.Load()
	for i := 0; i < 5; i++ {
		if code := status(t, admin, "GET", f.srv.URL+"/api/admin/inflight", nil); code != http.StatusOK {
			t.Fatalf("signed-in admin: %d", code)
		}
	}
	if n := statements.Load() - before; n != 0 {
		t.Errorf("5 signed-in requests ran %d engine statements, want 0", n)
	}

	// A second server process on the same warehouse: the session is read from the table.
	app, err := dashboard.New(dashboard.Config{HomeRegion: etltest.Home, SessionKey: []byte(strings.Repeat("k", 32)), SessionTTL: time.Hour,
		Clock: func() time.Time { return f.now }, AccountsRefresh: time.Second}, f.w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	other := httptest.NewTLSServer(app)
	defer other.Close()
	u, _ := url.Parse(f.srv.URL)
	var ck *http.Cookie
	for _, c := range admin.Jar.Cookies(u) {
		if c.Name == "jinwei_session" {
			ck = c
		}
	}
	replay := func(base string) int {
		return status(t, &http.Client{Transport: f.srv.Client().Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
			"GET", base+"/api/admin/inflight", map[string]string{"Cookie": ck.Name + "=" + ck.Value})
	}
	if code := replay(other.URL); code != http.StatusOK {
		t.Fatalf("the session on a second server: %d", code)
	}
	// Signed out through the first server: the second sees it once its copy is a second old.
	token := pageToken(t, admin, f.srv.URL+"/login")
	if res, err := admin.PostForm(f.srv.URL+"/logout", url.Values{"_csrf": {token}}); err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out: %v %v", err, res)
	}
	f.now = f.now.Add(1100 * time.Millisecond)
	if code := replay(other.URL); code != http.StatusUnauthorized {
		t.Errorf("the second server a second after sign-out: %d, want 401", code)
	}
}

// Sessions nobody can use again (expired or signed out) are removed from the table by a
// sign-in, at most once an hour; live ones stay. They used to be kept for ever, a row for
// every sign-in the server ever had.
func TestSignInPurgesEndedSessions(t *testing.T) {
	f := newAccountsServer(t, true, nil) // sessions last an hour
	ctx := context.Background()
	users := func() []string {
		t.Helper()
		res, err := whtest.Query(ctx, f.w, "SELECT DISTINCT user FROM sessions ORDER BY user", nil)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range res.Rows {
			out = append(out, r[0].(string))
		}
		return out
	}
	start := f.now
	signedInHere(t, f, "leader") // purges (the first sign-in since the start): nothing ended yet
	ops, opsCSRF := signedInHere(t, f, "ops")
	if res, err := ops.PostForm(f.srv.URL+"/logout", url.Values{"_csrf": {opsCSRF}}); err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out: %v %v", err, res)
	}
	f.now = start.Add(59 * time.Minute)
	signedInHere(t, f, "analyst") // under an hour since the last purge: none
	if got := strings.Join(users(), " "); got != "analyst leader ops" {
		t.Fatalf("sessions before an hour is up: %s, want all three", got)
	}
	f.now = start.Add(61 * time.Minute) // leader's session has ended, ops signed out
	signedInHere(t, f, "leader")
	if got := strings.Join(users(), " "); got != "analyst leader" {
		t.Errorf("sessions after the purge: %s, want analyst's and leader's new one", got)
	}
}

// The config's accounts are a bootstrap: added when missing, updated when the file changes
// them, but never re-enabled, and never over a change made by command since.
func TestConfigAccountsAreABootstrap(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := whtest.Open(t)
	a, err := dashboard.NewAccounts(ctx, w, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	roleOf := func(name string) (string, bool) {
		t.Helper()
		fresh, err := dashboard.NewAccounts(ctx, w, nil, 0) // as the next start reads them
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range fresh.List(ctx) {
			if u.Name == name {
				return u.Role, u.Disabled
			}
		}
		t.Fatalf("no account %s", name)
		return "", false
	}
	boot := func(users ...dashboard.User) {
		t.Helper()
		if err := a.Bootstrap(ctx, users); err != nil {
			t.Fatal(err)
		}
	}
	boot(dashboard.User{Name: "a", Role: dashboard.RoleViewer, PasswordHash: "$2a$10$1"}, dashboard.User{Name: "b", Role: dashboard.RoleViewer, PasswordHash: "$2a$10$1"})
	if role, _ := roleOf("a"); role != dashboard.RoleViewer {
		t.Errorf("a after the first start: %s", role)
	}
	boot(dashboard.User{Name: "a", Role: dashboard.RoleAnalyst, PasswordHash: "$2a$10$1"})
	if role, _ := roleOf("a"); role != dashboard.RoleAnalyst {
		t.Errorf("a after the file changed its role: %s, want analyst", role)
	}
	if err := a.SetDisabled(ctx, "a", true); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetPassword(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	boot(dashboard.User{Name: "a", Role: dashboard.RoleAdmin, PasswordHash: "$2a$10$2"}, dashboard.User{Name: "b", Role: dashboard.RoleAdmin, PasswordHash: "$2a$10$2"})
	if role, disabled := roleOf("a"); !disabled || role != dashboard.RoleAnalyst {
		t.Errorf("a disabled by command, then changed in the file: %s disabled=%v, want analyst, still disabled", role, disabled)
	}
	if role, _ := roleOf("b"); role != dashboard.RoleViewer {
		t.Errorf("b changed by command, then in the file: %s, want viewer (the command's)", role)
	}
	if err := a.Bootstrap(ctx, []dashboard.User{{Name: "c", Role: "root", PasswordHash: "$2a$10$1"}}); !errors.Is(err, dashboard.ErrBadRole) {
		t.Errorf("bootstrap of role root: %v", err)
	}
}
