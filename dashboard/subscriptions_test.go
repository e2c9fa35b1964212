package dashboard_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"jinwei/dashboard"
)

// postForm posts a form with the client's cookies; it returns the status and body.
func postForm(t *testing.T, c *http.Client, u string, form url.Values) (int, string) {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// A signed-in user sees and edits their own subscriptions, and only theirs: what they may
// choose follows their role and unit (a unit's staff: its alerts for their own unit, no
// briefing), a form naming another user changes nothing of theirs, nothing is saved
// without the CSRF token, and every change is audited.
func TestUsersManageTheirOwnSubscriptions(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t, reporters(t, map[string]string{"chengguan": "620102"}))
	base := f.srv.URL
	ctx := context.Background()
	leader, csrf := f.signedIn(t, "leader")
	var mine dashboard.SubscriptionsAnswer
	code, body := call(t, leader, "GET", base+"/api/subscriptions", nil, nil)
	if err := json.Unmarshal([]byte(body), &mine); code != http.StatusOK || err != nil {
		t.Fatalf("GET /api/subscriptions: %d %v %.200s", code, err, body)
	}
	if mine.Account != "leader" || !slices.Contains(mine.Topics, "brief:month") || !slices.Contains(mine.Topics, "alerts:") ||
		!slices.Contains(mine.Units, "") || !slices.Contains(mine.Units, "620100") || !slices.Contains(mine.Units, "620102") {
		t.Errorf("a viewer's choices: %+v", mine)
	}
	subscribe := url.Values{"what": {"brief:month"}, "unit": {""}, "email": {"leader@example.test"}, "enabled": {"1"}, "user": {"ops"}}
	if code, _ := postForm(t, leader, base+"/subscriptions", subscribe); code != http.StatusForbidden && code != http.StatusBadRequest {
		t.Errorf("a subscription without the CSRF token: %d, want it refused", code)
	}
	subscribe.Set("_csrf", csrf)
	if code, body := postForm(t, leader, base+"/subscriptions", subscribe); code != http.StatusSeeOther {
		t.Fatalf("subscribe: %d %.300s", code, body)
	}
	alerts := url.Values{"_csrf": {csrf}, "what": {"alerts:"}, "unit": {"620100"}, "email": {"leader@example.test"}, "enabled": {"1"}}
	if code, body := postForm(t, leader, base+"/subscriptions", alerts); code != http.StatusSeeOther {
		t.Fatalf("subscribe to Lanzhou's alerts: %d %.300s", code, body)
	}
	for _, bad := range []url.Values{
		{"_csrf": {csrf}, "what": {"brief:decade"}, "unit": {""}, "email": {"leader@example.test"}, "enabled": {"1"}},
		{"_csrf": {csrf}, "what": {"alerts:"}, "unit": {"110000"}, "email": {"leader@example.test"}, "enabled": {"1"}},
		{"_csrf": {csrf}, "what": {"alerts:"}, "unit": {""}, "email": {"leader <x@example.test>"}, "enabled": {"1"}},
	} {
		if code, _ := postForm(t, leader, base+"/subscriptions", bad); code != http.StatusBadRequest {
			t.Errorf("subscribe %v: %d, want 400", bad, code)
		}
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(f.logs.String())
		}
	})
	page := pageBody(t, leader, base+"/subscriptions")
	if !strings.Contains(page, "月度简报") || !strings.Contains(page, "兰州") || strings.Count(page, `class="subscription"`) != 2 {
		t.Errorf("the page does not list the two subscriptions:\n%.2000s", page)
	}
	// Its choice of units names each in full: short names repeat (临夏 was a prefecture, its
	// city and a county) or cut a name mid-word (兰州新 for 兰州新区). A statistical code
	// that is no county says so (嘉峪关市 read twice, 620200 and 620201).
	for _, want := range []string{">临夏回族自治州 622900<", ">临夏市 622901<", ">临夏县 622921<", ">兰州新区 620171（统计用代码，非县级行政区）<",
		">嘉峪关市 620200<", ">嘉峪关市 620201（统计用代码，非县级行政区）<", ">城关区 620102<"} {
		if !strings.Contains(page, want) {
			t.Errorf("the subscriptions page's units lack %q", want)
		}
	}

	// A unit's staff: alerts for their own unit only, no briefing.
	cg, csrfCG := signedInReporter(t, f, "chengguan", "620102")
	code, body = call(t, cg, "GET", base+"/api/subscriptions", nil, nil)
	if err := json.Unmarshal([]byte(body), &mine); code != http.StatusOK || err != nil || !slices.Equal(mine.Units, []string{"620102"}) ||
		slices.Contains(mine.Topics, "brief:month") {
		t.Errorf("a reporter's choices: %d %+v %v", code, mine, err)
	}
	for what, unit := range map[string]string{"brief:month": "620102", "alerts:": ""} {
		if code, _ := postForm(t, cg, base+"/subscriptions", url.Values{"_csrf": {csrfCG}, "what": {what}, "unit": {unit}, "email": {"cg@example.test"}, "enabled": {"1"}}); code != http.StatusBadRequest {
			t.Errorf("reporter subscribes to %s for %q: %d, want 400", what, unit, code)
		}
	}
	// An address mistyped is said in the page's language (it was English on the Chinese page).
	for path, want := range map[string]string{"/subscriptions": "“cg.example.test”不是一个邮箱地址。", "/subscriptions?lang=en": `"cg.example.test" is not a mail address.`} {
		code, page := postForm(t, cg, base+path, url.Values{"_csrf": {csrfCG}, "what": {"alerts:"}, "unit": {"620102"}, "email": {"cg.example.test"}, "enabled": {"1"}})
		if code != http.StatusBadRequest || !strings.Contains(html.UnescapeString(page), want) {
			t.Errorf("a mistyped address on %s: %d, want 400 saying %s", path, code, want)
		}
	}
	if code, _ := postForm(t, cg, base+"/subscriptions", url.Values{"_csrf": {csrfCG}, "what": {"alerts:"}, "unit": {"620102"}, "email": {"cg@example.test"}, "enabled": {"1"}}); code != http.StatusSeeOther {
		t.Errorf("reporter subscribes to its unit's alerts: %d", code)
	}

	// Unsubscribing ends the leader's briefing only.
	if code, _ := postForm(t, leader, base+"/subscriptions", url.Values{"_csrf": {csrf}, "what": {"brief:month"}, "unit": {""}, "email": {"leader@example.test"}}); code != http.StatusSeeOther {
		t.Errorf("unsubscribe: %d", code)
	}
	subs, err := f.w.Subscriptions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, s := range subs {
		got[s.User+" "+s.Kind+":"+s.Topic+" "+s.Unit] = s.Enabled
	}
	want := map[string]bool{"leader brief:month ": false, "leader alerts: 620100": true, "chengguan alerts: 620102": true}
	if len(got) != len(want) {
		t.Errorf("subscriptions %v, want %v", got, want)
	}
	for k, v := range want {
		if e, ok := got[k]; !ok || e != v {
			t.Errorf("subscription %q: %v (there %v), want %v", k, e, ok, v)
		}
	}
	log, err := f.w.AuditLog(ctx, "leader", 50)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if e.Action == "subscription" {
			n++
		}
	}
	if n != 6 { // two subscriptions, three refused, one ended
		t.Errorf("%d subscription steps audited for leader, want 6", n)
	}
}

// pageBody is a page's HTML as the client sees it.
func pageBody(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	code, body := call(t, c, "GET", u, nil, nil)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d", u, code)
	}
	return body
}
