package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jinwei/dashboard/api"
)

// setUpAccounts reads the warehouse's accounts and writes the config's into them.
func (s *Server) setUpAccounts(store AccountStore) error {
	if !ValidCookieSecure(s.cfg.CookieSecure) {
		return fmt.Errorf("dashboard: cookie_secure %q is not auto, always or never", s.cfg.CookieSecure)
	}
	proxies, err := parseProxies(s.cfg.TrustedProxies)
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	ctx := context.Background()
	accounts, err := NewAccounts(ctx, store, s.cfg.Clock, s.cfg.AccountsRefresh)
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	if err := accounts.Bootstrap(ctx, s.cfg.Users); err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	if !accounts.Empty(ctx) && len(s.cfg.SessionKey) < 32 {
		return fmt.Errorf("dashboard: there are accounts but the session key is shorter than 32 bytes")
	}
	s.accounts, s.proxies = accounts, proxies
	s.loginTries = newFailureLimiter(s.now, 10*time.Second, 5)
	s.addressTries = newFailureLimiter(s.now, 3*time.Second, 10)
	return nil
}

// accountRoutes manage accounts and API tokens: the CLI's `jinwei user` and `jinwei token`
// come here while `serve` owns the warehouse.
func (s *Server) accountRoutes(e *echo.Echo) {
	m := s.require(PermManageAccounts)
	e.GET("/api/admin/accounts", s.listAccounts, m)
	e.POST("/api/admin/accounts", s.addAccount, m)
	e.POST("/api/admin/accounts/import", s.importAccounts, m)
	e.POST("/api/admin/accounts/:name/password", s.resetPassword, m)
	e.POST("/api/admin/accounts/:name/disable", s.disableAccount(true), m)
	e.POST("/api/admin/accounts/:name/enable", s.disableAccount(false), m)
	e.GET("/api/admin/tokens", s.listTokens, m)
	e.POST("/api/admin/tokens", s.addToken, m)
	e.POST("/api/admin/tokens/:id/revoke", s.revokeToken, m)
}

// AccountRequest adds an account or a token.
type AccountRequest struct {
	Name string `json:"name"`
	Role string `json:"role"`
	// Unit is a reporter's reporting unit (code); empty for other roles.
	Unit string `json:"unit,omitempty"`
	// Expires is a token's lifetime: "90d", "720h"; "" never expires.
	Expires string `json:"expires,omitempty"`
}

// Secret is what an account or token change shows once: a password or a token.
type Secret struct {
	Name     string `json:"name"`
	Role     string `json:"role,omitempty"`
	Unit     string `json:"unit,omitempty"`
	Password string `json:"password,omitempty"`
	Token    string `json:"token,omitempty"`
	ID       string `json:"id,omitempty"`
	Expires  string `json:"expires,omitempty"`
	// Link signs a wall screen in with the token (the accounts page's wall-screen tokens).
	Link string `json:"link,omitempty"`
}

func (s *Server) listAccounts(c echo.Context) error {
	return c.JSON(http.StatusOK, api.Accounts(s.accounts.List(c.Request().Context())))
}

func (s *Server) addAccount(c echo.Context) error {
	var req AccountRequest
	if err := c.Bind(&req); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, `send {"name": "…", "role": "…", "unit": "…"}`)
	}
	password, err := s.accounts.AddUser(c.Request().Context(), req.Name, req.Role, req.Unit)
	if err != nil {
		return accountError(err)
	}
	s.log.Info("account added", "user", req.Name, "role", req.Role, "unit", req.Unit, "by", currentSession(c).User)
	return c.JSON(http.StatusOK, Secret{Name: req.Name, Role: req.Role, Unit: req.Unit, Password: password})
}

// importAccounts adds many accounts at once (a JSON list of NewAccount): all or none.
func (s *Server) importAccounts(c echo.Context) error {
	var list []NewAccount
	if err := c.Bind(&list); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, `send [{"unit": "…", "name": "…", "contact": "…"}, …]`)
	}
	out, err := s.accounts.ImportUsers(c.Request().Context(), list)
	if err != nil {
		return accountError(err)
	}
	s.log.Info("accounts imported", "count", len(out), "by", currentSession(c).User)
	return c.JSON(http.StatusOK, out)
}

func (s *Server) resetPassword(c echo.Context) error {
	name := c.Param("name")
	password, err := s.accounts.SetPassword(c.Request().Context(), name)
	if err != nil {
		return accountError(err)
	}
	s.log.Info("password changed, sessions revoked", "user", name, "by", currentSession(c).User)
	return c.JSON(http.StatusOK, Secret{Name: name, Password: password})
}

func (s *Server) disableAccount(disabled bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		name := c.Param("name")
		if err := s.accounts.SetDisabled(c.Request().Context(), name, disabled); err != nil {
			return accountError(err)
		}
		s.log.Info("account changed", "user", name, "disabled", disabled, "by", currentSession(c).User)
		return c.JSON(http.StatusOK, Secret{Name: name})
	}
}

func (s *Server) listTokens(c echo.Context) error {
	return c.JSON(http.StatusOK, api.APITokens(s.accounts.Tokens(c.Request().Context())))
}

func (s *Server) addToken(c echo.Context) error {
	var req AccountRequest
	if err := c.Bind(&req); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, `send {"name": "…", "role": "…", "expires": "90d"}`)
	}
	ttl, err := ParseLifetime(req.Expires)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	token, t, err := s.accounts.AddToken(c.Request().Context(), req.Name, req.Role, ttl)
	if err != nil {
		return accountError(err)
	}
	s.log.Info("API token added", "token", t.ID, "name", t.Name, "role", t.Role, "by", currentSession(c).User)
	out := Secret{Name: t.Name, Role: t.Role, Token: token, ID: t.ID}
	if !t.Expires.IsZero() {
		out.Expires = t.Expires.UTC().Format(time.RFC3339)
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) revokeToken(c echo.Context) error {
	id := c.Param("id")
	if err := s.accounts.RevokeToken(c.Request().Context(), id); err != nil {
		return accountError(err)
	}
	s.log.Info("API token revoked", "token", id, "by", currentSession(c).User)
	return c.JSON(http.StatusOK, Secret{ID: id})
}

// accountError maps account errors to statuses.
func accountError(err error) error {
	switch {
	case errors.Is(err, ErrNoAccount), errors.Is(err, ErrNoToken):
		return echo.NewHTTPError(http.StatusNotFound, err.Error())
	case errors.Is(err, ErrAccountTaken):
		return echo.NewHTTPError(http.StatusConflict, err.Error())
	case errors.Is(err, ErrBadName), errors.Is(err, ErrBadRole), errors.Is(err, ErrTokenAboveAccount), errors.Is(err, ErrBadLifetime),
		errors.Is(err, ErrUnitRole), errors.Is(err, ErrNoUnit), errors.Is(err, ErrUnitToken), errors.As(err, new(*ImportError)):
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	return err
}

// ParseLifetime reads a token's lifetime: "90d" (days), a Go duration ("720h"), or ""
// or "never" for a token that never expires.
func ParseLifetime(v string) (time.Duration, error) {
	if v == "" || v == "never" {
		return 0, nil
	}
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err == nil && n > 0 && n <= 3650 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	} else if d, err := time.ParseDuration(v); err == nil && d > 0 {
		return d, nil
	}
	return 0, fmt.Errorf("lifetime %q: %w", v, ErrBadLifetime)
}

// ErrBadLifetime refuses a token lifetime ParseLifetime cannot read.
var ErrBadLifetime = errors.New("a lifetime is a number of days (90d), a duration (720h) or never")
