package api

import (
	"time"

	"jinwei/warehouse"
)

// AlertRule is an alert rule as the admin API lists it (warehouse.AlertRule, whose own
// JSON is how the warehouse stores a rule).
type AlertRule struct {
	ID         string    `json:"id"`
	Kind       string    `json:"kind"`
	Enabled    bool      `json:"enabled"`
	Indicators []string  `json:"indicators,omitempty"`
	Groups     []string  `json:"groups,omitempty"`
	Targets    []string  `json:"targets,omitempty"`
	Days       int       `json:"days,omitempty"`
	By         string    `json:"by,omitempty"`
	Scope      string    `json:"scope,omitempty"`
	Channels   []string  `json:"channels,omitempty"`
	Roles      []string  `json:"roles,omitempty"`
	Source     string    `json:"source"`
	UpdatedBy  string    `json:"updated_by"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// AlertRules are rules' JSON shapes.
func AlertRules(in []warehouse.AlertRule) []AlertRule {
	return each(in, func(r warehouse.AlertRule) AlertRule { return AlertRule(r) })
}

// Delivery is one message of an alert or briefing to one recipient (warehouse.Delivery).
type Delivery struct {
	ID          string    `json:"id"`
	AlertID     string    `json:"alert_id"`
	RuleID      string    `json:"rule_id"`
	Subject     string    `json:"subject"`
	DataVersion uint64    `json:"data_version"`
	Channel     string    `json:"channel"`
	Target      string    `json:"target"`
	Recipient   string    `json:"recipient"`
	Title       string    `json:"title"`
	Body        string    `json:"body"`
	Attachment  string    `json:"attachment,omitempty"`
	Status      string    `json:"status"`
	Attempts    int       `json:"attempts"`
	NextAt      time.Time `json:"next_at"`
	LastError   string    `json:"last_error,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	SentAt      time.Time `json:"sent_at"`
}

// Deliveries are deliveries' JSON shapes.
func Deliveries(in []warehouse.Delivery) []Delivery {
	return each(in, func(d warehouse.Delivery) Delivery { return Delivery(d) })
}

// Subscription is an account's wish to receive alerts or briefings
// (warehouse.Subscription).
type Subscription struct {
	User    string `json:"user"`
	Kind    string `json:"kind"`
	Topic   string `json:"topic"`
	Unit    string `json:"unit"`
	Email   string `json:"email"`
	Enabled bool   `json:"enabled"`
}

// Subscriptions are subscriptions' JSON shapes.
func Subscriptions(in []warehouse.Subscription) []Subscription {
	return each(in, func(s warehouse.Subscription) Subscription { return Subscription(s) })
}
