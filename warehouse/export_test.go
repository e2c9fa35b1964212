package warehouse

import "context"

// SplitStatements exposes splitStatements to the package's external tests.
var SplitStatements = splitStatements

// NamedQueryText returns the text of sql/queries/NAME.sql, for tests that run it elsewhere.
func NamedQueryText(name string) (string, error) { return namedQuery(name) }

// ReadDataVersion reads the data version from the warehouse, past the TTL DataVersion keeps.
func (w *Warehouse) ReadDataVersion(ctx context.Context) (uint64, error) {
	return w.readDataVersion(ctx)
}
