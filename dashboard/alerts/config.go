// Package alerts watches the warehouse for news a leader acts on — a rank gained or lost, a
// target changing colour, ledger items overdue, units that did not report, a load that
// failed — and delivers it by e-mail and robot webhooks (generic, DingTalk, WeCom) to the
// rules' channels and the accounts that subscribed. Rules and deliveries live in the
// warehouse: a pending delivery survives a restart, a rule fires once per change, and with
// several server processes one of them (the lease holder) evaluates and sends.
package alerts

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"jinwei/warehouse"
	"jinwei/weburl"
)

// Config is the config file's [alerts] table. Secrets (the SMTP password, webhook secrets
// and keys) live here only: never in the warehouse, the delivery log or the logs.
type Config struct {
	// Schedule is when the rules are evaluated besides after every load (cron, five fields).
	Schedule string `toml:"schedule"`
	// Poll is how often the sender looks for a new data version and for due deliveries.
	Poll string `toml:"poll"`
	// RetryBase is the wait after a first failed attempt; each next one waits twice as
	// long, up to an hour. MaxAttempts tries are made before a delivery is given up.
	RetryBase   string       `toml:"retry_base"`
	MaxAttempts int          `toml:"max_attempts"`
	SMTP        SMTP         `toml:"smtp"`
	Channels    []Channel    `toml:"channels"`
	Rules       []RuleConfig `toml:"rules"`
	// Deadlines are the units' report deadlines (the config's [reports] table), by which a
	// reporting_missing rule judges who is late or missing.
	Deadlines warehouse.Deadlines `toml:"-"`
}

// SMTP is the mail server alerts are sent through.
type SMTP struct {
	Host string `toml:"host"`
	Port int    `toml:"port"`
	// TLS is "starttls" (the default: upgrade a plain connection, refuse a server that
	// cannot), "tls" (TLS from the first byte, port 465) or "none" (loopback servers only).
	TLS      string `toml:"tls"`
	Username string `toml:"username"`
	Password string `toml:"password"`
	From     string `toml:"from"`
	// CAFile is a PEM bundle of the CAs the server's certificate may be signed by (empty:
	// the system's).
	CAFile string `toml:"ca_file"`
}

// Channel types.
const (
	ChannelEmail    = "email"
	ChannelWebhook  = "webhook"
	ChannelDingTalk = "dingtalk"
	ChannelWeCom    = "wecom"
)

// Channel is a named destination rules send to.
type Channel struct {
	Name string `toml:"name"`
	Type string `toml:"type"`
	// To are an email channel's addresses.
	To []string `toml:"to"`
	// URL is a webhook's address: DingTalk's carries access_token, WeCom's its key.
	URL string `toml:"url"`
	// Secret signs a generic webhook's body (HMAC-SHA256) or a DingTalk robot's request
	// (its 加签 secret, SEC…).
	Secret string `toml:"secret"`
	// Format is a robot's message type: markdown (default) or text.
	Format string `toml:"format"`
}

// RuleConfig is a rule in the config file; it seeds the rules page, whose edits win.
type RuleConfig struct {
	warehouse.AlertRule
	// Disabled seeds the rule switched off (rules in the file are on unless they say so).
	Disabled bool `toml:"disabled"`
}

// Defaults.
const (
	defaultSchedule    = "0 8 * * *"
	defaultPoll        = 2 * time.Second
	defaultRetryBase   = 30 * time.Second
	defaultMaxAttempts = 6
)

// settings are the config's values checked and parsed.
type settings struct {
	schedule    cron.Schedule
	poll        time.Duration
	retryBase   time.Duration
	maxAttempts int
	channels    map[string]Channel
}

// Check reports the first thing wrong with the config, naming the key.
func (c *Config) Check() error {
	_, err := c.settings()
	return err
}

// ChannelNames are the configured channels' names, which rules refer to.
func (c *Config) ChannelNames() []string {
	names := make([]string, len(c.Channels))
	for i, ch := range c.Channels {
		names[i] = ch.Name
	}
	return names
}

// Seeds are the config's rules as the warehouse keeps them.
func (c *Config) Seeds() []warehouse.AlertRule {
	out := make([]warehouse.AlertRule, 0, len(c.Rules))
	for _, r := range c.Rules {
		rule := r.AlertRule
		rule.Enabled = !r.Disabled
		out = append(out, rule)
	}
	return out
}

func (c *Config) settings() (settings, error) {
	s := settings{poll: defaultPoll, retryBase: defaultRetryBase, maxAttempts: defaultMaxAttempts, channels: map[string]Channel{}}
	spec := c.Schedule
	if spec == "" {
		spec = defaultSchedule
	}
	var err error
	if s.schedule, err = cron.ParseStandard(spec); err != nil {
		return s, fmt.Errorf("alerts.schedule %q: %w", spec, err)
	}
	for key, d := range map[string]*time.Duration{"alerts.poll": &s.poll, "alerts.retry_base": &s.retryBase} {
		v := map[string]string{"alerts.poll": c.Poll, "alerts.retry_base": c.RetryBase}[key]
		if v == "" {
			continue
		}
		if *d, err = time.ParseDuration(v); err != nil || *d <= 0 {
			return s, fmt.Errorf("%s %q is not a duration such as 30s", key, v)
		}
	}
	if c.MaxAttempts < 0 {
		return s, fmt.Errorf("alerts.max_attempts %d is negative", c.MaxAttempts)
	} else if c.MaxAttempts > 0 {
		s.maxAttempts = c.MaxAttempts
	}
	if tls := c.SMTP.TLS; tls != "" && tls != "starttls" && tls != "tls" && tls != "none" {
		return s, fmt.Errorf("alerts.smtp.tls %q is not starttls, tls or none", tls)
	}
	for i, ch := range c.Channels {
		where := fmt.Sprintf("alerts.channels[%d] (%q)", i, ch.Name)
		switch {
		case ch.Name == "":
			return s, fmt.Errorf("%s: needs a name", where)
		case s.channels[ch.Name].Name != "":
			return s, fmt.Errorf("%s: the name is used twice", where)
		case ch.Type == ChannelEmail && (len(ch.To) == 0 || c.SMTP.Host == ""):
			return s, fmt.Errorf("%s: an email channel needs addresses (to) and alerts.smtp.host", where)
		case ch.Type == ChannelWebhook || ch.Type == ChannelDingTalk || ch.Type == ChannelWeCom:
			// weburl never quotes the address back: a robot's URL holds its key.
			if err := weburl.Check(where+": url", ch.URL); err != nil {
				return s, err
			}
			if f := ch.Format; f != "" && f != "markdown" && f != "text" {
				return s, fmt.Errorf("%s: format %q is not markdown or text", where, f)
			}
		case ch.Type != ChannelEmail:
			return s, fmt.Errorf("%s: type %q is not email, webhook, dingtalk or wecom", where, ch.Type)
		}
		s.channels[ch.Name] = ch
	}
	ids := map[string]bool{}
	for i, r := range c.Rules {
		where := fmt.Sprintf("alerts.rules[%d] (%q)", i, r.ID)
		if err := CheckRule(r.AlertRule); err != nil {
			return s, fmt.Errorf("%s: %w", where, err)
		}
		if ids[r.ID] {
			return s, fmt.Errorf("%s: the id is used twice", where)
		}
		ids[r.ID] = true
		for _, name := range r.Channels {
			if _, ok := s.channels[name]; !ok {
				return s, fmt.Errorf("%s: no channel named %q in alerts.channels", where, name)
			}
		}
	}
	return s, nil
}

// CheckRule says what is wrong with a rule, for the config and the rules page alike: a
// *RuleError for each field at fault.
func CheckRule(r warehouse.AlertRule) error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &RuleError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if r.ID == "" || len(r.ID) > 64 || strings.ContainsAny(r.ID, " /?#&") {
		bad("id", "an id is 1-64 characters without spaces, '/', '?', '#' or '&'")
	}
	if !slices.Contains(warehouse.AlertKinds, r.Kind) {
		bad("kind", "kind %q is not one of %s", r.Kind, strings.Join(warehouse.AlertKinds, ", "))
	}
	if r.Kind == warehouse.AlertRankChange && len(r.Indicators) == 0 {
		bad("indicators", "a rank_change rule needs indicators")
	}
	if r.Days < 0 || r.Days > 366 {
		bad("days", "days %d is not between 0 and 366", r.Days)
	}
	if r.By != "" && r.By != ByCity && r.By != ByUnit {
		bad("by", "by %q is not city or unit", r.By)
	}
	if r.Scope != "" && r.Scope != warehouse.ScopeCity && r.Scope != warehouse.ScopeCounty && r.Scope != warehouse.ScopeDepartment {
		bad("scope", "scope %q is not city, county or department", r.Scope)
	}
	return errors.Join(errs...)
}

// RuleError is a rule's field refused: the field (one of RuleFields) and why, in English
// for a config's reader; the rules page words it from the field.
type RuleError struct{ Field, Reason string }

// RuleFields are the fields of a rule CheckRule may refuse.
var RuleFields = []string{"id", "kind", "indicators", "days", "by", "scope"}

func (e *RuleError) Error() string { return e.Reason }

// Ledger groupings of a ledger_due rule.
const (
	ByCity = "city"
	ByUnit = "unit"
)
