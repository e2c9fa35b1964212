package etl

import "context"

// LoadEconomy loads a long-format table of indicator values whose headers name the fields:
// LoadFile of the economy job, for the package's tests (compiled into tests alone).
func (l *Loader) LoadEconomy(ctx context.Context, path string) (*Report, error) {
	return l.LoadFile(ctx, JobEconomy, path, nil)
}

// RememberKeys sets how many values a dry run remembers to find repeats, until the test
// ends; a test calling it must not run in parallel.
func RememberKeys(t interface{ Cleanup(func()) }, n int) {
	was := maxSeenKeys
	maxSeenKeys = n
	t.Cleanup(func() { maxSeenKeys = was })
}
