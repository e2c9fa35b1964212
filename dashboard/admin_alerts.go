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
	templateFuncs["has"] = slices.Contains[[]string]
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
	alertsForms
	Roles []string
	// Kinds are the rule kinds and Users the accounts, to choose from.
	Kinds, Users []option
	// Words are the page's words for rule kinds, rule sources, subscription kinds and
	// delivery statuses, by their codes.
	Words map[string]string
	// Topics are what an account may subscribe to ("kind:topic"), Units the units
	// suggested for it (codes and names), Names their words by their values.
	Topics, Units []option
	Names         map[string]string
	// By are how a rule may group what it finds, Scopes what a reporting rule may assess
	// (each with an empty choice first: none).
	By, Scopes []option
	// Changing says the rule form's ID is an existing rule's: saving changes it.
	Changing bool
}

// alertsForms are the page's two forms: empty, a rule to change (?edit=ID), or as they were
// sent when refused, with their faults.
type alertsForms struct {
	Rule ruleForm
	Sub  subForm
	// Error says, in the page's language, that a form was refused.
	Error string
}

// ruleForm is the rule form as typed, its lists as written; Sent says it was (a refused
// form, shown again as it came, however empty its fields).
type ruleForm struct {
	ID, Kind, Indicators, Groups, Targets, Days, By, Scope string
	Enabled, Sent                                          bool
	Channels, Roles                                        []string
	Errors                                                 fieldErrors
}

// ruleFormOf is a rule as its form shows it, to change it.
func ruleFormOf(r warehouse.AlertRule) ruleForm {
	f := ruleForm{ID: r.ID, Kind: r.Kind, Enabled: r.Enabled, Indicators: strings.Join(r.Indicators, ", "), Groups: strings.Join(r.Groups, ", "),
		Targets: strings.Join(r.Targets, ", "), By: r.By, Scope: r.Scope, Channels: r.Channels, Roles: r.Roles}
	if r.Days > 0 {
		f.Days = strconv.Itoa(r.Days)
	}
	return f
}

// subForm is the subscription form as typed (Sent as ruleForm's); What is "kind:topic".
type subForm struct {
	User, What, Unit, Email string
	Enabled, Sent           bool
	Errors                  fieldErrors
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
	return s.renderAlerts(c, http.StatusOK, alertsForms{})
}

// renderAlerts shows the page with its forms as given; a form not given is empty (new
// rules and subscriptions are enabled), or the rule the address names to change.
func (s *Server) renderAlerts(c echo.Context, status int, forms alertsForms) error {
	ctx := c.Request().Context()
	a, err := s.alertsAdmin(ctx)
	if err != nil {
		return err
	}
	v := alertsView{page: newPage(c, "admin", "nav_alerts"), AlertsAdmin: a, alertsForms: forms, Roles: RoleNames(),
		Names: map[string]string{}}
	v.By, v.Scopes = []option{{}}, []option{{}}
	for _, k := range ruleGroupings {
		v.By = append(v.By, option{Value: k, Label: t(v.Lang, "alert_by_"+k)})
	}
	for _, k := range campaignKinds {
		v.Scopes = append(v.Scopes, option{Value: k, Label: t(v.Lang, "kind_"+k)})
	}
	if !v.Rule.Sent {
		v.Rule = ruleForm{Enabled: true}
		for _, r := range a.Rules {
			if r.ID == c.QueryParam("edit") {
				v.Rule = ruleFormOf(r)
			}
		}
	}
	v.Changing = slices.ContainsFunc(a.Rules, func(r warehouse.AlertRule) bool { return r.ID == v.Rule.ID })
	if !v.Sub.Sent {
		v.Sub = subForm{Enabled: true}
	}
	for _, k := range subscriptionTopics(a.Rules, v.Lang, nil, true, v.Names) {
		v.Topics = append(v.Topics, option{Value: k, Label: v.Names[k]})
	}
	units, err := s.subscribableUnits(ctx, &session{}, v.Lang, v.Names)
	if err != nil {
		return err
	}
	for _, u := range units[1:] { // the whole province is the empty field
		v.Units = append(v.Units, option{Value: u, Label: v.Names[u]})
	}
	v.Words = map[string]string{}
	for _, k := range warehouse.AlertKinds {
		v.Words[k] = t(v.Lang, "alert_kind_"+k)
		v.Kinds = append(v.Kinds, option{Value: k, Label: v.Words[k]})
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
		v.Users = append(v.Users, option{Value: u.Name, Label: u.Name})
	}
	if v.Rule.Sent {
		v.Kinds, v.By, v.Scopes = keepSent(v.Kinds, v.Rule.Kind), keepSent(v.By, v.Rule.By), keepSent(v.Scopes, v.Rule.Scope)
	}
	if v.Sub.Sent {
		v.Users, v.Topics = keepSent(v.Users, v.Sub.User), keepSent(v.Topics, v.Sub.What)
	}
	return c.Render(status, "admin_alerts.html", v)
}

// ruleGroupings are how a ledger rule may group the items it finds.
var ruleGroupings = []string{alerts.ByCity, alerts.ByUnit}

// keepSent returns choices with sent first, as it was sent, when they do not offer it: a
// refused form shows what was sent (an account or a rule deleted meanwhile, a kind of a
// hand-made request, nothing) beside its fault, where a list without it showed its first
// choice as chosen.
func keepSent(choices []option, sent string) []option {
	if slices.ContainsFunc(choices, func(o option) bool { return o.Value == sent }) {
		return choices
	}
	return append([]option{{Value: sent, Label: sent}}, choices...)
}

// alertsDone audits a change and shows the page again: with empty forms when it was made,
// with the forms as sent and their faults when they were refused (err a *badInput).
func (s *Server) alertsDone(c echo.Context, what string, forms alertsForms, err error) error {
	if aerr := s.auditAdmin(c, what, err); aerr != nil {
		return aerr
	}
	var bad *badInput
	switch {
	case err == nil:
		return s.renderAlerts(c, http.StatusOK, alertsForms{})
	case errors.As(err, &bad):
		forms.Error = t(pageLang(c), "alert_form_refused")
		return s.renderAlerts(c, http.StatusBadRequest, forms)
	}
	return err
}

// badInput is a form's value refused, shown on the page.
type badInput struct{ msg string }

func (b *badInput) Error() string { return b.msg }

// listOf reads a list typed in one field, its items separated by commas or spaces.
func listOf(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '，' || r == '、' || r == '\n' })
}

// alertRuleSave adds or replaces a rule from the page's form; it wins over the config's seed.
func (s *Server) alertRuleSave(c echo.Context) error {
	f := ruleForm{ID: strings.TrimSpace(c.FormValue("id")), Kind: c.FormValue("kind"), Enabled: c.FormValue("enabled") != "",
		Indicators: c.FormValue("indicators"), Groups: c.FormValue("groups"), Targets: c.FormValue("targets"), Days: strings.TrimSpace(c.FormValue("days")),
		By: c.FormValue("by"), Scope: c.FormValue("scope"), Channels: c.Request().Form["channels"], Roles: c.Request().Form["roles"], Sent: true}
	r := warehouse.AlertRule{ID: f.ID, Kind: f.Kind, Enabled: f.Enabled, Indicators: listOf(f.Indicators), Groups: listOf(f.Groups), Targets: listOf(f.Targets),
		By: f.By, Scope: f.Scope, Channels: f.Channels, Roles: f.Roles, Source: warehouse.RuleFromPage, UpdatedBy: currentSession(c).User}
	what := fmt.Sprintf("save alert rule %s (%s, enabled %v)", r.ID, r.Kind, r.Enabled)
	if err := s.checkRuleForm(c, &f, &r); err != nil {
		return err
	}
	if len(f.Errors) > 0 {
		return s.alertsDone(c, what, alertsForms{Rule: f}, &badInput{f.Errors.String()})
	}
	return s.alertsDone(c, what, alertsForms{}, s.store.PutAlertRule(c.Request().Context(), r))
}

// ruleCatalogFields are a rule's fields whose codes must name what exists.
var ruleCatalogFields = []string{"indicators", "groups", "channels", "roles"}

// unknownShown is how many unknown codes a field's fault names.
const unknownShown = 10

// checkRuleForm notes in f what is wrong with the rule r it was read as: what the rule's
// own check refuses, and indicators, groups, channels and roles that do not exist, each
// named (a rule on a misspelt indicator would never fire, and nobody would know). The
// error is the catalogs' reading.
func (s *Server) checkRuleForm(c echo.Context, f *ruleForm, r *warehouse.AlertRule) error {
	ctx, lang := c.Request().Context(), pageLang(c)
	if f.Days != "" {
		days, err := strconv.Atoi(f.Days)
		if err != nil {
			days = -1
		}
		r.Days = days
	}
	var joined interface{ Unwrap() []error }
	if err := alerts.CheckRule(*r); errors.As(err, &joined) {
		for _, e := range joined.Unwrap() {
			if re, ok := e.(*alerts.RuleError); ok {
				f.Errors.add(lang, re.Field, t(lang, "alert_bad_"+re.Field))
			}
		}
	}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	groups, err := s.store.PeerGroups(ctx)
	if err != nil {
		return err
	}
	// Each field names its first unknownShown codes and counts the rest: a form of 20,000
	// made a page (and an audit entry) of 325 KB of them.
	unknown := func(field string, codes []string, known func(string) bool) {
		bad := slices.DeleteFunc(slices.Clone(codes), known)
		if len(bad) == 0 {
			return
		}
		named := strings.Join(bad[:min(len(bad), unknownShown)], t(lang, "sep_list"))
		if len(bad) > unknownShown {
			named += fmt.Sprintf(t(lang, "alert_unknown_more"), len(bad)-unknownShown)
		}
		f.Errors.add(lang, field, fmt.Sprintf(t(lang, "alert_unknown_"+field), named))
	}
	unknown("indicators", r.Indicators, func(code string) bool {
		_, ok := indicatorOf(inds, code)
		return ok
	})
	unknown("groups", r.Groups, func(code string) bool {
		return slices.ContainsFunc(groups, func(g warehouse.PeerGroup) bool { return g.Code == code })
	})
	unknown("channels", r.Channels, func(ch string) bool { return slices.Contains(s.cfg.AlertChannels, ch) })
	unknown("roles", r.Roles, ValidRole)
	return nil
}

// subscriptionSave adds, changes or (enabled unset) ends an account's subscription.
func (s *Server) subscriptionSave(c echo.Context) error {
	ctx, lang := c.Request().Context(), pageLang(c)
	f := subForm{User: c.FormValue("user"), What: c.FormValue("what"), Unit: strings.TrimSpace(c.FormValue("unit")),
		Email: strings.TrimSpace(c.FormValue("email")), Enabled: c.FormValue("enabled") != "", Sent: true}
	kind, topic, _ := strings.Cut(f.What, ":")
	sub := warehouse.Subscription{User: f.User, Kind: kind, Topic: topic, Unit: f.Unit, Email: f.Email, Enabled: f.Enabled}
	what := fmt.Sprintf("subscription of %s to %s %s %s (enabled %v)", sub.User, sub.Kind, sub.Topic, sub.Unit, sub.Enabled)
	rules, err := s.store.AlertRules(ctx)
	if err != nil {
		return err
	}
	account, ok := s.accounts.account(ctx, sub.User)
	if !ok {
		f.Errors.add(lang, "user", fmt.Sprintf(t(lang, "alert_sub_no_account"), sub.User))
	}
	// A rule sends to the roles it names only: a subscription of another role's account
	// would be kept and never delivered, and nobody would know.
	if i := slices.IndexFunc(rules, func(r warehouse.AlertRule) bool { return kind == warehouse.SubscribeAlerts && r.ID == topic }); ok && i >= 0 &&
		!rules[i].SendsTo(account.Role) {
		f.Errors.add(lang, "what", fmt.Sprintf(t(lang, "alert_sub_role_left_out"), topic, roleLabel(lang, account.Role)))
	}
	if !slices.Contains(subscriptionTopics(rules, lang, nil, true, map[string]string{}), f.What) {
		f.Errors.add(lang, "what", t(lang, "alert_sub_bad_what"))
	}
	if known, err := s.knownUnit(ctx, sub.Unit); err != nil {
		return err
	} else if !known {
		f.Errors.add(lang, "unit", fmt.Sprintf(t(lang, "alert_sub_bad_unit"), sub.Unit))
	}
	if checkEmail(sub.Email) != nil {
		f.Errors.add(lang, "email", fmt.Sprintf(t(lang, "subs_bad_email"), sub.Email))
	}
	if len(f.Errors) > 0 {
		return s.alertsDone(c, what, alertsForms{Sub: f}, &badInput{f.Errors.String()})
	}
	return s.alertsDone(c, what, alertsForms{}, s.store.PutSubscription(ctx, sub))
}

// knownUnit says whether a subscription may be for unit: the whole province (""), one of
// its cities or counties, or a reporting unit.
func (s *Server) knownUnit(ctx context.Context, unit string) (bool, error) {
	units, err := s.subscribableUnits(ctx, &session{}, langZh, map[string]string{})
	if err != nil || slices.Contains(units, unit) {
		return err == nil, err
	}
	switch _, err = s.reports.Unit(ctx, unit); {
	case errors.Is(err, warehouse.ErrNoUnit):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}
