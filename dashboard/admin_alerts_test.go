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
	"time"

	"jinwei/dashboard"
	"jinwei/warehouse"
)

// The alerts page: admins only; a rule the config seeded is edited on the page, the edit
// outlives a later seeding and is audited; bad rules and subscriptions are refused with a
// reason; the JSON lists what the page shows.
func TestAlertsPage(t *testing.T) {
	t.Parallel()
	f, _ := newOperatorServer(t)
	ctx := context.Background()
	seed := []warehouse.AlertRule{{ID: "gdp-rank", Kind: warehouse.AlertRankChange, Enabled: true, Indicators: []string{"gdp_per_capita"}, Groups: []string{"all31"}, Roles: []string{"viewer", "admin"}}}
	if _, err := f.w.SeedAlertRules(ctx, seed); err != nil {
		t.Fatal(err)
	}
	for _, user := range []string{"leader", "analyst"} {
		c, token := f.signedIn(t, user)
		if got := status(t, c, http.MethodGet, f.srv.URL+"/admin/alerts", nil); got != http.StatusForbidden {
			t.Errorf("%s GET /admin/alerts: %d, want 403", user, got)
		}
		res, err := c.PostForm(f.srv.URL+"/admin/alerts/rules", url.Values{"_csrf": {token}, "id": {"gdp-rank"}, "kind": {warehouse.AlertRankChange}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s POST a rule: %d, want 403", user, res.StatusCode)
		}
	}
	c, token := f.signedIn(t, "ops")
	post := func(p string, form url.Values, want int) string {
		t.Helper()
		form.Set("_csrf", token)
		res, err := c.PostForm(f.srv.URL+p, form)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != want {
			t.Fatalf("POST %s: %d, want %d: %s", p, res.StatusCode, want, b)
		}
		return string(b)
	}
	page := body(t, c, f.srv.URL+"/admin/alerts")
	if !strings.Contains(page, `data-rule="gdp-rank"`) || !strings.Contains(page, "配置文件") {
		t.Fatalf("the seeded rule is not listed as the config's")
	}
	// The forms' switch says what it does (it read 正常, a state, beside a box to tick).
	if n := strings.Count(page, `value="1" checked> 启用</label>`); n != 2 || strings.Contains(page, `checked> 正常`) {
		t.Errorf("the forms' enable boxes are labelled otherwise than 启用 (%d)", n)
	}
	// Who receives it, in words (it read viewer, admin).
	if !strings.Contains(page, "角色: 查看者（领导）, 管理员") {
		i := strings.Index(page, `data-rule="gdp-rank"`)
		t.Errorf("the rule's roles are not named in words: %s", page[i:min(len(page), i+800)])
	}
	// Disabled, in two groups, on the page.
	post("/admin/alerts/rules", url.Values{"id": {"gdp-rank"}, "kind": {warehouse.AlertRankChange}, "indicators": {"gdp_per_capita"},
		"groups": {"all31, west12"}}, http.StatusOK)
	if _, err := f.w.SeedAlertRules(ctx, seed); err != nil { // a restart seeds again
		t.Fatal(err)
	}
	rules, err := f.w.AlertRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 1 || rules[0].Enabled || !slices.Equal(rules[0].Groups, []string{"all31", "west12"}) || rules[0].Source != warehouse.RuleFromPage || rules[0].UpdatedBy != "ops" {
		t.Fatalf("after the page's edit and a new seeding: %+v; want the page's version", rules)
	}
	for _, bad := range []url.Values{
		{"id": {"x"}, "kind": {"nonsense"}},
		{"id": {"x"}, "kind": {warehouse.AlertRankChange}},                          // no indicators
		{"id": {"x"}, "kind": {warehouse.AlertLedgerDue}, "days": {"-3"}},           // days
		{"id": {"x"}, "kind": {warehouse.AlertLoadFailed}, "channels": {"nowhere"}}, // no such channel
		{"id": {"x"}, "kind": {warehouse.AlertLoadFailed}, "roles": {"emperor"}},    // no such role
		{"id": {"a b"}, "kind": {warehouse.AlertLoadFailed}},                        // id
	} {
		page := post("/admin/alerts/rules", bad, http.StatusBadRequest)
		if !strings.Contains(page, `id="alert-error"`) {
			t.Errorf("rule %v refused without a reason on the page", bad)
		}
	}
	post("/admin/alerts/subscriptions", url.Values{"user": {"leader"}, "kind": {"alerts"}, "unit": {"620100"}, "email": {"leader@example.test"}, "enabled": {"1"}}, http.StatusOK)
	post("/admin/alerts/subscriptions", url.Values{"user": {"nobody"}, "kind": {"alerts"}, "email": {"x@example.test"}, "enabled": {"1"}}, http.StatusBadRequest)
	post("/admin/alerts/subscriptions", url.Values{"user": {"leader"}, "kind": {"alerts"}, "email": {"not an address"}, "enabled": {"1"}}, http.StatusBadRequest)

	var got dashboard.AlertsAnswer
	if err := json.Unmarshal([]byte(body(t, c, f.srv.URL+"/api/admin/alerts")), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Rules) != 1 || len(got.Subscriptions) != 1 || got.Subscriptions[0].Unit != "620100" || got.Deliveries == nil {
		t.Errorf("JSON: %+v", got)
	}
	audit := body(t, c, f.srv.URL+"/admin/accounts?user=ops&kind=admin&from="+time.Now().UTC().Format(time.DateOnly))
	for _, want := range []string{"save alert rule gdp-rank (rank_change, enabled false)", "subscription of leader to alerts  620100 (enabled true)"} {
		if !strings.Contains(audit, html.EscapeString(want)) {
			t.Errorf("audit log lacks %q", want)
		}
	}
	if !strings.Contains(body(t, c, f.srv.URL+"/admin/alerts?lang=en"), "Delivery log") {
		t.Errorf("the English page lacks its labels")
	}
}
