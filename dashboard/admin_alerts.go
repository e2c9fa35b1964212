package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jinwei/dashboard/alerts"
	"jinwei/dashboard/api"
	"jinwei/warehouse"
)

// The alerts page (/admin/alerts): the rules (seeded from the config, edited here; an edit
// wins and is audited), the delivery log, and who subscribes to what.

// alertStore is what the alerts page reads and writes.
type alertStore interface {
	AlertRules(ctx context.Context) ([]warehouse.AlertRule, error)
	PutAlertRule(ctx context.Context, r warehouse.AlertRule) error
	Deliveries(ctx context.Context, limit int) ([]warehouse.Delivery, error)
	Subscriptions(ctx context.Context) ([]warehouse.Subscription, error)
	PutSubscription(ctx context.Context, s warehouse.Subscription) error
}

var _ alertStore = (*warehouse.Warehouse)(nil)

func init() {
	templateFuncs["join"] = strings.Join
}

// deliveryLogSize is how many deliveries the page lists, newest first.
const deliveryLogSize = 200

// AlertsAdmin is the alerts page's numbers.
type AlertsAdmin struct {
	Rules         []warehouse.AlertRule
	Channels      []string
	Deliveries    []warehouse.Delivery
	Subscriptions []warehouse.Subscription
}

// AlertsAnswer is the JSON of GET /api/admin/alerts: the page's numbers.
type AlertsAnswer struct {
	Rules         []api.AlertRule    `json:"rules"`
	Channels      []string           `json:"channels"`
	Deliveries    []api.Delivery     `json:"deliveries"`
	Subscriptions []api.Subscription `json:"subscriptions"`
}

type alertsView struct {
	page
	AlertsAdmin
	Kinds, Roles, Users []string
	// Words are the page's words for rule kinds, rule sources, subscription kinds and
	// delivery statuses, by their codes.
	Words map[string]string
	Error string
}

func (s *Server) alertRoutes(e *echo.Echo) {
	g := e.Group("/admin/alerts", s.require(PermAdminLoads))
	g.GET("", s.alertsPage)
	g.POST("/rules", s.alertRuleSave)
	g.POST("/subscriptions", s.subscriptionSave)
	e.GET("/api/admin/alerts", s.alertsJSON, s.require(PermAdminLoads))
}

func (s *Server) alertsAdmin(ctx context.Context) (AlertsAdmin, error) {
	var a AlertsAdmin
	var err error
	st := s.store
	if a.Rules, err = st.AlertRules(ctx); err != nil {
		return a, err
	}
	if a.Deliveries, err = st.Deliveries(ctx, deliveryLogSize); err != nil {
		return a, err
	}
	if a.Subscriptions, err = st.Subscriptions(ctx); err != nil {
		return a, err
	}
	a.Channels = slices.Clone(s.cfg.AlertChannels)
	return a, nil
}

func (s *Server) alertsJSON(c echo.Context) error {
	a, err := s.alertsAdmin(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, AlertsAnswer{Rules: api.AlertRules(a.Rules), Channels: a.Channels,
		Deliveries: api.Deliveries(a.Deliveries), Subscriptions: api.Subscriptions(a.Subscriptions)})
}

func (s *Server) alertsPage(c echo.Context) error {
	return s.renderAlerts(c, http.StatusOK, "")
}

func (s *Server) renderAlerts(c echo.Context, status int, msg string) error {
	a, err := s.alertsAdmin(c.Request().Context())
	if err != nil {
		return err
	}
	v := alertsView{page: newPage(c, "admin", "nav_alerts"), AlertsAdmin: a, Kinds: warehouse.AlertKinds, Roles: RoleNames(), Error: msg}
	v.Words = map[string]string{}
	for _, k := range warehouse.AlertKinds {
		v.Words[k] = t(v.Lang, "alert_kind_"+k)
	}
	for _, k := range []string{warehouse.RuleFromConfig, warehouse.RuleFromPage} {
		v.Words[k] = t(v.Lang, "alert_source_"+k)
	}
	for _, k := range []string{warehouse.SubscribeAlerts, warehouse.SubscribeBrief} {
		v.Words[k] = t(v.Lang, "subscribe_"+k)
	}
	for _, k := range []string{warehouse.DeliveryPending, warehouse.DeliverySent, warehouse.DeliveryFailed} {
		v.Words[k] = t(v.Lang, "delivery_"+k)
	}
	for _, u := range s.accounts.List(c.Request().Context()) {
		v.Users = append(v.Users, u.Name)
	}
	return c.Render(status, "admin_alerts.html", v)
}

// alertsDone audits a change and shows the page again, with the error when it failed.
func (s *Server) alertsDone(c echo.Context, what string, err error) error {
	if aerr := s.auditAdmin(c, what, err); aerr != nil {
		return aerr
	}
	var bad *badInput
	switch {
	case err == nil:
		return s.renderAlerts(c, http.StatusOK, "")
	case errors.As(err, &bad):
		return s.renderAlerts(c, http.StatusBadRequest, err.Error())
	}
	return err
}

// badInput is a form's value refused, shown on the page.
type badInput struct{ msg string }

func (b *badInput) Error() string { return b.msg }

func (s *Server) hasAccount(ctx context.Context, name string) bool {
	_, ok := s.accounts.account(ctx, name)
	return ok
}

// listField reads a comma- or space-separated form field.
func listField(c echo.Context, name string) []string {
	return strings.FieldsFunc(c.FormValue(name), func(r rune) bool { return r == ',' || r == ' ' || r == '，' || r == '\n' })
}

// alertRuleSave adds or replaces a rule from the page's form; it wins over the config's seed.
func (s *Server) alertRuleSave(c echo.Context) error {
	r := warehouse.AlertRule{ID: strings.TrimSpace(c.FormValue("id")), Kind: c.FormValue("kind"), Enabled: c.FormValue("enabled") != "",
		Indicators: listField(c, "indicators"), Groups: listField(c, "groups"), Targets: listField(c, "targets"),
		By: c.FormValue("by"), Scope: c.FormValue("scope"), Channels: listField(c, "channels"), Roles: listField(c, "roles"),
		Source: warehouse.RuleFromPage, UpdatedBy: currentSession(c).User}
	what := fmt.Sprintf("save alert rule %s (%s, enabled %v)", r.ID, r.Kind, r.Enabled)
	if d := c.FormValue("days"); d != "" {
		days, err := strconv.Atoi(d)
		if err != nil {
			return s.alertsDone(c, what, &badInput{fmt.Sprintf("days %q is not a whole number", d)})
		}
		r.Days = days
	}
	if err := alerts.CheckRule(r); err != nil {
		return s.alertsDone(c, what, &badInput{err.Error()})
	}
	for _, ch := range r.Channels {
		if !slices.Contains(s.cfg.AlertChannels, ch) {
			return s.alertsDone(c, what, &badInput{fmt.Sprintf("no channel named %q (the config's alerts.channels: %s)", ch, strings.Join(s.cfg.AlertChannels, ", "))})
		}
	}
	for _, role := range r.Roles {
		if !ValidRole(role) {
			return s.alertsDone(c, what, &badInput{ErrBadRole.Error()})
		}
	}
	return s.alertsDone(c, what, s.store.PutAlertRule(c.Request().Context(), r))
}

// subscriptionSave adds, changes or (enabled unset) ends an account's subscription.
func (s *Server) subscriptionSave(c echo.Context) error {
	st := s.store
	sub := warehouse.Subscription{User: c.FormValue("user"), Kind: c.FormValue("kind"), Topic: strings.TrimSpace(c.FormValue("topic")),
		Unit: strings.TrimSpace(c.FormValue("unit")), Email: strings.TrimSpace(c.FormValue("email")), Enabled: c.FormValue("enabled") != ""}
	what := fmt.Sprintf("subscription of %s to %s %s %s (enabled %v)", sub.User, sub.Kind, sub.Topic, sub.Unit, sub.Enabled)
	switch {
	case !s.hasAccount(c.Request().Context(), sub.User):
		return s.alertsDone(c, what, &badInput{fmt.Sprintf("%s: %s", sub.User, ErrNoAccount)})
	case sub.Kind != warehouse.SubscribeAlerts && sub.Kind != warehouse.SubscribeBrief:
		return s.alertsDone(c, what, &badInput{"kind is alerts or brief"})
	}
	if err := checkEmail(sub.Email); err != nil {
		return s.alertsDone(c, what, err)
	}
	return s.alertsDone(c, what, st.PutSubscription(c.Request().Context(), sub))
}
