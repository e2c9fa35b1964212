package alerts_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"jinwei/dashboard/alerts"
	"jinwei/dashboard/alerts/alertstest"
	"jinwei/etl"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// Secrets of the test's channels: none may reach a log or the delivery log.
const (
	webhookSecret  = "whsec-test-never-logged"
	dingTalkSecret = "SECb7a3c0f4e9d84e2a9f1c6d5e4b3a2918f7e6d5c4b3a29180f1e2d3c4b5a6978"
	dingTalkToken  = "dt-access-token-never-logged"
	weComKey       = "wecom-key-never-logged"
)

// revisedGansu raises Gansu's 2024 GDP per capita from 52,825 to 59,000 yuan: past
// Heilongjiang, Guangxi and Guizhou among the 31 (31st → 28th) and past Guangxi and
// Guizhou among the western 12 (12th → 10th).
const revisedGansu = "year,region_code,region_name_zh,indicator,value,unit\n2024,620000,甘肃省,gdp_per_capita,59000,元\n"

type rig struct {
	w                 *warehouse.Warehouse
	svc               *alerts.Service
	smtp              *alertstest.SMTPServer
	hook, ding, wecom *alertstest.Receiver
	log               *bytes.Buffer
}

// newRig is the demo warehouse with a service sending to a real SMTP server (STARTTLS,
// PLAIN auth) and three loopback receivers, one rule of each given spec.
func newRig(t *testing.T, rules ...alerts.RuleConfig) *rig {
	t.Helper()
	return newRigOn(t, nil, rules...)
}

// newRigOn is newRig with the service reading and writing through store, made from the
// rig's warehouse (nil: the warehouse itself).
func newRigOn(t *testing.T, store func(*warehouse.Warehouse) alerts.Store, rules ...alerts.RuleConfig) *rig {
	t.Helper()
	r := &rig{w: etltest.Demo(t), smtp: alertstest.StartSMTP(t), hook: alertstest.StartReceiver(t, ""),
		ding: alertstest.StartReceiver(t, `{"errcode":0,"errmsg":"ok"}`), wecom: alertstest.StartReceiver(t, `{"errcode":0,"errmsg":"ok"}`),
		log: &bytes.Buffer{}}
	cfg := alerts.Config{Poll: "100ms", RetryBase: "3s", MaxAttempts: 3,
		SMTP: alerts.SMTP{Host: r.smtp.Host, Port: r.smtp.Port, TLS: "starttls", Username: r.smtp.User, Password: r.smtp.Password,
			From: "甘肃省进位监测 <alerts@example.test>", CAFile: r.smtp.CAFile},
		Channels: []alerts.Channel{
			{Name: "leaders", Type: alerts.ChannelEmail, To: []string{"leader@example.test"}},
			{Name: "hook", Type: alerts.ChannelWebhook, URL: r.hook.URL + "/in", Secret: webhookSecret},
			{Name: "ding", Type: alerts.ChannelDingTalk, URL: r.ding.URL + "/robot/send?access_token=" + dingTalkToken, Secret: dingTalkSecret},
			{Name: "wecom", Type: alerts.ChannelWeCom, URL: r.wecom.URL + "/cgi-bin/webhook/send?key=" + weComKey, Format: "text"},
		},
		Rules: rules}
	var st alerts.Store = r.w
	if store != nil {
		st = store(r.w)
	}
	var err error
	if r.svc, err = alerts.New(st, cfg, etltest.Home, slog.New(slog.NewTextHandler(r.log, nil))); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.Seed(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rig) evaluate(t *testing.T, want int) {
	t.Helper()
	n, err := r.svc.Evaluate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Fatalf("evaluation fired %d alerts, want %d", n, want)
	}
}

// checkNoSecrets fails when a secret of the test's channels is in the log or the delivery log.
func (r *rig) checkNoSecrets(t *testing.T) {
	t.Helper()
	ds, err := r.w.Deliveries(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	logged, _ := json.Marshal(ds)
	for _, secret := range []string{webhookSecret, dingTalkSecret, dingTalkToken, weComKey, r.smtp.Password} {
		if strings.Contains(r.log.String(), secret) || strings.Contains(string(logged), secret) {
			t.Errorf("secret %q is in the log or the delivery log", secret)
		}
	}
}

func rankRule(channels ...string) alerts.RuleConfig {
	return alerts.RuleConfig{AlertRule: warehouse.AlertRule{ID: "gdp-rank", Kind: warehouse.AlertRankChange,
		Indicators: []string{"gdp_per_capita"}, Groups: []string{"all31", "west12"}, Channels: channels}}
}

func TestALoadMovingGansusRankFiresOneAlertToEveryChannel(t *testing.T) {
	r := newRig(t, rankRule("leaders", "hook", "ding", "wecom"))
	ctx := context.Background()
	// A subscriber of every alert, and one of Lanzhou's only, whom a provincial rank is not for.
	for _, sub := range []warehouse.Subscription{
		{User: "zhang", Kind: warehouse.SubscribeAlerts, Email: "zhang@example.test", Enabled: true},
		{User: "lanzhou", Kind: warehouse.SubscribeAlerts, Unit: "620100", Email: "lz@example.test", Enabled: true},
	} {
		if err := r.w.PutAccount(ctx, warehouse.Account{Name: sub.User, Role: "viewer", PasswordHash: "$2a$x"}); err != nil {
			t.Fatal(err)
		}
		if err := r.w.PutSubscription(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	r.evaluate(t, 0) // the first look only records the ranks
	etltest.LoadCSV(t, r.w, etl.JobEconomy, "revised.csv", revisedGansu)
	r.evaluate(t, 1) // one alert, though two groups moved
	r.evaluate(t, 0) // and only once
	if err := r.svc.SendDue(ctx); err != nil {
		t.Fatal(err)
	}

	mails := r.smtp.WaitMail(t, 2, 30*time.Second)
	time.Sleep(300 * time.Millisecond)
	if mails = r.smtp.Mail(); len(mails) != 2 {
		t.Fatalf("%d mails, want 2 (the leaders' channel and the provincial subscriber)", len(mails))
	}
	var to []string
	for _, m := range mails {
		to = append(to, m.To...)
		if !strings.Contains(m.Subject, "进位") || !strings.Contains(m.Subject, "人均地区生产总值") {
			t.Errorf("subject %q; want 进位 and the indicator", m.Subject)
		}
		if !strings.Contains(strings.ToLower(m.ContentType), "charset=utf-8") {
			t.Errorf("text part %q is not declared UTF-8", m.ContentType)
		}
		for _, want := range []string{"全国31个省份中居第28位", "较此前的第31位进位3位", "西部12省区市中居第10位", "较此前的第12位进位2位"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("mail body lacks %q:\n%s", want, m.Text)
			}
		}
	}
	if strings.Join(to, ",") != "leader@example.test,zhang@example.test" && strings.Join(to, ",") != "zhang@example.test,leader@example.test" {
		t.Errorf("mail went to %v; want the leaders' address and zhang, not Lanzhou's subscriber", to)
	}

	hooks := r.hook.Requests()
	if len(hooks) != 1 {
		t.Fatalf("webhook got %d requests, want 1", len(hooks))
	}
	h := hooks[0]
	mac := hmac.New(sha256.New, []byte(webhookSecret))
	mac.Write([]byte(h.Header.Get(alerts.HeaderTimestamp) + "."))
	mac.Write(h.Body)
	if got, want := h.Header.Get(alerts.HeaderSignature), "sha256="+hex.EncodeToString(mac.Sum(nil)); got != want {
		t.Errorf("webhook signature %q, want %q", got, want)
	}
	var payload struct {
		Rule, Title, Body string
	}
	if err := json.Unmarshal(h.Body, &payload); err != nil || payload.Rule != "gdp-rank" || !strings.Contains(payload.Body, "西部12省区市") {
		t.Errorf("webhook payload %s (%v)", h.Body, err)
	}

	dings := r.ding.Requests()
	if len(dings) != 1 {
		t.Fatalf("DingTalk robot got %d requests, want 1", len(dings))
	}
	d := dings[0]
	ts, err := strconv.ParseInt(d.Query.Get("timestamp"), 10, 64)
	if err != nil || time.Since(time.UnixMilli(ts)).Abs() > time.Hour {
		t.Errorf("DingTalk timestamp %q is not now in milliseconds", d.Query.Get("timestamp"))
	}
	// The receiver's own check, as DingTalk makes it: sign (query-decoded) is base64 of
	// HMAC-SHA256(timestamp + "\n" + secret).
	mac = hmac.New(sha256.New, []byte(dingTalkSecret))
	mac.Write([]byte(d.Query.Get("timestamp") + "\n" + dingTalkSecret))
	if got, want := d.Query.Get("sign"), base64.StdEncoding.EncodeToString(mac.Sum(nil)); got != want {
		t.Errorf("DingTalk sign %q, want %q", got, want)
	}
	if d.Query.Get("access_token") != dingTalkToken {
		t.Errorf("DingTalk access_token lost: %v", d.Query)
	}
	var dm struct {
		MsgType  string `json:"msgtype"`
		Markdown struct{ Title, Text string }
	}
	if err := json.Unmarshal(d.Body, &dm); err != nil || dm.MsgType != "markdown" || !strings.Contains(dm.Markdown.Text, "全国31个省份") {
		t.Errorf("DingTalk body %s (%v)", d.Body, err)
	}

	wecoms := r.wecom.Requests()
	if len(wecoms) != 1 {
		t.Fatalf("WeCom robot got %d requests, want 1", len(wecoms))
	}
	var wm struct {
		MsgType string `json:"msgtype"`
		Text    struct{ Content string }
	}
	if err := json.Unmarshal(wecoms[0].Body, &wm); err != nil || wm.MsgType != "text" || !strings.Contains(wm.Text.Content, "进位") {
		t.Errorf("WeCom body %s (%v)", wecoms[0].Body, err)
	}
	if wecoms[0].Query.Get("key") != weComKey {
		t.Errorf("WeCom key lost: %v", wecoms[0].Query)
	}

	log, err := r.w.Deliveries(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 5 {
		t.Fatalf("delivery log has %d rows, want 5", len(log))
	}
	for _, d := range log {
		if d.Status != warehouse.DeliverySent || d.Attempts != 1 || d.SentAt.IsZero() {
			t.Errorf("delivery %s to %s: %s after %d attempts (%s)", d.Channel, d.Target, d.Status, d.Attempts, d.LastError)
		}
	}
	// Sent once: a second pass finds nothing due.
	if err := r.svc.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(r.hook.Requests()) + len(r.smtp.Mail()); n != 3 {
		t.Errorf("%d webhook requests and mails after a second pass, want 3", n)
	}
	r.checkNoSecrets(t)
}

// The DingTalk signature against a vector made apart from this code, with OpenSSL:
//
//	ts=1733137200000; secret=SECb7a3…6978
//	printf '%s\n%s' "$ts" "$secret" | openssl dgst -sha256 -hmac "$secret" -binary | base64
//	→ 3FPOOM3zaOxGDvl7wWbVXspCfPBzadIfUKaEtocz88c=   (URL-encoded: …c88c%3D)
func TestDingTalkSignMatchesOpenSSL(t *testing.T) {
	if got, want := alerts.DingTalkSign(1733137200000, dingTalkSecret), "3FPOOM3zaOxGDvl7wWbVXspCfPBzadIfUKaEtocz88c%3D"; got != want {
		t.Errorf("DingTalkSign = %q, want %q", got, want)
	}
}

// The generic webhook's signature against OpenSSL:
//
//	printf '%s' '1733137200.{"a":1}' | openssl dgst -sha256 -hmac 'whsec-test'
func TestWebhookSignatureMatchesOpenSSL(t *testing.T) {
	if got, want := alerts.WebhookSignature("whsec-test", "1733137200", []byte(`{"a":1}`)),
		"sha256=130d370050196448b83748335ee2631853cc1534d74c5ef641f6c96740c24ca4"; got != want {
		t.Errorf("WebhookSignature = %q, want %q", got, want)
	}
}

func TestAFailedLoadIsRetriedAfterTheReceivers500(t *testing.T) {
	r := newRig(t, alerts.RuleConfig{AlertRule: warehouse.AlertRule{ID: "loads", Kind: warehouse.AlertLoadFailed, Channels: []string{"hook"}}})
	ctx := context.Background()
	r.evaluate(t, 0)
	// A file of nothing but unknown regions is refused whole.
	path := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(path, []byte("year,region_code,region_name_zh,indicator,value,unit\n2024,999999,无此地,gdp_per_capita,1,元\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l := etl.NewLoader(r.w, slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
	if _, err := l.Load(ctx, etl.JobEconomy, path, etltest.Home, nil, nil); err == nil {
		t.Fatal("a file of unknown regions was loaded")
	}
	r.evaluate(t, 1)
	r.hook.FailNext(http.StatusInternalServerError)
	if err := r.svc.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	log, err := r.w.Deliveries(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Status != warehouse.DeliveryPending || log[0].Attempts != 1 || !strings.Contains(log[0].LastError, "HTTP 500") ||
		!log[0].NextAt.After(log[0].CreatedAt) {
		t.Fatalf("after a 500 the delivery log says %+v; want pending, 1 attempt, HTTP 500, a later try", log)
	}
	// Not again before its time (checked only while the backoff lasts: a busy machine may
	// reach here later)…
	if before := time.Now().Before(log[0].NextAt); before {
		if err := r.svc.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(r.hook.Requests()); n != 1 && time.Now().Before(log[0].NextAt) {
			t.Fatalf("%d requests before the backoff passed, want 1", n)
		}
	}
	// …then once more, which succeeds.
	deadline := time.Now().Add(20 * time.Second)
	for len(r.hook.Requests()) < 2 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		if err := r.svc.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	reqs := r.hook.Requests()
	if len(reqs) != 2 || reqs[0].Status != 500 || reqs[1].Status != 200 {
		t.Fatalf("requests %d (want a 500 then a 200)", len(reqs))
	}
	if !bytes.Equal(reqs[0].Body, reqs[1].Body) && !strings.Contains(string(reqs[1].Body), "载入失败") {
		t.Errorf("the retry sent %s", reqs[1].Body)
	}
	// It says when the load ran in Beijing time, as the pages do (it wrote UTC).
	runs, err := r.w.RecentRuns(ctx, 1)
	if err != nil || len(runs) != 1 {
		t.Fatalf("recent runs: %v %v", runs, err)
	}
	if when := runs[0].StartedAt.In(time.FixedZone("Beijing", 8*3600)).Format("2006-01-02 15:04"); !strings.Contains(string(reqs[1].Body), when) {
		t.Errorf("the alert does not give the load's time in Beijing time (%s): %s", when, reqs[1].Body)
	}
	if log, _ = r.w.Deliveries(ctx, 10); log[0].Status != warehouse.DeliverySent || log[0].Attempts != 2 {
		t.Errorf("after the retry: %s, %d attempts", log[0].Status, log[0].Attempts)
	}
	r.checkNoSecrets(t)
}

func TestEveryKindOfRuleLooksAtTheDemoWithoutFiringTwice(t *testing.T) {
	r := newRig(t,
		rankRule("hook"),
		alerts.RuleConfig{AlertRule: warehouse.AlertRule{ID: "targets", Kind: warehouse.AlertTargetStatus}},
		alerts.RuleConfig{AlertRule: warehouse.AlertRule{ID: "ledger-city", Kind: warehouse.AlertLedgerDue, Days: 30, By: alerts.ByCity}},
		alerts.RuleConfig{AlertRule: warehouse.AlertRule{ID: "ledger-unit", Kind: warehouse.AlertLedgerDue, By: alerts.ByUnit}},
		alerts.RuleConfig{AlertRule: warehouse.AlertRule{ID: "reports", Kind: warehouse.AlertReportingMissing, Scope: warehouse.ScopeCounty}},
		alerts.RuleConfig{AlertRule: warehouse.AlertRule{ID: "loads", Kind: warehouse.AlertLoadFailed}},
	)
	r.evaluate(t, 0)
	r.evaluate(t, 0)
	ctx := context.Background()
	for _, id := range []string{"gdp-rank", "targets", "ledger-city", "ledger-unit"} {
		states, err := r.w.AlertStates(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(states) == 0 || states[""].Fingerprint != "" {
			t.Errorf("rule %s saw nothing of the demo: %v", id, states)
		}
	}
}

// loadWhileLooking is the warehouse with a load committed while a rank rule looks: after
// the rank among all 31 is read and before the one among the western 12.
type loadWhileLooking struct {
	*warehouse.Warehouse
	t     *testing.T
	armed bool
}

func (l *loadWhileLooking) Ranking(ctx context.Context, q warehouse.RankingQuery) (*warehouse.Ranking, error) {
	if l.armed && q.Group == "west12" {
		l.armed = false
		etltest.LoadCSV(l.t, l.Warehouse, etl.JobEconomy, "revised.csv", revisedGansu)
	}
	return l.Warehouse.Ranking(ctx, q)
}

// A load that commits while a rule looks leaves no state the data never had (31st among
// all, yet already 10th in the west): the rule looks again, and its one alert lists both
// groups; nothing of the change is told a second time. (The kill -9 test mailed twice for
// this: the killed process kept the half-seen state, the restarted one told the rest.)
func TestALoadCommittingWhileARuleLooksFiresOneAlertListingBothGroups(t *testing.T) {
	var store *loadWhileLooking
	r := newRigOn(t, func(w *warehouse.Warehouse) alerts.Store {
		store = &loadWhileLooking{Warehouse: w, t: t}
		return store
	}, rankRule("leaders"))
	r.evaluate(t, 0)
	store.armed = true
	r.evaluate(t, 1)
	if store.armed {
		t.Fatal("the load was never made")
	}
	r.evaluate(t, 0)
	ctx := context.Background()
	log, err := r.w.Deliveries(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 {
		t.Fatalf("%d deliveries, want 1", len(log))
	}
	for _, want := range []string{"全国31个省份中居第28位", "较此前的第31位进位3位", "西部12省区市中居第10位", "较此前的第12位进位2位"} {
		if !strings.Contains(log[0].Body, want) {
			t.Errorf("alert lacks %q:\n%s", want, log[0].Body)
		}
	}
	states, err := r.w.AlertStates(ctx, "gdp-rank")
	if err != nil {
		t.Fatal(err)
	}
	if got := states["gdp_per_capita"].Fingerprint; got != "all31=2024:28/31;west12=2024:10/12" {
		t.Errorf("state kept %q", got)
	}
}

// crashBeforeKeeping is the warehouse of a process killed after it queued an alert and
// before it kept the state the alert tells of.
type crashBeforeKeeping struct {
	*warehouse.Warehouse
	crash bool
}

func (c *crashBeforeKeeping) PutAlertState(ctx context.Context, ruleID, subject, fingerprint string, dataVersion uint64) error {
	if c.crash {
		return errors.New("killed")
	}
	return c.Warehouse.PutAlertState(ctx, ruleID, subject, fingerprint, dataVersion)
}

// A change found again because its state was not kept (the process died first) is the
// same alert, at whatever data version it is found again: its delivery, already queued and
// sent, is neither queued nor sent again.
func TestAChangeFoundAgainAfterACrashIsMailedOnce(t *testing.T) {
	var store *crashBeforeKeeping
	r := newRigOn(t, func(w *warehouse.Warehouse) alerts.Store {
		store = &crashBeforeKeeping{Warehouse: w}
		return store
	}, rankRule("leaders"))
	ctx := context.Background()
	r.evaluate(t, 0)
	etltest.LoadCSV(t, r.w, etl.JobEconomy, "revised.csv", revisedGansu)
	store.crash = true
	if _, err := r.svc.Evaluate(ctx); err == nil {
		t.Fatal("the evaluation kept its state")
	}
	store.crash = false
	if err := r.svc.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	r.smtp.WaitMail(t, 1, 30*time.Second)
	// A restart starts new data versions (the demo's files found unchanged are runs too).
	etltest.LoadCSV(t, r.w, etl.JobEconomy, "unrelated.csv", "year,region_code,region_name_zh,indicator,value,unit\n2024,620000,甘肃省,population,2400,万人\n")
	r.evaluate(t, 1) // the same change, found again
	r.evaluate(t, 0)
	if err := r.svc.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(r.smtp.Mail()); n != 1 {
		t.Errorf("%d mails, want 1", n)
	}
	if log, err := r.w.Deliveries(ctx, 10); err != nil || len(log) != 1 || log[0].Status != warehouse.DeliverySent {
		t.Errorf("delivery log %+v (%v); want one delivery, sent", log, err)
	}
}

// Where units report through the form, a reporting rule watches the latest month whose
// deadline has passed, as /reports judges it: a unit joining the late or missing (here a
// report returned by the province) fires one alert naming it; units already on the list
// and units that reported on time are not news.
func TestAReportReturnedAfterItsDeadlineFiresOnce(t *testing.T) {
	r := newRig(t, alerts.RuleConfig{AlertRule: warehouse.AlertRule{ID: "reports", Kind: warehouse.AlertReportingMissing,
		Scope: warehouse.ScopeCounty, Channels: []string{"leaders"}}})
	ctx := context.Background()
	now := time.Now()
	month, err := warehouse.Deadlines{}.LastDue(now.In(warehouse.ProvinceTime).Format("2006-01"), now)
	if err != nil || month == "" {
		t.Fatalf("no month due: %v", err)
	}
	due, _ := warehouse.Deadlines{}.For(month)
	for _, code := range []string{"620102", "620103"} {
		u, err := r.w.Unit(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		sub := warehouse.Submission{Unit: u, Month: month, By: "clerk", Channel: warehouse.ChannelForm, At: due.Add(-time.Hour),
			Cells: []warehouse.ReportCell{{Metric: "study_sessions", Value: 3}}}
		if _, err := r.w.SubmitReport(ctx, warehouse.UnitScope(code), sub); err != nil {
			t.Fatal(err)
		}
	}
	r.evaluate(t, 0) // the first look records the 84 counties that did not report
	r.evaluate(t, 0)
	if err := r.w.ReturnReport(ctx, "620103", month, "province", "数据有误"); err != nil {
		t.Fatal(err)
	}
	r.evaluate(t, 1)
	r.evaluate(t, 0)
	log, err := r.w.Deliveries(ctx, 10)
	if err != nil || len(log) != 1 {
		t.Fatalf("%d deliveries (%v), want 1", len(log), err)
	}
	d := log[0]
	for _, want := range []string{month + "月报", "未报84个", "退回未重报1个", "新增：七里河区（退回未重报）"} {
		if !strings.Contains(d.Title+d.Body, want) {
			t.Errorf("alert lacks %q: %s\n%s", want, d.Title, d.Body)
		}
	}
	if strings.Contains(d.Body, "城关区") {
		t.Errorf("the unit that reported on time is named:\n%s", d.Body)
	}
}

// Where units' figures come by file, a month whose reports are not yet due is not watched:
// one county's early report through the form made the month the campaign's latest, and
// the reporting alert named the 85 counties still within their time 未报.
func TestAnEarlyReportDoesNotMakeTheOthersMissing(t *testing.T) {
	r := newRig(t, alerts.RuleConfig{AlertRule: warehouse.AlertRule{ID: "reports", Kind: warehouse.AlertReportingMissing,
		Scope: warehouse.ScopeCounty, Channels: []string{"leaders"}}})
	// A month's reports are due after it ends: this month's never are within it.
	month := time.Now().In(warehouse.ProvinceTime).Format("2006-01")
	r.evaluate(t, 0) // the first look records what it sees
	etltest.SubmitForm(t, r.w, "620102", month, time.Now(), warehouse.ReportCell{Metric: "study_sessions", Value: 4})
	r.evaluate(t, 0) // nothing changed in the months due
}

// returnedLater is the warehouse with one open item past its deadline hidden until shown,
// then shown as returned by a verifier (退回).
type returnedLater struct {
	*warehouse.Warehouse
	id    string
	shown bool
}

func (s *returnedLater) LedgerOn(ctx context.Context, scope warehouse.RowScope, asOf time.Time) ([]warehouse.LedgerItem, error) {
	items, err := s.Warehouse.LedgerOn(ctx, scope, asOf)
	if err != nil {
		return nil, err
	}
	out := items[:0]
	for _, it := range items {
		if s.id == "" && warehouse.LedgerStatusOpen(it.Status) && it.Deadline < asOf.Format(time.DateOnly) {
			s.id = it.ItemID
		}
		if it.ItemID == s.id {
			if !s.shown {
				continue
			}
			it.Status = warehouse.StatusReturned
		}
		out = append(out, it)
	}
	return out, nil
}

// An item returned by a verifier is still to be rectified: past its deadline it is overdue
// on the pages, and the ledger rule tells it as it tells any other overdue item.
func TestAReturnedItemPastItsDeadlineIsAlerted(t *testing.T) {
	var store *returnedLater
	r := newRigOn(t, func(w *warehouse.Warehouse) alerts.Store {
		store = &returnedLater{Warehouse: w}
		return store
	}, alerts.RuleConfig{AlertRule: warehouse.AlertRule{ID: "ledger-city", Kind: warehouse.AlertLedgerDue, By: alerts.ByCity}})
	r.evaluate(t, 0)
	if store.id == "" {
		t.Fatal("the demo has no open item past its deadline")
	}
	store.shown = true
	r.evaluate(t, 1)
}
