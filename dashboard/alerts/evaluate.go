package alerts

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"jinwei/warehouse"
	"jinwei/warehouse/measure"
)

// Store is what the alerts read and write in the warehouse.
type Store interface {
	DataVersion(ctx context.Context) (uint64, error)
	DataVersionNow(ctx context.Context) (uint64, error)
	Indicators(ctx context.Context) ([]warehouse.Indicator, error)
	Regions(ctx context.Context) ([]warehouse.Region, error)
	Ranking(ctx context.Context, q warehouse.RankingQuery) (*warehouse.Ranking, error)
	Targets(ctx context.Context, region string) ([]warehouse.TargetStatus, error)
	LedgerOn(ctx context.Context, scope warehouse.RowScope, asOf time.Time) ([]warehouse.LedgerItem, error)
	CampaignMonths(ctx context.Context) ([]string, error)
	Scorecard(ctx context.Context, scope, month string, weights map[string]float64) (*warehouse.Scorecard, error)
	ReportsByForm(ctx context.Context, month string) (bool, error)
	LateOrMissing(ctx context.Context, month string, d warehouse.Deadlines, now time.Time) ([]warehouse.Unit, []warehouse.ReportState, error)
	RecentRuns(ctx context.Context, limit int) ([]warehouse.Run, error)
	Accounts(ctx context.Context) ([]warehouse.Account, error)

	AlertRules(ctx context.Context) ([]warehouse.AlertRule, error)
	SeedAlertRules(ctx context.Context, rules []warehouse.AlertRule) (int, error)
	AlertStates(ctx context.Context, ruleID string) (map[string]warehouse.AlertState, error)
	PutAlertState(ctx context.Context, ruleID, subject, fingerprint string, dataVersion uint64) error
	DeliveryIDs(ctx context.Context, alertID string) (map[string]bool, error)
	PutDelivery(ctx context.Context, d warehouse.Delivery) error
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]warehouse.Delivery, error)
	Subscriptions(ctx context.Context) ([]warehouse.Subscription, error)
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
}

var _ Store = (*warehouse.Warehouse)(nil)

// observation is what a rule sees of one subject now: its state as a fingerprint, and the
// message to send when the state is news against the one seen before.
type observation struct {
	subject     string
	fingerprint string
	// units are the region codes (or unit names) the news concerns: subscribers of one
	// unit receive only news of theirs.
	units []string
	// news composes the alert against the previous fingerprint (had: there was one); ok
	// false means the change is nothing to tell (a rank seen for the first time, items
	// that were closed).
	news func(prev string, had bool) (title, body string, ok bool)
}

// Alert is one rule's news about one subject.
type Alert struct {
	ID          string
	Rule        warehouse.AlertRule
	Subject     string
	Fingerprint string
	DataVersion uint64
	Units       []string
	Title, Body string
}

// observe reads what a rule watches, subject by subject.
func (e *evaluator) observe(ctx context.Context, r warehouse.AlertRule) ([]observation, error) {
	switch r.Kind {
	case warehouse.AlertRankChange:
		return e.ranks(ctx, r)
	case warehouse.AlertTargetStatus:
		return e.targets(ctx, r)
	case warehouse.AlertLedgerDue:
		return e.ledger(ctx, r)
	case warehouse.AlertReportingMissing:
		return e.reporting(ctx, r)
	case warehouse.AlertLoadFailed:
		return e.failedLoads(ctx)
	}
	return nil, fmt.Errorf("alert rule %s: unknown kind %q", r.ID, r.Kind)
}

// evaluator reads the warehouse for one evaluation.
type evaluator struct {
	st        Store
	home      string
	deadlines warehouse.Deadlines
	now       time.Time
	today     time.Time
	names     map[string]warehouse.Region
}

// Evaluate runs every enabled rule against the warehouse and returns the alerts whose
// subjects changed since the rule last looked, keeping the new states. A rule's first
// evaluation only records what it sees. keep is called with each alert before its state is
// kept, so its deliveries are written first. An alert's id is the change it tells — rule,
// subject, the state left and the data version it was kept at, the state found — so a
// process that evaluates the same change again (killed before the new state was kept)
// makes the same alert, at whatever data version, and finds its deliveries there.
func Evaluate(ctx context.Context, st Store, home string, deadlines warehouse.Deadlines, now time.Time, keep func(Alert) error) (int, error) {
	rules, err := st.AlertRules(ctx)
	if err != nil {
		return 0, err
	}
	regions, err := st.Regions(ctx)
	if err != nil {
		return 0, err
	}
	e := &evaluator{st: st, home: home, deadlines: deadlines, now: now, today: now.UTC().Truncate(24 * time.Hour), names: map[string]warehouse.Region{}}
	for _, r := range regions {
		e.names[r.Code] = r
	}
	fired := 0
	for _, r := range rules {
		if !r.Enabled {
			continue
		}
		seen, err := st.AlertStates(ctx, r.ID)
		if err != nil {
			return fired, err
		}
		obs, version, err := e.look(ctx, r, seen)
		if err != nil {
			return fired, fmt.Errorf("alert rule %s: %w", r.ID, err)
		}
		first := len(seen) == 0
		for _, o := range obs {
			was, had := seen[o.subject]
			prev := was.Fingerprint
			if had && prev == o.fingerprint {
				continue
			}
			if !first {
				if title, body, ok := o.news(prev, had); ok {
					a := Alert{Rule: r, Subject: o.subject, Fingerprint: o.fingerprint, DataVersion: version, Units: o.units, Title: title, Body: body,
						ID: hashID(r.ID, o.subject, prev, strconv.FormatUint(was.DataVersion, 10), o.fingerprint)}
					if err := keep(a); err != nil {
						return fired, err
					}
					fired++
				}
			}
			if err := st.PutAlertState(ctx, r.ID, o.subject, o.fingerprint, version); err != nil {
				return fired, err
			}
		}
		if first && len(obs) == 0 {
			// An empty first look is still a look: what appears later is news.
			if err := st.PutAlertState(ctx, r.ID, "", "", version); err != nil {
				return fired, err
			}
		}
	}
	return fired, nil
}

// lookTries bounds how often a rule looks again while the data keeps changing under it;
// the next evaluation tries anew.
const lookTries = 5

// look observes a rule at one data version. A rule's subjects are read by several queries,
// and a load may commit between two of them (the rank among all 31 read before it, the
// one in the west after): such a look is a state the data never was in, and keeping it
// would tell the rest of the change as news of its own at the next look. So a look that
// finds a change is made again until two looks in a row agree, with no new data version
// between them; the version is read from the warehouse each time, past what this process
// last read, so a load by another process or host counts too.
func (e *evaluator) look(ctx context.Context, r warehouse.AlertRule, seen map[string]warehouse.AlertState) ([]observation, uint64, error) {
	version, err := e.st.DataVersionNow(ctx)
	if err != nil {
		return nil, 0, err
	}
	obs, err := e.observe(ctx, r)
	if err != nil {
		return nil, 0, err
	}
	for try := 1; changed(obs, seen); try++ {
		again, err := e.observe(ctx, r)
		if err != nil {
			return nil, 0, err
		}
		now, err := e.st.DataVersionNow(ctx)
		if err != nil {
			return nil, 0, err
		}
		if now == version && sameStates(obs, again) {
			return again, version, nil
		}
		if try == lookTries {
			return nil, 0, fmt.Errorf("the data changed at each of %d looks (data version %d)", lookTries, now)
		}
		obs, version = again, now
	}
	return obs, version, nil
}

// changed says whether a look differs from the states kept: a subject new or changed.
func changed(obs []observation, seen map[string]warehouse.AlertState) bool {
	if len(seen) == 0 {
		return true
	}
	return slices.ContainsFunc(obs, func(o observation) bool {
		was, had := seen[o.subject]
		return !had || was.Fingerprint != o.fingerprint
	})
}

// sameStates says whether two looks saw every subject in the same state.
func sameStates(a, b []observation) bool {
	return slices.EqualFunc(a, b, func(x, y observation) bool { return x.subject == y.subject && x.fingerprint == y.fingerprint })
}

// regionName is a region's short Chinese name, or its code.
func (e *evaluator) regionName(code string) string {
	if r, ok := e.names[code]; ok {
		if r.ShortZh != "" {
			return r.ShortZh
		}
		return r.NameZh
	}
	return code
}

// --- rank change ---

// ranks watches the home province's rank on each indicator in each group: one subject per
// indicator, so a load that moves it in several groups makes one alert listing them.
func (e *evaluator) ranks(ctx context.Context, r warehouse.AlertRule) ([]observation, error) {
	inds, err := e.st.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	groups := r.Groups
	if len(groups) == 0 {
		groups = []string{"all31"}
	}
	var out []observation
	for _, code := range r.Indicators {
		i := slices.IndexFunc(inds, func(ind warehouse.Indicator) bool { return ind.Code == code })
		if i < 0 || len(inds[i].Years) == 0 {
			continue
		}
		ind := inds[i]
		year := slices.Max(ind.Years)
		var places []place
		for _, g := range groups {
			rk, err := e.st.Ranking(ctx, warehouse.RankingQuery{Indicator: code, Year: year, Group: g, Home: e.home})
			if err != nil {
				return nil, fmt.Errorf("rank of %s in %s: %w", code, g, err)
			}
			if rk.Home == nil {
				continue
			}
			places = append(places, place{group: g, groupName: rk.Group.NameZh, year: year, rank: rk.Home.Row.Rank, size: rk.Home.GroupSize, tied: rk.Home.TiedGroup,
				change: rk.Home.Row.Change.Places, comparable: rk.Home.Row.Change.Comparable})
		}
		if len(places) == 0 {
			continue
		}
		out = append(out, observation{subject: code, fingerprint: placesFingerprint(places), units: []string{e.home},
			news: func(prev string, had bool) (string, string, bool) {
				return rankNews(e.regionName(e.home), ind, places, parsePlaces(prev))
			}})
	}
	return out, nil
}

// place is the home province's rank in one group.
type place struct {
	group, groupName string
	year, rank, size int
	// tied counts the provinces sharing the place, itself included.
	tied int
	// change is places gained on the year before (进位 > 0), when comparable.
	change     int
	comparable bool
}

func placesFingerprint(ps []place) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%s=%d:%d/%d", p.group, p.year, p.rank, p.size)
	}
	return strings.Join(parts, ";")
}

// parsePlaces reads a fingerprint back: group → year, rank.
func parsePlaces(fp string) map[string][2]int {
	out := map[string][2]int{}
	for _, part := range strings.Split(fp, ";") {
		g, rest, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		var y, rk, n int
		if _, err := fmt.Sscanf(rest, "%d:%d/%d", &y, &rk, &n); err == nil {
			out[g] = [2]int{y, rk}
		}
	}
	return out
}

// indicatorName is the indicator's Chinese name as the pages give it: a growth rate of
// money says 名义 or 实际.
func indicatorName(ind warehouse.Indicator) string {
	switch ind.NamedBasis() {
	case measure.Current:
		return ind.NameZh + "（名义）"
	case measure.Constant:
		return ind.NameZh + "（实际）"
	}
	return ind.NameZh
}

// rankNews words the groups whose rank moved since the last look: "2024年人均地区生产总值
// 在西部12省区市中居第9位，较此前第10位进位1位". Nothing is news when no group's rank is
// known from before.
func rankNews(home string, ind warehouse.Indicator, now []place, before map[string][2]int) (string, string, bool) {
	var lines []string
	up, down := 0, 0
	gain, loss := movedWords(ind)
	for _, p := range now {
		b, ok := before[p.group]
		if !ok || (b[0] == p.year && b[1] == p.rank) {
			continue
		}
		moved := b[1] - p.rank
		var verb string
		switch {
		case moved > 0:
			verb, up = fmt.Sprintf(gain, moved), up+1
		case moved < 0:
			verb, down = fmt.Sprintf(loss, -moved), down+1
		default:
			verb = "名次不变"
		}
		among := fmt.Sprintf("共%d个", p.size)
		if p.tied > 1 {
			among += fmt.Sprintf("，%d个并列", p.tied)
		}
		name := indicatorName(ind)
		line := fmt.Sprintf("%d年%s%s在%s中居第%d位（%s），较此前的第%d位%s", p.year, home, name, p.groupName, p.rank, among, b[1], verb)
		if b[0] != p.year {
			line = fmt.Sprintf("%d年%s%s在%s中居第%d位（%s），此前所见为%d年第%d位", p.year, home, name, p.groupName, p.rank, among, b[0], b[1])
		}
		if p.comparable && p.change != 0 {
			line += "；与上年相比" + signedPlaces(p.change, gain, loss)
		}
		lines = append(lines, line+"。")
	}
	if len(lines) == 0 {
		return "", "", false
	}
	word := "名次变动"
	switch {
	case ind.Neutral():
		// A size's move (population) is neither progress nor a setback.
	case up > 0 && down == 0:
		word = "进位"
	case down > 0 && up == 0:
		word = "退位"
	}
	return fmt.Sprintf("【%s】%s%s排名", word, home, indicatorName(ind)), strings.Join(lines, "\n"), true
}

// movedWords are the formats of a move up and down the ranking: 进位/退位 places won and
// lost, 上移/下移 for a size neither good nor bad (population).
func movedWords(ind warehouse.Indicator) (gain, loss string) {
	if ind.Neutral() {
		return "上移%d位", "下移%d位"
	}
	return "进位%d位", "退位%d位"
}

func signedPlaces(n int, gain, loss string) string {
	if n > 0 {
		return fmt.Sprintf(gain, n)
	}
	return fmt.Sprintf(loss, -n)
}

// --- targets ---

var targetWords = map[string]string{warehouse.TargetGreen: "绿（达标）", warehouse.TargetAmber: "黄（接近）",
	warehouse.TargetRed: "红（未达标）", warehouse.TargetNoData: "无数据"}

// targets watches each target's colour.
func (e *evaluator) targets(ctx context.Context, r warehouse.AlertRule) ([]observation, error) {
	ts, err := e.st.Targets(ctx, e.home)
	if err != nil {
		return nil, err
	}
	var out []observation
	for _, t := range ts {
		if len(r.Targets) > 0 && !slices.Contains(r.Targets, t.Code) {
			continue
		}
		out = append(out, observation{subject: t.Code, fingerprint: t.Status + "@" + strconv.Itoa(t.Year), units: []string{e.home},
			news: func(prev string, had bool) (string, string, bool) {
				was, _, _ := strings.Cut(prev, "@")
				if !had || was == t.Status {
					return "", "", false
				}
				body := fmt.Sprintf("%s：%d年状态由%s变为%s。", t.NameZh, t.Year, targetWords[was], targetWords[t.Status])
				if t.Actual != nil && t.Goal != nil {
					body += fmt.Sprintf("实际%s%s，目标%s%s。", strconv.FormatFloat(*t.Actual, 'f', t.Decimals, 64), t.Unit,
						strconv.FormatFloat(*t.Goal, 'f', t.Decimals, 64), t.Unit)
				}
				return fmt.Sprintf("【目标】%s 变为%s", t.NameZh, targetWords[t.Status]), body, true
			}})
	}
	return out, nil
}

// --- ledger ---

// ledger watches, per city or responsible unit, the items overdue and those due within
// the rule's days; news is an item that joined either list.
func (e *evaluator) ledger(ctx context.Context, r warehouse.AlertRule) ([]observation, error) {
	items, err := e.st.LedgerOn(ctx, warehouse.ProvinceScope(), e.today)
	if err != nil {
		return nil, err
	}
	type bucket struct{ overdue, due []warehouse.LedgerItem }
	groups := map[string]*bucket{}
	var keys []string
	soon := e.today.AddDate(0, 0, r.Days)
	for _, it := range items {
		open := warehouse.LedgerStatusOpen(it.Status)
		deadline, err := time.Parse(time.DateOnly, it.Deadline)
		if !open || err != nil {
			continue
		}
		key := it.RegionCode
		if r.By == ByUnit {
			key = it.ResponsibleUnit
		}
		b := groups[key]
		if b == nil {
			b = &bucket{}
			groups[key] = b
			keys = append(keys, key)
		}
		switch {
		case it.Overdue || deadline.Before(e.today):
			b.overdue = append(b.overdue, it)
		case r.Days > 0 && !deadline.After(soon):
			b.due = append(b.due, it)
		}
	}
	slices.Sort(keys)
	var out []observation
	for _, key := range keys {
		b := groups[key]
		if len(b.overdue)+len(b.due) == 0 {
			continue
		}
		name := key
		if r.By != ByUnit {
			name = e.regionName(key)
		}
		fp := itemIDs(b.overdue) + "|" + itemIDs(b.due)
		out = append(out, observation{subject: key, fingerprint: fp, units: []string{key},
			news: func(prev string, _ bool) (string, string, bool) {
				wasOver, wasDue, _ := strings.Cut(prev, "|")
				newOver := newItems(b.overdue, wasOver)
				newDue := newItems(b.due, wasOver+","+wasDue)
				if len(newOver)+len(newDue) == 0 {
					return "", "", false
				}
				var lines []string
				lines = append(lines, fmt.Sprintf("%s整改台账：逾期%d项，%d天内到期%d项。", name, len(b.overdue), r.Days, len(b.due)))
				for _, it := range newOver {
					lines = append(lines, fmt.Sprintf("新逾期：%s %s（责任单位%s，期限%s，%s）", it.ItemID, it.Title, it.ResponsibleUnit, it.Deadline, it.Status))
				}
				for _, it := range newDue {
					lines = append(lines, fmt.Sprintf("即将到期：%s %s（责任单位%s，期限%s）", it.ItemID, it.Title, it.ResponsibleUnit, it.Deadline))
				}
				return fmt.Sprintf("【整改逾期】%s 逾期%d项", name, len(b.overdue)), strings.Join(lines, "\n"), true
			}})
	}
	return out, nil
}

func itemIDs(items []warehouse.LedgerItem) string {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ItemID
	}
	slices.Sort(ids)
	return strings.Join(ids, ",")
}

// newItems are the items whose ids the comma list before does not hold.
func newItems(items []warehouse.LedgerItem, before string) []warehouse.LedgerItem {
	known := map[string]bool{}
	for _, id := range strings.Split(before, ",") {
		known[id] = true
	}
	var out []warehouse.LedgerItem
	for _, it := range items {
		if !known[it.ItemID] {
			out = append(out, it)
		}
	}
	return out
}

// --- reporting ---

// reporting watches units' monthly reports in the latest month whose deadline has passed:
// the units missing, late, or returned and not sent again (warehouse.LateOrMissing, as
// /reports shows them), of the rule's kind of unit (all kinds when it names none). One
// subject per month; news is a unit joining the list. Where no unit reports through the
// form, the campaign's figures (loaded by file) say who did not report instead.
func (e *evaluator) reporting(ctx context.Context, r warehouse.AlertRule) ([]observation, error) {
	month, err := e.deadlines.LastDue(e.now.In(warehouse.ProvinceTime).Format("2006-01"), e.now)
	if err != nil || month == "" {
		return nil, err
	}
	byForm, err := e.st.ReportsByForm(ctx, month)
	if err != nil || !byForm {
		return e.campaignReporting(ctx, r, month, err)
	}
	due, err := e.deadlines.For(month)
	if err != nil {
		return nil, err
	}
	units, states, err := e.st.LateOrMissing(ctx, month, e.deadlines, e.now)
	if err != nil {
		return nil, err
	}
	type unitState struct {
		unit  warehouse.Unit
		state string
	}
	var list []unitState
	var entries, codes []string
	for i, u := range units {
		if r.Scope != "" && u.Kind != r.Scope {
			continue
		}
		list = append(list, unitState{u, states[i].State})
		entries = append(entries, u.Code+":"+states[i].State)
		codes = append(codes, u.Code)
	}
	scope := cmpOr(r.Scope, "all")
	return []observation{{subject: scope + ":" + month, fingerprint: strings.Join(entries, ","), units: codes,
		news: func(prev string, _ bool) (string, string, bool) {
			known := map[string]bool{}
			for _, entry := range strings.Split(prev, ",") {
				code, _, _ := strings.Cut(entry, ":")
				known[code] = true
			}
			counts := map[string]int{}
			var fresh []string
			for _, us := range list {
				counts[us.state]++
				if !known[us.unit.Code] {
					fresh = append(fresh, us.unit.NameZh+"（"+reportStateWords[us.state]+"）")
				}
			}
			if len(fresh) == 0 {
				return "", "", false
			}
			body := fmt.Sprintf("%s月报（报送期限%s）：未报%d个，迟报%d个，退回未重报%d个。\n新增：%s。", month, due.AddDate(0, 0, -1).Format(time.DateOnly),
				counts[warehouse.StateMissing], counts[warehouse.StateLate], counts[warehouse.StateReturned], strings.Join(fresh, "、"))
			title := fmt.Sprintf("【报送】%s月报 %d个单位未报、%d个迟报、%d个退回", month, counts[warehouse.StateMissing],
				counts[warehouse.StateLate], counts[warehouse.StateReturned])
			return title, body, true
		}}}, nil
}

// reportStateWords are the states of a late or missing report, as an alert words them.
var reportStateWords = map[string]string{warehouse.StateMissing: "未报", warehouse.StateLate: "迟报", warehouse.StateReturned: "退回未重报"}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// campaignScopes are the campaign's kinds of unit a reporting rule without a scope watches.
var campaignScopes = []string{warehouse.ScopeCity, warehouse.ScopeCounty, warehouse.ScopeDepartment}

// campaignReporting watches the campaign's latest month with figures whose reports are due
// by due (2006-01), as the campaign page opens on: units without figures (未报) and units
// whose figures left items blank (缺报). One subject per scope and month. err is the
// caller's, passed on. A month not yet due is not watched: one county's early report made
// it the latest, and 85 counties still within their time were named 未报.
func (e *evaluator) campaignReporting(ctx context.Context, r warehouse.AlertRule, due string, err error) ([]observation, error) {
	if err != nil {
		return nil, err
	}
	months, err := e.st.CampaignMonths(ctx)
	if err != nil {
		return nil, err
	}
	months = warehouse.MonthsDue(months, due)
	if len(months) == 0 {
		return nil, nil
	}
	month := months[len(months)-1]
	scopes := campaignScopes
	if r.Scope != "" {
		scopes = []string{r.Scope}
	}
	var out []observation
	if month[:7] < due {
		// A month due with no figures at all is news once, when it falls due (a file of an
		// older month loaded meanwhile is not news of it): the page opens on the latest
		// month with figures, however old.
		latest := month[:7]
		out = append(out, observation{subject: "loaded:" + due, fingerprint: due,
			news: func(string, bool) (string, string, bool) {
				title, body := behindNews(latest, due)
				return title, body, true
			}})
	}
	for _, scope := range scopes {
		sc, err := e.st.Scorecard(ctx, scope, month, nil)
		if err != nil {
			return nil, err
		}
		if sc == nil || sc.Month == "" {
			continue
		}
		var missing, blank, units []string
		for _, u := range sc.Units {
			switch {
			case !u.Reported:
				missing = append(missing, u.Name)
			case len(u.Missing) > 0:
				blank = append(blank, u.Name)
			default:
				continue
			}
			units = append(units, u.Code)
		}
		if len(missing)+len(blank) == 0 {
			continue
		}
		fp := strings.Join(missing, ",") + "|" + strings.Join(blank, ",")
		out = append(out, observation{subject: scope + ":" + sc.Month, fingerprint: fp, units: units,
			news: func(string, bool) (string, string, bool) {
				body := fmt.Sprintf("%s月报：未报%d个", sc.Month, len(missing))
				if len(missing) > 0 {
					body += "（" + strings.Join(missing, "、") + "）"
				}
				body += fmt.Sprintf("，缺报%d个", len(blank))
				if len(blank) > 0 {
					body += "（" + strings.Join(blank, "、") + "）"
				}
				return fmt.Sprintf("【未报】%s月报 %d个单位未报、%d个缺报", sc.Month, len(missing), len(blank)), body + "。", true
			}})
	}
	return out, nil
}

// behindNews words months past their deadlines with no campaign figures loaded, after the
// latest month that has them.
func behindNews(latest, due string) (title, body string) {
	n := warehouse.MonthsBetween(latest, due)
	title = fmt.Sprintf("【未载入】三抓三促%s月报已过截止日期，尚未载入", due)
	body = fmt.Sprintf("三抓三促月报：最近已载入的是%s月报；%s月报已过截止日期，尚未载入。", latest, due)
	if n > 1 {
		l, _ := time.Parse("2006-01", latest)
		body = fmt.Sprintf("三抓三促月报：最近已载入的是%s月报；此后%s至%s共%d个月的月报已过截止日期，尚未载入。", latest, l.AddDate(0, 1, 0).Format("2006-01"), due, n)
	}
	return title, body
}

// --- loads ---

// failedLoadsWindow is how far back failed loads are news.
const failedLoadsWindow = 7 * 24 * time.Hour

// failedLoads watches the recent runs: a failed, refused or abandoned load is news once.
func (e *evaluator) failedLoads(ctx context.Context) ([]observation, error) {
	runs, err := e.st.RecentRuns(ctx, 200)
	if err != nil {
		return nil, err
	}
	var out []observation
	for _, run := range runs {
		if (run.Status != warehouse.RunFailed && run.Status != warehouse.RunAbandoned) || e.today.Sub(run.StartedAt) > failedLoadsWindow {
			continue
		}
		out = append(out, observation{subject: run.ID, fingerprint: run.Status,
			news: func(string, bool) (string, string, bool) {
				what := "失败"
				if run.Status == warehouse.RunAbandoned {
					what = "中断"
				}
				body := fmt.Sprintf("作业%s载入文件%s%s（%s，读入%d行，拒收%d行）：%s", run.Job, run.FilePath, what,
					run.StartedAt.In(warehouse.ProvinceTime).Format("2006-01-02 15:04"), run.RowsRead, run.RowsRejected, run.Message)
				return fmt.Sprintf("【载入%s】%s", what, run.Job), body, true
			}})
	}
	return out, nil
}
