package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"jinwei/dashboard"
	"jinwei/dashboard/api"
	"jinwei/warehouse"
)

// accountOps changes accounts and tokens: in the warehouse directly, or, while `serve`
// owns the embedded warehouse, through its admin API.
type accountOps interface {
	addUser(ctx context.Context, name, role, unit string) (dashboard.Secret, error)
	importUsers(ctx context.Context, list []dashboard.NewAccount) ([]dashboard.Secret, error)
	passwd(ctx context.Context, name string) (dashboard.Secret, error)
	setDisabled(ctx context.Context, name string, disabled bool) error
	users(ctx context.Context) ([]warehouse.Account, error)
	addToken(ctx context.Context, req dashboard.AccountRequest) (dashboard.Secret, error)
	tokens(ctx context.Context) ([]warehouse.APIToken, error)
	revokeToken(ctx context.Context, id string) error
}

// openAccounts opens the warehouse's accounts (the config's written in first, as `serve`
// does), or the running server's. done releases them.
func openAccounts(ctx context.Context, cfg *config, out io.Writer, log *slog.Logger) (ops accountOps, done func(), err error) {
	w, err := openWarehouse(ctx, cfg, log)
	if errors.Is(err, warehouse.ErrWarehouseBusy) {
		c, err := newServerClient(cfg.DataDir)
		if err != nil {
			return nil, nil, err
		}
		fmt.Fprintf(out, "jinwei serve (pid %d) holds the warehouse: the change goes through it\n", c.info.PID)
		return remoteAccounts{c}, func() {}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	a, err := dashboard.NewAccounts(ctx, w, nil, 0)
	if err == nil {
		err = a.Bootstrap(ctx, cfg.Users)
	}
	if err != nil {
		w.Close()
		return nil, nil, err
	}
	return localAccounts{a}, func() { w.Close() }, nil
}

// userCmd manages accounts: add, import, passwd, disable, enable, list.
func userCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	const usage = "user needs a subcommand: add NAME --role ROLE [--unit CODE], import FILE.csv [--passwords FILE], passwd NAME, disable NAME, enable NAME or list"
	if len(args) == 0 {
		return errors.New(usage)
	}
	sub := args[0]
	var role, unit, passwords string
	cfg, rest, err := parseFlags("user "+sub, args[1:], out, func(fs *flag.FlagSet, _ *config) {
		switch sub {
		case "add":
			fs.StringVar(&role, "role", dashboard.RoleViewer, strings.Join(dashboard.RoleNames(), ", "))
			fs.StringVar(&unit, "unit", "", "the reporting unit (code) of a reporter")
		case "import":
			fs.StringVar(&passwords, "passwords", "", "write the first passwords to this new file (mode 0600) instead of printing them")
		}
	})
	if err != nil {
		return err
	}
	wantArgs := 1
	switch sub {
	case "list":
		wantArgs = 0
	case "add", "passwd", "disable", "enable", "import":
	default:
		return errors.New(usage)
	}
	if len(rest) != wantArgs {
		return fmt.Errorf("user %s: %s", sub, map[int]string{0: "takes no names", 1: "name one account (import: one file)"}[wantArgs])
	}
	if sub == "import" {
		return importUsers(ctx, cfg, rest[0], passwords, out, log)
	}
	ops, done, err := openAccounts(ctx, cfg, out, log)
	if err != nil {
		return err
	}
	defer done()
	switch sub {
	case "add":
		s, err := ops.addUser(ctx, rest[0], role, unit)
		if err != nil {
			return fmt.Errorf("user add: %w", err)
		}
		of := ""
		if unit != "" {
			of = " of unit " + unit
		}
		fmt.Fprintf(out, "added %s (%s%s)\npassword (shown once, not stored): %s\n", rest[0], role, of, s.Password)
	case "passwd":
		s, err := ops.passwd(ctx, rest[0])
		if err != nil {
			return fmt.Errorf("user passwd: %w", err)
		}
		fmt.Fprintf(out, "new password of %s (shown once, not stored): %s\nits sessions are signed out\n", rest[0], s.Password)
	case "disable", "enable":
		if err := ops.setDisabled(ctx, rest[0], sub == "disable"); err != nil {
			return fmt.Errorf("user %s: %w", sub, err)
		}
		fmt.Fprintf(out, "%sd %s\n", sub, rest[0])
	case "list":
		users, err := ops.users(ctx)
		if err != nil {
			return err
		}
		res := &warehouse.Result{Columns: []warehouse.Column{{Name: "name"}, {Name: "role"}, {Name: "status"}, {Name: "source"}, {Name: "updated"}, {Name: "unit"}}}
		for _, u := range users {
			status := "enabled"
			if u.Disabled {
				status = "disabled"
			}
			res.Rows = append(res.Rows, []any{u.Name, u.Role, status, u.Source, u.Updated, u.Unit})
		}
		return writeResult(out, res, "table")
	}
	return nil
}

// tokenCmd manages personal API tokens: add, list, revoke.
func tokenCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	const usage = "token needs a subcommand: add NAME --role ROLE [--expires 90d], list or revoke ID"
	if len(args) == 0 {
		return errors.New(usage)
	}
	sub := args[0]
	var role, expires string
	cfg, rest, err := parseFlags("token "+sub, args[1:], out, func(fs *flag.FlagSet, _ *config) {
		if sub == "add" {
			fs.StringVar(&role, "role", dashboard.RoleViewer, strings.Join(dashboard.RoleNames(), ", "))
			fs.StringVar(&expires, "expires", "90d", "lifetime: 90d, 720h, or never")
		}
	})
	if err != nil {
		return err
	}
	switch {
	case sub == "list" && len(rest) == 0, (sub == "add" || sub == "revoke") && len(rest) == 1:
	case sub == "list" || sub == "add" || sub == "revoke":
		return fmt.Errorf("token %s: wrong number of arguments (%s)", sub, usage)
	default:
		return errors.New(usage)
	}
	if sub == "add" {
		if _, err := dashboard.ParseLifetime(expires); err != nil {
			return fmt.Errorf("token add: %w", err)
		}
	}
	ops, done, err := openAccounts(ctx, cfg, out, log)
	if err != nil {
		return err
	}
	defer done()
	switch sub {
	case "add":
		s, err := ops.addToken(ctx, dashboard.AccountRequest{Name: rest[0], Role: role, Expires: expires})
		if err != nil {
			return fmt.Errorf("token add: %w", err)
		}
		until := "never expires"
		if s.Expires != "" {
			until = "expires " + s.Expires
		}
		fmt.Fprintf(out, "token %s for %s (%s), %s\ntoken (shown once, not stored; send it as Authorization: Bearer …):\n%s\n", s.ID, s.Name, s.Role, until, s.Token)
	case "revoke":
		if err := ops.revokeToken(ctx, rest[0]); err != nil {
			return fmt.Errorf("token revoke: %w", err)
		}
		fmt.Fprintf(out, "revoked token %s\n", rest[0])
	case "list":
		tokens, err := ops.tokens(ctx)
		if err != nil {
			return err
		}
		res := &warehouse.Result{Columns: []warehouse.Column{{Name: "id"}, {Name: "name"}, {Name: "role"}, {Name: "created"}, {Name: "expires"}, {Name: "status"}}}
		now := time.Now()
		for _, t := range tokens {
			exp, status := "never", "valid"
			if !t.Expires.IsZero() {
				exp = t.Expires.UTC().Format(time.RFC3339)
				if !now.Before(t.Expires) {
					status = "expired"
				}
			}
			if t.Revoked {
				status = "revoked"
			}
			res.Rows = append(res.Rows, []any{t.ID, t.Name, t.Role, t.Created.UTC().Format(time.RFC3339), exp, status})
		}
		return writeResult(out, res, "table")
	}
	return nil
}

// localAccounts changes the warehouse's tables directly.
type localAccounts struct{ a *dashboard.Accounts }

func (l localAccounts) addUser(ctx context.Context, name, role, unit string) (dashboard.Secret, error) {
	pw, err := l.a.AddUser(ctx, name, role, unit)
	return dashboard.Secret{Name: name, Role: role, Unit: unit, Password: pw}, err
}

func (l localAccounts) importUsers(ctx context.Context, list []dashboard.NewAccount) ([]dashboard.Secret, error) {
	return l.a.ImportUsers(ctx, list)
}

func (l localAccounts) passwd(ctx context.Context, name string) (dashboard.Secret, error) {
	pw, err := l.a.SetPassword(ctx, name)
	return dashboard.Secret{Name: name, Password: pw}, err
}

func (l localAccounts) setDisabled(ctx context.Context, name string, disabled bool) error {
	return l.a.SetDisabled(ctx, name, disabled)
}

func (l localAccounts) users(ctx context.Context) ([]warehouse.Account, error) {
	return l.a.List(ctx), nil
}

func (l localAccounts) addToken(ctx context.Context, req dashboard.AccountRequest) (dashboard.Secret, error) {
	ttl, err := dashboard.ParseLifetime(req.Expires)
	if err != nil {
		return dashboard.Secret{}, err
	}
	token, t, err := l.a.AddToken(ctx, req.Name, req.Role, ttl)
	s := dashboard.Secret{Name: t.Name, Role: t.Role, Token: token, ID: t.ID}
	if !t.Expires.IsZero() {
		s.Expires = t.Expires.UTC().Format(time.RFC3339)
	}
	return s, err
}

func (l localAccounts) tokens(ctx context.Context) ([]warehouse.APIToken, error) {
	return l.a.Tokens(ctx), nil
}

func (l localAccounts) revokeToken(ctx context.Context, id string) error {
	return l.a.RevokeToken(ctx, id)
}

// remoteAccounts asks the running server, with the admin token it left in the data dir.
type remoteAccounts struct{ c *serverClient }

func (r remoteAccounts) addUser(ctx context.Context, name, role, unit string) (s dashboard.Secret, err error) {
	err = r.c.sendJSON(ctx, http.MethodPost, "/api/admin/accounts", dashboard.AccountRequest{Name: name, Role: role, Unit: unit}, &s)
	return s, err
}

func (r remoteAccounts) importUsers(ctx context.Context, list []dashboard.NewAccount) (out []dashboard.Secret, err error) {
	err = r.c.sendJSON(ctx, http.MethodPost, "/api/admin/accounts/import", list, &out)
	return out, err
}

func (r remoteAccounts) passwd(ctx context.Context, name string) (s dashboard.Secret, err error) {
	err = r.c.sendJSON(ctx, http.MethodPost, "/api/admin/accounts/"+url.PathEscape(name)+"/password", nil, &s)
	return s, err
}

func (r remoteAccounts) setDisabled(ctx context.Context, name string, disabled bool) error {
	verb := "enable"
	if disabled {
		verb = "disable"
	}
	var s dashboard.Secret
	return r.c.sendJSON(ctx, http.MethodPost, "/api/admin/accounts/"+url.PathEscape(name)+"/"+verb, nil, &s)
}

func (r remoteAccounts) users(ctx context.Context) ([]warehouse.Account, error) {
	var in []api.Account
	err := r.c.sendJSON(ctx, http.MethodGet, "/api/admin/accounts", nil, &in)
	out := make([]warehouse.Account, len(in))
	for i, a := range in {
		out[i] = warehouse.Account{Name: a.Name, Role: a.Role, Unit: a.Unit, Contact: a.Contact, Disabled: a.Disabled,
			Source: a.Source, Updated: a.Updated}
	}
	return out, err
}

func (r remoteAccounts) addToken(ctx context.Context, req dashboard.AccountRequest) (s dashboard.Secret, err error) {
	err = r.c.sendJSON(ctx, http.MethodPost, "/api/admin/tokens", req, &s)
	return s, err
}

func (r remoteAccounts) tokens(ctx context.Context) ([]warehouse.APIToken, error) {
	var in []api.APIToken
	err := r.c.sendJSON(ctx, http.MethodGet, "/api/admin/tokens", nil, &in)
	out := make([]warehouse.APIToken, len(in))
	for i, t := range in {
		out[i] = warehouse.APIToken{ID: t.ID, Name: t.Name, Role: t.Role, Created: t.Created, Expires: t.Expires, Revoked: t.Revoked}
	}
	return out, err
}

func (r remoteAccounts) revokeToken(ctx context.Context, id string) error {
	var s dashboard.Secret
	return r.c.sendJSON(ctx, http.MethodPost, "/api/admin/tokens/"+url.PathEscape(id)+"/revoke", nil, &s)
}

// sendJSON sends in (when not nil) as JSON to the server's admin API and reads its answer.
func (c *serverClient) sendJSON(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://"+c.info.Addr+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.info.Token)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("hand the change to the jinwei server at %s: %w", c.info.Addr, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	if res.StatusCode >= 300 {
		var e struct{ Error string }
		_ = json.Unmarshal(data, &e)
		return fmt.Errorf("jinwei server at %s: %s: %s", c.info.Addr, res.Status, e.Error)
	}
	return json.Unmarshal(data, out)
}

// sessionKey is the configured key, or one kept in the data directory (made on first use),
// so sessions survive restarts without a secret in the config.
func sessionKey(cfg *config) ([]byte, error) {
	if cfg.SessionKey != "" {
		return []byte(cfg.SessionKey), nil
	}
	path := filepath.Join(cfg.DataDir, "session.key")
	key, err := os.ReadFile(path)
	if err == nil && len(key) >= 32 {
		return key, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	key = make([]byte, 48)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, key, 0o600); err != nil {
		return nil, fmt.Errorf("keep session key: %w", err)
	}
	return key, nil
}

func sessionTTL(cfg *config) time.Duration {
	d, _ := time.ParseDuration(cfg.SessionTTL)
	return d
}
