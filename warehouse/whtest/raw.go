package whtest

import (
	"context"

	"jinwei/warehouse"
	"jinwei/warehouse/internal/hooks"
)

// Query runs one statement as written on w, for tests that look at or set up tables
// directly. The warehouse exports no such call: program code runs named queries, and
// people's statements go through the guard.
func Query(ctx context.Context, w *warehouse.Warehouse, stmt string, params warehouse.Params) (*warehouse.Result, error) {
	res, err := hooks.Query(ctx, w, stmt, params)
	return (*warehouse.Result)(res), err
}

// Exec runs one statement that returns no rows on w, starting a new data version.
func Exec(ctx context.Context, w *warehouse.Warehouse, stmt string, params warehouse.Params) error {
	return hooks.Exec(ctx, w, stmt, params)
}
