package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// A wall screen (大屏) is a browser on a display nobody types into for months. It signs in
// once with a viewer API token, made for it on /admin/accounts: /wall?token=…, /wall#token=…
// or the token pasted into /wall's form is exchanged for a cookie session that lives as long
// as the token and holds only while the token does (revoked, expired or its account
// disabled: the next request is refused). The token leaves the address bar at once (a
// redirect), is never logged or sent on as a referrer, and every exchange is audited.

// maxScreenSession is the longest a screen's session lasts, for a token that never expires:
// browsers keep no cookie longer than 400 days (Chromium caps it there).
const maxScreenSession = 400 * 24 * time.Hour

// Why a token does not sign a screen in.
var (
	ErrBadToken = errors.New("the token is unknown, expired or revoked")
	// ErrNotScreenToken refuses a token that may do more than view: a screen shows its
	// session to whoever walks past, so it may never hold an analyst's or an admin's.
	ErrNotScreenToken = errors.New("only a viewer token signs a wall screen in; this one may do more")
)

// startScreenSession exchanges a viewer token for a session tied to it, ending when the
// token does (at most maxScreenSession on). It returns the cookie's value and the token it
// verified, whose name and id the audit log keeps even when it is refused.
func (a *Accounts) startScreenSession(ctx context.Context, secret string, key []byte) (string, warehouse.Session, error) {
	ss, ok := a.verifyToken(ctx, secret)
	if !ok {
		a.mu.Lock()
		t := a.tokens[hashHex(secret)] // a revoked or expired token is still named
		a.mu.Unlock()
		return "", warehouse.Session{User: t.Name, TokenID: t.ID}, ErrBadToken
	}
	now := a.now()
	s := warehouse.Session{User: ss.User, Created: now, Expires: now.Add(maxScreenSession), TokenID: ss.TokenID}
	if ss.Role != RoleViewer {
		return "", s, ErrNotScreenToken
	}
	if !ss.Expires.IsZero() && ss.Expires.Before(s.Expires) {
		s.Expires = ss.Expires
	}
	value, err := a.recordSession(ctx, &s, key)
	return value, s, err
}

// screenSession is a wall screen's session while the token it began with may act: a
// viewer's, whatever role the token is given later.
func (a *Accounts) screenSession(ctx context.Context, s warehouse.Session) (*session, bool) {
	a.mu.Lock()
	a.freshLocked(ctx)
	t, ok := a.tokenByIDLocked(s.TokenID)
	ok = ok && a.tokenUsableLocked(t)
	a.mu.Unlock()
	if !ok {
		return nil, false
	}
	return &session{User: s.User, Role: RoleViewer, Expires: s.Expires, idHash: s.IDHash}, true
}

func (s *Server) wallRoutes(e *echo.Echo) {
	exchange := loginLimiter()(s.wallSignIn)
	e.GET("/wall", func(c echo.Context) error {
		if c.QueryParam("token") == "" {
			return s.wallPage(c)
		}
		// A link may be followed from another site: a browser signed in already keeps its
		// session and goes on to the wall view (an admin's was swapped for a screen's,
		// signing it out unseen). The form's POST is the page's own, checked for CSRF.
		if ss := currentSession(c); ss != nil && !ss.Demo {
			noTrace(c)
			return c.Redirect(http.StatusSeeOther, wallTarget(c.QueryParam("next"), pageLang(c)))
		}
		return exchange(c)
	})
	e.POST("/wall", exchange)
	e.POST("/admin/tokens/wall", s.wallTokenAdd, s.require(PermManageAccounts), s.require(PermReadAudit))
}

type wallView struct {
	page
	Next, Error string
	// Open is the wall view of the page asked for, open without a token in demo mode.
	Open string
}

// wallRefusals are why /wall is shown again (its refused parameter): the exchange refused
// an unknown, expired or revoked token, or one that may do more than view; or a screen's
// session stopped holding (see require). Each has its label, wall_refused_….
var wallRefusals = []string{"token", "role", "ended"}

// wallPage is the screen's sign-in: a box for the token, filled and sent by app.js when the
// address carries #token=….
func (s *Server) wallPage(c echo.Context) error {
	noTrace(c)
	v := wallView{page: newPage(c, "", "wall_sign_in"), Next: safeNext(c.QueryParam("next"))}
	v.Open = wallTarget(v.Next, v.Lang)
	status := http.StatusOK
	if why := c.QueryParam("refused"); slices.Contains(wallRefusals, why) {
		v.Error, status = t(v.Lang, "wall_refused_"+why), http.StatusUnauthorized
	}
	return c.Render(status, "wall.html", v)
}

// wallSignIn exchanges a token (from the query or the form) for the screen's session and
// sends the browser on to the wall view, or back to /wall saying why not: either way a
// redirect, so the token never stays in the address bar.
func (s *Server) wallSignIn(c echo.Context) error {
	noTrace(c)
	lang := pageLang(c)
	secret := strings.TrimSpace(c.FormValue("token"))
	value, ss, err := s.accounts.startScreenSession(c.Request().Context(), secret, s.cfg.SessionKey)
	if aerr := s.auditWall(c, secret, ss, err); aerr != nil {
		return aerr
	}
	if err != nil {
		s.log.Warn("wall screen sign-in refused", "token", ss.TokenID, "ip", c.RealIP(), "err", err)
		why := "token"
		switch {
		case errors.Is(err, ErrNotScreenToken):
			why = "role"
		case !errors.Is(err, ErrBadToken):
			return err
		}
		q := url.Values{"refused": {why}, "next": {safeNext(c.FormValue("next"))}}
		if lang == langEn {
			q.Set("lang", langEn)
		}
		return c.Redirect(http.StatusSeeOther, "/wall?"+q.Encode())
	}
	s.setCookie(c, sessionCookie, value, ss.Expires, 0)
	s.log.Info("wall screen signed in", "token", ss.TokenID, "name", ss.User, "until", ss.Expires, "ip", c.RealIP())
	s.purgeSessions(c.Request().Context())
	return c.Redirect(http.StatusSeeOther, wallTarget(c.FormValue("next"), lang))
}

// wallTarget is where a signed-in screen goes: the page asked for (this site's only; the
// cockpit by default), in the wall view and the sign-in's language.
func wallTarget(next, lang string) string {
	u, _ := url.Parse(safeNext(next))
	q := u.Query()
	q.Set("screen", "wall")
	if lang == langEn && q.Get("lang") == "" {
		q.Set("lang", langEn)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// wallSignInURL is where a wall-view page sends a screen that is not signed in, with the
// page to come back to; ended says its session was refused (the token revoked or expired).
func wallSignInURL(c echo.Context) string {
	q := url.Values{"next": {c.Request().URL.RequestURI()}}
	if _, err := c.Cookie(sessionCookie); err == nil {
		q.Set("refused", "ended")
	}
	if pageLang(c) == langEn {
		q.Set("lang", langEn)
	}
	return "/wall?" + q.Encode()
}

// auditWall records a screen's sign-in, however it ended. A refused token is named by the
// id it would have (the hash's head), so a revoked token still tried shows up as itself.
func (s *Server) auditWall(c echo.Context, secret string, ss warehouse.Session, err error) error {
	id, user := ss.TokenID, ss.User
	switch {
	case id == "" && strings.HasPrefix(secret, tokenPrefix):
		id = hashHex(secret)[:12]
	case id == "":
		id = "-"
	}
	if user == "" {
		user = "-"
	}
	e := warehouse.AuditEntry{User: user, Action: warehouse.AuditWall, Statement: "sign in a wall screen with API token " + id, Outcome: "ok",
		Message: "from " + c.RealIP()}
	if err != nil {
		e.Outcome, e.Message = "refused", err.Error()+", from "+c.RealIP()
	} else {
		e.Message += ", until " + ss.Expires.In(warehouse.ProvinceTime).Format(time.RFC3339)
	}
	return s.recordAudit(c.Request().Context(), e)
}

// noTrace keeps an answer that carries or follows a secret out of caches, and its address
// out of the Referer of whatever it leads to.
func noTrace(c echo.Context) {
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
}

// wallTokenAdd makes a viewer token for a wall screen from the accounts page and shows it
// once, with the link that signs the screen in.
func (s *Server) wallTokenAdd(c echo.Context) error {
	noTrace(c)
	name, life := c.FormValue("name"), c.FormValue("expires")
	ttl, err := ParseLifetime(life)
	var secret *Secret
	if err == nil {
		var token string
		var tk warehouse.APIToken
		if token, tk, err = s.accounts.AddToken(c.Request().Context(), name, RoleViewer, ttl); err == nil {
			secret = &Secret{Name: name, Role: RoleViewer, Token: token, ID: tk.ID, Link: s.siteURL(c) + "/wall#token=" + token}
		}
	}
	what := fmt.Sprintf("add wall-screen token for %s (viewer, %s)", name, life)
	if secret != nil {
		what += " " + secret.ID
	}
	return s.accountsDone(c, what, secret, err)
}

// siteURL is this site's address as the browser asking reached it.
func (s *Server) siteURL(c echo.Context) string {
	scheme := "http"
	if s.secureRequest(c) {
		scheme = "https"
	}
	return scheme + "://" + c.Request().Host
}
