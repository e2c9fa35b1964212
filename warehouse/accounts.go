package warehouse

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Account is one account that may sign in. Roles are names of permission sets; the
// dashboard defines what each allows.
type Account struct {
	Name string
	Role string
	// Unit is the reporting unit a reporter account answers for; empty for the province's
	// accounts.
	Unit    string
	Contact string
	// PasswordHash is kept out of any JSON the record is ever written as (the API's shape
	// is dashboard/api.Account, which has no such field).
	PasswordHash string `json:"-"`
	Disabled     bool
	// Source says where the account came from: "config" (bootstrapped from the config
	// file at start) or "cli" (added or changed since, by command or API).
	Source string
	// SessionEpoch grows when the account's sessions are revoked (password change,
	// disable): a session begun in an older epoch is no longer valid.
	SessionEpoch int
	Updated      string
}

// Session is one sign-in. Only the hash of its id is kept: the id is the cookie's secret.
type Session struct {
	IDHash  string
	User    string
	Epoch   int
	Created time.Time
	Expires time.Time
	Revoked bool
	// TokenID is the API token a wall screen's session was begun with: the session holds
	// only while that token does. "" for a password's session.
	TokenID string
}

// APIToken is a personal token for scripts and screens. Only its hash is kept.
type APIToken struct {
	ID string
	// Hash is kept out of any JSON the record is ever written as.
	Hash    string `json:"-"`
	Name    string
	Role    string
	Created time.Time
	// Expires is zero for a token that never expires.
	Expires time.Time
	Revoked bool
}

// Accounts lists every account by name. Not cached here: the dashboard keeps its own copy.
func (w *Warehouse) Accounts(ctx context.Context) ([]Account, error) {
	res, err := w.accountQuery(ctx, "accounts", nil)
	if err != nil {
		return nil, err
	}
	out := []Account{}
	err = res.each(func(rr *rowReader) {
		out = append(out, Account{Name: rr.str("name"), Role: rr.str("role"), Unit: rr.str("unit"), Contact: rr.str("contact"), PasswordHash: rr.str("password_hash"),
			Disabled: rr.int("disabled") != 0, Source: rr.str("source"), SessionEpoch: rr.int("session_epoch"), Updated: rr.str("updated")})
	})
	return out, err
}

// PutAccount adds an account or replaces it by name.
func (w *Warehouse) PutAccount(ctx context.Context, a Account) error {
	return w.writeAccountRow(ctx, "account_put", "write account "+a.Name, Params{"name": a.Name, "role": a.Role, "unit": a.Unit, "contact": a.Contact, "password_hash": a.PasswordHash,
		"disabled": boolParam(a.Disabled), "source": a.Source, "session_epoch": strconv.Itoa(a.SessionEpoch)})
}

// Session reads one session by the hash of its id; ok is false when there is none.
func (w *Warehouse) Session(ctx context.Context, idHash string) (s Session, ok bool, err error) {
	res, err := w.accountQuery(ctx, "session_get", Params{"id_hash": idHash})
	if err != nil {
		return s, false, err
	}
	err = res.each(func(rr *rowReader) {
		s, ok = Session{IDHash: rr.str("id_hash"), User: rr.str("user"), Epoch: rr.int("epoch"), Created: fromMillis(rr.float("created_ms")),
			Expires: fromMillis(rr.float("expires_ms")), Revoked: rr.int("revoked") != 0, TokenID: rr.str("token_id")}, true
	})
	return s, ok, err
}

// PutSession starts a session, or with Revoked set ends it.
func (w *Warehouse) PutSession(ctx context.Context, s Session) error {
	return w.writeAccountRow(ctx, "session_put", "write session of "+s.User, Params{"id_hash": s.IDHash, "user": s.User, "epoch": strconv.Itoa(s.Epoch),
		"created_ms": millisParam(s.Created), "expires_ms": millisParam(s.Expires), "revoked": boolParam(s.Revoked), "token_id": s.TokenID})
}

// PurgeSessions removes the sessions nobody can use again: expired before cutoff, or
// revoked. A cookie of one is then refused as unknown, as it was refused as ended.
func (w *Warehouse) PurgeSessions(ctx context.Context, cutoff time.Time) error {
	// A mutation on a server may finish after this returns: a session it removes is
	// refused as ended meanwhile.
	if _, err := w.deleteRows(ctx, "sessions_purge", Params{"before_ms": millisParam(cutoff)}); err != nil {
		return fmt.Errorf("purge ended sessions: %w", err)
	}
	return nil
}

// APITokens lists every API token, newest first.
func (w *Warehouse) APITokens(ctx context.Context) ([]APIToken, error) {
	res, err := w.accountQuery(ctx, "api_tokens", nil)
	if err != nil {
		return nil, err
	}
	out := []APIToken{}
	err = res.each(func(rr *rowReader) {
		t := APIToken{ID: rr.str("id"), Hash: rr.str("hash"), Name: rr.str("name"), Role: rr.str("role"),
			Created: fromMillis(rr.float("created_ms")), Revoked: rr.int("revoked") != 0}
		if e := rr.float("expires_ms"); e > 0 {
			t.Expires = fromMillis(e)
		}
		out = append(out, t)
	})
	return out, err
}

// PutAPIToken adds a token, or with Revoked set revokes it.
func (w *Warehouse) PutAPIToken(ctx context.Context, t APIToken) error {
	expires := "0"
	if !t.Expires.IsZero() {
		expires = millisParam(t.Expires)
	}
	return w.writeAccountRow(ctx, "api_token_put", "write API token "+t.ID, Params{"id": t.ID, "hash": t.Hash, "name": t.Name, "role": t.Role,
		"created_ms": millisParam(t.Created), "expires_ms": expires, "revoked": boolParam(t.Revoked)})
}

// RecordAudit writes one entry of the audit log (API token uses are recorded there too).
func (w *Warehouse) RecordAudit(ctx context.Context, e AuditEntry) error {
	return w.recordAudit(ctx, e)
}

// accountQuery runs a named read query past the page cache: account rows change without a new
// data version.
func (w *Warehouse) accountQuery(ctx context.Context, name string, params Params) (*Result, error) {
	text, err := namedQuery(name)
	if err != nil {
		return nil, err
	}
	res, err := w.eng.query(ctx, text, params)
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", name, err)
	}
	return res, nil
}

// writeAccountRow runs a named insert of account rows. It leaves the page cache alone: no dashboard
// reads these tables. The version orders rewrites of one key.
func (w *Warehouse) writeAccountRow(ctx context.Context, name, what string, params Params) error {
	text, err := namedQuery(name)
	if err != nil {
		return err
	}
	params["version"] = strconv.FormatInt(time.Now().UnixNano(), 10)
	if err := w.eng.exec(ctx, text, params); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func boolParam(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func millisParam(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
func fromMillis(v float64) time.Time { return time.UnixMilli(int64(v)).UTC() }
