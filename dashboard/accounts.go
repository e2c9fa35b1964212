package dashboard

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"jinwei/warehouse"
)

// Permission is one thing an account may do. Routes ask for a permission, never a role.
type Permission string

const (
	PermViewDashboards Permission = "view_dashboards" // the pages and their JSON
	PermRunSQL         Permission = "run_sql"         // the SQL console and API
	PermExport         Permission = "export"          // downloads of ad hoc results
	PermAdminLoads     Permission = "admin_loads"     // ETL runs, uploads, run log, backups
	PermManageAccounts Permission = "manage_accounts" // accounts and API tokens
	PermReadAudit      Permission = "read_audit"      // everyone's audit log
	PermManageSaved    Permission = "manage_saved"    // delete others' saved queries
	PermReport         Permission = "report"          // fill and submit its own unit's reports
	PermReviewReports  Permission = "review_reports"  // every unit's submissions: completeness, return
	PermVerify         Permission = "verify"          // verify (销号) or return ledger closures
)

// permissions lists every permission, for the labels that name them (perm_…).
var permissions = []Permission{PermViewDashboards, PermRunSQL, PermExport, PermAdminLoads, PermManageAccounts,
	PermReadAudit, PermManageSaved, PermReport, PermReviewReports, PermVerify}

// Roles, each a named set of permissions (not a ladder: a reporter holds a permission a
// viewer lacks and lacks every one a viewer has).
const (
	RoleViewer  = "viewer"
	RoleAnalyst = "analyst"
	RoleAdmin   = "admin"
	// RoleReporter is a reporting unit's staff (填报员): bound to one unit, it fills that
	// unit's reports and sees that unit's rows, and no province-wide page, SQL or admin API.
	RoleReporter = "reporter"
	// RoleVerifier is the province's checker (核查): it sees the dashboards, reviews every
	// unit's submissions and verifies ledger closures.
	RoleVerifier = "verifier"
)

var roles = map[string][]Permission{
	RoleViewer:   {PermViewDashboards},
	RoleAnalyst:  {PermViewDashboards, PermRunSQL, PermExport},
	RoleAdmin:    {PermViewDashboards, PermRunSQL, PermExport, PermAdminLoads, PermManageAccounts, PermReadAudit, PermManageSaved, PermReviewReports, PermVerify},
	RoleReporter: {PermReport},
	RoleVerifier: {PermViewDashboards, PermReviewReports, PermVerify},
}

// ValidRole says whether r names a role.
func ValidRole(r string) bool { _, ok := roles[r]; return ok }

// RoleBoundToUnit says whether accounts of role answer for one reporting unit (and must
// name it), rather than for the province.
func RoleBoundToUnit(role string) bool { return role == RoleReporter }

// ScopeOf is the rows an account of role, bound to unit, may see.
func ScopeOf(role, unit string) warehouse.RowScope {
	if RoleBoundToUnit(role) {
		return warehouse.UnitScope(unit)
	}
	return warehouse.ProvinceScope()
}

// permNames are the permissions' names, the keys of their labels.
func permNames() []string {
	names := make([]string, len(permissions))
	for i, p := range permissions {
		names[i] = string(p)
	}
	return names
}

// RoleNames lists the roles, for messages and flags.
func RoleNames() []string {
	names := make([]string, 0, len(roles))
	for r := range roles {
		names = append(names, r)
	}
	sort.Strings(names)
	return names
}

// RoleAllows says whether role holds permission p.
func RoleAllows(role string, p Permission) bool { return slices.Contains(roles[role], p) }

// User is one account of the config file, read at start as a bootstrap into the warehouse.
type User struct {
	Name string `toml:"name"`
	Role string `toml:"role"`
	// Unit is a reporter's reporting unit (code).
	Unit         string `toml:"unit"`
	PasswordHash string `toml:"password_hash"`
}

// AccountStore keeps accounts, sessions and tokens: the warehouse's tables.
type AccountStore interface {
	Accounts(ctx context.Context) ([]warehouse.Account, error)
	PutAccount(ctx context.Context, a warehouse.Account) error
	Session(ctx context.Context, idHash string) (warehouse.Session, bool, error)
	PutSession(ctx context.Context, s warehouse.Session) error
	PurgeSessions(ctx context.Context, cutoff time.Time) error
	APITokens(ctx context.Context) ([]warehouse.APIToken, error)
	PutAPIToken(ctx context.Context, t warehouse.APIToken) error
	RecordAudit(ctx context.Context, e warehouse.AuditEntry) error
	Unit(ctx context.Context, code string) (warehouse.Unit, error)
	UnitByName(ctx context.Context, name string) (string, error)
}

var _ AccountStore = (*warehouse.Warehouse)(nil)

// Errors of account changes a caller should show as they are.
var (
	ErrNoAccount    = errors.New("no such account")
	ErrAccountTaken = errors.New("the account exists already")
	ErrBadRole      = fmt.Errorf("a role is one of %v", RoleNames())
	ErrBadName      = errors.New("an account or token name is 1-64 letters, digits, '.', '_' or '-'")
	ErrNoToken      = errors.New("no such API token")
	// ErrTokenAboveAccount refuses a token for an account that would allow what the
	// account may not do (or for a disabled account).
	ErrTokenAboveAccount = errors.New("may not hold permissions the enabled account lacks")
	// ErrUnitRole: a reporter names its unit; no other role does.
	ErrUnitRole = errors.New("a reporter account names its reporting unit (--unit CODE); other roles name none")
	// ErrNoUnit: the unit code names no reporting unit.
	ErrNoUnit = errors.New("no such reporting unit")
	// ErrUnitToken: a unit's staff sign in; API tokens act for the province.
	ErrUnitToken = errors.New("API tokens are not issued for unit-bound roles; the unit's staff sign in")
)

var accountName = regexp.MustCompile(`^[\p{L}\p{N}._-]{1,64}$`)

// Accounts is the server's view of accounts, sessions and tokens: the warehouse's tables,
// cached in memory so a request costs no engine round trip once its session or token has
// been seen. Changes made through Accounts update the cache at once, so a revocation takes
// effect on this process's next request. With Refresh set (a shared ClickHouse server,
// where other processes may write), the cache is read again at most that often; with
// the embedded engine every write passes through this process and Refresh is 0.
type Accounts struct {
	store   AccountStore
	now     func() time.Time
	refresh time.Duration

	mu       sync.Mutex
	loaded   time.Time
	purged   time.Time // when this process last purged ended sessions
	users    map[string]warehouse.Account
	tokens   map[string]warehouse.APIToken // by hash
	sessions map[string]cachedSession      // by id hash
}

type cachedSession struct {
	s      warehouse.Session
	readAt time.Time
}

// maxCachedSessions bounds the session cache; past it, expired and stale entries go.
const maxCachedSessions = 10_000

// NewAccounts reads the accounts and tokens of store. now is the clock (nil: the system's).
func NewAccounts(ctx context.Context, store AccountStore, now func() time.Time, refresh time.Duration) (*Accounts, error) {
	if now == nil {
		now = time.Now
	}
	a := &Accounts{store: store, now: now, refresh: refresh, sessions: map[string]cachedSession{}}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a, a.reloadLocked(ctx)
}

func (a *Accounts) reloadLocked(ctx context.Context) error {
	users, err := a.store.Accounts(ctx)
	if err != nil {
		return fmt.Errorf("read accounts: %w", err)
	}
	tokens, err := a.store.APITokens(ctx)
	if err != nil {
		return fmt.Errorf("read API tokens: %w", err)
	}
	a.users = make(map[string]warehouse.Account, len(users))
	for _, u := range users {
		a.users[u.Name] = u
	}
	a.tokens = make(map[string]warehouse.APIToken, len(tokens))
	for _, t := range tokens {
		a.tokens[t.Hash] = t
	}
	a.loaded = a.now()
	return nil
}

// freshLocked reads the tables again when the cache is older than the refresh period. A failed
// read keeps the old copy: the warehouse being busy must not sign everyone out.
func (a *Accounts) freshLocked(ctx context.Context) {
	if a.refresh > 0 && a.now().Sub(a.loaded) >= a.refresh {
		// Retried a period later, not on every request, when the warehouse fails.
		a.loaded = a.now()
		_ = a.reloadLocked(ctx)
	}
}

// Empty says whether there are no accounts at all: the pages then run in demo mode.
func (a *Accounts) Empty(ctx context.Context) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.freshLocked(ctx)
	return len(a.users) == 0
}

func (a *Accounts) account(ctx context.Context, name string) (warehouse.Account, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.freshLocked(ctx)
	u, ok := a.users[name]
	return u, ok
}

func (a *Accounts) put(ctx context.Context, u warehouse.Account) error {
	if err := a.store.PutAccount(ctx, u); err != nil {
		return err
	}
	a.mu.Lock()
	a.users[u.Name] = u
	a.mu.Unlock()
	return nil
}

// Bootstrap writes the config file's accounts into the warehouse: an account not there yet
// is added; one that came from the config and still does is updated when the file changed
// its role or password (its sessions then end). Accounts changed since by command are the
// warehouse's to keep, and a disabled account stays disabled.
func (a *Accounts) Bootstrap(ctx context.Context, users []User) error {
	for _, u := range users {
		if !accountName.MatchString(u.Name) {
			return fmt.Errorf("config account %q: %w", u.Name, ErrBadName)
		}
		if !ValidRole(u.Role) {
			return fmt.Errorf("config account %q: role %q: %w", u.Name, u.Role, ErrBadRole)
		}
		if err := a.checkUnit(ctx, u.Role, u.Unit); err != nil {
			return fmt.Errorf("config account %q: %w", u.Name, err)
		}
		cur, ok := a.account(ctx, u.Name)
		switch {
		case !ok:
			cur = warehouse.Account{Name: u.Name, Role: u.Role, Unit: u.Unit, PasswordHash: u.PasswordHash, Source: "config"}
		case cur.Source != "config" || (cur.Role == u.Role && cur.Unit == u.Unit && cur.PasswordHash == u.PasswordHash):
			continue
		default:
			cur.Role, cur.Unit, cur.PasswordHash, cur.SessionEpoch = u.Role, u.Unit, u.PasswordHash, cur.SessionEpoch+1
		}
		if err := a.put(ctx, cur); err != nil {
			return fmt.Errorf("bootstrap account %s: %w", u.Name, err)
		}
	}
	return nil
}

// List returns every account by name, without password hashes.
func (a *Accounts) List(ctx context.Context) []warehouse.Account {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.freshLocked(ctx)
	out := make([]warehouse.Account, 0, len(a.users))
	for _, u := range a.users {
		u.PasswordHash = ""
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// AddUser adds an account with a fresh random password, returned to be shown once. unit is
// the reporting unit of a unit-bound role (a reporter), and empty for any other.
func (a *Accounts) AddUser(ctx context.Context, name, role, unit string) (string, error) {
	if err := a.checkNew(ctx, name, role, unit); err != nil {
		return "", err
	}
	password, hash, err := newPassword()
	if err != nil {
		return "", err
	}
	return password, a.put(ctx, warehouse.Account{Name: name, Role: role, Unit: unit, PasswordHash: hash, Source: "cli"})
}

// checkNew says why an account may not be added, or nil.
func (a *Accounts) checkNew(ctx context.Context, name, role, unit string) error {
	if !accountName.MatchString(name) {
		return ErrBadName
	}
	if !ValidRole(role) {
		return ErrBadRole
	}
	if err := a.checkUnit(ctx, role, unit); err != nil {
		return err
	}
	if _, ok := a.account(ctx, name); ok {
		return fmt.Errorf("%s: %w", name, ErrAccountTaken)
	}
	return nil
}

// checkUnit says why an account of role may not be bound to unit, or nil.
func (a *Accounts) checkUnit(ctx context.Context, role, unit string) error {
	if RoleBoundToUnit(role) != (unit != "") {
		return ErrUnitRole
	}
	if unit == "" {
		return nil
	}
	if _, err := a.store.Unit(ctx, unit); errors.Is(err, warehouse.ErrNoUnit) {
		return fmt.Errorf("%s: %w", unit, ErrNoUnit)
	} else if err != nil {
		return fmt.Errorf("check unit %s: %w", unit, err)
	}
	return nil
}

// SetPassword gives an account a fresh random password, returned to be shown once, and
// ends its sessions.
func (a *Accounts) SetPassword(ctx context.Context, name string) (string, error) {
	u, ok := a.account(ctx, name)
	if !ok {
		return "", fmt.Errorf("%s: %w", name, ErrNoAccount)
	}
	password, hash, err := newPassword()
	if err != nil {
		return "", err
	}
	u.PasswordHash, u.Source, u.SessionEpoch = hash, "cli", u.SessionEpoch+1
	return password, a.put(ctx, u)
}

// SetDisabled disables an account (ending its sessions and stopping its tokens) or
// enables it again.
func (a *Accounts) SetDisabled(ctx context.Context, name string, disabled bool) error {
	u, ok := a.account(ctx, name)
	if !ok {
		return fmt.Errorf("%s: %w", name, ErrNoAccount)
	}
	u.Disabled, u.Source = disabled, "cli"
	if disabled {
		u.SessionEpoch++
	}
	return a.put(ctx, u)
}

// dummyHash costs what a real check costs, so an unknown name answers as slowly as a
// known one.
var dummyHash = []byte("$2a$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva")

// checkPassword returns the enabled account whose password this is.
func (a *Accounts) checkPassword(ctx context.Context, name, password string) (warehouse.Account, bool) {
	u, ok := a.account(ctx, name)
	hash := dummyHash
	if ok {
		hash = []byte(u.PasswordHash)
	}
	if err := bcrypt.CompareHashAndPassword(hash, []byte(password)); err != nil || !ok || u.Disabled {
		return warehouse.Account{}, false
	}
	return u, true
}

// newPassword makes a random password (120 bits) and its bcrypt hash.
func newPassword() (password, hash string, err error) {
	var b [15]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	password = base64.RawURLEncoding.EncodeToString(b[:])
	hash, err = HashPassword(password)
	return password, hash, err
}

// passwordCost is bcrypt's work factor for new hashes (a check reads it from the hash).
var passwordCost = bcrypt.DefaultCost

// HashPassword makes the bcrypt hash of a password, as the config file keeps it.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), passwordCost)
	return string(h), err
}
