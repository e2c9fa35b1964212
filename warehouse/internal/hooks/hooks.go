// Package hooks is how the warehouse's own test helpers reach past its public surface: raw
// statements for whtest, and the moment the embedded engine starts a stream. It is internal,
// so no package outside warehouse/... can import it, and no program code sets or calls a hook
// except package warehouse, which fills Query and Exec in, and warehouse/chdb, which calls
// StreamStarted when a test has set it.
package hooks

import (
	"context"

	"jinwei/warehouse/ch"
)

var (
	// Query runs one statement as written on w, a *warehouse.Warehouse (this package cannot
	// name the type without importing the warehouse).
	Query func(ctx context.Context, w any, stmt string, params ch.Params) (*ch.Result, error)
	// Exec runs one statement that returns no rows on w, starting a new data version.
	Exec func(ctx context.Context, w any, stmt string, params ch.Params) error
	// ShareCache has the warehouse dst keep its read queries' results in src's cache (both
	// *warehouse.Warehouse on one database): handles on a fixture no test writes to.
	ShareCache func(dst, src any)
	// StreamStarted, when set (only tests set it), is called once the embedded engine has
	// accepted a streamed statement: a test that cancels a running statement waits for it
	// rather than guessing how long a busy machine takes to get there.
	StreamStarted func()
)
