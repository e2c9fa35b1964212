package warehouse

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Alert rule kinds.
const (
	// AlertRankChange: a chosen indicator's rank of the home province moved (进位/退位) in
	// one or more peer groups.
	AlertRankChange = "rank_change"
	// AlertTargetStatus: a target of the home province changed colour.
	AlertTargetStatus = "target_status"
	// AlertLedgerDue: rectification items overdue, or due within Days, by city or unit.
	AlertLedgerDue = "ledger_due"
	// AlertReportingMissing: campaign units that did not report (未报) or left items
	// blank (缺报) in the latest month.
	AlertReportingMissing = "reporting_missing"
	// AlertLoadFailed: a load failed or was refused.
	AlertLoadFailed = "load_failed"
)

// AlertKinds lists every kind, in the order the rules page shows them.
var AlertKinds = []string{AlertRankChange, AlertTargetStatus, AlertLedgerDue, AlertReportingMissing, AlertLoadFailed}

// Where an alert rule came from.
const (
	RuleFromConfig = "config"
	RuleFromPage   = "page"
)

// AlertRule is one rule: what to watch and whom to tell. The config's [[alerts.rules]]
// seed the warehouse's rules; a rule edited on the page keeps the page's version.
// Its JSON is how the warehouse stores a rule (alert_rules.spec), not the API's shape
// (dashboard/api.AlertRule).
type AlertRule struct {
	ID      string `toml:"id" json:"id"`
	Kind    string `toml:"kind" json:"kind"`
	Enabled bool   `toml:"-" json:"enabled"`
	// Indicators are the indicators whose ranks a rank_change rule watches, Groups the peer
	// groups (all31, west12, …) it watches them in.
	Indicators []string `toml:"indicators" json:"indicators,omitempty"`
	Groups     []string `toml:"groups" json:"groups,omitempty"`
	// Targets limits a target_status rule to these targets (empty: every target).
	Targets []string `toml:"targets" json:"targets,omitempty"`
	// Days is how soon a deadline counts as due for a ledger_due rule (0: overdue only);
	// By groups its items by "city" or "unit" (the responsible unit).
	Days int    `toml:"days" json:"days,omitempty"`
	By   string `toml:"by" json:"by,omitempty"`
	// Scope is the campaign scope a reporting_missing rule watches (city, county,
	// department).
	Scope string `toml:"scope" json:"scope,omitempty"`
	// Channels name the config's delivery channels the rule always sends to; Roles are the
	// roles whose subscribers may receive it (empty: every role).
	Channels []string `toml:"channels" json:"channels,omitempty"`
	Roles    []string `toml:"roles" json:"roles,omitempty"`

	Source    string    `toml:"-" json:"source"`
	UpdatedBy string    `toml:"-" json:"updated_by"`
	UpdatedAt time.Time `toml:"-" json:"updated_at"`
}

// SendsTo says whether the rule's alerts reach subscribers of role.
func (r AlertRule) SendsTo(role string) bool {
	return len(r.Roles) == 0 || slices.Contains(r.Roles, role)
}

// AlertRules lists every rule by id. Read past the page cache: rules are not data.
func (w *Warehouse) AlertRules(ctx context.Context) ([]AlertRule, error) {
	res, err := w.accountQuery(ctx, "alert_rules", nil)
	if err != nil {
		return nil, err
	}
	out := []AlertRule{}
	var specErr error
	err = res.each(func(rr *rowReader) {
		var r AlertRule
		if err := json.Unmarshal([]byte(rr.str("spec")), &r); err != nil && specErr == nil {
			specErr = fmt.Errorf("alert rule %s: %w", rr.str("id"), err)
		}
		r.ID, r.Kind, r.Enabled = rr.str("id"), rr.str("kind"), rr.int("enabled") != 0
		r.Source, r.UpdatedBy, r.UpdatedAt = rr.str("source"), rr.str("updated_by"), fromMillis(rr.float("updated_ms"))
		out = append(out, r)
	})
	if err == nil {
		err = specErr
	}
	return out, err
}

// PutAlertRule adds or replaces a rule by id, as source and by whom.
func (w *Warehouse) PutAlertRule(ctx context.Context, r AlertRule) error {
	spec, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("alert rule %s: %w", r.ID, err)
	}
	return w.writeAccountRow(ctx, "alert_rule_put", "write alert rule "+r.ID, Params{"id": r.ID, "kind": r.Kind, "spec": string(spec),
		"enabled": boolParam(r.Enabled), "source": r.Source, "updated_by": r.UpdatedBy})
}

// SeedAlertRules writes the config's rules that the warehouse does not hold yet; a rule
// it holds (seeded before, or edited on the page) is left as it is.
func (w *Warehouse) SeedAlertRules(ctx context.Context, rules []AlertRule) (added int, err error) {
	have, err := w.AlertRules(ctx)
	if err != nil {
		return 0, err
	}
	known := map[string]bool{}
	for _, r := range have {
		known[r.ID] = true
	}
	for _, r := range rules {
		if known[r.ID] {
			continue
		}
		r.Source, r.UpdatedBy = RuleFromConfig, "config"
		if err := w.PutAlertRule(ctx, r); err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}

// AlertState is what a rule last saw of a subject, and at which data version.
type AlertState struct {
	Fingerprint string
	DataVersion uint64
}

// AlertStates is the last state a rule saw of each subject.
func (w *Warehouse) AlertStates(ctx context.Context, ruleID string) (map[string]AlertState, error) {
	res, err := w.accountQuery(ctx, "alert_states", Params{"rule_id": ruleID})
	if err != nil {
		return nil, err
	}
	out := map[string]AlertState{}
	err = res.each(func(rr *rowReader) {
		out[rr.str("subject")] = AlertState{Fingerprint: rr.str("fingerprint"), DataVersion: uint64(rr.float("seen_version"))}
	})
	return out, err
}

// PutAlertState keeps the state a rule now sees of a subject, at a data version.
func (w *Warehouse) PutAlertState(ctx context.Context, ruleID, subject, fingerprint string, dataVersion uint64) error {
	return w.writeAccountRow(ctx, "alert_state_put", "keep the state of alert rule "+ruleID, Params{"rule_id": ruleID, "subject": subject,
		"fingerprint": fingerprint, "data_version": strconv.FormatUint(dataVersion, 10)})
}

// Delivery statuses.
const (
	DeliveryPending = "pending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed" // given up after the last retry
)

// Delivery is one alert (or briefing) for one recipient: queued, tried, sent or given up.
type Delivery struct {
	ID          string
	AlertID     string
	RuleID      string
	Subject     string
	DataVersion uint64
	// Channel is email, webhook, dingtalk or wecom; Target the channel's name or the mail
	// address, never a secret; Recipient the subscribing account ("" for a rule's channel).
	Channel   string
	Target    string
	Recipient string
	Title     string
	Body      string
	// Attachment says what to attach when sending ("brief:2024-q3"), "" for nothing.
	Attachment string
	Status     string
	Attempts   int
	NextAt     time.Time
	LastError  string
	CreatedAt  time.Time
	SentAt     time.Time
}

// PutDelivery writes a delivery's current state; the newest write of an id wins.
func (w *Warehouse) PutDelivery(ctx context.Context, d Delivery) error {
	return w.writeAccountRow(ctx, "alert_delivery_put", "write delivery "+d.ID, Params{"id": d.ID, "alert_id": d.AlertID, "rule_id": d.RuleID,
		"subject": d.Subject, "data_version": strconv.FormatUint(d.DataVersion, 10), "channel": d.Channel, "target": d.Target,
		"recipient": d.Recipient, "title": d.Title, "body": d.Body, "attachment": d.Attachment, "status": d.Status,
		"attempts": strconv.Itoa(d.Attempts), "next_ms": millisParam(d.NextAt), "last_error": d.LastError,
		"created_ms": millisParam(d.CreatedAt), "sent_ms": millisParam(d.SentAt)})
}

// DeliveryIDs lists the ids of the deliveries an alert has already: queueing it again (the
// same change found again after a crash) writes none of them again, which would make a
// sent delivery pending.
func (w *Warehouse) DeliveryIDs(ctx context.Context, alertID string) (map[string]bool, error) {
	res, err := w.accountQuery(ctx, "alert_delivery_ids", Params{"alert_id": alertID})
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	err = res.each(func(rr *rowReader) { out[rr.str("id")] = true })
	return out, err
}

// DueDeliveries lists pending deliveries whose time has come, oldest first.
func (w *Warehouse) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error) {
	return w.deliveries(ctx, Params{"due": "1", "now_ms": millisParam(now), "limit": strconv.Itoa(limit)})
}

// Deliveries is the delivery log, newest first.
func (w *Warehouse) Deliveries(ctx context.Context, limit int) ([]Delivery, error) {
	return w.deliveries(ctx, Params{"due": "0", "now_ms": "0", "limit": strconv.Itoa(limit)})
}

func (w *Warehouse) deliveries(ctx context.Context, p Params) ([]Delivery, error) {
	res, err := w.accountQuery(ctx, "alert_deliveries", p)
	if err != nil {
		return nil, err
	}
	out := []Delivery{}
	err = res.each(func(rr *rowReader) {
		d := Delivery{ID: rr.str("id"), AlertID: rr.str("alert_id"), RuleID: rr.str("rule_id"), Subject: rr.str("subject"),
			DataVersion: uint64(rr.float("data_version")), Channel: rr.str("channel"), Target: rr.str("target"), Recipient: rr.str("recipient"),
			Title: rr.str("title"), Body: rr.str("body"), Attachment: rr.str("attachment"), Status: rr.str("status"),
			Attempts: rr.int("attempts"), NextAt: fromMillis(rr.float("next_ms")), LastError: rr.str("last_error"),
			CreatedAt: fromMillis(rr.float("created_ms"))}
		if ms := rr.float("sent_ms"); ms > 0 {
			d.SentAt = fromMillis(ms)
		}
		out = append(out, d)
	})
	return out, err
}

// Subscription is one account's wish to receive alerts or briefings by mail.
type Subscription struct {
	User string
	// Kind is SubscribeAlerts or SubscribeBrief; Topic a rule id ("" every rule) or a
	// briefing's period kind (month, quarter, year).
	Kind  string
	Topic string
	// Unit is a region code the subscriber cares for ("" the whole province): alerts about
	// other units' items are not sent to them.
	Unit    string
	Email   string
	Enabled bool
}

// Subscription kinds.
const (
	SubscribeAlerts = "alerts"
	SubscribeBrief  = "brief"
)

// Subscriptions lists every subscription, ended ones included.
func (w *Warehouse) Subscriptions(ctx context.Context) ([]Subscription, error) {
	res, err := w.accountQuery(ctx, "subscriptions", nil)
	if err != nil {
		return nil, err
	}
	out := []Subscription{}
	err = res.each(func(rr *rowReader) {
		out = append(out, Subscription{User: rr.str("user"), Kind: rr.str("kind"), Topic: rr.str("topic"), Unit: rr.str("unit"),
			Email: rr.str("email"), Enabled: rr.int("enabled") != 0})
	})
	return out, err
}

// PutSubscription adds, changes or (Enabled false) ends a subscription.
func (w *Warehouse) PutSubscription(ctx context.Context, s Subscription) error {
	return w.writeAccountRow(ctx, "subscription_put", "write subscription of "+s.User, Params{"user": s.User, "kind": s.Kind,
		"topic": s.Topic, "unit": s.Unit, "email": s.Email, "enabled": boolParam(s.Enabled)})
}
