package chdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	"jinwei/warehouse/ch"
)

// chdbConn is the process's one connection to an embedded data directory. chDB allows one
// open connection per process (opening another closes the first), so every Engine of the
// process shares it; the mutex serialises calls, which chDB would do anyway.
type chdbConn struct {
	mu    sync.Mutex
	lib   *chdbLib
	conn  *unsafe.Pointer
	path  string
	curDB string
	users int
}

var (
	chdbMu     sync.Mutex
	chdbShared *chdbConn
)

// Engine runs statements against one database of the shared embedded connection.
type Engine struct {
	c  *chdbConn
	db string
}

var _ ch.Engine = (*Engine)(nil)

func Open(libPaths []string, dataDir, db string) (*Engine, error) {
	// Absolute, because the ad hoc worker runs in a folder of its own: handed a relative
	// path it opened a new, empty warehouse there, and the console found no tables.
	dataDir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("open embedded warehouse %s: %w", dataDir, err)
	}
	chdbMu.Lock()
	defer chdbMu.Unlock()
	if chdbShared != nil && chdbShared.path != dataDir {
		return nil, fmt.Errorf("open embedded warehouse %s: this process already has %s open, and chDB allows one data directory per process", dataDir, chdbShared.path)
	}
	if chdbShared == nil {
		// Asked before the library is loaded: a command that finds a server holding the
		// warehouse hands it the work, and mapping the engine in first made each such
		// command 190 MB and a second or so for nothing.
		if err := checkNotLocked(dataDir); err != nil {
			return nil, err
		}
		err := keepGoSignals(func() error {
			lib, err := loadChdb(libPaths)
			if err == nil {
				chdbShared, err = connectChdb(lib, dataDir)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	chdbShared.users++
	e := &Engine{c: chdbShared, db: db}
	if err := e.c.run("CREATE DATABASE IF NOT EXISTS "+ch.QuoteIdent(db), "", nil, nil); err != nil {
		e.Close()
		return nil, fmt.Errorf("create database %s: %w", db, err)
	}
	return e, nil
}

func connectChdb(lib *chdbLib, dataDir string) (*chdbConn, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	args := []string{
		"clickhouse",
		"--path=" + dataDir,
		// Keep 64-bit integers as JSON numbers so results decode into numbers.
		"--output_format_json_quote_64bit_integers=0",
		// Server settings follow "--". BACKUP … TO File(…) needs an allowed path; the
		// backup command chooses the folder, and ad hoc SQL cannot back up (the guard).
		"--",
		"--backups.allowed_path=/",
	}
	argv := make([]*byte, len(args))
	for i, a := range args {
		argv[i] = cString(a)
	}
	conn := lib.connect(len(argv), argv)
	runtime.KeepAlive(argv)
	if conn == nil || *conn == nil {
		return nil, fmt.Errorf("open embedded warehouse %s: chDB refused the connection (is another jinwei process using this directory?)", dataDir)
	}
	c := &chdbConn{lib: lib, conn: conn, path: dataDir}
	// Staged inserts and exports of a process that was killed are left behind; this process
	// holds the data directory alone now, so none of them is anyone's.
	_ = os.RemoveAll(c.spoolDir())
	_ = os.RemoveAll(filepath.Join(dataDir, adhocDir))
	return c, nil
}

func (e *Engine) Close() error {
	chdbMu.Lock()
	defer chdbMu.Unlock()
	if e.c == nil {
		return nil
	}
	e.c.users--
	if e.c.users == 0 {
		e.c.mu.Lock()
		e.c.lib.closeConn(e.c.conn)
		e.c.mu.Unlock()
		chdbShared = nil
	}
	e.c = nil
	return nil
}

func (e *Engine) Kind() string { return "embedded" }

func (e *Engine) Exec(ctx context.Context, stmt string, params ch.Params) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return e.c.runIn(e.db, stmt, "Null", params, nil)
}

func (e *Engine) Query(ctx context.Context, stmt string, params ch.Params) (*ch.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []byte
	start := time.Now()
	if err := e.c.runIn(e.db, stmt, "JSONCompact", params, &out); err != nil {
		return nil, err
	}
	res, err := ch.DecodeJSONCompact(out)
	if err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// chdbStage writes an insert's records to a file in the data directory, and commit has the
// engine read it in one INSERT … SELECT: the rows land together or not at all, and however
// many records were written, memory holds none of them. The file is in Native format when
// every column has a Native encoding (see native.go), else an Arrow IPC stream. (Data
// inline after FORMAT is cut short by chDB's statement splitter whenever the binary holds a
// ';' byte, so it cannot carry either.)
type chdbStage struct {
	e      *Engine
	schema *arrow.Schema
	table  string
	cols   string
	f      *os.File
	format string
	out    spoolWriter
}

// spoolWriter writes a stage's records in one file format.
type spoolWriter interface {
	write(rec arrow.RecordBatch) error
	// finish writes what is buffered and what the format ends a file with.
	finish() error
}

// arrowSpool is an Arrow IPC stream, for records without a Native encoding.
type arrowSpool struct{ w *ipc.Writer }

func (a arrowSpool) write(rec arrow.RecordBatch) error { return a.w.Write(rec) }
func (a arrowSpool) finish() error                     { return a.w.Close() }

func (e *Engine) Stager(ctx context.Context, table string, schema *arrow.Schema) (ch.Stager, error) {
	types, err := e.columnTypes(ctx, table)
	if err != nil {
		return nil, err
	}
	names := make([]string, schema.NumFields())
	for i, fld := range schema.Fields() {
		names[i] = ch.QuoteIdent(fld.Name)
	}
	cols := strings.Join(names, ", ")
	plan, noNative := planNative(schema, types)
	return func() (ch.InsertStage, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, err := os.CreateTemp(e.c.spoolDir(), "insert-*")
		if err != nil {
			return nil, fmt.Errorf("spool rows for %s: %w", table, err)
		}
		s := &chdbStage{e: e, schema: schema, table: table, cols: cols, f: f}
		if noNative == nil {
			s.format, s.out = "Native", newNativeWriter(f, plan)
		} else {
			s.format, s.out = "ArrowStream", arrowSpool{ipc.NewWriter(f, ipc.WithSchema(schema))}
		}
		return s, nil
	}, nil
}

// columnTypes maps the table's columns to their types.
func (e *Engine) columnTypes(ctx context.Context, table string) (map[string]string, error) {
	text, err := ch.Named("table_columns")
	if err != nil {
		return nil, err
	}
	res, err := e.Query(ctx, text, ch.Params{"table": table})
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	types := make(map[string]string, len(res.Rows))
	for _, r := range res.Rows {
		types[r[0].(string)] = r[1].(string)
	}
	return types, nil
}

func (s *chdbStage) Write(rec arrow.RecordBatch) error {
	if !rec.Schema().Equal(s.schema) {
		return fmt.Errorf("spool rows for %s: a record of another schema than the insert's: %s", s.table, rec.Schema())
	}
	if err := s.out.write(rec); err != nil {
		return fmt.Errorf("spool rows for %s: %w", s.table, err)
	}
	return nil
}

func (s *chdbStage) Commit(ctx context.Context) error {
	defer s.Discard()
	err := s.out.finish()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("spool rows for %s: %w", s.table, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	stmt := "INSERT INTO " + ch.QuoteIdent(s.table) + " (" + s.cols + ") SELECT " + s.cols + " FROM file({spool:String}, {format:String})"
	return s.e.c.runIn(s.e.db, stmt, "Null", ch.Params{"spool": s.f.Name(), "format": s.format}, nil)
}

// discard removes the staged file; a finished or abandoned stage holds nothing else.
func (s *chdbStage) Discard() {
	_ = s.f.Close()
	_ = os.Remove(s.f.Name())
}

// runIn switches the shared connection to db if needed and runs stmt.
func (c *chdbConn) runIn(db, stmt, format string, params ch.Params, out *[]byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.curDB != db {
		if err := c.runLocked("USE "+ch.QuoteIdent(db), "Null", nil, nil); err != nil {
			return err
		}
		c.curDB = db
	}
	return c.runLocked(stmt, format, params, out)
}

// SpoolDir is where large results (exports) may be staged on disk, the spool folder in the
// data directory.
func (e *Engine) SpoolDir() string { return e.c.spoolDir() }

// spoolDir is where inserts stage their Arrow files: inside the data directory, so they
// stay on the warehouse's disk and never in a shared temporary directory.
func (c *chdbConn) spoolDir() string {
	dir := filepath.Join(c.path, "jinwei_spool")
	_ = os.MkdirAll(dir, 0o700)
	return dir
}

func (c *chdbConn) run(stmt, format string, params ch.Params, out *[]byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.runLocked(stmt, format, params, out)
}

// runLocked runs stmt; after an engine error it clears the connection (see drainLocked),
// so the next caller does not receive the failed statement's leftover output.
func (c *chdbConn) runLocked(stmt, format string, params ch.Params, out *[]byte) error {
	err := c.runRaw(stmt, format, params, out)
	var engErr *ch.EngineError
	if errors.As(err, &engErr) {
		if derr := c.drainLocked(); derr != nil {
			return fmt.Errorf("%w (and then: %v)", err, derr)
		}
	}
	return err
}

// runRaw runs one statement on the connection, nothing more.
func (c *chdbConn) runRaw(stmt, format string, params ch.Params, out *[]byte) error {
	if format == "" {
		format = "Null"
	}
	if c.conn == nil {
		return fmt.Errorf("embedded warehouse is closed")
	}
	cp := newCParams(params)
	q := unsafe.StringData(stmt)
	res := c.lib.queryParams(*c.conn, q, uintptr(len(stmt)), format, uintptr(len(format)),
		cp.names(), cp.nameLens(), cp.values(), cp.valueLens(), cp.count())
	runtime.KeepAlive(cp)
	runtime.KeepAlive(stmt)
	if res == nil {
		return nil
	}
	defer c.lib.destroyResult(res)
	if msg := c.lib.resultError(res); msg != "" {
		return &ch.EngineError{Message: strings.TrimSpace(msg)}
	}
	if out != nil {
		if n := c.lib.resultLength(res); n > 0 {
			*out = bytes.Clone(unsafe.Slice(c.lib.resultBuffer(res), n))
		}
	}
	return nil
}

// cParams holds query parameters as the C arrays chDB's calls take: names and values as
// pointers and lengths, sorted by name, each array with one spare element so that none is
// empty (the address of element 0 must exist even with no parameters).
type cParams struct {
	namePtrs, valuePtrs   []*byte
	nameSizes, valueSizes []uintptr
}

func newCParams(params ch.Params) *cParams {
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	cp := &cParams{
		namePtrs: make([]*byte, len(names)+1), nameSizes: make([]uintptr, len(names)+1),
		valuePtrs: make([]*byte, len(names)+1), valueSizes: make([]uintptr, len(names)+1),
	}
	for i, n := range names {
		v := ch.EscapeParam(params[n])
		cp.namePtrs[i], cp.nameSizes[i] = cString(n), uintptr(len(n))
		cp.valuePtrs[i], cp.valueSizes[i] = cString(v), uintptr(len(v))
	}
	return cp
}

func (cp *cParams) names() **byte       { return &cp.namePtrs[0] }
func (cp *cParams) nameLens() *uintptr  { return &cp.nameSizes[0] }
func (cp *cParams) values() **byte      { return &cp.valuePtrs[0] }
func (cp *cParams) valueLens() *uintptr { return &cp.valueSizes[0] }
func (cp *cParams) count() uintptr      { return uintptr(len(cp.namePtrs) - 1) }
