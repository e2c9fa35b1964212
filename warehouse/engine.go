package warehouse

import (
	"context"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// engine is what the warehouse needs from a ClickHouse: the embedded chDB library or a
// server. Statements use {name:Type} placeholders, bound by the engine, never spliced in.
type engine interface {
	exec(ctx context.Context, stmt string, params Params) error
	query(ctx context.Context, stmt string, params Params) (*Result, error)
	// stager prepares inserts into table of records of the schema. Each stage it starts
	// gathers one insert's records, written one by one; commit inserts them in one
	// statement naming the schema's columns, so they land together or not at all.
	stager(ctx context.Context, table string, schema *arrow.Schema) (stager, error)
	kind() string
	close() error
}

// stager starts the next insert of an appender.
type stager func() (insertStage, error)

// insertStage gathers the records of one insert.
type insertStage interface {
	write(rec arrow.RecordBatch) error
	commit(ctx context.Context) error
	// discard drops what was written, for an insert that will not happen.
	discard()
}

// Params binds {name:Type} placeholders; values are written as ClickHouse reads them
// (numbers as digits, arrays as ['a','b']).
type Params map[string]string

// EngineError is an error reported by the ClickHouse engine itself.
type EngineError struct {
	Message string
}

func (e *EngineError) Error() string { return "clickhouse: " + e.Message }

// quoteIdent quotes an identifier for ClickHouse. Identifiers come from jinwei's own code
// and config (table and database names), never from requests.
func quoteIdent(name string) string {
	return "`" + strings.ReplaceAll(strings.ReplaceAll(name, `\`, `\\`), "`", "\\`") + "`"
}
