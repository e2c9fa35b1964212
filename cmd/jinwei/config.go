package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"jinwei/dashboard"
	"jinwei/dashboard/alerts"
	"jinwei/etl"
	"jinwei/warehouse"
	"jinwei/warehouse/scorecard"
	"jinwei/weburl"
)

// config is everything jinwei can be told, from (weakest first) defaults, the config file,
// environment variables and flags.
type config struct {
	Addr     string `toml:"addr"`
	DataDir  string `toml:"data_dir"`
	Database string `toml:"database"`
	ChdbLib  string `toml:"chdb_lib"`
	// Warehouse is a ClickHouse server DSN (clickhouse://…); empty means the embedded engine.
	Warehouse string `toml:"warehouse"`
	// Cluster names the servers' cluster that migrations target.
	Cluster string `toml:"cluster"`
	// WarehouseReadonly is a read-only user's DSN on the same server(s): ad hoc SQL (the
	// console, the SQL API, `jinwei sql`) runs as that user. Needs Warehouse.
	WarehouseReadonly string          `toml:"warehouse_readonly"`
	HomeRegion        string          `toml:"home_region"`
	DemoDir           string          `toml:"demo_dir"`
	LoadDemo          bool            `toml:"load_demo"`
	SourcesDir        string          `toml:"sources_dir"`
	MaxRejectShare    float64         `toml:"max_reject_share"`
	BatchRows         int             `toml:"batch_rows"`
	Jobs              []etl.JobConfig `toml:"jobs"`
	// Headlines are the cockpit's tiles (indicator codes); empty means the built-in six.
	Headlines []string       `toml:"headlines"`
	Campaign  campaignConfig `toml:"campaign"`
	// Reports are the deadlines of units' monthly reports.
	Reports reportsConfig `toml:"reports"`
	// Users who may sign in (bcrypt hashes; add one with `jinwei user add`). With none,
	// the pages run in an open demo mode that says so.
	Users []dashboard.User `toml:"users"`
	// SessionKey signs session cookies (a secret, 32+ characters); empty means a random key
	// kept in the data directory. SessionTTL is how long a sign-in lasts.
	SessionKey string `toml:"session_key"`
	SessionTTL string `toml:"session_ttl"`
	// BackupsDir is the only folder the running server writes backups into (POST
	// /api/admin/backup, and `jinwei backup` handed to it); empty means data_dir/backups.
	BackupsDir string `toml:"backups_dir"`
	// Chromium prints briefings as PDF (headless): a path or program name; empty looks for
	// chromium on PATH. Without one, a briefing's print page is what prints.
	Chromium string `toml:"chromium"`
	// TrustedProxies are the reverse proxies (CIDRs or addresses) whose X-Forwarded-For
	// and X-Forwarded-Proto are believed; nobody else's are.
	TrustedProxies []string `toml:"trusted_proxies"`
	// CookieSecure: auto (Secure when the request came over HTTPS), always or never.
	CookieSecure string `toml:"cookie_secure"`
	// DemoPublic lets demo mode (no accounts: anyone may view the dashboards) listen on an
	// address other than loopback.
	DemoPublic bool `toml:"demo_public"`
	// OriginalsKeepDays is how many days the original files of inbox and upload loads are
	// kept in the warehouse for download (0 keeps none); OriginalsMaxMB bounds them all
	// together, the oldest purged first.
	OriginalsKeepDays int   `toml:"originals_keep_days"`
	OriginalsMaxMB    int64 `toml:"originals_max_mb"`
	// Alerts are the alert rules, channels and mail server (see package alerts).
	Alerts alerts.Config `toml:"alerts"`

	// worker is the program that runs ad hoc SQL in a process of its own (this binary),
	// set by serve: the dashboards must not wait behind an analyst's statement.
	worker string
}

// campaignConfig overrides the default weights of the 三抓三促 scorecard's items
// (data/campaign_scoring.csv); an item left out keeps its default.
type campaignConfig struct {
	Weights map[string]float64 `toml:"weights"`
}

// reportsConfig: a month's report is due by the deadline_day of the next month (5 when
// 0), or by the date deadlines gives the month ("2024-05" = "2024-06-10").
type reportsConfig struct {
	DeadlineDay int               `toml:"deadline_day"`
	Deadlines   map[string]string `toml:"deadlines"`
}

func (r reportsConfig) deadlines() warehouse.Deadlines {
	return warehouse.Deadlines{Day: r.DeadlineDay, Months: r.Deadlines}
}

func defaultConfig() config {
	return config{
		Addr:              "127.0.0.1:8080",
		DataDir:           "var/warehouse",
		Database:          "jinwei",
		HomeRegion:        "620000",
		DemoDir:           "data",
		LoadDemo:          true,
		MaxRejectShare:    etl.DefaultMaxRejectShare,
		BatchRows:         etl.DefaultBatchRows,
		SessionTTL:        "12h",
		CookieSecure:      dashboard.CookieSecureAuto,
		OriginalsKeepDays: int(warehouse.DefaultOriginalsPolicy.Keep / (24 * time.Hour)),
		OriginalsMaxMB:    warehouse.DefaultOriginalsPolicy.MaxBytes >> 20,
	}
}

// envKeys maps environment variables to the config keys they set.
var envKeys = map[string]func(c *config, v string){
	"JINWEI_ADDR":               func(c *config, v string) { c.Addr = v },
	"JINWEI_DATA_DIR":           func(c *config, v string) { c.DataDir = v },
	"JINWEI_DATABASE":           func(c *config, v string) { c.Database = v },
	"CHDB_LIB_PATH":             func(c *config, v string) { c.ChdbLib = v },
	"JINWEI_WAREHOUSE":          func(c *config, v string) { c.Warehouse = v },
	"JINWEI_CLUSTER":            func(c *config, v string) { c.Cluster = v },
	"JINWEI_WAREHOUSE_READONLY": func(c *config, v string) { c.WarehouseReadonly = v },
	"JINWEI_HOME_REGION":        func(c *config, v string) { c.HomeRegion = v },
	"JINWEI_DEMO_DIR":           func(c *config, v string) { c.DemoDir = v },
	"JINWEI_LOAD_DEMO":          func(c *config, v string) { c.LoadDemo = v != "0" && v != "false" },
	"JINWEI_SOURCES_DIR":        func(c *config, v string) { c.SourcesDir = v },
	"JINWEI_BATCH_ROWS":         func(c *config, v string) { c.BatchRows, _ = strconv.Atoi(v) },
	"JINWEI_BACKUPS_DIR":        func(c *config, v string) { c.BackupsDir = v },
	"JINWEI_CHROMIUM":           func(c *config, v string) { c.Chromium = v },
}

// loadConfig reads the config file (an explicit --config must exist; ./jinwei.toml is used
// when present) and the environment.
func loadConfig(path string, explicit bool) (config, error) {
	cfg := defaultConfig()
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		dec := toml.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			var strict *toml.StrictMissingError
			if errors.As(err, &strict) {
				return cfg, fmt.Errorf("config %s: unknown key: %s", path, strict.String())
			}
			return cfg, fmt.Errorf("config %s: %w", path, err)
		}
	case errors.Is(err, fs.ErrNotExist) && !explicit:
	default:
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	for k, set := range envKeys {
		if v, ok := os.LookupEnv(k); ok && v != "" {
			set(&cfg, v)
		}
	}
	// The mappings live beside the data they describe: a demo_dir moved out of the
	// repository takes its sources with it unless sources_dir says otherwise.
	if cfg.SourcesDir == "" {
		cfg.SourcesDir = filepath.Join(cfg.DemoDir, "sources")
	}
	for key, dsn := range map[string]string{"warehouse": cfg.Warehouse, "warehouse_readonly": cfg.WarehouseReadonly} {
		if dsn != "" && !warehouse.IsServerDSN(dsn) {
			// The value is not shown: it may hold a password.
			return cfg, fmt.Errorf("config %s: %s must be a clickhouse:// DSN", path, key)
		}
	}
	if cfg.Cluster != "" && cfg.Warehouse == "" {
		return cfg, fmt.Errorf("config %s: cluster %q needs a warehouse DSN", path, cfg.Cluster)
	}
	for i, u := range cfg.Users {
		if u.Name == "" || !dashboard.ValidRole(u.Role) || !strings.HasPrefix(u.PasswordHash, "$2") {
			return cfg, fmt.Errorf("config %s: users[%d] (%q): needs a name, a role (%s) and a bcrypt password_hash", path, i, u.Name,
				strings.Join(dashboard.RoleNames(), ", "))
		}
	}
	if err := dashboard.ValidProxies(cfg.TrustedProxies); err != nil {
		return cfg, fmt.Errorf("config %s: trusted_proxies: %w", path, err)
	}
	if !dashboard.ValidCookieSecure(cfg.CookieSecure) {
		return cfg, fmt.Errorf("config %s: cookie_secure %q is not auto, always or never", path, cfg.CookieSecure)
	}
	if d, err := time.ParseDuration(cfg.SessionTTL); err != nil || d <= 0 {
		return cfg, fmt.Errorf("config %s: session_ttl %q is not a duration such as 12h", path, cfg.SessionTTL)
	}
	if cfg.SessionKey != "" && len(cfg.SessionKey) < 32 {
		return cfg, fmt.Errorf("config %s: session_key is shorter than 32 characters", path)
	}
	// The items are data: check weights against the scoring file beside the demo data when
	// it is there (the warehouse checks them again against the items it holds).
	items, itemsErr := scorecard.ReadItems(filepath.Join(cfg.DemoDir, "campaign_scoring.csv"))
	for item, weight := range cfg.Campaign.Weights {
		if itemsErr == nil && !slices.ContainsFunc(items, func(it scorecard.Item) bool { return it.Code == item }) {
			return cfg, fmt.Errorf("config %s: campaign.weights: unknown item %q (the items are in %s)", path, item, filepath.Join(cfg.DemoDir, "campaign_scoring.csv"))
		}
		if weight < 0 {
			return cfg, fmt.Errorf("config %s: campaign.weights.%s: weight %v is negative", path, item, weight)
		}
	}
	if err := cfg.Reports.deadlines().Check(); err != nil {
		return cfg, fmt.Errorf("config %s: reports: %w", path, err)
	}
	for i, j := range cfg.Jobs {
		if j.URL != "" {
			if err := weburl.Check(fmt.Sprintf("jobs[%d] (%q): url", i, j.Name), j.URL); err != nil {
				return cfg, fmt.Errorf("config %s: %w", path, err)
			}
		}
	}
	if err := cfg.Alerts.Check(); err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	if cfg.BatchRows < 1 || cfg.BatchRows > 10_000_000 {
		return cfg, fmt.Errorf("config %s: batch_rows %d is not between 1 and 10000000", path, cfg.BatchRows)
	}
	if cfg.MaxRejectShare < 0 || cfg.MaxRejectShare > 1 {
		return cfg, fmt.Errorf("config %s: max_reject_share %v is not between 0 and 1", path, cfg.MaxRejectShare)
	}
	return cfg, nil
}

// bindFlags declares the flags every command shares. Flags left unset keep the value from
// the file or environment.
func bindFlags(fs *flag.FlagSet, cfg *config) {
	fs.String("config", "jinwei.toml", "config file")
	fs.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, "embedded warehouse directory")
	fs.StringVar(&cfg.Database, "database", cfg.Database, "database holding jinwei's tables")
	fs.StringVar(&cfg.ChdbLib, "chdb-lib", cfg.ChdbLib, "path of libchdb.so (default: CHDB_LIB_PATH, then node_modules)")
	fs.StringVar(&cfg.HomeRegion, "home", cfg.HomeRegion, "home province, GB/T 2260 code")
	fs.StringVar(&cfg.Warehouse, "warehouse", cfg.Warehouse, "ClickHouse server DSN (clickhouse://user:password@host:9000/jinwei); empty: embedded")
	fs.StringVar(&cfg.Cluster, "cluster", cfg.Cluster, "the servers' cluster that migrations target")
}

// configPath finds --config in args before flags are parsed, since the file supplies the
// flags' defaults.
func configPath(args []string) (string, bool) {
	for i, a := range args {
		switch {
		case a == "--config" || a == "-config":
			if i+1 < len(args) {
				return args[i+1], true
			}
		case strings.HasPrefix(a, "--config="), strings.HasPrefix(a, "-config="):
			return a[strings.Index(a, "=")+1:], true
		}
	}
	if p := os.Getenv("JINWEI_CONFIG"); p != "" {
		return p, true
	}
	return "jinwei.toml", false
}

// backupsDir is the configured backups folder, absolute: backups_dir, or data_dir/backups.
func (c *config) backupsDir() (string, error) {
	dir := c.BackupsDir
	if dir == "" {
		dir = filepath.Join(c.DataDir, "backups")
	}
	return filepath.Abs(dir)
}

// originalsPolicy is how long and how much of the loads' original files are kept.
func (c *config) originalsPolicy() warehouse.OriginalsPolicy {
	return warehouse.OriginalsPolicy{Keep: time.Duration(c.OriginalsKeepDays) * 24 * time.Hour, MaxBytes: c.OriginalsMaxMB << 20}
}
