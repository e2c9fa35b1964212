package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"jinwei/dashboard/api"
	"jinwei/warehouse"
)

// The subscriptions page (/subscriptions): a signed-in user's own subscriptions to alerts
// and briefings, which they add, change and end themselves. What they may choose follows
// their role and unit: the rules whose roles admit theirs, briefings only with the
// dashboards (a unit's staff see no province page), the whole province or one city or
// county, and a unit's staff their own unit only.

// MySubscriptions is the user's subscriptions and what they may subscribe to.
type MySubscriptions struct {
	Account       string
	Subscriptions []warehouse.Subscription
	// Topics are the choices as "kind:topic" (alerts: every rule, or one; brief: month,
	// quarter or year), Units the unit codes ("" the whole province).
	Topics []string
	Units  []string
}

// SubscriptionsAnswer is the JSON of GET /api/subscriptions: the user's subscriptions and
// what they may subscribe to.
type SubscriptionsAnswer struct {
	Account       string             `json:"user"`
	Subscriptions []api.Subscription `json:"subscriptions"`
	Topics        []string           `json:"topics"`
	Units         []string           `json:"units"`
}

type subscriptionsView struct {
	page
	MySubscriptions
	TopicOptions, UnitOptions []option
	// Names are the words for topics and units by their values.
	Names map[string]string
	Email string
	Error string
}

// briefTopics are the periods one subscribes to briefings of.
var briefTopics = []string{PeriodMonth, PeriodQuarter, PeriodYear}

func (s *Server) subscriptionRoutes(e *echo.Echo) {
	signedIn := s.requireAny(PermViewDashboards, PermReport)
	e.GET("/subscriptions", s.subscriptionsPage, signedIn)
	e.POST("/subscriptions", s.subscriptionsSave, signedIn)
	e.GET("/api/subscriptions", s.subscriptionsJSON, signedIn)
}

// errNoAccount answers the demo's open session, which has no account to subscribe.
var errNoAccount = forbidden{user: "demo", demo: true}

// mySubscriptions reads the signed-in user's subscriptions and choices.
func (s *Server) mySubscriptions(c echo.Context) (MySubscriptions, map[string]string, error) {
	ss := currentSession(c)
	m := MySubscriptions{Account: ss.User, Subscriptions: []warehouse.Subscription{}}
	if ss.Demo || ss.User == "" {
		return m, nil, errNoAccount
	}
	st := s.store
	ctx, lang := c.Request().Context(), pageLang(c)
	all, err := st.Subscriptions(ctx)
	if err != nil {
		return m, nil, err
	}
	for _, sub := range all {
		if sub.User == ss.User && sub.Enabled {
			m.Subscriptions = append(m.Subscriptions, sub)
		}
	}
	rules, err := st.AlertRules(ctx)
	if err != nil {
		return m, nil, err
	}
	names := map[string]string{}
	m.Topics = subscriptionTopics(rules, lang, func(r warehouse.AlertRule) bool {
		return r.Enabled && r.SendsTo(ss.Role)
	}, ss.can(PermViewDashboards), names)
	m.Units, err = s.subscribableUnits(ctx, ss, lang, names)
	return m, names, err
}

// subscriptionTopics are what one may subscribe to, as "kind:topic", named in names in
// lang: every alert, each rule admits (nil: every rule), and with briefs the briefings of
// each period.
func subscriptionTopics(rules []warehouse.AlertRule, lang string, admits func(warehouse.AlertRule) bool, briefs bool, names map[string]string) []string {
	topics := []string{warehouse.SubscribeAlerts + ":"}
	names[topics[0]] = t(lang, "subs_every_alert")
	for _, r := range rules {
		if admits == nil || admits(r) {
			key := warehouse.SubscribeAlerts + ":" + r.ID
			topics = append(topics, key)
			names[key] = t(lang, "alert_kind_"+r.Kind) + " (" + r.ID + ")"
		}
	}
	if briefs {
		for _, p := range briefTopics {
			key := warehouse.SubscribeBrief + ":" + p
			topics = append(topics, key)
			names[key] = t(lang, "subs_brief_"+p)
		}
	}
	return topics
}

// subscribableUnits are the units a user may subscribe for: a unit's staff their own, the
// province's accounts the whole province ("") or any of its cities and counties.
func (s *Server) subscribableUnits(ctx context.Context, ss *session, lang string, names map[string]string) ([]string, error) {
	if ss.Unit != "" {
		names[ss.Unit] = ss.Unit
		if u, err := s.reports.Unit(ctx, ss.Unit); err == nil {
			names[ss.Unit] = unitName(u, lang)
		}
		return []string{ss.Unit}, nil
	}
	regions, err := s.store.Regions(ctx)
	if err != nil {
		return nil, err
	}
	units := []string{""}
	names[""] = t(lang, "subs_province")
	for _, level := range []string{"city", "county"} {
		for _, r := range regions {
			if r.Level == level && inProvince(r.Code, s.cfg.HomeRegion) {
				units = append(units, r.Code)
				names[r.Code] = fullName(r, lang) + " " + r.Code
				// A statistical code that is no county (嘉峪关市's 620201 beside the city's
				// 620200, 兰州新区's 620171) is said to be one: the list read 嘉峪关市 twice.
				if level == "county" && !r.Counted {
					names[r.Code] += t(lang, "subs_not_county")
				}
			}
		}
	}
	return units, nil
}

func (s *Server) subscriptionsJSON(c echo.Context) error {
	m, _, err := s.mySubscriptions(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, SubscriptionsAnswer{Account: m.Account, Subscriptions: api.Subscriptions(m.Subscriptions),
		Topics: m.Topics, Units: m.Units})
}

func (s *Server) subscriptionsPage(c echo.Context) error {
	return s.renderSubscriptions(c, http.StatusOK, "")
}

func (s *Server) renderSubscriptions(c echo.Context, status int, msg string) error {
	m, names, err := s.mySubscriptions(c)
	if err != nil {
		return err
	}
	v := subscriptionsView{page: newPage(c, "", "nav_subscriptions"), MySubscriptions: m, Names: names, Error: msg}
	for _, k := range m.Topics {
		v.TopicOptions = append(v.TopicOptions, option{Value: k, Label: names[k]})
	}
	for _, u := range m.Units {
		v.UnitOptions = append(v.UnitOptions, option{Value: u, Label: names[u]})
	}
	for _, sub := range m.Subscriptions {
		v.Email = sub.Email
	}
	if v.Email == "" {
		if a, ok := s.accounts.account(c.Request().Context(), m.Account); ok && checkEmail(a.Contact) == nil {
			v.Email = a.Contact
		}
	}
	return c.Render(status, "subscriptions.html", v)
}

// subscriptionsSave adds, changes or (enabled unset) ends one of the user's own
// subscriptions: what the form names must be among the user's choices.
func (s *Server) subscriptionsSave(c echo.Context) error {
	m, _, err := s.mySubscriptions(c)
	if err != nil {
		return err
	}
	st := s.store
	what, unit := c.FormValue("what"), strings.TrimSpace(c.FormValue("unit"))
	kind, topic, _ := strings.Cut(what, ":")
	sub := warehouse.Subscription{User: m.Account, Kind: kind, Topic: topic, Unit: unit, Email: strings.TrimSpace(c.FormValue("email")),
		Enabled: c.FormValue("enabled") != ""}
	desc := fmt.Sprintf("own subscription to %s %s %s (enabled %v)", sub.Kind, sub.Topic, sub.Unit, sub.Enabled)
	// Said in the page's language: a leader types the address (the choices come from lists).
	lang := pageLang(c)
	switch {
	case !slices.Contains(m.Topics, what):
		err = &badInput{fmt.Sprintf(t(lang, "subs_bad_topic"), what)}
	case !slices.Contains(m.Units, unit):
		err = &badInput{fmt.Sprintf(t(lang, "subs_bad_unit"), unit)}
	case checkEmail(sub.Email) != nil:
		err = &badInput{fmt.Sprintf(t(lang, "subs_bad_email"), sub.Email)}
	}
	if err == nil {
		err = st.PutSubscription(c.Request().Context(), sub)
	}
	if aerr := s.auditStep(c, warehouse.AuditSubscription, desc, err); aerr != nil {
		return aerr
	}
	var bad *badInput
	switch {
	case err == nil:
		return c.Redirect(http.StatusSeeOther, "/subscriptions"+langQuery(c))
	case errors.As(err, &bad):
		return s.renderSubscriptions(c, http.StatusBadRequest, err.Error())
	}
	return err
}

// checkEmail refuses what is not one plain mail address.
func checkEmail(addr string) error {
	if !strings.Contains(addr, "@") || strings.ContainsAny(addr, " \r\n<>,;") || len(addr) > 254 {
		return &badInput{fmt.Sprintf("%q is not a mail address", addr)}
	}
	return nil
}
