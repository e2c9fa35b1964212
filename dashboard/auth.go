package dashboard

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/time/rate"
)

// Roles, each allowed what the ones before it are.
const (
	RoleViewer  = "viewer"  // the dashboards
	RoleAnalyst = "analyst" // + ad hoc SQL and exports
	RoleAdmin   = "admin"   // + ETL runs, uploads, backups
)

var roleRank = map[string]int{RoleViewer: 1, RoleAnalyst: 2, RoleAdmin: 3}

// ValidRole says whether r is a role.
func ValidRole(r string) bool { return roleRank[r] > 0 }

// User is one account from the config file; the password is kept only as a bcrypt hash.
type User struct {
	Name         string `toml:"name"`
	Role         string `toml:"role"`
	PasswordHash string `toml:"password_hash"`
}

// session is who a request comes from.
type session struct {
	User    string
	Role    string
	Expires time.Time
	Demo    bool
}

const (
	sessionCookie = "jinwei_session"
	ctxSession    = "jinwei_session"
	ctxCSRF       = "csrf"
)

// demoSession is everyone's session when no users are configured: the dashboards and
// ad hoc SQL are open (and every page says so), the admin API stays behind its token.
var demoSession = &session{User: "demo", Role: RoleAnalyst, Demo: true}

func (s *Server) demoMode() bool { return len(s.cfg.Users) == 0 }

// signSession encodes a session as payload.mac, the payload readable, the MAC keyed by
// the server's session key, so nobody can make or alter one.
func (s *Server) signSession(ss session) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(ss.User + "\x00" + ss.Role + "\x00" + strconv.FormatInt(ss.Expires.Unix(), 10)))
	return payload + "." + s.mac(payload)
}

func (s *Server) mac(payload string) string {
	h := hmac.New(sha256.New, s.cfg.SessionKey)
	h.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// readSession checks a cookie's MAC and expiry, and that its user still exists with that role.
func (s *Server) readSession(value string, now time.Time) (*session, bool) {
	payload, mac, ok := strings.Cut(value, ".")
	if !ok || subtle.ConstantTimeCompare([]byte(mac), []byte(s.mac(payload))) != 1 {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil, false
	}
	parts := strings.Split(string(raw), "\x00")
	if len(parts) != 3 {
		return nil, false
	}
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || now.Unix() >= exp {
		return nil, false
	}
	i := slices.IndexFunc(s.cfg.Users, func(u User) bool { return u.Name == parts[0] })
	if i < 0 || s.cfg.Users[i].Role != parts[1] {
		return nil, false
	}
	return &session{User: parts[0], Role: parts[1], Expires: time.Unix(exp, 0)}, true
}

// authenticate puts the request's session (or the demo session) into the context.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.demoMode() {
			c.Set(ctxSession, demoSession)
		} else if ck, err := c.Cookie(sessionCookie); err == nil {
			if ss, ok := s.readSession(ck.Value, s.now()); ok {
				c.Set(ctxSession, ss)
			}
		}
		return next(c)
	}
}

func currentSession(c echo.Context) *session {
	ss, _ := c.Get(ctxSession).(*session)
	return ss
}

// require admits sessions of at least role; pages send others to sign in, the API answers
// 401 (not signed in) or 403 (signed in, not allowed).
func (s *Server) require(role string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ss := currentSession(c)
			switch {
			case ss == nil && !isAPI(c):
				return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
			case ss == nil:
				return echo.NewHTTPError(http.StatusUnauthorized, "sign in first")
			case roleRank[ss.Role] < roleRank[role]:
				return echo.NewHTTPError(http.StatusForbidden, fmt.Sprintf("%s may not do this; it needs the %s role", ss.User, role))
			}
			return next(c)
		}
	}
}

// csrf protects every state-changing request of a browser session; requests carrying the
// admin token (the CLI) have no cookie to forge and skip it.
func (s *Server) csrf() echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		ContextKey:     ctxCSRF,
		CookieName:     "jinwei_csrf",
		CookiePath:     "/",
		CookieSecure:   true,
		CookieHTTPOnly: true,
		CookieSameSite: http.SameSiteStrictMode,
		Skipper: func(c echo.Context) bool {
			return strings.HasPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
		},
	})
}

// loginLimiter allows a few sign-in attempts per address, then one every few seconds.
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

func (s *Server) authRoutes(e *echo.Echo) {
	e.GET("/login", s.loginPage)
	e.POST("/login", s.login, loginLimiter())
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

// login checks the password against the user's bcrypt hash and starts a session.
func (s *Server) login(c echo.Context) error {
	name, password := c.FormValue("user"), c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	i := slices.IndexFunc(s.cfg.Users, func(u User) bool { return u.Name == name })
	hash := []byte("$2a$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva") // same work for unknown users
	if i >= 0 {
		hash = []byte(s.cfg.Users[i].PasswordHash)
	}
	if err := bcrypt.CompareHashAndPassword(hash, []byte(password)); err != nil || i < 0 {
		s.log.Warn("sign-in refused", "user", name, "ip", c.RealIP())
		v := loginView{page: newPage(c, "", "sign_in"), Next: next, Error: t(pageLang(c), "bad_login"), User: name}
		return c.Render(http.StatusUnauthorized, "login.html", v)
	}
	ss := session{User: name, Role: s.cfg.Users[i].Role, Expires: s.now().Add(s.sessionTTL())}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: s.signSession(ss), Path: "/", Expires: ss.Expires,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	s.log.Info("signed in", "user", name, "role", ss.Role)
	return c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) logout(c echo.Context) error {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	return c.Redirect(http.StatusSeeOther, "/login")
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

// safeNext keeps a redirect target on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/"
	}
	return next
}

// HashPassword makes the bcrypt hash stored in the config file for a password.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	return string(h), err
}
