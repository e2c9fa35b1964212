package warehouse

import (
	"context"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"jinwei/warehouse/ch"
)

// QueryObserver is told about every statement the engine runs, with how long it took.
type QueryObserver func(stmt string, params Params, took time.Duration, err error)

// ObserveQueries reports every engine statement to fn (for metrics, or to replay a page's
// queries against the bare engine) until the returned stop is called. Not for use while
// other goroutines start observing too.
func (w *Warehouse) ObserveQueries(fn QueryObserver) (stop func()) {
	inner := w.eng
	w.eng = &observedEngine{engine: inner, fn: fn}
	return func() { w.eng = inner }
}

// observedEngine times the statements of the engine it wraps.
type observedEngine struct {
	engine
	fn QueryObserver
}

func (o *observedEngine) exec(ctx context.Context, stmt string, params Params) error {
	start := time.Now()
	err := o.engine.exec(ctx, stmt, params)
	o.fn(stmt, params, time.Since(start), err)
	return err
}

func (o *observedEngine) query(ctx context.Context, stmt string, params Params) (*Result, error) {
	start := time.Now()
	res, err := o.engine.query(ctx, stmt, params)
	o.fn(stmt, params, time.Since(start), err)
	return res, err
}

func (o *observedEngine) stager(ctx context.Context, table string, schema *arrow.Schema) (ch.Stager, error) {
	next, err := o.engine.stager(ctx, table, schema)
	if err != nil {
		return nil, err
	}
	return func() (ch.InsertStage, error) {
		st, err := next()
		if err != nil {
			return nil, err
		}
		return &observedStage{InsertStage: st, table: table, fn: o.fn}, nil
	}, nil
}

// observedStage times an insert's statement.
type observedStage struct {
	ch.InsertStage
	table string
	fn    QueryObserver
}

func (o *observedStage) Commit(ctx context.Context) error {
	start := time.Now()
	err := o.InsertStage.Commit(ctx)
	o.fn("INSERT INTO "+o.table, nil, time.Since(start), err)
	return err
}
