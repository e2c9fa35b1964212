package dashboard_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"jinwei/dashboard"
)

// wallLink is the sign-in link the accounts page shows once for a new wall-screen token.
var wallLink = regexp.MustCompile(`<code id="wall-link">([^<]+)</code>`)

// makeWallToken makes a wall-screen token on the accounts page as an admin and returns
// the link shown and the token in it.
func makeWallToken(t *testing.T, f *authFixture, name, life string) (link, token string) {
	t.Helper()
	admin, csrf := f.signedIn(t, "ops")
	res, err := admin.PostForm(f.srv.URL+"/admin/tokens/wall", url.Values{"_csrf": {csrf}, "name": {name}, "expires": {life}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := wallLink.FindStringSubmatch(string(b))
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("make a wall-screen token: %d, no link shown", res.StatusCode)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page showing the token may be cached: Cache-Control %q", res.Header.Get("Cache-Control"))
	}
	link = html.UnescapeString(m[1])
	_, token, ok := strings.Cut(link, "/wall#token=")
	if !strings.HasPrefix(link, f.srv.URL) || !ok || !strings.HasPrefix(token, "jw_") {
		t.Fatalf("wall link %q", link)
	}
	return link, token
}

// wallSignIn opens /wall?token=… in a fresh browser-like client and returns it with the
// answer (a redirect either way).
func wallSignIn(t *testing.T, f *authFixture, token, extra string) (*http.Client, *http.Response) {
	t.Helper()
	c := f.client(t)
	res, err := c.Get(f.srv.URL + "/wall?token=" + url.QueryEscape(token) + extra)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return c, res
}

func auditOf(t *testing.T, f *authFixture, user string) string {
	t.Helper()
	entries, err := f.w.AuditLog(context.Background(), user, 100)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(e.Action + " " + e.Outcome + " " + e.Statement + " " + e.Message + "\n")
	}
	return b.String()
}

// A wall screen signs in with a read-only token made on the accounts page: /wall?token=…
// (or the token posted from /wall's form) becomes a cookie session as long-lived as the
// token, a viewer's only, ended at once by revoking the token or by its expiry; the token
// never stays in the address bar, a Referer or the logs, and every sign-in is audited.
func TestWallScreenSignsInWithAToken(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	base := f.srv.URL
	_, token := makeWallToken(t, f, "wall-hall", "365d")

	// A link with the token, opened by a browser already signed in (an admin's, led there
	// by another site), keeps that browser's session: the exchange swapped it for the
	// screen's, signing the admin out unseen.
	signedIn, _ := f.signedIn(t, "ops")
	followed, ferr := signedIn.Get(base + "/wall?token=" + url.QueryEscape(token))
	if ferr != nil {
		t.Fatal(ferr)
	}
	followed.Body.Close()
	if code := status(t, signedIn, "GET", base+"/admin/accounts", nil); code != http.StatusOK {
		t.Errorf("an admin's browser after following a wall link: /admin/accounts answers %d, want its session kept", code)
	}
	wall, res := wallSignIn(t, f, token, "&lang=en")
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || loc != "/?lang=en&screen=wall" {
		t.Fatalf("sign-in answered %d to %q, want a redirect to the cockpit's wall view", res.StatusCode, loc)
	}
	if rp := res.Header.Get("Referrer-Policy"); rp != "no-referrer" {
		t.Errorf("the exchange's Referrer-Policy is %q, want no-referrer", rp)
	}
	ck := sessionCookieOf(t, res)
	if !ck.Expires.After(f.now.Add(364*24*time.Hour)) || ck.Expires.After(f.now.Add(366*24*time.Hour)) {
		t.Errorf("the screen's session expires %v, want with its token a year on (not a %v sign-in)", ck.Expires, time.Hour)
	}
	if code, b := call(t, wall, "GET", base+"/?screen=wall&lang=en", nil, nil); code != http.StatusOK || !strings.Contains(b, `class="wall"`) {
		t.Errorf("the cockpit's wall view: %d", code)
	}
	if code, b := call(t, wall, "GET", base+"/api/version", nil, nil); code != http.StatusOK || !strings.Contains(b, "data_version") {
		t.Errorf("the wall's poll: %d %s", code, b)
	}
	// Read-only: a viewer's pages and nothing else.
	for _, u := range []string{"/console", "/api/sql/schema", "/admin/loads", "/admin/accounts", "/api/admin/tokens"} {
		if code, _ := call(t, wall, "GET", base+u, nil, nil); code != http.StatusForbidden {
			t.Errorf("the wall screen on %s: %d, want 403", u, code)
		}
	}

	// The token pasted into /wall's form does the same, without it ever being in a URL.
	paste := f.client(t)
	// Where to make a token is named as the menu names it (it said 运维 → 账号, the tab is 账户).
	if _, b := call(t, paste, "GET", base+"/wall", nil, nil); !strings.Contains(b, "管理员在“运维 → 账户”页新建大屏令牌") {
		t.Errorf("/wall names where to make a token as %.300q", between(b, "<main", "</form>"))
	}
	csrf := pageToken(t, paste, base+"/wall?next=%2Franking")
	res, err := paste.PostForm(base+"/wall", url.Values{"_csrf": {csrf}, "token": {" " + token + " "}, "next": {"/ranking"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/ranking?screen=wall" {
		t.Errorf("pasted token: %d to %q, want the ranking's wall view", res.StatusCode, loc)
	}

	// A viewer token for an admin's account still gives the screen a viewer's session.
	ops, _ := wallSignIn(t, f, addToken(t, f, "ops", dashboard.RoleViewer, "30d").Token, "")
	if code, _ := call(t, ops, "GET", base+"/admin/loads", nil, nil); code != http.StatusForbidden {
		t.Errorf("a screen signed in with an admin's viewer token on the loads page: %d, want 403", code)
	}

	// Revoked on the accounts page: the screen is refused on its next request, and sent to
	// sign in again, told why.
	admin, csrf := f.signedIn(t, "ops")
	list := body(t, admin, base+"/admin/accounts")
	id := regexp.MustCompile(`data-token="([0-9a-f]+)"><td><code>[0-9a-f]+</code></td><td>wall-hall</td><td>查看者（领导）</td>`).FindStringSubmatch(list)
	if id == nil {
		t.Fatalf("the wall-screen token is not listed as a viewer's")
	}
	if res, err := admin.PostForm(base+"/admin/tokens/"+id[1]+"/revoke", url.Values{"_csrf": {csrf}}); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("revoke: %v %v", res, err)
	}
	if code, _ := call(t, wall, "GET", base+"/api/version", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("the revoked screen's poll: %d, want 401", code)
	}
	res, err = wall.Get(base + "/?screen=wall&lang=en")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/wall?") || !strings.Contains(loc, "refused=ended") {
		t.Errorf("the revoked screen's page: %d to %q, want /wall saying its sign-in ended", res.StatusCode, loc)
	}
	if _, res := wallSignIn(t, f, token, ""); !strings.Contains(res.Header.Get("Location"), "refused=token") {
		t.Errorf("the revoked token signed a screen in again: %q", res.Header.Get("Location"))
	}

	// Audited, by the token's name and id; the token itself is in no log.
	audit := auditOf(t, f, "wall-hall")
	if strings.Count(audit, "wall ok sign in a wall screen with API token "+id[1]) != 2 || !strings.Contains(audit, "wall refused sign in a wall screen with API token "+id[1]) {
		t.Errorf("audit of the wall-hall screen:\n%s", audit)
	}
	// Until when, in Beijing time as the audit's own column (it gave UTC, eight hours off).
	if !regexp.MustCompile(`, until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00`).MatchString(audit) {
		t.Errorf("the wall sign-in's audit does not say until when in Beijing time:\n%s", audit)
	}
	if all := auditOf(t, f, "") + f.logs.String(); strings.Contains(all, token) || strings.Contains(all, token[3:20]) {
		t.Errorf("the token is in the logs")
	}
}

// A screen's session ends when its token expires, however long the browser keeps it. A
// token that may do more than view, or an unknown one, signs no screen in. (Apart from the
// test above: sign-in attempts from one address are limited to 5 at once.)
func TestWallScreenSessionEndsWithItsToken(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	_, token := makeWallToken(t, f, "wall", "90d")
	wall, res := wallSignIn(t, f, token, "")
	if ck := sessionCookieOf(t, res); ck.Expires.After(f.now.Add(91 * 24 * time.Hour)) {
		t.Errorf("the session outlives its 90-day token: %v", ck.Expires)
	}
	f.now = f.now.Add(89 * 24 * time.Hour)
	if code, _ := call(t, wall, "GET", f.srv.URL+"/api/version", nil, nil); code != http.StatusOK {
		t.Errorf("day 89: %d, want 200", code)
	}
	f.now = f.now.Add(2 * 24 * time.Hour)
	if code, _ := call(t, wall, "GET", f.srv.URL+"/api/version", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("day 91: %d, want 401", code)
	}

	// A token that may do more than view signs no screen in, even a viewer's screen; an
	// unknown one neither. Both go back to /wall saying why, the token out of the address.
	analyst := addToken(t, f, "script", dashboard.RoleAnalyst, "90d")
	for _, c := range []struct{ token, why string }{{analyst.Token, "role"}, {"jw_made-up", "token"}} {
		_, res := wallSignIn(t, f, c.token, "")
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/wall?") || !strings.Contains(loc, "refused="+c.why) || strings.Contains(loc, "jw_") {
			t.Errorf("token refused for %s: %d to %q", c.why, res.StatusCode, loc)
		}
		for _, ck := range res.Cookies() {
			if ck.Name == "jinwei_session" && ck.Value != "" {
				t.Errorf("a refused token (%s) got a session", c.why)
			}
		}
	}
	if code, b := call(t, f.client(t), "GET", f.srv.URL+"/wall?refused=role&lang=en", nil, nil); code != http.StatusUnauthorized || !strings.Contains(b, "may do more than view") {
		t.Errorf("/wall after a refusal: %d", code)
	}
	if a := auditOf(t, f, "script"); !strings.Contains(a, "wall refused") {
		t.Errorf("the analyst token's refusal is not audited:\n%s", a)
	}
}
