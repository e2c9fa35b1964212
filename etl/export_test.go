package etl

import "context"

// LoadEconomy loads a long-format table of indicator values whose headers name the fields:
// LoadFile of the economy job, for the package's tests (compiled into tests alone).
func (l *Loader) LoadEconomy(ctx context.Context, path string) (*Report, error) {
	return l.LoadFile(ctx, JobEconomy, path, nil)
}
