// Command jinwei loads provincial statistics into ClickHouse and serves dashboards of where
// the home province stands among its peers.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/mattn/go-isatty"

	"jinwei/warehouse"
)

const usage = `jinwei (进位): provincial statistics in ClickHouse, and where the province stands.

Usage:
  jinwei serve [--addr HOST:PORT] [--no-demo] [--demo-public]   serve the dashboard (migrates and loads the demo data first)
  jinwei migrate [--print] [--copy-to DSN]      apply schema migrations; print the DDL; copy to a server
  jinwei etl inspect [--job JOB] FILE…          read a file's layout and propose a mapping (TOML), with a preview
  jinwei etl load --job JOB [--mapping FILE] [--strict] [--dry-run] FILE…   load files (or --url URL)
  jinwei etl run JOB                            load what waits in the job's inbox (and its URL) now
  jinwei etl runs [--limit N] [--all]           list recent loads (--all: also files found already loaded)
  jinwei etl rejects RUN_ID                     list the rows a load rejected, with reasons
  jinwei demo load                              load the demo data set (data/)
  jinwei demo generate [--seed N]               write the demo's generated files
  jinwei sql [--format table|csv|json] 'SELECT …'   run one query and print the result
  jinwei backup DIR                             back up the warehouse (a running server does it for you)
  jinwei restore DIR                            restore a backup into a new data directory
  jinwei config check [--config FILE]           validate the configuration
  jinwei user add NAME --role ROLE [--unit CODE]   add an account (its password is printed once); a reporter names its unit
  jinwei user import FILE.csv [--passwords FILE]   add reporters in bulk (unit,name,contact); first passwords printed or written to an owner-only file
  jinwei user passwd|disable|enable NAME        new password (printed once) or disable: either signs its sessions out
  jinwei user list                              list the accounts
  jinwei token add NAME --role ROLE [--expires 90d]   a personal API token for scripts (printed once)
  jinwei token list | token revoke ID           list or revoke API tokens

Jobs (etl load --job, etl run):
  facts       economy (indicator values), ecology (rectification ledger), campaign (三抓三促 reports)
  dimensions  regions, region_aliases, indicators, peer_groups, campaign_metric_defs,
              campaign_score_items, targets

Roles (user add --role, token add --role):
  viewer    the dashboards            analyst   the dashboards, ad hoc SQL and exports
  admin     everything                verifier  the dashboards, units' reports, ledger closures (销号)
  reporter  one unit's reports and ledger items (填报), nothing province-wide

Flags every command takes:
  --config FILE     config file (default ./jinwei.toml when present; see README)
  --data-dir DIR    embedded warehouse directory (default var/warehouse)
  --database NAME   database of jinwei's tables (default jinwei)
  --chdb-lib PATH   libchdb.so for the embedded engine (default CHDB_LIB_PATH, then node_modules)
  --home CODE       home province, GB/T 2260 code (default 620000, Gansu)
  --warehouse DSN   a ClickHouse server (clickhouse://user:password@host:9000/jinwei) instead of the embedded engine
  --cluster NAME    the servers' cluster that migrations target (ON CLUSTER, Replicated and Distributed tables)
`

func main() {
	// Started by a server to run ad hoc SQL on a snapshot of its warehouse (see
	// warehouse.Config.Worker), the binary does only that.
	if warehouse.IsWorker() {
		os.Exit(warehouse.RunWorker())
	}
	var out io.Writer = os.Stdout
	log := newLogger(os.Stderr, os.Stderr)
	if term := newTerminal(os.Stdout); term != nil {
		// The progress line on standard output is cleared before a log line is written.
		out, log = term, newLogger(os.Stderr, term.beside(os.Stderr))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], out, log)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		log.Error("jinwei failed", "err", err)
		os.Exit(1)
	}
}

// newLogger writes text for a person when f is a terminal, and JSON for a log collector
// otherwise, through w (f itself, or f behind the progress line's clearing).
func newLogger(f *os.File, w io.Writer) *slog.Logger {
	if isatty.IsTerminal(f.Fd()) {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}

// command is one subcommand: it gets its arguments after the name.
type command func(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error

func run(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(out, usage)
		return nil
	}
	commands := map[string]command{
		"serve":   serveCmd,
		"migrate": migrateCmd,
		"etl":     etlCmd,
		"demo":    demoCmd,
		"sql":     sqlCmd,
		"backup":  backupCmd,
		"restore": restoreCmd,
		"config":  configCmd,
		"user":    userCmd,
		"token":   tokenCmd,
	}
	args = globalFlagsLast(args)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(out, usage)
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		return fmt.Errorf("unknown command %q; run jinwei --help", args[0])
	}
	return cmd(ctx, args[1:], out, log)
}

// globalFlags are the flags every command takes, each with a value.
var globalFlags = []string{"config", "data-dir", "database", "chdb-lib", "home", "warehouse", "cluster"}

// globalFlagsLast moves flags written before the command (jinwei --data-dir X migrate) to
// after it, where every command parses them (before a "--", after which all is positional).
func globalFlagsLast(args []string) []string {
	var moved []string
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "--" {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
		if !slices.Contains(globalFlags, name) {
			break
		}
		n := 1
		if !hasValue && len(args) > 1 {
			n = 2
		}
		moved, args = append(moved, args[:n]...), args[n:]
	}
	if len(moved) == 0 || len(args) == 0 {
		return append(moved, args...)
	}
	out := slices.Clone(args)
	if i := slices.Index(out, "--"); i >= 0 {
		return slices.Concat(out[:i], moved, out[i:])
	}
	return append(out, moved...)
}

// parseFlags loads the config and parses a command's flags over it. Flags may come before
// or after the positional arguments, which it returns; everything after "--" is positional.
func parseFlags(name string, args []string, out io.Writer, extra func(fs *flag.FlagSet, cfg *config)) (*config, []string, error) {
	path, explicit := configPath(args)
	cfg, err := loadConfig(path, explicit)
	if err != nil {
		return nil, nil, err
	}
	fs := flag.NewFlagSet("jinwei "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	bindFlags(fs, &cfg)
	if extra != nil {
		extra(fs, &cfg)
	}
	var rest []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, rest = args[:i], args[i+1:]
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	// Checked once the flags are in, since --warehouse may name the server.
	if cfg.WarehouseReadonly != "" && cfg.Warehouse == "" {
		return nil, nil, fmt.Errorf("warehouse_readonly needs a warehouse DSN: the embedded engine has no users, and ad hoc SQL there is fenced by the guard alone")
	}
	return &cfg, append(positional, rest...), nil
}

// openWarehouse opens the configured warehouse and brings its schema up to date.
func openWarehouse(ctx context.Context, cfg *config, log *slog.Logger) (*warehouse.Warehouse, error) {
	w, err := warehouse.Open(warehouseConfig(cfg))
	if err != nil {
		return nil, err
	}
	applied, err := w.Migrate(ctx)
	if err != nil {
		w.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("migrated warehouse", "applied", applied)
	}
	// One process owns an embedded data directory, so runs still marked running died with
	// the process before this one. On a server another process may be loading right now.
	if w.Engine() == "embedded" {
		if err := w.AbandonStaleRuns(ctx); err != nil {
			w.Close()
			return nil, err
		}
	}
	return w, nil
}

func warehouseConfig(cfg *config) warehouse.Config {
	return warehouse.Config{DataDir: cfg.DataDir, ChdbLib: cfg.ChdbLib, Database: cfg.Database, ServerDSN: cfg.Warehouse, Cluster: cfg.Cluster,
		ReadonlyDSN: cfg.WarehouseReadonly, Worker: cfg.worker}
}

// where names the warehouse for messages, never with the DSN's password.
func where(cfg *config) string {
	if cfg.Warehouse != "" {
		return "the ClickHouse server"
	}
	return cfg.DataDir
}
