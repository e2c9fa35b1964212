// Package warehouse is jinwei's ClickHouse: the engine behind a small interface, the schema
// migrations, Arrow batch inserts, and the typed queries the dashboards and the ETL need.
// It knows nothing of HTTP or file formats.
package warehouse

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	jsql "jinwei/sql"
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
	// process of its own (see adhocGuard): the jinwei binary, whose main calls RunWorker
	// when IsWorker. Empty runs ad hoc SQL on the warehouse's own connection, where every
	// dashboard query waits behind it (one-shot commands, which serve nobody else).
	Worker string
}

// Warehouse is an open connection to jinwei's database.
type Warehouse struct {
	eng     engine
	guard   guardEngine // where guarded statements run
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
	libs := DefaultChdbCandidates()
	if cfg.ChdbLib != "" {
		libs = []string{cfg.ChdbLib}
	}
	switch {
	case IsServerDSN(cfg.ServerDSN):
		eng, ddl, err := openServer(cfg.ServerDSN, db, cfg.Cluster)
		if err != nil {
			return nil, err
		}
		guard, err := openServerGuard(cfg, eng, libs)
		if err != nil {
			eng.close()
			return nil, err
		}
		return &Warehouse{eng: eng, guard: guard, db: eng.db, ddl: ddl, cache: newQueryCache(cachedResults)}, nil
	case cfg.ServerDSN != "":
		// Not quoted back: a mistyped DSN may still hold a password.
		return nil, fmt.Errorf("the warehouse DSN must start with clickhouse:// (clickhouse://user:password@host:9000/database)")
	case cfg.Cluster != "":
		return nil, fmt.Errorf("cluster %q needs a ClickHouse server DSN (clickhouse://…); the embedded engine is one process", cfg.Cluster)
	case cfg.ReadonlyDSN != "":
		return nil, fmt.Errorf("a read-only DSN needs a ClickHouse server warehouse (clickhouse://…); the embedded engine has no users, and the guard alone fences it")
	}
	eng, err := openChdb(libs, cfg.DataDir, db)
	if err != nil {
		return nil, err
	}
	w := &Warehouse{eng: eng, guard: eng, db: db, ddl: ddlTarget{db: db}, cache: newQueryCache(cachedResults), spool: eng.c.spoolDir()}
	if cfg.Worker != "" {
		w.guard = newAdhocGuard(eng, cfg.Worker, libs, w.cache.version.Load)
	}
	return w, nil
}

// openServerGuard connects the read-only user of cfg.ReadonlyDSN to the warehouse's database,
// or, without one, lets guarded statements run as the warehouse's own user.
func openServerGuard(cfg Config, eng *serverEngine, libs []string) (*serverGuard, error) {
	if cfg.ReadonlyDSN == "" {
		return &serverGuard{e: eng, libs: libs}, nil
	}
	if !IsServerDSN(cfg.ReadonlyDSN) {
		return nil, fmt.Errorf("the read-only DSN must start with clickhouse:// (clickhouse://user:password@host:9000/database)")
	}
	if db := databaseOf(Config{ServerDSN: cfg.ReadonlyDSN, Database: eng.db}); db != eng.db {
		return nil, fmt.Errorf("the read-only DSN names database %s, the warehouse's is %s", db, eng.db)
	}
	ro, _, err := openServer(cfg.ReadonlyDSN, eng.db, "")
	if err != nil {
		return nil, fmt.Errorf("read-only user: %w", err)
	}
	return &serverGuard{e: ro, own: true, libs: libs}, nil
}

// Close releases the engine.
func (w *Warehouse) Close() error {
	gerr := w.guard.closeGuard()
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

// Query runs one statement as written and returns its result. Callers that take statements
// from people must guard them first; jinwei's own queries go through named files.
func (w *Warehouse) Query(ctx context.Context, stmt string, params Params) (*Result, error) {
	return w.eng.query(ctx, stmt, params)
}

// Exec runs one statement that returns no rows. It may change data, so it starts a new
// data version (see DataVersion), which every process's cached results are kept for.
func (w *Warehouse) Exec(ctx context.Context, stmt string, params Params) error {
	if err := w.eng.exec(ctx, stmt, params); err != nil {
		// A statement that failed part way may still have changed something here.
		w.cache.invalidate()
		return err
	}
	return w.dataChanged(ctx)
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

func namedQuery(name string) (string, error) {
	b, err := fs.ReadFile(jsql.Queries, "queries/"+name+".sql")
	if err != nil {
		return "", fmt.Errorf("query %s: %w", name, err)
	}
	return strings.TrimSpace(string(b)), nil
}
