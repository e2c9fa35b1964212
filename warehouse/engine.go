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
	// insert writes one Arrow record into table in one statement, naming its columns.
	insert(ctx context.Context, table string, rec arrow.RecordBatch) error
	kind() string
	close() error
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
