// Package warehouse is jinwei's ClickHouse as the rest of the program sees it: Open picks
// the engine (the embedded warehouse/chdb or a server through warehouse/chserver), and the
// package owns the schema migrations and their DDL rewrites, Arrow batch inserts
// (Appender), the query cache and data version, backup and copy, and the typed domain
// queries the dashboards and the ETL need. Ad hoc SQL is guarded by warehouse/guard; the
// ranking and scorecard maths live in warehouse/measure and warehouse/scorecard.
//
// It exports no way to run a statement as written: jinwei's own statements are named files
// (sql/queries), and people's go through the guard (GuardedQuery). It knows nothing of HTTP
// or file formats, and no package outside warehouse/... imports an engine package.
package warehouse

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"jinwei/warehouse/ch"
	"jinwei/warehouse/chdb"
	"jinwei/warehouse/chserver"
	"jinwei/warehouse/internal/hooks"
)

// Config says which engine to open.
type Config struct {
	// DataDir is the embedded engine's data directory.
	DataDir string
	// ChdbLib is the path of libchdb.so; empty means DefaultChdbCandidates.
	ChdbLib string
	// Database holds jinwei's tables; "jinwei" when empty. A server DSN's path overrides it.
	Database string
	// ServerDSN, when set, opens a ClickHouse server instead of the embedded engine:
	// clickhouse://user:password@host1:9000,host2:9000/database?secure=true (see
	// serverOptions for every key). DataDir and ChdbLib are then unused.
	ServerDSN string
	// Cluster names the servers' cluster (remote_servers) that migrations target: ON
	// CLUSTER, replicated tables, Distributed tables over sharded ones. Needs ServerDSN.
	Cluster string
	// ReadonlyDSN, when set, is a read-only user of the same server(s) that guarded
	// statements (ad hoc SQL) run as, a second fence behind the guard; the audit log is still
	// written as ServerDSN's user. Its database is the warehouse's. Needs ServerDSN.
	ReadonlyDSN string
	// Worker, when set, is the program that runs the embedded engine's ad hoc SQL in a
	// process of its own (see chdb.NewWorkerGuard): the jinwei binary, whose main calls RunWorker
	// when IsWorker. Empty runs ad hoc SQL on the warehouse's own connection, where every
	// dashboard query waits behind it (one-shot commands, which serve nobody else).
	Worker string
}

// Warehouse is an open connection to jinwei's database.
type Warehouse struct {
	eng     engine
	guard   ch.GuardEngine // where guarded statements run
	db      string
	ddl     ddlTarget
	cache   *queryCache
	version dataVersion // the warehouse's data version as this process last read it
	spool   string      // where large results are staged on disk; "" means the system's temp dir

	tablesMu    sync.RWMutex
	extraTables map[string]bool // tables ad hoc SQL may read beyond analystTables
}

// cachedResults bounds the query cache: the pages ask a few hundred distinct questions.
const cachedResults = 2000

// Open opens the ClickHouse server of cfg.ServerDSN, or else the embedded engine on
// cfg.DataDir.
func Open(cfg Config) (*Warehouse, error) {
	db := databaseOf(cfg)
	libs := chdb.DefaultCandidates()
	if cfg.ChdbLib != "" {
		libs = []string{cfg.ChdbLib}
	}
	switch {
	case IsServerDSN(cfg.ServerDSN):
		eng, err := chserver.Open(cfg.ServerDSN, db, cfg.Cluster)
		if err != nil {
			return nil, err
		}
		guard, err := openServerGuard(cfg, eng, libs)
		if err != nil {
			eng.Close()
			return nil, err
		}
		ddl := ddlTarget{db: eng.DB(), cluster: cfg.Cluster, compat: eng.Compat()}
		return &Warehouse{eng: opened{eng}, guard: guard, db: eng.DB(), ddl: ddl, cache: newQueryCache(cachedResults)}, nil
	case cfg.ServerDSN != "":
		// Not quoted back: a mistyped DSN may still hold a password.
		return nil, fmt.Errorf("the warehouse DSN must start with clickhouse:// (clickhouse://user:password@host:9000/database)")
	case cfg.Cluster != "":
		return nil, fmt.Errorf("cluster %q needs a ClickHouse server DSN (clickhouse://…); the embedded engine is one process", cfg.Cluster)
	case cfg.ReadonlyDSN != "":
		return nil, fmt.Errorf("a read-only DSN needs a ClickHouse server warehouse (clickhouse://…); the embedded engine has no users, and the guard alone fences it")
	}
	eng, err := chdb.Open(libs, cfg.DataDir, db)
	if err != nil {
		return nil, err
	}
	w := &Warehouse{eng: opened{eng}, guard: eng, db: db, ddl: ddlTarget{db: db}, cache: newQueryCache(cachedResults), spool: eng.SpoolDir()}
	if cfg.Worker != "" {
		w.guard = chdb.NewWorkerGuard(eng, cfg.Worker, libs, w.cache.version.Load)
	}
	return w, nil
}

// openServerGuard connects the read-only user of cfg.ReadonlyDSN to the warehouse's database,
// or, without one, lets guarded statements run as the warehouse's own user.
func openServerGuard(cfg Config, eng *chserver.Engine, libs []string) (*chserver.Guard, error) {
	borrow := func() (ch.GuardEngine, error) { return chdb.BorrowParser(libs) }
	if cfg.ReadonlyDSN == "" {
		return chserver.NewGuard(eng, false, borrow), nil
	}
	if !IsServerDSN(cfg.ReadonlyDSN) {
		return nil, fmt.Errorf("the read-only DSN must start with clickhouse:// (clickhouse://user:password@host:9000/database)")
	}
	if db := databaseOf(Config{ServerDSN: cfg.ReadonlyDSN, Database: eng.DB()}); db != eng.DB() {
		return nil, fmt.Errorf("the read-only DSN names database %s, the warehouse's is %s", db, eng.DB())
	}
	ro, err := chserver.Open(cfg.ReadonlyDSN, eng.DB(), "")
	if err != nil {
		return nil, fmt.Errorf("read-only user: %w", err)
	}
	return chserver.NewGuard(ro, true, borrow), nil
}

// Close releases the engine.
func (w *Warehouse) Close() error {
	gerr := w.guard.CloseGuard()
	if err := w.eng.close(); err != nil {
		return err
	}
	return gerr
}

// SpoolDir is where large results (exports) may be staged on disk: the embedded warehouse's
// spool folder in its data directory, or the system's temporary directory with a server.
func (w *Warehouse) SpoolDir() string {
	if w.spool == "" {
		return os.TempDir()
	}
	return w.spool
}

// Database names the database jinwei's tables live in.
func (w *Warehouse) Database() string { return w.db }

// Engine names the kind of engine: "embedded" or "server".
func (w *Warehouse) Engine() string { return w.eng.kind() }

// Insert writes one Arrow record into table; the record's field names are the columns.
func (w *Warehouse) Insert(ctx context.Context, table string, rec arrow.RecordBatch) error {
	if rec.NumRows() == 0 {
		return nil
	}
	// An appender of one record: the same staging, one statement.
	app := w.NewAppender(ctx, table, int(rec.NumRows()))
	if err := app.Append(rec); err != nil {
		app.Abort()
		return fmt.Errorf("insert %d rows into %s: %w", rec.NumRows(), table, err)
	}
	return app.Close()
}

// query runs one statement as written and returns its result. Statements from people go
// through the guard instead; this is for the warehouse's own.
func (w *Warehouse) query(ctx context.Context, stmt string, params Params) (*Result, error) {
	return w.eng.query(ctx, stmt, params)
}

// exec runs one statement that returns no rows. It may change data, so it starts a new
// data version (see DataVersion), which every process's cached results are kept for; a
// statement that failed part way may have changed something too.
func (w *Warehouse) exec(ctx context.Context, stmt string, params Params) error {
	return w.change(ctx, func() error { return w.eng.exec(ctx, stmt, params) })
}

// named runs the read query sql/queries/NAME.sql, answering from the cache while the data
// has not changed.
func (w *Warehouse) named(ctx context.Context, name string, params Params) (*Result, error) {
	text, err := namedQuery(name)
	if err != nil {
		return nil, err
	}
	load := func() (*Result, error) {
		res, err := w.eng.query(ctx, text, params)
		if err != nil {
			return nil, fmt.Errorf("query %s: %w", name, err)
		}
		return res, nil
	}
	v, ok, err := w.cacheVersion(ctx)
	switch {
	case err != nil:
		return nil, fmt.Errorf("query %s: %w", name, err)
	case !ok:
		return load()
	}
	return w.cache.get(cacheKey(name, params), v, load)
}

// namedQuery returns the text of sql/queries/NAME.sql.
func namedQuery(name string) (string, error) { return ch.Named(name) }

func init() {
	// whtest's raw statements; the hooks package is internal to warehouse/...
	hooks.Query = func(ctx context.Context, w any, stmt string, params Params) (*ch.Result, error) {
		res, err := w.(*Warehouse).query(ctx, stmt, params)
		return (*ch.Result)(res), err
	}
	hooks.Exec = func(ctx context.Context, w any, stmt string, params Params) error {
		return w.(*Warehouse).exec(ctx, stmt, params)
	}
	hooks.ShareCache = func(dst, src any) { dst.(*Warehouse).cache = src.(*Warehouse).cache }
}

// IsServerDSN says whether s names a ClickHouse server rather than an embedded warehouse.
func IsServerDSN(s string) bool { return chserver.IsServerDSN(s) }

// databaseOf is the database cfg names: the server DSN's path, else cfg.Database, else
// "jinwei".
func databaseOf(cfg Config) string {
	if db := chserver.DatabaseIn(cfg.ServerDSN); db != "" {
		return db
	}
	if cfg.Database != "" {
		return cfg.Database
	}
	return "jinwei"
}

// ErrWarehouseBusy reports that another process has the embedded warehouse open (see
// chdb.ErrWarehouseBusy).
var ErrWarehouseBusy = chdb.ErrWarehouseBusy

// IsWorker says whether this process was started as an ad hoc SQL worker; its main must
// then call RunWorker and exit with its code.
func IsWorker() bool { return chdb.IsWorker() }

// RunWorker serves ad hoc SQL as a worker process (see chdb.RunWorker).
func RunWorker() int { return chdb.RunWorker() }
