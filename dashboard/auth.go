package dashboard

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"
)

const (
	sessionCookie = "jinwei_session"
	ctxSession    = "jinwei_session"
	ctxCSRF       = "csrf"
)

// demoSession is everyone's session when there are no accounts: the dashboards are open
// (and every page says so); the console, exports and the admin API are not.
var demoSession = &session{User: "demo", Role: RoleViewer, Demo: true}

func (s *Server) demoMode(c echo.Context) bool { return s.accounts.Empty(c.Request().Context()) }

// authenticate puts the request's session into the context: a bearer token's (which must
// verify: a bad one is refused here, never passed on as anonymous), a session cookie's, or
// the demo visitor's. Uses of personal API tokens are audited once answered.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ss, found := s.bearerSession(c); found {
			if ss == nil {
				s.log.Warn("bearer token refused", "ip", c.RealIP(), "path", c.Request().URL.Path)
				return echo.NewHTTPError(http.StatusUnauthorized, "the bearer token is unknown, expired or revoked")
			}
			c.Set(ctxSession, ss)
			if ss.TokenID == "" {
				return next(c)
			}
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			s.auditTokenUse(c, ss, time.Since(start))
			return nil
		}
		if ck, err := c.Cookie(sessionCookie); err == nil {
			if ss, ok := s.accounts.readSession(c.Request().Context(), ck.Value, s.cfg.SessionKey); ok {
				c.Set(ctxSession, ss)
			}
		}
		if currentSession(c) == nil && s.demoMode(c) {
			c.Set(ctxSession, demoSession)
		}
		return next(c)
	}
}

func currentSession(c echo.Context) *session {
	ss, _ := c.Get(ctxSession).(*session)
	return ss
}

// require admits sessions holding permission p: every route's check goes through here.
// Pages send others to sign in, the API answers 401 (not signed in) or 403 (signed in, not
// allowed).
func (s *Server) require(p Permission) echo.MiddlewareFunc { return s.requireAny(p) }

// requireAny admits sessions holding any of ps: pages that both the province's staff and
// the units' reporters open (each seeing what its scope holds).
func (s *Server) requireAny(ps ...Permission) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ss := currentSession(c)
			switch {
			case slices.ContainsFunc(ps, ss.can):
				return next(c)
			case (ss == nil || ss.Demo) && !isAPI(c) && c.QueryParam("screen") == "wall":
				return c.Redirect(http.StatusSeeOther, wallSignInURL(c))
			case ss != nil && ss.Demo && !isAPI(c):
				// With no accounts there is no one to sign in as: the sign-in form it led to
				// could never succeed.
				return forbidden{user: ss.User, role: ss.Role, needs: ps, demo: true}
			case ss == nil && !isAPI(c):
				return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
			case ss == nil || ss.Demo:
				return echo.NewHTTPError(http.StatusUnauthorized, "sign in (or send an API token) first")
			}
			return forbidden{user: ss.User, role: ss.Role, needs: ps}
		}
	}
}

// forbidden is a signed-in account refused a route for want of a permission. Its error
// is for scripts and the log; a page says it in the reader's language (inLang).
type forbidden struct {
	user, role string
	needs      []Permission
	// demo is demo mode's visitor, refused what needs an account (needs nothing more: what
	// belongs to an account, such as its subscriptions).
	demo bool
}

func (f forbidden) Error() string {
	if len(f.needs) == 0 {
		return "this belongs to an account, and demo mode has none: sign in"
	}
	names := make([]string, len(f.needs))
	for i, p := range f.needs {
		names[i] = string(p)
	}
	return fmt.Sprintf("%s may not do this; it needs the %s permission", f.user, strings.Join(names, " or "))
}

// inLang names the permissions the page needs and the account that lacks them:
// 此页需要“运行 SQL 查询”权限，账号“filler”（填报员）没有。
func (f forbidden) inLang(lang string) string {
	names := make([]string, len(f.needs))
	for i, p := range f.needs {
		names[i] = t(lang, "perm_"+string(p))
	}
	switch {
	case f.demo && len(names) == 0:
		return t(lang, "forbidden_demo_account")
	case f.demo:
		return fmt.Sprintf(t(lang, "forbidden_demo"), strings.Join(names, t(lang, "perm_or")))
	}
	return fmt.Sprintf(t(lang, "forbidden_detail"), strings.Join(names, t(lang, "perm_or")), f.user, t(lang, "role_"+f.role))
}

// dropAddressToken takes a CSRF token out of the request's address before the check reads
// the form: echo's form lookup reads the query string too, and a token there is written into
// access logs, the browser's history and the next page's Referer. Only the body's form and
// the X-CSRF-Token header carry it.
func dropAddressToken(req *http.Request) {
	q := req.URL.Query()
	if !q.Has("_csrf") {
		return
	}
	q.Del("_csrf")
	req.URL.RawQuery = q.Encode()
	// The form parsed so far merged the query in; the next read rebuilds it from the body
	// (kept in PostForm) and the address without the token.
	req.Form = nil
}

// csrf protects every state-changing request of a browser session. Only a request whose
// bearer token verified skips it: it carries no cookie a forged form could ride on. The
// token's cookie is Secure exactly when the session cookie is.
func (s *Server) csrf() echo.MiddlewareFunc {
	conf := func(secure bool) echo.MiddlewareFunc {
		return middleware.CSRFWithConfig(middleware.CSRFConfig{
			TokenLookup:    "form:_csrf,header:X-CSRF-Token",
			ContextKey:     ctxCSRF,
			CookieName:     "jinwei_csrf",
			CookiePath:     "/",
			CookieSecure:   secure,
			CookieHTTPOnly: true,
			CookieSameSite: http.SameSiteStrictMode,
			// The embedded assets carry no form and are the same for everyone: no CSRF
			// cookie set on them and no Vary: Cookie, so that a browser (or a proxy) keeps
			// the chart library across a sign-in.
			Skipper: func(c echo.Context) bool {
				if c.Path() == staticRoute {
					return true
				}
				// A method the address does not take is refused as such (405), not as a
				// form without its token (400: a PUT on a page read as a stale form).
				if c.Get(echo.ContextKeyHeaderAllow) != nil {
					return true
				}
				ss := currentSession(c)
				return ss != nil && ss.Bearer
			},
			ErrorHandler: func(err error, _ echo.Context) error {
				if errors.Is(err, middleware.ErrCSRFInvalid) {
					return staleForm{cause: err}
				}
				return err
			},
		})
	}
	secure, plain := conf(true), conf(false)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		overTLS, overHTTP := secure(next), plain(next)
		return func(c echo.Context) error {
			dropAddressToken(c.Request())
			if s.secureRequest(c) {
				return overTLS(c)
			}
			return overHTTP(c)
		}
	}
}

// loginLimiter allows a few attempts per client address, then one every few seconds: a
// wall screen's sign-in with its token. The address is the peer's, or X-Forwarded-For's
// only from a trusted proxy (see ipExtractor).
func loginLimiter() echo.MiddlewareFunc {
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Every(3 * time.Second), Burst: 5, ExpiresIn: 10 * time.Minute})
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: store,
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			return echo.NewHTTPError(http.StatusTooManyRequests, "too many sign-in attempts; wait a minute")
		},
	})
}

// failureLimiter counts failed sign-ins by a key: each failure takes a token, and with
// none left the key's sign-ins are refused until one comes back; a sign-in that succeeds
// takes nothing. By account name it slows guessing one password from many addresses (names
// not found count too, so the answer does not tell which exist); by address, guessing many
// accounts' from one. Counting only failures lets an office behind one address sign in all
// at once in the morning (before, every attempt counted, and the sixth sign-in within
// seconds from one address was refused).
type failureLimiter struct {
	mu    sync.Mutex
	now   func() time.Time
	every time.Duration
	burst int
	names map[string]*rate.Limiter
}

func newFailureLimiter(now func() time.Time, every time.Duration, burst int) *failureLimiter {
	return &failureLimiter{now: now, every: every, burst: burst, names: map[string]*rate.Limiter{}}
}

// maxLimitedNames bounds the per-name limiters kept. Past it those no longer limiting are
// dropped, and if every one still limits, the one nearest its end (before, all were
// dropped, and 10,000 made-up names unlocked any account; locking 10,000 names at once
// takes 50,000 failed sign-ins, each a bcrypt check, within seconds).
const maxLimitedNames = 10_000

// limitKey bounds the memory a made-up name takes; account names are at most 64 letters.
func limitKey(name string) string {
	if len(name) > 256 {
		return name[:256]
	}
	return name
}

func (l *failureLimiter) allowed(name string) bool {
	name = limitKey(name)
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.names[name]
	return !ok || lim.TokensAt(l.now()) >= 1
}

func (l *failureLimiter) failed(name string) {
	name = limitKey(name)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	lim, ok := l.names[name]
	if !ok && len(l.names) >= maxLimitedNames {
		maps.DeleteFunc(l.names, func(_ string, lim *rate.Limiter) bool { return lim.TokensAt(now) >= 1 })
		if len(l.names) >= maxLimitedNames {
			nearest, most := "", -1.0
			for n, lim := range l.names {
				if tokens := lim.TokensAt(now); tokens > most {
					nearest, most = n, tokens
				}
			}
			delete(l.names, nearest)
		}
	}
	if !ok {
		lim = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.names[name] = lim
	}
	lim.AllowN(now, 1)
}

func (s *Server) authRoutes(e *echo.Echo) {
	e.GET("/login", s.loginPage)
	e.POST("/login", s.login)
	e.POST("/logout", s.logout)
}

type loginView struct {
	page
	Next, Error, User string
}

func (s *Server) loginPage(c echo.Context) error {
	v := loginView{page: newPage(c, "", "sign_in"), Next: safeNext(c.QueryParam("next"))}
	return c.Render(http.StatusOK, "login.html", v)
}

// login checks the password against the account's bcrypt hash and starts a session.
func (s *Server) login(c echo.Context) error {
	ctx := c.Request().Context()
	name, password := c.FormValue("user"), c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	ip := c.RealIP()
	// A browser the account has signed in from counts its own failures, not the name's nor
	// its address's: one person guessing behind an office's address kept everyone out.
	tries, from := name, ip
	device, known := s.knownDevice(c, name)
	if known {
		tries, from = name+"\x00"+device, ip+"\x00"+device
	}
	if !s.loginTries.allowed(tries) {
		s.log.Warn("sign-in refused: too many failures for the account", "user", name, "ip", ip)
		return echo.NewHTTPError(http.StatusTooManyRequests, "too many failed sign-ins for this account; wait a minute")
	}
	if !s.addressTries.allowed(from) {
		s.log.Warn("sign-in refused: too many failures from the address", "user", name, "ip", ip)
		return echo.NewHTTPError(http.StatusTooManyRequests, "too many failed sign-ins from this address; wait a minute")
	}
	u, ok := s.accounts.checkPassword(ctx, name, password)
	if !ok {
		s.loginTries.failed(tries)
		s.addressTries.failed(from)
		s.log.Warn("sign-in refused", "user", name, "ip", c.RealIP())
		v := loginView{page: newPage(c, "", "sign_in"), Next: next, Error: t(pageLang(c), "bad_login"), User: name}
		return c.Render(http.StatusUnauthorized, "login.html", v)
	}
	value, expires, err := s.accounts.startSession(ctx, u, s.sessionTTL(), s.cfg.SessionKey)
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, value, expires, 0)
	s.rememberDevice(c, u, device)
	s.log.Info("signed in", "user", name, "role", u.Role, "ip", c.RealIP())
	s.purgeSessions(ctx)
	if RoleAllows(u.Role, PermReport) && !strings.HasPrefix(next, "/report") && !strings.HasPrefix(next, "/ecology") {
		// A unit's staff have their unit's reports and ledger items, and nothing else of
		// the province's pages.
		next = "/report"
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// purgeSessions has a sign-in tidy the session table now and then (see
// Accounts.purgeSessions); a failure is logged, and the sign-in stands.
func (s *Server) purgeSessions(ctx context.Context) {
	if err := s.accounts.purgeSessions(ctx); err != nil {
		s.log.Warn("purge ended sessions", "err", err)
	}
}

// logout revokes the session in the warehouse, so its cookie replayed later is refused,
// and clears the cookie.
func (s *Server) logout(c echo.Context) error {
	if ss := currentSession(c); ss != nil && ss.idHash != "" {
		if err := s.accounts.endSession(c.Request().Context(), ss); err != nil {
			return err
		}
		s.log.Info("signed out", "user", ss.User)
	}
	s.setCookie(c, sessionCookie, "", time.Time{}, -1)
	return c.Redirect(http.StatusSeeOther, "/login"+langQuery(c))
}

func (s *Server) sessionTTL() time.Duration {
	if s.cfg.SessionTTL > 0 {
		return s.cfg.SessionTTL
	}
	return 12 * time.Hour
}

func (s *Server) now() time.Time {
	if s.cfg.Clock != nil {
		return s.cfg.Clock()
	}
	return time.Now()
}

// safeNext keeps a redirect target on this site: a path of its own, parsed, with no
// control characters (a browser drops a tab or newline, so "/\t/evil.example" became
// "//evil.example"), no "//" or "/\" start, and no scheme or host. Anything else is "/".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsRune(next, '\\') || strings.IndexFunc(next, unicode.IsControl) >= 0 {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") ||
		strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}
