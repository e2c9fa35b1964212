package warehouse

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"

	"jinwei/warehouse/ch"
	"jinwei/warehouse/chdb"
)

// The engine's contract (statements, parameters, results) is package ch's; the warehouse
// names its types for the rest of the program.
type (
	Params      = ch.Params
	Column      = ch.Column
	EngineError = ch.EngineError
)

// engine is the warehouse's view of its ch.Engine: the same calls, with results the
// warehouse reads by column name (Result). observedEngine wraps it.
type engine interface {
	exec(ctx context.Context, stmt string, params Params) error
	query(ctx context.Context, stmt string, params Params) (*Result, error)
	stager(ctx context.Context, table string, schema *arrow.Schema) (ch.Stager, error)
	kind() string
	close() error
}

// opened is the ch.Engine the warehouse opened.
type opened struct{ e ch.Engine }

func (o opened) exec(ctx context.Context, stmt string, params Params) error {
	return o.e.Exec(ctx, stmt, params)
}

func (o opened) query(ctx context.Context, stmt string, params Params) (*Result, error) {
	res, err := o.e.Query(ctx, stmt, params)
	return (*Result)(res), err
}

func (o opened) stager(ctx context.Context, table string, schema *arrow.Schema) (ch.Stager, error) {
	return o.e.Stager(ctx, table, schema)
}

func (o opened) kind() string { return o.e.Kind() }
func (o opened) close() error { return o.e.Close() }

// embedded is the warehouse's embedded engine, if it has one.
func (w *Warehouse) embedded() (*chdb.Engine, bool) {
	op, ok := w.eng.(opened)
	if !ok {
		return nil, false
	}
	e, ok := op.e.(*chdb.Engine)
	return e, ok
}
