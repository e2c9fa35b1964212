package chserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"jinwei/warehouse/ch"
)

// Engine runs jinwei's statements on a ClickHouse server or cluster over the native
// protocol, through clickhouse-go's connection pool, which is safe for many goroutines and
// for several jinwei processes at once (an ETL run beside `serve`).
type Engine struct {
	conn  driver.Conn
	addrs []string
	user  string
	db    string
	// nativeParams is false for servers too old to take {name:Type} parameters beside
	// the query; jinwei then binds them into the text itself (bindOnClient).
	nativeParams bool
	// compat marks a server older than 20.1 (Debian's 18.16): see compatDDL.
	compat bool
}

var _ ch.Engine = (*Engine)(nil)

// openTimeout bounds connecting and the checks that follow: long enough for a TLS
// handshake across a slow link, short enough to tell a person the server is not there.
const openTimeout = 30 * time.Second

// ClickHouse error codes that mean "wrong user or password" (the code changed over the
// versions: 192-194 up to 20.x, 516 since).
var authCodes = map[int32]bool{192: true, 193: true, 194: true, 516: true}

// Open connects to the server(s) of dsn, checks the cluster, and creates database db
// (databaseOf: the DSN's own, if it names one) if it is missing.
func Open(dsn, db, cluster string) (*Engine, error) {
	opts, err := serverOptions(dsn)
	if err != nil {
		return nil, err
	}
	if cluster != "" {
		// An INSERT into a Distributed table returns only once every shard has its rows, so
		// a load's commit marker can never become visible before the rows it commits.
		opts.Settings["insert_distributed_sync"] = 1
	}
	e := &Engine{addrs: opts.Addr, user: opts.Auth.Username, db: db}
	if e.user == "" {
		e.user = "default"
	}
	ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
	defer cancel()
	// The first connection names no database: it has to work before the database exists.
	if err := e.connect(ctx, *opts, ""); err != nil {
		return nil, err
	}
	err = e.prepareDatabase(ctx, cluster)
	e.conn.Close()
	if err != nil {
		return nil, err
	}
	if err := e.connect(ctx, *opts, db); err != nil {
		return nil, err
	}
	return e, nil
}

// connect opens the pool on database db and learns what the server can do.
func (e *Engine) connect(ctx context.Context, opts clickhouse.Options, db string) error {
	opts.Auth.Database = db
	conn, err := clickhouse.Open(&opts)
	if err != nil {
		return fmt.Errorf("connect to ClickHouse server %s: %w", e.where(), err)
	}
	ver, err := conn.ServerVersion() // the handshake of a first connection
	if err == nil {
		err = conn.Ping(ctx)
	}
	if err != nil {
		conn.Close()
		return e.connectError(ctx, err)
	}
	e.conn = conn
	e.nativeParams = ver.Revision >= minRevisionWithParams
	e.compat = ver.Version.Major < 20
	return nil
}

// prepareDatabase makes a misspelt cluster name fail at start-up, naming the clusters the
// server knows, and creates the database only if it is missing, so a read-only user can
// open an existing one.
func (e *Engine) prepareDatabase(ctx context.Context, cluster string) error {
	if cluster != "" {
		res, err := e.Query(ctx, "SELECT DISTINCT cluster FROM system.clusters ORDER BY cluster", nil)
		if err != nil {
			return fmt.Errorf("list the clusters of ClickHouse server %s: %w", e.where(), err)
		}
		var known []string
		for _, r := range res.Rows {
			known = append(known, fmt.Sprint(r[0]))
		}
		if !slices.Contains(known, cluster) {
			return fmt.Errorf("cluster %q is not among the clusters ClickHouse server %s knows (remote_servers: %s)", cluster, e.where(), strings.Join(known, ", "))
		}
	}
	res, err := e.Query(ctx, "SELECT count() AS n FROM system.databases WHERE name = {db:String}", ch.Params{"db": e.db})
	if err != nil {
		return fmt.Errorf("look for database %s on ClickHouse server %s: %w", e.db, e.where(), err)
	}
	if res.Rows[0][0] != int64(0) {
		return nil
	}
	if err := e.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+ch.QuoteIdent(e.db)+OnCluster(cluster), nil); err != nil {
		return fmt.Errorf("create database %s on ClickHouse server %s: %w", e.db, e.where(), err)
	}
	return nil
}

func (e *Engine) Kind() string { return "server" }

// DB names the database the engine's statements run in.
func (e *Engine) DB() string { return e.db }

// Compat says whether the server is older than 20.1 (Debian's 18.16): its DDL needs the
// rewrites of compatDDL and its inserts bind no parameters.
func (e *Engine) Compat() bool { return e.compat }

func (e *Engine) Close() error { return e.conn.Close() }

var insertValuesRe = regexp.MustCompile(`(?is)^\s*INSERT\b.*\bVALUES\b`)

func (e *Engine) Exec(ctx context.Context, stmt string, params ch.Params) error {
	if e.compat && insertValuesRe.MatchString(ch.MaskSQL(stmt)) {
		// The old server would wait for data blocks after VALUES that clickhouse-go never
		// sends, and the call would hang until its deadline.
		return fmt.Errorf("ClickHouse server %s is older than 20.1 and takes no INSERT … VALUES over the native protocol; write INSERT … SELECT", e.where())
	}
	ctx, stmt, err := e.bind(ctx, stmt, params)
	if err != nil {
		return err
	}
	return e.fail(ctx, "run statement", e.conn.Exec(ctx, stmt))
}

func (e *Engine) Query(ctx context.Context, stmt string, params ch.Params) (*ch.Result, error) {
	ctx, stmt, err := e.bind(ctx, stmt, params)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	rows, err := e.conn.Query(ctx, stmt)
	if err != nil {
		return nil, e.fail(ctx, "run query", err)
	}
	defer rows.Close()
	res, err := readRows(rows)
	if err != nil {
		return nil, e.fail(ctx, "read result", err)
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// bind hands params to the server beside the statement, or splices them in as literals for
// a server too old to take them.
func (e *Engine) bind(ctx context.Context, stmt string, params ch.Params) (context.Context, string, error) {
	if !e.nativeParams {
		bound, err := bindOnClient(stmt, params)
		if e.compat {
			bound = compatQuery(bound)
		}
		return ctx, bound, err
	}
	if len(params) == 0 {
		return ctx, stmt, nil
	}
	// The server reads parameters as escaped text, as the embedded engine does: escape them
	// the same way, once, here.
	escaped := make(clickhouse.Parameters, len(params))
	for k, v := range params {
		escaped[k] = ch.EscapeParam(v)
	}
	return clickhouse.Context(ctx, clickhouse.WithParameters(escaped)), stmt, nil
}

// where names the server(s) for messages.
func (e *Engine) where() string { return strings.Join(e.addrs, ",") }

// connectError says why the pool could not open: wrong credentials, nobody listening, or
// the server's own reason.
func (e *Engine) connectError(ctx context.Context, err error) error {
	var ex *clickhouse.Exception
	if errors.As(err, &ex) && authCodes[ex.Code] {
		return fmt.Errorf("connect to ClickHouse server %s: the server refused user %q: wrong user name or password (%w)", e.where(), e.user, engineError(ex))
	}
	if ctx.Err() != nil {
		return fmt.Errorf("connect to ClickHouse server %s: no answer within %s: %w", e.where(), openTimeout, err)
	}
	return e.fail(ctx, "connect", err)
}

// fail turns a driver error into one that says what happened: the caller's deadline or
// cancellation (errors.Is-able even when the driver saw only an i/o timeout), the server's
// own error as an *ch.EngineError like the embedded engine's, no server listening, or a
// connection that broke.
func (e *Engine) fail(ctx context.Context, doing string, err error) error {
	if err == nil {
		return nil
	}
	cerr := ctx.Err()
	if d, ok := ctx.Deadline(); ok && cerr == nil && !time.Now().Before(d) {
		cerr = context.DeadlineExceeded // the socket timed out a moment before the context
	}
	if cerr != nil {
		return fmt.Errorf("%s on ClickHouse server %s: %w (%v)", doing, e.where(), cerr, err)
	}
	var (
		ex *clickhouse.Exception
		op *net.OpError
	)
	switch {
	case errors.As(err, &ex):
		return engineError(ex)
	case errors.As(err, &op) && op.Op == "dial":
		return fmt.Errorf("%s: no ClickHouse server answered at %s: %w", doing, e.where(), err)
	case connectionLost(err):
		return fmt.Errorf("%s: lost the connection to ClickHouse server %s (the server stopped or the network failed): %w", doing, e.where(), err)
	}
	return fmt.Errorf("%s on ClickHouse server %s: %w", doing, e.where(), err)
}

func engineError(ex *clickhouse.Exception) *ch.EngineError {
	return &ch.EngineError{Message: fmt.Sprintf("Code: %d. %s: %s", ex.Code, ex.Name, strings.TrimSpace(ex.Message))}
}

func connectionLost(err error) bool {
	var op *net.OpError
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, net.ErrClosed) || errors.As(err, &op)
}

// OnCluster is the ON CLUSTER clause of cluster, or nothing for one server.
func OnCluster(cluster string) string {
	if cluster == "" {
		return ""
	}
	return " ON CLUSTER " + ch.QuoteIdent(cluster)
}
