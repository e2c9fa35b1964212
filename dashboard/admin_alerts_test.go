package dashboard_test

import (
	"context"
	"encoding/json"
	"fmt"
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
		if !strings.Contains(page, `id="alert-error"`) || !strings.Contains(page, `class="field-error"`) {
			t.Errorf("rule %v refused without a reason on the page", bad)
		}
	}
	// A refused rule comes back as it was typed, each field's fault beside it in the page's
	// language (the form came back empty, one English sentence above it).
	typed := url.Values{"id": {"gdp-watch"}, "kind": {warehouse.AlertRankChange}, "indicators": {"gdp_per_capita, gpd"}, "groups": {"all31, west99"},
		"days": {"soon"}, "roles": {"viewer", "emperor"}, "by": {"city"}}
	for lang, want := range map[string][]string{
		"zh": {"未保存：请按各栏下的提示修改后再保存。", `id="rule-indicators-error">没有这些指标：gpd<`, `id="rule-groups-error">没有这些同类省份组：west99<`,
			`id="rule-days-error">临期天数为 0 到 366 之间的整数<`, `id="rule-roles-error">没有这些角色：emperor<`},
		"en": {"Not saved: mend the fields", `id="rule-indicators-error">No such indicators: gpd<`, `id="rule-groups-error">No such peer groups: west99<`,
			`id="rule-days-error">Days before due is a whole number from 0 to 366<`, `id="rule-roles-error">No such roles: emperor<`},
	} {
		page := post("/admin/alerts/rules?lang="+lang, typed, http.StatusBadRequest)
		for _, w := range append(want, `value="gdp-watch"`, `value="gdp_per_capita, gpd"`, `value="all31, west99"`, `value="soon"`,
			`<option value="rank_change" selected>`, `<option value="city" selected>`, `name="roles" value="viewer" checked>`,
			`id="rule-days" type="number" min="0" max="366" value="soon" aria-invalid="true" aria-describedby="rule-days-error"`) {
			if !strings.Contains(page, w) {
				t.Errorf("the refused rule's form in %s lacks %q", lang, w)
			}
		}
		// The rule does not exist yet: the form adds it.
		if !strings.Contains(page, map[string]string{"zh": "<h3>新增规则", "en": "<h3>Add a rule"}[lang]) {
			t.Errorf("the refused new rule's form in %s is not headed as adding one", lang)
		}
		if strings.Contains(page, "is not") && lang == "zh" {
			t.Errorf("the refused rule is explained in English on the Chinese page")
		}
	}
	// A rule is changed from its row: the form opens with it, its roles ticked by name.
	edit := body(t, c, f.srv.URL+"/admin/alerts?edit=gdp-rank")
	for _, w := range []string{`<a class="edit-rule" href="/admin/alerts?edit=gdp-rank#alert-rule-form">修改</a>`, `id="rule-id" required value="gdp-rank"`,
		`value="gdp_per_capita"`, `value="all31, west12"`, `name="roles" value="viewer"> 查看者（领导）`, `<legend>接收的角色（不选则各角色均可订阅）</legend>`, "<h3>修改规则 gdp-rank</h3>"} {
		if !strings.Contains(edit, w) {
			t.Errorf("the rule to change lacks %q", w)
		}
	}
	// Every field's fault is beside it, an empty kind's too (a form sent by a script, or one
	// cached before a change, was shown empty with a summary pointing at no field).
	odd := post("/admin/alerts/rules", url.Values{"id": {"odd"}, "by": {"nope"}, "scope": {"nowhere"}}, http.StatusBadRequest)
	for _, w := range []string{`id="rule-kind-error">请从列表中选择类型<`, `id="rule-by-error">请从列表中选择分组<`, `id="rule-scope-error">请从列表中选择考核对象<`, `id="rule-id" required value="odd"`} {
		if !strings.Contains(odd, w) {
			t.Errorf("a rule form of odd values lacks %q", w)
		}
	}
	// A flood of unknown codes is named by its first ten and a count.
	flood := url.Values{"id": {"flood"}, "kind": {warehouse.AlertRankChange}, "indicators": {"gdp"}}
	for i := range 5000 {
		flood.Add("roles", fmt.Sprintf("r%d", i))
	}
	if page := post("/admin/alerts/rules", flood, http.StatusBadRequest); !strings.Contains(page, `id="rule-roles-error">没有这些角色：r0、r1、r2、r3、r4、r5、r6、r7、r8、r9等另外 4990 个<`) || len(page) > 200<<10 {
		t.Errorf("5,000 unknown roles are named otherwise than the first ten and a count (page of %d bytes)", len(page))
	}
	if strings.Contains(edit, `name="roles" placeholder`) {
		t.Errorf("the rule form still asks for roles as typed codes")
	}
	post("/admin/alerts/subscriptions", url.Values{"user": {"leader"}, "what": {"alerts:"}, "unit": {"620100"}, "email": {"leader@example.test"}, "enabled": {"1"}}, http.StatusOK)
	// A rule for other roles than the account's is refused: it would never be delivered.
	post("/admin/alerts/rules", url.Values{"id": {"leaders-only"}, "kind": {warehouse.AlertLoadFailed}, "enabled": {"1"}, "roles": {"viewer"}}, http.StatusOK)
	if page := post("/admin/alerts/subscriptions", url.Values{"user": {"analyst"}, "what": {"alerts:leaders-only"}, "email": {"analyst@example.test"}, "enabled": {"1"}}, http.StatusBadRequest); !strings.Contains(page, `id="sub-what-error">规则 leaders-only 不发给分析员，此账户收不到<`) {
		t.Errorf("a subscription to a rule that leaves out the account's role is not refused so: %s", between(page, `id="subscription-form"`, "</form>"))
	}
	refusedSub := post("/admin/alerts/subscriptions", url.Values{"user": {"nobody"}, "what": {"alerts:nope"}, "unit": {"999999"}, "email": {"not an address"}, "enabled": {"1"}}, http.StatusBadRequest)
	for _, w := range []string{`id="sub-user-error">没有名为“nobody”的账户<`, `id="sub-what-error">请从列表中选择订阅内容<`, `id="sub-unit-error">“999999”不是本省的市州、县区或填报单位代码<`,
		`id="sub-email-error">“not an address”不是一个邮箱地址。<`, `value="999999"`, `value="not an address"`,
		// What was sent stays chosen though the list no longer offers it (an account or a
		// rule deleted meanwhile): the list's first entry showed as chosen instead.
		`<option value="nobody" selected>nobody</option>`, `<option value="alerts:nope" selected>alerts:nope</option>`} {
		if !strings.Contains(refusedSub, w) {
			t.Errorf("the refused subscription's form lacks %q", w)
		}
	}
	if page := post("/admin/alerts/rules", url.Values{"id": {"odd-kind"}, "kind": {"bogus"}, "by": {"village"}, "scope": {"township"}}, http.StatusBadRequest); !strings.Contains(page, `<option value="bogus" selected>bogus</option>`) ||
		!strings.Contains(page, `<option value="village" selected>village</option>`) || !strings.Contains(page, `<option value="township" selected>township</option>`) {
		t.Errorf("a rule of an unknown kind, by and scope comes back with others chosen: %s", between(page, `id="rule-kind"`, `id="rule-channels"`))
	}
	// Sent empty, a list with no empty choice shows an empty one chosen, not its first.
	if page := post("/admin/alerts/subscriptions", url.Values{"user": {""}, "what": {""}, "email": {"a@example.test"}}, http.StatusBadRequest); strings.Count(between(page, `id="subscription-form"`, "</form>"), `<option value="" selected></option>`) != 2 {
		t.Errorf("an empty account and topic come back as the lists' first: %s", between(page, `id="subscription-form"`, "</form>"))
	}
	// The subscription is listed by what it is to, in words.
	if page := body(t, c, f.srv.URL+"/admin/alerts"); !strings.Contains(page, "<td>leader</td><td>全部预警</td><td>兰州市 620100</td>") {
		t.Errorf("the subscription is not listed in words: %s", between(page, `id="subscriptions"`, "</table>"))
	}

	var got dashboard.AlertsAnswer
	if err := json.Unmarshal([]byte(body(t, c, f.srv.URL+"/api/admin/alerts")), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Rules) != 2 || len(got.Subscriptions) != 1 || got.Subscriptions[0].Unit != "620100" || got.Deliveries == nil {
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
