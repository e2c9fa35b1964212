package dashboard

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// tokenPrefix marks jinwei's API tokens, so a leaked one is recognisable in a scan.
const tokenPrefix = "jw_"

// AddToken makes a personal API token for name (an account, or a screen such as the wall)
// with a role; ttl 0 means it never expires. The token is returned to be shown once: only
// its SHA-256 is kept, which is enough for 32 random bytes.
func (a *Accounts) AddToken(ctx context.Context, name, role string, ttl time.Duration) (string, warehouse.APIToken, error) {
	if !accountName.MatchString(name) {
		return "", warehouse.APIToken{}, ErrBadName
	}
	if !ValidRole(role) {
		return "", warehouse.APIToken{}, ErrBadRole
	}
	if RoleBoundToUnit(role) {
		return "", warehouse.APIToken{}, ErrUnitToken
	}
	if u, ok := a.account(ctx, name); ok {
		if !roleWithin(role, u.Role) || u.Disabled {
			return "", warehouse.APIToken{}, fmt.Errorf("%s is a %s: a token for it %w", name, u.Role, ErrTokenAboveAccount)
		}
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", warehouse.APIToken{}, err
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	h := hashHex(secret)
	t := warehouse.APIToken{ID: h[:12], Hash: h, Name: name, Role: role, Created: a.now()}
	if ttl > 0 {
		t.Expires = t.Created.Add(ttl)
	}
	if err := a.store.PutAPIToken(ctx, t); err != nil {
		return "", t, err
	}
	a.mu.Lock()
	a.tokens[h] = t
	a.mu.Unlock()
	return secret, t, nil
}

// Tokens lists the API tokens, newest first, without their hashes.
func (a *Accounts) Tokens(ctx context.Context) []warehouse.APIToken {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.freshLocked(ctx)
	out := make([]warehouse.APIToken, 0, len(a.tokens))
	for _, t := range a.tokens {
		t.Hash = ""
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out
}

// RevokeToken revokes the token of this id at once.
func (a *Accounts) RevokeToken(ctx context.Context, id string) error {
	a.mu.Lock()
	a.freshLocked(ctx)
	t, found := a.tokenByIDLocked(id)
	a.mu.Unlock()
	if !found {
		return fmt.Errorf("%s: %w", id, ErrNoToken)
	}
	t.Revoked = true
	if err := a.store.PutAPIToken(ctx, t); err != nil {
		return err
	}
	a.mu.Lock()
	a.tokens[t.Hash] = t
	a.mu.Unlock()
	return nil
}

// verifyToken checks a presented API token: known, not revoked, not expired, and, when it
// acts for an account, that account enabled and still allowed everything the token's role
// allows. The role is checked at each use, not only when the token is made: an account
// created after its name's token, or demoted since (a config file's role changed), would
// otherwise keep the token's larger role.
func (a *Accounts) verifyToken(ctx context.Context, secret string) (*session, bool) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return nil, false
	}
	a.mu.Lock()
	a.freshLocked(ctx)
	t, ok := a.tokens[hashHex(secret)]
	ok = ok && a.tokenUsableLocked(t)
	a.mu.Unlock()
	if !ok {
		return nil, false
	}
	return &session{User: t.Name, Role: t.Role, Expires: t.Expires, Bearer: true, TokenID: t.ID}, true
}

// tokenUsableLocked says whether a known token may act now (see verifyToken). a.mu is held.
func (a *Accounts) tokenUsableLocked(t warehouse.APIToken) bool {
	u, isAccount := a.users[t.Name]
	return !t.Revoked && (t.Expires.IsZero() || a.now().Before(t.Expires)) && (!isAccount || (!u.Disabled && roleWithin(t.Role, u.Role)))
}

// tokenByIDLocked finds a token by its public id. a.mu is held.
func (a *Accounts) tokenByIDLocked(id string) (warehouse.APIToken, bool) {
	for _, t := range a.tokens {
		if t.ID == id {
			return t, true
		}
	}
	return warehouse.APIToken{}, false
}

// roleWithin says whether role inner allows nothing that role outer does not.
func roleWithin(inner, outer string) bool {
	for _, p := range roles[inner] {
		if !RoleAllows(outer, p) {
			return false
		}
	}
	return true
}

// bearerSession resolves an Authorization: Bearer header: the CLI's admin token or a
// personal API token. found is false when there is no such header.
func (s *Server) bearerSession(c echo.Context) (ss *session, found bool) {
	secret, found := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
	if !found {
		return nil, false
	}
	if s.cfg.AdminToken != "" && subtle.ConstantTimeCompare([]byte(secret), []byte(s.cfg.AdminToken)) == 1 {
		return &session{User: "cli", Role: RoleAdmin, Bearer: true}, true
	}
	if ss, ok := s.accounts.verifyToken(c.Request().Context(), secret); ok {
		return ss, true
	}
	return nil, true
}

// maxAuditedURI bounds what the audit log keeps of a request's method and URL.
const maxAuditedURI = 2048

// auditTokenUse records one request made with a personal API token, however it ended.
func (s *Server) auditTokenUse(c echo.Context, ss *session, took time.Duration) {
	status := c.Response().Status
	if c.Path() == "/metrics" && status == 200 {
		// A scraper reads it every 15 s: 5,760 rows a day would bury what people did.
		return
	}
	outcome := "ok"
	switch {
	case status == 401 || status == 403:
		outcome = "refused"
	case status >= 400:
		outcome = "failed"
	}
	req := c.Request()
	what := req.Method + " " + req.URL.RequestURI()
	if len(what) > maxAuditedURI {
		what = what[:maxAuditedURI] + "…"
	}
	e := warehouse.AuditEntry{User: ss.User, Action: warehouse.AuditToken, Statement: what, Duration: int(took.Milliseconds()),
		Outcome: outcome, Message: "API token " + ss.TokenID + ", status " + strconv.Itoa(status)}
	if err := s.recordAudit(req.Context(), e); err != nil {
		s.log.Error("audit API token use", "token", ss.TokenID, "err", err)
	}
}
