// Package dashboard serves jinwei's pages and their JSON: Echo routes, handlers, go-echarts
// chart builders, templates and the embedded static assets. It asks the warehouse for typed
// results and never builds SQL.
package dashboard

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
	"jinwei/warehouse/scorecard"
)

// Store is what the pages need from the warehouse.
type Store interface {
	Ranking(ctx context.Context, q warehouse.RankingQuery) (*warehouse.Ranking, error)
	Trajectory(ctx context.Context, q warehouse.RankingQuery) (*warehouse.Trajectory, error)
	Indicators(ctx context.Context) ([]warehouse.Indicator, error)
	PeerGroups(ctx context.Context) ([]warehouse.PeerGroup, error)
	Regions(ctx context.Context) ([]warehouse.Region, error)
	Targets(ctx context.Context, region string) ([]warehouse.TargetStatus, error)
	TargetsIn(ctx context.Context, region string, upTo int) ([]warehouse.TargetStatus, error)
	CountyRanking(ctx context.Context, province, indicator string, year int) (*warehouse.CountyRanking, error)
	CountyIncomeTargets(ctx context.Context, province string, year int) (*warehouse.CountyIncomeTargets, error)
	LedgerOn(ctx context.Context, scope warehouse.RowScope, asOf time.Time) ([]warehouse.LedgerItem, error)
	ItemHistory(ctx context.Context, scope warehouse.RowScope, itemID string) ([]warehouse.StatusEvent, error)
	LedgerDates(ctx context.Context) ([]time.Time, error)
	Scorecard(ctx context.Context, scope, month string, weights map[string]float64) (*warehouse.Scorecard, error)
	PublishScorecard(ctx context.Context, scope, month string, weights map[string]float64, by string) (*warehouse.Scorecard, error)
	ScorecardItems(ctx context.Context) ([]scorecard.Item, error)
	CampaignMetrics(ctx context.Context) ([]warehouse.CampaignMetric, error)
	CampaignTrend(ctx context.Context, upTo string) ([]warehouse.TrendPoint, error)
	CampaignMonths(ctx context.Context) ([]string, error)
	CampaignGenerated(ctx context.Context, month string) (bool, error)
	CampaignLineage(ctx context.Context, month string) ([]warehouse.Lineage, error)
	ValueSources(ctx context.Context, indicator, region, kind string, year, no int) ([]warehouse.SourceRow, error)
	CampaignSources(ctx context.Context, unit, month, metric string) ([]warehouse.SourceRow, error)
	LedgerSources(ctx context.Context, item string) ([]warehouse.SourceRow, error)
	RunLineage(ctx context.Context, runIDs []string) ([]warehouse.Lineage, error)
}

var _ Warehouse = (*warehouse.Warehouse)(nil)

// Config sets what the pages show by default.
type Config struct {
	// HomeRegion is the province the pages are about (GB/T 2260 code).
	HomeRegion       string
	DefaultIndicator string
	DefaultGroup     string
	// Headlines are the indicators of the cockpit's tiles; empty means the built-in six.
	Headlines []string
	// CampaignWeights override the default weights of the campaign scorecard's items
	// (data/campaign_scoring.csv); an item left out keeps its default.
	CampaignWeights map[string]float64
	// AdminToken opens the admin API (runs, rejects, job runs, uploads); empty closes it.
	AdminToken string
	// Jobs runs ETL jobs for the admin API; nil when none are configured.
	Jobs Jobs
	// ReportFiles reads units' own files on their report pages; nil: units type their
	// reports only.
	ReportFiles ReportFiles
	// Metrics, when set, are served at /metrics and fed by every request.
	Metrics *Metrics
	// Users are the config file's accounts, written into the warehouse's accounts at start
	// (a bootstrap). With no accounts at all, the dashboards run in an open demo mode that
	// says so on every page, for viewers only; the admin API answers only to AdminToken.
	Users []User
	// SessionKey signs session cookies; SessionTTL is how long a sign-in lasts (12 h).
	SessionKey []byte
	SessionTTL time.Duration
	// AccountsRefresh is how often accounts, tokens and cached sessions are read again from
	// the warehouse, for changes other processes make (a shared server); 0 never: every
	// change passes through this process (the embedded engine).
	AccountsRefresh time.Duration
	// TrustedProxies are the CIDRs of reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed; nobody else's are.
	TrustedProxies []string
	// CookieSecure is auto (Secure over HTTPS), always or never; "" is auto.
	CookieSecure string
	// Clock tells the time for sessions; nil is the system clock.
	Clock func() time.Time
	// Spool bounds the downloads staged on disk and the guard's limits for ad hoc SQL;
	// zero fields take DefaultSpool's values.
	Spool SpoolConfig
	// Chromium is the headless browser that prints briefings as PDF: a path or a program
	// name; empty looks for chromium (or Chrome) on PATH. Without one the print page serves.
	Chromium string
	// BackupsDir is the absolute folder the admin API writes backups into; empty: none.
	BackupsDir string
	// Deadlines say by when units' monthly reports are due (config [reports]).
	Deadlines warehouse.Deadlines
	// AlertChannels name the config's alert channels, which the rules page's rules may use.
	AlertChannels []string
}

// Server holds the routes' dependencies.
type Server struct {
	cfg Config
	// saving holds a saved query's check of its account's allowance and its write together.
	saving sync.Mutex
	// statements are the accounts with an ad hoc statement running or waiting (oneStatement).
	statementsMu sync.Mutex
	statements   map[string]bool
	store        Warehouse
	runs         Runs
	// reports are units' monthly reports, read and written within the caller's scope.
	reports Reports
	jobs    Jobs
	log     *slog.Logger
	tmpl    *template.Template
	// spools admits the downloads staged on disk at once, and spooled counts the bytes
	// they hold (see sendSpooled).
	spools  chan struct{}
	spooled *spoolBudget
	// routes are the registered route templates: the only route labels of the metrics.
	routes map[string]bool
	// accounts are the accounts, sessions and tokens; proxies the trusted proxies;
	// loginTries and addressTries the failed sign-ins per account name (per browser, for
	// one the account has signed in from: see deviceCookie) and per address.
	accounts     *Accounts
	proxies      []*net.IPNet
	loginTries   *failureLimiter
	addressTries *failureLimiter
}

// Warehouse is everything the dashboard reads and writes: the pages' store, the run log, and
// every feature a page offers. Each is named here, not found by a type assertion, so a method
// the warehouse renames fails to compile instead of answering 501 at run time.
type Warehouse interface {
	Store
	Runs
	AccountStore
	BriefArchive
	Reports
	SQL
	Backuper
	Ready
	dataVersioner
	consoleStore
	operatorStore
	alertStore
	ledgerLoopStore
}

// New returns the Echo application serving the dashboard.
func New(cfg Config, store Warehouse, log *slog.Logger) (*echo.Echo, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Deadlines.Check(); err != nil {
		return nil, fmt.Errorf("dashboard: report deadlines: %w", err)
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	if err := checkVendorAssets(); err != nil {
		return nil, err
	}
	cfg.Spool = cfg.Spool.orDefaults()
	s := &Server{cfg: cfg, store: store, runs: store, reports: store, jobs: cfg.Jobs, log: log, tmpl: tmpl,
		spools: make(chan struct{}, cfg.Spool.Files), spooled: &spoolBudget{max: cfg.Spool.TotalBytes}, statements: map[string]bool{}}
	if err := s.setUpAccounts(store); err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Renderer = s
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = s.ipExtractor()
	e.Pre(securityHeaders, routeHeadAsGet)
	e.Use(answerHead, s.logRequests, recoverPanics, s.limitRequests, s.authenticate, readableQuery, s.csrf(), s.noteDataVersion)
	s.authRoutes(e)
	s.wallRoutes(e)
	s.accountRoutes(e)
	pages := behind(e, s.require(PermViewDashboards))
	pages.GET("/", s.cockpitPage)
	pages.GET("/api/cockpit", s.cockpitAPI)
	pages.GET("/ranking", s.rankingPage)
	pages.GET("/api/ranking", s.rankingAPI)
	pages.GET("/counties", s.homeUnits("counties", s.countiesPage))
	pages.GET("/api/counties", s.homeUnits("counties", s.countiesAPI))
	s.ledgerRoutes(e)
	pages.GET("/campaign", s.homeUnits("campaign", s.campaignPage))
	pages.GET("/api/version", s.versionAPI)
	pages.GET("/api/campaign", s.homeUnits("campaign", s.campaignAPI))
	pages.GET("/campaign/method", s.campaignMethodPage)
	pages.GET("/lineage", s.lineagePage)
	pages.GET("/api/lineage", s.lineageAPI)
	pages.GET("/api/campaign/method", s.campaignMethodAPI)
	e.GET(staticRoute, echo.WrapHandler(staticHandler()))
	s.briefRoutes(e)
	s.adminRoutes(e)
	s.adminPageRoutes(e)
	s.alertRoutes(e)
	s.subscriptionRoutes(e)
	s.opsRoutes(e)
	s.sqlRoutes(e)
	s.consoleRoutes(e)
	s.reportRoutes(e)
	s.routes = routeSet(e)
	return e, nil
}

// dataVersioner keeps the data version (the warehouse does, in a table shared by every
// process and host, read at most once a second).
type dataVersioner interface {
	DataVersion(ctx context.Context) (uint64, error)
}

// dataVersion is the warehouse's current data version; 0 when it cannot say.
func (s *Server) dataVersion(ctx context.Context) uint64 {
	if v, err := s.store.DataVersion(ctx); err == nil {
		return v
	}
	return 0
}

// noteDataVersion remembers the data version a wall screen's page is drawn at, for it to
// tell when its numbers are out of date.
func (s *Server) noteDataVersion(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.QueryParam("screen") == "wall" {
			c.Set(ctxDataVersion, s.dataVersion(c.Request().Context()))
		}
		return next(c)
	}
}

// versionAPI answers GET /api/version with the current data version: the cheap question a
// wall screen asks every few seconds to know when to redraw.
func (s *Server) versionAPI(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]uint64{"data_version": s.dataVersion(c.Request().Context())})
}

// Render implements echo.Renderer over the embedded templates.
func (s *Server) Render(w io.Writer, name string, data any, _ echo.Context) error {
	return s.tmpl.ExecuteTemplate(w, name, data)
}

// logRequests writes one line per request once it is answered, with its request id, and
// feeds the request metrics.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		id := requestID(c)
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req, res := c.Request(), c.Response()
		took := time.Since(start)
		route, method, class := s.requestLabels(c)
		if s.cfg.Metrics != nil {
			s.cfg.Metrics.requests.WithLabelValues(route, method, class).Observe(took.Seconds())
		}
		user := "-"
		if ss := currentSession(c); ss != nil {
			user = ss.User
		}
		s.log.Info("request", "request_id", id, "user", user, "method", method, "route", route, "path", logPath(req.URL.Path),
			"status", res.Status, "bytes", res.Size, "duration_ms", took.Milliseconds())
		return nil
	}
}

// handleError maps errors to statuses in one place: bad input is 400, unknown things 404,
// everything else 500 and logged. Pages get an HTML answer, the API JSON.
// recoverPanics answers a request whose handler panicked as a failed request, 500 with the
// error page, and the panic and its stack are logged once, as any failure is (handleError):
// without it net/http closed the connection, and the reader saw the browser's own error.
// (The stack is caught only when it may be printed; LogErrorFunc keeps echo from printing.)
var recoverPanics = middleware.RecoverWithConfig(middleware.RecoverConfig{
	LogErrorFunc: func(_ echo.Context, err error, stack []byte) error {
		return fmt.Errorf("panic: %w\n%s", err, stack)
	},
})

func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, "internal error"
	var he *echo.HTTPError
	var ce *choiceError
	var stale staleForm
	var refused forbidden
	inPageLang := false
	switch {
	case errors.As(err, &ce):
		s.answerChoice(c, ce)
		return
	case errors.As(err, &stale):
		status, msg = http.StatusForbidden, stale.Error()
	case errors.As(err, &refused):
		status, msg = http.StatusForbidden, refused.Error()
		if !isAPI(c) {
			msg, inPageLang = refused.inLang(pageLang(c)), true
		}
	case errors.As(err, &he):
		status, msg = he.Code, stringOf(he.Message)
		// A reason in both languages is said in the page's (a missing ledger item was
		// named in English under the Chinese heading); the API keeps the English.
		if why, ok := he.Message.(*reasons.Error); ok && why.Zh != "" && !isAPI(c) {
			msg, inPageLang = saidIn(pageLang(c), why.En, why.Zh), true
		}
	case errors.Is(err, warehouse.ErrNotFound):
		status, msg = http.StatusNotFound, err.Error()
	default:
		s.log.Error("request failed", "path", c.Request().URL.Path, "err", err)
	}
	kind := strconv.Itoa(status)
	if stale.cause != nil {
		kind = errorStale
	}
	if refused.demo {
		kind = errorDemo
	}
	lang := pageLang(c)
	heading, hint := t(lang, "error"), t(lang, "not_found_hint")
	named := slices.Contains(errorKinds, kind)
	if named {
		heading, hint = t(lang, "error_"+kind), t(lang, "error_hint_"+kind)
	}
	if isAPI(c) {
		answer := map[string]string{"error": msg}
		if named {
			// What a page's script shows its reader (the console says it where a result
			// would be): the English error is for scripts and the log.
			answer["message"] = heading + t(lang, "sep_label") + hint
		}
		_ = c.JSON(status, answer)
		return
	}
	if msg == http.StatusText(status) {
		// "Not Found" under 页面不存在 says the heading again, in English: the server's words
		// stand under the heading only when they say more.
		msg = ""
	}
	again := ""
	if stale.cause != nil {
		// Back would show the form with its stale token again: a fresh copy of the page it
		// was sent from carries a new one. That page is the Referer, when it is this site's
		// (the form's own address may take no GET, and came from whoever sent the form).
		again = formPage(c)
	}
	s.renderError(c, status, errorView{Heading: heading, Hint: hint, Message: msg, Again: again, InPageLang: inPageLang})
}

// errorView is what an error page says: a heading and what to do in the reader's
// language, the server's words under them (English unless InPageLang), and, for a choice
// outside the values there are, those values as links.
type errorView struct {
	page
	Status                       int
	Heading, Hint, Message, Home string
	Again                        string
	InPageLang                   bool
	Choices                      []option
}

// renderError draws an error page in the site's frame, with its menu and language
// switch, so that a reader who met one goes on from it.
func (s *Server) renderError(c echo.Context, status int, v errorView) {
	v.page = newPage(c, "", "error")
	v.Title, v.Status = v.Heading, status
	// Home keeps the page's language and a wall screen's view, as the menu's links do.
	if v.Home = homeOf(currentSession(c), langZh); v.Query != "" {
		v.Home += "?" + string(v.Query)
	}
	if err := c.Render(status, "error.html", v); err != nil {
		s.log.Error("error page", "path", c.Request().URL.Path, "err", err)
	}
}

// formPage is the page of this site a form was sent from (its Referer), or "".
func formPage(c echo.Context) string {
	u, err := url.Parse(c.Request().Referer())
	if err != nil || u.Host != c.Request().Host {
		return ""
	}
	if page := u.RequestURI(); safeNext(page) == page {
		return page
	}
	return ""
}

// errorKinds are the refusals an error page (and the API's message) names in the reader's
// language, with what to do next; the server's own words (English, for the log and the
// API) stand under them. Each is a status, or errorStale.
var errorKinds = []string{"400", "401", "403", "404", "405", "413", "429", errorStale, errorDemo}

// errorStale is the kind of a staleForm's refusal.
const errorStale = "stale"

// errorDemo is the kind of demo mode's refusal of a page that needs an account: under the
// banner saying anyone may view the pages, "无权访问此页 … ask an administrator" contradicted
// it, and demo mode has no administrator.
const errorDemo = "demo"

// staleForm is a form or a console request whose CSRF token no longer matches its cookie:
// the page was left open past the cookie's day, or its cookies were cleared. Reloading the
// page is the cure, which a 403's "ask an administrator" would hide.
type staleForm struct{ cause error }

func (e staleForm) Error() string {
	return "the page has expired (its form's CSRF token is not its cookie's); reload it and send again"
}

// homeOf is where a session's pages start, in the page's language: a unit's reporter has
// its report, not the province's dashboards (which refuse it).
func homeOf(ss *session, lang string) string {
	home := "/"
	if ss != nil && !ss.can(PermViewDashboards) && ss.can(PermReport) {
		home = "/report"
	}
	if lang == langEn {
		home += "?lang=en"
	}
	return home
}

// answerChoice answers a parameter outside its values with 400 and the reason: the JSON
// names the parameter and the codes there are, the page says it in words and links each
// value there is (the same address with that value).
func (s *Server) answerChoice(c echo.Context, ce *choiceError) {
	lang := pageLang(c)
	if isAPI(c) {
		answer := map[string]any{"error": ce.Error(), "message": ce.reason(lang) + ce.listed(lang), "param": ce.Param}
		if len(ce.Choices) > 0 {
			answer["choices"] = ce.codes()
		}
		_ = c.JSON(http.StatusBadRequest, answer)
		return
	}
	links := ce.links(c)
	hint := t(lang, "not_found_hint")
	if len(links) > 0 {
		hint = t(lang, "param_pick")
	}
	// The reason is worded in the page's language; other errors' messages are English.
	s.renderError(c, http.StatusBadRequest, errorView{Heading: t(lang, "param_title"), Hint: hint, Message: ce.reason(lang), InPageLang: true, Choices: links})
}

func stringOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if e, ok := v.(error); ok {
		return e.Error()
	}
	return http.StatusText(http.StatusInternalServerError)
}

func isAPI(c echo.Context) bool {
	p := c.Request().URL.Path
	return len(p) >= 5 && p[:5] == "/api/"
}

// pageLang is the language the request asks for: ?lang=en, else Chinese.
func pageLang(c echo.Context) string {
	if c.QueryParam("lang") == langEn {
		return langEn
	}
	return langZh
}
