package dashboard_test

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"jinwei/dashboard"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

type authFixture struct {
	srv *httptest.Server
	w   *warehouse.Warehouse
	now time.Time
	// logs are the server's log lines (newAuthServerOn's servers).
	logs *lockedBuilder
}

func newAuthServer(t testing.TB, tune ...func(*dashboard.Config)) *authFixture {
	t.Helper()
	return newAuthServerOn(t, etltest.Demo(t), tune...)
}

// newAuthServerOn is the signed-in server over a warehouse already loaded.
func newAuthServerOn(t testing.TB, w *warehouse.Warehouse, tune ...func(*dashboard.Config)) *authFixture {
	t.Helper()
	f := &authFixture{now: time.Now(), w: w, logs: &lockedBuilder{}}
	users := []dashboard.User{}
	for _, u := range []struct{ name, role string }{{"leader", dashboard.RoleViewer}, {"analyst", dashboard.RoleAnalyst}, {"ops", dashboard.RoleAdmin}} {
		h, err := dashboard.HashPassword(u.name + "-pw")
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, dashboard.User{Name: u.name, Role: u.role, PasswordHash: h})
	}
	cfg := dashboard.Config{HomeRegion: etltest.Home, Users: users, SessionKey: []byte(strings.Repeat("k", 32)),
		SessionTTL: time.Hour, Clock: func() time.Time { return f.now }, AdminToken: "cli-token"}
	for _, fn := range tune {
		fn(&cfg)
	}
	app, err := dashboard.New(cfg, f.w, slog.New(slog.NewTextHandler(f.logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	// Session cookies are Secure: the browser sends them over TLS, as behind the proxy.
	f.srv = httptest.NewTLSServer(app)
	t.Cleanup(f.srv.Close)
	return f
}

// client is a browser-like client of the TLS test server: cookies kept, redirects not
// followed.
func (f *authFixture) client(t testing.TB) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Transport: f.srv.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signedIn is a new client signed in as one of the fixture's users, with its CSRF token.
func (f *authFixture) signedIn(t testing.TB, user string) (*http.Client, string) {
	t.Helper()
	c := f.client(t)
	signIn(t, c, f.srv.URL, user, user+"-pw")
	return c, csrfToken(t, c, f.srv.URL)
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// signIn fetches the form, posts the credentials with its CSRF token, and returns the
// response to the post.
func signIn(t testing.TB, c *http.Client, base, user, password string) *http.Response {
	t.Helper()
	token := pageToken(t, c, base+"/login")
	res, err := c.PostForm(base+"/login", url.Values{"user": {user}, "password": {password}, "_csrf": {token}, "next": {"/ranking"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func status(t *testing.T, c *http.Client, method, u string, header map[string]string) int {
	t.Helper()
	req, _ := http.NewRequest(method, u, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func TestSignInRolesAndSessions(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	base := f.srv.URL
	anon := f.client(t)
	if code := status(t, anon, "GET", base+"/ranking", nil); code != http.StatusSeeOther {
		t.Errorf("anonymous page view: %d, want a redirect to sign in", code)
	}
	if code := status(t, anon, "GET", base+"/api/ranking", nil); code != http.StatusUnauthorized {
		t.Errorf("anonymous API call: %d, want 401", code)
	}
	if res := signIn(t, anon, base, "leader", "wrong"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong password: %d, want 401", res.StatusCode)
	}

	viewer := f.client(t)
	res := signIn(t, viewer, base, "leader", "leader-pw")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/ranking" {
		t.Fatalf("sign-in: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	var ck *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "jinwei_session" {
			ck = c
		}
	}
	if ck == nil || !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode {
		t.Errorf("session cookie %+v; want Secure, HttpOnly, SameSite=Strict", ck)
	}
	if code := status(t, viewer, "GET", base+"/ranking", nil); code != http.StatusOK {
		t.Errorf("viewer on the dashboards: %d", code)
	}
	if code := status(t, viewer, "GET", base+"/api/admin/runs", nil); code != http.StatusForbidden {
		t.Errorf("viewer on the admin API: %d, want 403", code)
	}
	analyst := f.client(t)
	signIn(t, analyst, base, "analyst", "analyst-pw")
	if code := status(t, analyst, "POST", base+"/api/admin/jobs/economy/run", map[string]string{"X-CSRF-Token": "x"}); code != http.StatusForbidden {
		t.Errorf("analyst running an ETL job: %d, want 403", code)
	}
	admin := f.client(t)
	signIn(t, admin, base, "ops", "ops-pw")
	if code := status(t, admin, "GET", base+"/api/admin/runs", nil); code != http.StatusOK {
		t.Errorf("admin on the admin API: %d", code)
	}
	if code := status(t, anon, "GET", base+"/api/admin/runs", map[string]string{"Authorization": "Bearer cli-token"}); code != http.StatusOK {
		t.Errorf("the CLI's token on the admin API: %d", code)
	}

	// State-changing requests need the CSRF token: sign-out without it is refused.
	if code := status(t, viewer, "POST", base+"/logout", nil); code != http.StatusForbidden && code != http.StatusBadRequest {
		t.Errorf("sign-out without CSRF token: %d, want it refused", code)
	}
	// A session lasts its TTL, then the user signs in again.
	f.now = f.now.Add(2 * time.Hour)
	if code := status(t, viewer, "GET", base+"/ranking", nil); code != http.StatusSeeOther {
		t.Errorf("expired session: %d, want a redirect to sign in", code)
	}
}

func TestSignInIsRateLimited(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	c := f.client(t)
	limited := false
	for i := 0; i < 12 && !limited; i++ {
		limited = signIn(t, c, f.srv.URL, "ops", "guess").StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Errorf("12 failed sign-ins in a row were never limited")
	}
}

// Failed sign-ins from one address are limited across account names; sign-ins that
// succeed are not counted: an office behind one address signs in all at once.
func TestSignInLimitCountsFailuresByAddress(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	// Fifteen sign-ins that succeed in a row (before: the sixth was refused, 429).
	for i := range 15 {
		if res := signIn(t, f.client(t), f.srv.URL, "leader", "leader-pw"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-in %d that should succeed: %d", i+1, res.StatusCode)
		}
	}
	// Guesses at many names, each name once: the address runs out.
	limited := 0
	for i := range 20 {
		if signIn(t, f.client(t), f.srv.URL, fmt.Sprintf("guess%d", i), "x").StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Errorf("20 failed sign-ins from one address under 20 names were never limited")
	}
}

func TestSignOutEndsTheSession(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	c := f.client(t)
	signIn(t, c, f.srv.URL, "leader", "leader-pw")
	res, err := c.Get(f.srv.URL + "/ranking")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfField.FindSubmatch(body)
	if m == nil || !strings.Contains(string(body), `id="user">leader<`) {
		t.Fatalf("the page shows no signed-in user or sign-out form")
	}
	res, err = c.PostForm(f.srv.URL+"/logout", url.Values{"_csrf": {string(m[1])}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out: %v %v", err, res)
	}
	if code := status(t, c, "GET", f.srv.URL+"/ranking", nil); code != http.StatusSeeOther {
		t.Errorf("after sign-out: %d, want a redirect to sign in", code)
	}
}

// Without users the pages are open, say so, and the admin API still wants its token.
func TestDemoModeIsOpenButSaysSo(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	code, body, _ := get(t, srv.URL+"/ranking")
	if code != http.StatusOK || !strings.Contains(body, `id="demo-banner"`) {
		t.Errorf("demo mode page: %d, banner shown: %v", code, strings.Contains(body, "demo-banner"))
	}
	if code, _, _ := get(t, srv.URL+"/api/admin/runs"); code != http.StatusUnauthorized {
		t.Errorf("admin API in demo mode without token: %d, want 401", code)
	}
}

// The request log names the signed-in user beside the request id.
func TestRequestLogNamesTheUser(t *testing.T) {
	t.Parallel()
	var logs lockedBuilder
	h, err := dashboard.HashPassword("pw")
	if err != nil {
		t.Fatal(err)
	}
	app, err := dashboard.New(dashboard.Config{HomeRegion: etltest.Home, Users: []dashboard.User{{Name: "leader", Role: dashboard.RoleViewer, PasswordHash: h}},
		SessionKey: []byte(strings.Repeat("k", 32))}, etltest.Demo(t), slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(app)
	defer srv.Close()
	f := &authFixture{srv: srv, now: time.Now()}
	c := f.client(t)
	signIn(t, c, srv.URL, "leader", "pw")
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/ranking", nil)
	req.Header.Set("X-Request-ID", "req-42")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	// The log line is written after the response is sent; Close waits for
	// the handler to return, so the line is there afterwards.
	srv.Close()
	if !strings.Contains(logs.String(), `"request_id":"req-42","user":"leader","method":"GET","route":"/api/ranking"`) {
		t.Errorf("request log lacks the user and request id:\n%s", logs.String())
	}
}

// lockedBuilder lets the server's handlers and the test share one log buffer.
type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A console left open after its session ended said "sign in (or send an API token) first"
// in English on the Chinese page; a sign-in form left open past its CSRF cookie's day was
// refused as 无权访问此页, "ask an administrator", when reloading the page is the cure (and
// Back shows the same stale form again).
func TestAnEndedSessionAndAStaleFormAreSaidPlainly(t *testing.T) {
	t.Parallel()
	f := newAccountsServer(t, false, nil)
	base := f.srv.URL
	message := func(body string) string {
		var j struct{ Error, Message string }
		if err := json.Unmarshal([]byte(body), &j); err != nil || j.Error == "" {
			t.Fatalf("answer %q: %v", body, err)
		}
		return j.Message
	}
	anon := f.client(t)
	token := pageToken(t, anon, base+"/login")
	for lang, want := range map[string]string{"": "尚未登录或登录已失效：请重新登录后再试。", "?lang=en": "Not signed in, or signed out: Sign in again and retry."} {
		code, body := call(t, anon, "POST", base+"/api/sql"+lang, map[string]string{"X-CSRF-Token": token}, map[string]string{"statement": "SELECT 1"})
		if got := message(body); code != http.StatusUnauthorized || got != want {
			t.Errorf("console run without a session%s: %d %q, want 401 %q", lang, code, got, want)
		}
	}
	code, body := call(t, anon, "POST", base+"/api/sql", map[string]string{"X-CSRF-Token": "a-token-from-yesterday"}, map[string]string{"statement": "SELECT 1"})
	if got := message(body); code != http.StatusForbidden || !strings.HasPrefix(got, "页面已过期：") {
		t.Errorf("console run with a stale token: %d %q, want 403 页面已过期：…", code, got)
	}

	// The sign-in form, sent with yesterday's token: the page says it expired and links to
	// a fresh copy of the page it was sent from, whose form signs in.
	stale := f.client(t)
	pageToken(t, stale, base+"/login")
	send := func(path, referer string) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(url.Values{"user": {"leader"}, "password": {"leader-pw"}, "_csrf": {"a-token-from-yesterday"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if referer != "" {
			req.Header.Set("Referer", referer)
		}
		res, err := stale.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, page
	}
	// Sent from elsewhere, or to an address no page has, it links to no page but the start.
	for path, referer := range map[string]string{"/login": "https://evil.example/login", "//evil.example/x": "", "/logout": ""} {
		if res, page := send(path, referer); res.StatusCode != http.StatusForbidden || strings.Contains(string(page), `id="error-again"`) {
			t.Errorf("a stale form to %s from %q: %d, links to open a page again: %s", path, referer, res.StatusCode, between(string(page), "<main", "</main>"))
		}
	}
	res, page := send("/login?next=%2Franking", base+"/login?next=%2Franking")
	again := regexp.MustCompile(`<a id="error-again" href="([^"]+)">重新打开此页</a>`).FindSubmatch(page)
	if res.StatusCode != http.StatusForbidden || !strings.Contains(string(page), `<h1 class="page-title">页面已过期</h1>`) || strings.Contains(string(page), "管理员") || again == nil {
		t.Fatalf("sign-in with a stale token: %d\n%s", res.StatusCode, page)
	}
	link := html.UnescapeString(string(again[1]))
	if link != "/login?next=%2Franking" {
		t.Errorf("the page links to %q, want the sign-in page again", link)
	}
	fresh := pageToken(t, stale, base+link)
	res, err := stale.PostForm(base+link, url.Values{"user": {"leader"}, "password": {"leader-pw"}, "_csrf": {fresh}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/ranking" {
		t.Errorf("sign-in from the page opened again: %d to %q, want 303 to /ranking", res.StatusCode, res.Header.Get("Location"))
	}
}
