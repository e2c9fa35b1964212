package dashboard_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
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

// An error page says in the reader's language what happened and what to do, and leads a
// unit's reporter back to its report (before: "filler may not do this; it needs the
// view_dashboards permission" on a Chinese page, under a link to the page that refused it).
func TestErrorPagesSpeakTheReadersLanguage(t *testing.T) {
	t.Parallel()
	f, _ := newOperatorServer(t)
	filler := f.client(t)
	signIn(t, filler, f.srv.URL, "filler", "filler-pw")
	for _, tc := range []struct {
		path   string
		status int
		want   []string
	}{
		// What it lacks, in its reader's words: the English line with the permission's
		// code stood under the Chinese heading.
		{"/", http.StatusForbidden, []string{"无权访问此页", "请联系管理员", `href="/report"`, `<p class="notice" id="error-message">此页需要“查看仪表盘”权限，账号“filler”（填报员）没有。</p>`}},
		{"/console", http.StatusForbidden, []string{`此页需要“运行 SQL 查询”权限，账号“filler”（填报员）没有。`}},
		{"/?lang=en", http.StatusForbidden, []string{"Not allowed", "ask an administrator", `href="/report?lang=en"`,
			"This page needs the permission to view the dashboards, which the account “filler”, whose role is reporter (a unit&#39;s staff), does not have."}},
		{"/no-such-page", http.StatusNotFound, []string{"页面不存在", "地址有误"}},
	} {
		res, err := filler.Get(f.srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("GET %s: %d, want %d", tc.path, res.StatusCode, tc.status)
		}
		for _, w := range tc.want {
			if !strings.Contains(string(body), w) {
				t.Errorf("GET %s: the page lacks %q:\n%.600s", tc.path, w, body)
			}
		}
	}
	// An error page stands in the site's frame: its reader goes on from it by the menu, in
	// the other language, or signs out (it had the name of the site and one link home).
	// Signed out, it shows no menu of pages that would only ask to sign in.
	ops := f.client(t)
	signIn(t, ops, f.srv.URL, "ops", "ops-pw")
	for _, tc := range []struct {
		who        string
		c          *http.Client
		path       string
		want, lack []string
	}{
		{"ops", ops, "/no-such-page", []string{`id="nav-admin"`, `id="lang-switch" lang="en" href="/no-such-page?lang=en"`, `id="logout"`, `<h1 class="page-title">页面不存在</h1>`}, nil},
		{"ops", ops, "/ranking?indicator=nope&lang=en", []string{`id="nav-admin"`, `id="lang-switch" lang="zh-CN" href="/ranking?indicator=nope"`, `id="logout"`}, nil},
		// A unit's reporter reaches its unit's ledger items from the menu too: they were
		// there only for one who typed the address.
		{"filler", filler, "/?lang=en", []string{`id="nav-report"`, `id="nav-ecology" href="/ecology?lang=en"`, `id="logout"`}, []string{`href="/ranking`}},
		{"nobody", f.client(t), "/no-such-page", []string{`id="lang-switch"`, "页面不存在"}, []string{`id="main-nav"`, `id="logout"`}},
		// Its links stay on this site: the language switch of "//evil.example/x" led there.
		{"nobody", f.client(t), "//evil.example/x", []string{`href="/evil.example/x?lang=en"`}, []string{`href="//`}},
		{"ops", ops, "/%5Cevil.example/ranking", []string{`href="/%5Cevil.example/ranking?lang=en"`}, []string{`href="/\`, `href="//`}},
	} {
		res, err := tc.c.Get(f.srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		shows(t, fmt.Sprintf("%s: GET %s (%d)", tc.who, tc.path, res.StatusCode), string(body), tc.want, tc.lack)
	}
}
