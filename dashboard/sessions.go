package dashboard

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// session is who a request comes from: a signed-in account, an API token, the CLI's admin
// token, or the demo visitor.
type session struct {
	User string
	Role string
	// Unit is the reporting unit of a unit-bound account (a reporter); empty otherwise.
	Unit    string
	Expires time.Time
	Demo    bool
	// Bearer says the request proved itself with a bearer token that verified; it has no
	// cookie to forge, so CSRF checks are skipped for it alone.
	Bearer bool
	// TokenID names the personal API token used, for the audit log ("" otherwise).
	TokenID string
	// idHash is the cookie session's key in the session table.
	idHash string
}

func (ss *session) can(p Permission) bool { return ss != nil && RoleAllows(ss.Role, p) }

// scope is the rows the session may see. A reporter whose account lost its unit sees none.
func (ss *session) scope() warehouse.RowScope {
	if ss == nil {
		return warehouse.UnitScope("")
	}
	return ScopeOf(ss.Role, ss.Unit)
}

// startSession records a new session for an account and returns the cookie's value.
func (a *Accounts) startSession(ctx context.Context, u warehouse.Account, ttl time.Duration, key []byte) (string, time.Time, error) {
	now := a.now()
	s := warehouse.Session{User: u.Name, Epoch: u.SessionEpoch, Created: now, Expires: now.Add(ttl)}
	value, err := a.recordSession(ctx, &s, key)
	return value, s.Expires, err
}

// recordSession gives a session its id (32 random bytes), writes it, and returns the
// cookie's value: the id and a MAC of it under the session key, so a forged cookie is
// refused without a look in the table.
func (a *Accounts) recordSession(ctx context.Context, s *warehouse.Session, key []byte) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	id := base64.RawURLEncoding.EncodeToString(b[:])
	s.IDHash = hashHex(id)
	if err := a.store.PutSession(ctx, *s); err != nil {
		return "", fmt.Errorf("start session: %w", err)
	}
	a.cacheSession(*s)
	return id + "." + macOf(key, id), nil
}

func (a *Accounts) cacheSession(s warehouse.Session) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	if len(a.sessions) >= maxCachedSessions {
		for k, c := range a.sessions {
			if !now.Before(c.s.Expires) || c.s.Revoked || (a.refresh > 0 && now.Sub(c.readAt) >= a.refresh) {
				delete(a.sessions, k)
			}
		}
		if len(a.sessions) >= maxCachedSessions {
			clear(a.sessions)
		}
	}
	a.sessions[s.IDHash] = cachedSession{s: s, readAt: now}
}

// sessionPurgeEvery is how often a sign-in also removes the sessions nobody can use again.
// Only signing in adds sessions, so the table stays about the size of those alive, however
// long the server runs.
const sessionPurgeEvery = time.Hour

// purgeSessions removes the expired and revoked sessions from the table when this process
// last did so sessionPurgeEvery ago or more (never, after a start).
func (a *Accounts) purgeSessions(ctx context.Context) error {
	a.mu.Lock()
	now := a.now()
	due := now.Sub(a.purged) >= sessionPurgeEvery
	if due {
		a.purged = now
	}
	a.mu.Unlock()
	if !due {
		return nil
	}
	return a.store.PurgeSessions(ctx, now)
}

// readSession checks a cookie: its MAC, then its session (from the cache, or the table on
// the first request after a restart), its expiry and revocation, and that its account is
// enabled and has not revoked its sessions since. The role is the account's now.
func (a *Accounts) readSession(ctx context.Context, value string, key []byte) (*session, bool) {
	id, mac, ok := strings.Cut(value, ".")
	if !ok || subtle.ConstantTimeCompare([]byte(mac), []byte(macOf(key, id))) != 1 {
		return nil, false
	}
	h := hashHex(id)
	a.mu.Lock()
	c, cached := a.sessions[h]
	a.mu.Unlock()
	now := a.now()
	if !cached || (a.refresh > 0 && now.Sub(c.readAt) >= a.refresh) {
		s, found, err := a.store.Session(ctx, h)
		switch {
		case err != nil && cached:
			// The warehouse being busy must not sign everyone out: keep the copy.
		case err != nil || !found:
			return nil, false
		default:
			a.cacheSession(s)
			c.s = s
		}
	}
	s := c.s
	if s.Revoked || !now.Before(s.Expires) {
		return nil, false
	}
	if s.TokenID != "" {
		return a.screenSession(ctx, s)
	}
	u, ok := a.account(ctx, s.User)
	if !ok || u.Disabled || u.SessionEpoch != s.Epoch {
		return nil, false
	}
	return &session{User: u.Name, Role: u.Role, Unit: u.Unit, Expires: s.Expires, idHash: h}, true
}

// endSession revokes a session in the table and the cache: its cookie, replayed, is refused.
func (a *Accounts) endSession(ctx context.Context, ss *session) error {
	a.mu.Lock()
	c, cached := a.sessions[ss.idHash]
	a.mu.Unlock()
	s := c.s
	if !cached {
		var err error
		if s, cached, err = a.store.Session(ctx, ss.idHash); err != nil || !cached {
			return err
		}
	}
	s.Revoked = true
	if err := a.store.PutSession(ctx, s); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	a.cacheSession(s)
	return nil
}

func macOf(key []byte, payload string) string {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

func hashHex(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Cookie security, from the config's cookie_secure.
const (
	CookieSecureAuto   = "auto"   // Secure when the request came over HTTPS
	CookieSecureAlways = "always" // always Secure (the site is only ever reached over HTTPS)
	CookieSecureNever  = "never"  // never Secure (plain http on a closed network)
)

// ValidCookieSecure says whether v is a cookie_secure setting ("" is auto).
func ValidCookieSecure(v string) bool {
	return v == "" || v == CookieSecureAuto || v == CookieSecureAlways || v == CookieSecureNever
}

// secureRequest says whether the cookies of this request's answer are Secure: by the
// config, or (auto) when the request came over TLS, to us or to a trusted proxy that says
// so. Over plain http a browser drops a Secure cookie, and signing in would be impossible.
func (s *Server) secureRequest(c echo.Context) bool {
	switch s.cfg.CookieSecure {
	case CookieSecureAlways:
		return true
	case CookieSecureNever:
		return false
	}
	r := c.Request()
	if r.TLS != nil {
		return true
	}
	return s.fromTrustedProxy(r) && strings.EqualFold(r.Header.Get(echo.HeaderXForwardedProto), "https")
}

func (s *Server) setCookie(c echo.Context, name, value string, expires time.Time, maxAge int) {
	c.SetCookie(&http.Cookie{Name: name, Value: value, Path: "/", Expires: expires, MaxAge: maxAge,
		Secure: s.secureRequest(c), HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// parseProxies reads trusted_proxies: CIDRs or single addresses.
func parseProxies(list []string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, p := range list {
		if !strings.Contains(p, "/") {
			ip := net.ParseIP(p)
			if ip == nil {
				return nil, fmt.Errorf("trusted proxy %q is not an address or CIDR", p)
			}
			bits := 32
			if ip.To4() == nil {
				bits = 128
			}
			p = fmt.Sprintf("%s/%d", p, bits)
		}
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", p, err)
		}
		out = append(out, n)
	}
	return out, nil
}

// ValidProxies checks a trusted_proxies list.
func ValidProxies(list []string) error { _, err := parseProxies(list); return err }

// fromTrustedProxy says whether the request's peer is a configured proxy.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	for _, n := range s.proxies {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// ipExtractor is the client's address: the peer's, or, when the peer is a trusted proxy,
// the nearest untrusted address of X-Forwarded-For. Echo's default believes the header from
// anyone, which let a client rotate it past the sign-in limit.
func (s *Server) ipExtractor() echo.IPExtractor {
	if len(s.proxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range s.proxies {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
