// Package ch is what every ClickHouse engine of the warehouse speaks and what the rest of the
// warehouse asks of one: statements with {name:Type} parameters, results as Go values, Arrow
// inserts in stages, streamed rows, and the session a guarded statement runs in. It owns
// these types and the small text helpers every engine shares (quoting, masking literals).
// It reads jinwei's named queries (sql/queries) for whoever runs them. It never opens an
// engine, never reads the migrations, and knows nothing
// of the guard's policy: the embedded engine (warehouse/chdb) and the server
// (warehouse/chserver) implement it, package warehouse and the guard use it.
package ch

import (
	"context"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	jsql "jinwei/sql"
)

// Engine is what the warehouse needs from a ClickHouse: the embedded chDB library or a
// server. Statements use {name:Type} placeholders, bound by the engine, never spliced in.
type Engine interface {
	Exec(ctx context.Context, stmt string, params Params) error
	Query(ctx context.Context, stmt string, params Params) (*Result, error)
	// Stager prepares inserts into table of records of the schema. Each stage it starts
	// gathers one insert's records, written one by one; Commit inserts them in one
	// statement naming the schema's columns, so they land together or not at all.
	Stager(ctx context.Context, table string, schema *arrow.Schema) (Stager, error)
	// Kind names the kind of engine: "embedded" or "server".
	Kind() string
	Close() error
}

// Stager starts the next insert of an appender.
type Stager func() (InsertStage, error)

// InsertStage gathers the records of one insert.
type InsertStage interface {
	Write(rec arrow.RecordBatch) error
	Commit(ctx context.Context) error
	// Discard drops what was written, for an insert that will not happen.
	Discard()
}

// Params binds {name:Type} placeholders; values are written as ClickHouse reads them
// (numbers as digits, arrays as ['a','b']).
type Params map[string]string

// EngineError is an error reported by the ClickHouse engine itself.
type EngineError struct {
	Message string
	// Parsed says the engine was reading the statement as the analyst wrote it (the
	// guard's parse): a place its message names is in that statement, not in a string
	// the engine read while running it (CAST(x, 'Array(') is a syntax error too).
	Parsed bool
}

func (e *EngineError) Error() string { return "clickhouse: " + e.Message }

// Code is the engine's number for the error (62 for a syntax error; ClickHouse's
// ErrorCodes), 0 when its message gives none.
func (e *EngineError) Code() int {
	m := engineCode.FindStringSubmatch(e.Message)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// Place is where in the statement the engine stopped reading it, from 1: a syntax error's
// "(line 2, col 7)", or on a statement of one line, where it names no line, its "position
// 7". The column counts bytes of UTF-8, as the engine does. 0, 0 when it does not say, or
// the error is not of the statement's reading (see Parsed).
func (e *EngineError) Place() (line, col int) {
	if !e.Parsed {
		return 0, 0
	}
	if m := engineLineCol.FindStringSubmatch(e.Message); m != nil {
		line, _ = strconv.Atoi(m[1])
		col, _ = strconv.Atoi(m[2])
		return line, col
	}
	if m := enginePosition.FindStringSubmatch(e.Message); m != nil {
		col, _ = strconv.Atoi(m[1])
		return 1, col
	}
	return 0, 0
}

var (
	engineCode     = regexp.MustCompile(`^Code: (\d+)\.`)
	engineLineCol  = regexp.MustCompile(`\(line (\d+), col (\d+)\)`)
	enginePosition = regexp.MustCompile(`failed at position (\d+)`)
)

// QuoteIdent quotes an identifier for ClickHouse. Identifiers come from jinwei's own code
// and config (table and database names), never from requests.
func QuoteIdent(name string) string {
	return "`" + strings.ReplaceAll(strings.ReplaceAll(name, `\`, `\\`), "`", "\\`") + "`"
}

// RunFunc runs one statement and returns its result.
type RunFunc func(stmt string, params Params) (*Result, error)

// GuardEngine is where guarded statements (ad hoc SQL) run: the warehouse's embedded engine,
// a worker process of its own, its server, or a server's read-only user.
type GuardEngine interface {
	// Guarded gives fn a session for one statement, holding what must be held meanwhile.
	Guarded(ctx context.Context, fn func(s Session) error) error
	// CloseGuard releases what the guard engine opened for itself.
	CloseGuard() error
}

// Session is what the guard works with on one statement: a parser (the engine's formatter
// and EXPLAIN AST, small answers) and the engine that runs the final statement, streaming
// its rows or, for SHOW, DESCRIBE and EXPLAIN, whole. The parser is another engine's only on
// a server too old to parse for the guard.
type Session struct {
	Parse  RunFunc
	Run    RunFunc
	Stream func(stmt string, each ChunkFunc) error
	// Tables, when set, reads the database's catalogue for the guard's table check; Run
	// does when it is nil.
	Tables RunFunc
	// Limits, when set, is told the statement's time and result-size limits before it
	// runs, for a session that enforces them itself (a worker is ended a quarter past the
	// time, and stops a result at the size before sending it on).
	Limits func(timeout time.Duration, maxBytes int64)
	// ReadOnly is set when the session is read-only already. Such a session may not change
	// the readonly setting (the engine refuses even to set it again), so the limits leave it
	// out; the session's own setting is the fence against writes.
	ReadOnly bool
	// OldServer is set for servers older than 20.1, which read max_execution_time only as
	// a whole number of seconds ("Bad get: has Float64, requested UInt64") and take no
	// SETTINGS clause on SHOW or DESCRIBE.
	OldServer bool
}

// Named returns the text of sql/queries/NAME.sql, jinwei's own statements.
func Named(name string) (string, error) {
	b, err := fs.ReadFile(jsql.Queries, "queries/"+name+".sql")
	if err != nil {
		return "", fmt.Errorf("query %s: %w", name, err)
	}
	return strings.TrimSpace(string(b)), nil
}
