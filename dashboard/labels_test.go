package dashboard_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"jinwei/dashboard"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// bareKey finds a label key shown as an element's whole text or an attribute's value: what
// a label missing from its language looks like. Keys without "_" are plain words ("home",
// "rank") that may be real text.
func bareKey(t *testing.T) *regexp.Regexp {
	var alts []string
	for _, k := range dashboard.LabelKeys() {
		if strings.Contains(k, "_") {
			alts = append(alts, regexp.QuoteMeta(k))
		}
	}
	if len(alts) < 50 {
		t.Fatalf("only %d label keys", len(alts))
	}
	// A value its family lacks (a run started by a unit's report) shows as a key no
	// locale file holds: "started_report".
	for _, p := range dashboard.LabelFamilyPrefixes() {
		alts = append(alts, regexp.QuoteMeta(p)+`[\w-]+`)
	}
	return regexp.MustCompile(`(>\s*|(?:title|placeholder|aria-label)=")(` + strings.Join(alts, "|") + `)(\s*<|")`)
}

func body(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", u, res.StatusCode, b)
	}
	return string(b)
}

// The words a new user meets first are there in both languages: the sign-in form, its
// error, the console's buttons and link, the demo banner; and no page shows a bare key.
func TestPagesShowTheirLabels(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	bare := bareKey(t)
	for _, lw := range []struct {
		query                                                                 string
		user, password, signIn, badLogin, run, cancel, save, chart, hist, nav string
	}{
		{"", "用户名", "密码", "登录", "用户名或密码不正确", "运行", "取消", "保存", "快速作图", "我的查询历史", "SQL 控制台"},
		{"?lang=en", "User name", "Password", "Sign in", "Wrong user name or password", "Run", "Cancel", "Save", "Quick chart", "My query history", "SQL console"},
	} {
		c := f.client(t)
		login := body(t, c, f.srv.URL+"/login"+lw.query)
		for _, w := range []string{">" + lw.user + "<input", ">" + lw.password + "<input", `id="login-submit">` + lw.signIn + "<"} {
			if !strings.Contains(login, w) {
				t.Errorf("sign-in form %q lacks %q", lw.query, w)
			}
		}
		token := pageToken(t, c, f.srv.URL+"/login"+lw.query)
		res, err := c.PostForm(f.srv.URL+"/login"+lw.query, url.Values{"user": {"leader"}, "password": {"wrong"}, "_csrf": {token}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(b), `id="login-error">`+lw.badLogin+"<") {
			t.Errorf("a wrong password %q shows no %q", lw.query, lw.badLogin)
		}
		analyst, _ := f.signedIn(t, "analyst")
		console := body(t, analyst, f.srv.URL+"/console"+lw.query)
		for _, w := range []string{`id="run">` + lw.run + "<", `id="cancel" disabled>` + lw.cancel + "<", `id="save">` + lw.save + "<",
			`id="draw">` + lw.chart + "<", "<h3>" + lw.hist + "</h3>", ">" + lw.nav + "</a>"} {
			if !strings.Contains(console, w) {
				t.Errorf("console %q lacks %q", lw.query, w)
			}
		}
		for _, p := range []string{"/", "/ranking", "/counties", "/ecology", "/ecology/items/GS-EC-0001", "/campaign", "/console"} {
			page := body(t, analyst, f.srv.URL+p+lw.query)
			// The console's schema browser lists column names, some of which are keys too.
			if a, b, ok := strings.Cut(page, `<aside class="schema"`); ok {
				_, rest, _ := strings.Cut(b, "</aside>")
				page = a + rest
			}
			if m := bare.FindString(page); m != "" {
				t.Errorf("%s%s shows a bare label key %s", p, lw.query, m)
			}
		}
	}

	demo := newServer(t, etltest.SharedDemo(t))
	for q, banner := range map[string]string{"": "演示模式", "?lang=en": "Demo mode"} {
		page := body(t, http.DefaultClient, demo.URL+"/ranking"+q)
		if !strings.Contains(page, `id="demo-banner">`+banner) {
			t.Errorf("demo banner %q does not say %q", q, banner)
		}
	}
}

// An English ledger names each item's status in English, in its table, its charts and an
// item's page; titles, sources and categories are the ledger's own Chinese words, marked
// as Chinese and said to be so.
func TestLedgerStatusesInThePagesLanguage(t *testing.T) {
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	statusCell := regexp.MustCompile(`>(` + strings.Join(warehouse.LedgerStatuses, "|") + `)<`)
	for _, path := range []string{"/ecology?lang=en", "/ecology/items/GS-EC-0001?lang=en"} {
		code, page := app.get(path)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", path, code)
		}
		if m := statusCell.FindAllString(page, 3); m != nil {
			t.Errorf("%s shows statuses in Chinese: %v", path, m)
		}
		for _, want := range []string{"Closed", `lang="zh-CN"`, "own words, in Chinese"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
		if strings.Contains(page, `"name":"已销号"`) {
			t.Errorf("%s: a chart names a status in Chinese", path)
		}
	}
	_, zh := app.get("/ecology/items/GS-EC-0001")
	if !strings.Contains(zh, `id="item-status">已销号<`) {
		t.Errorf("the Chinese item page lost its status")
	}
}
