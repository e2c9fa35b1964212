package main

import (
	"sort"
	"sync"

	"jinwei/warehouse"
)

// inflight keeps the counts of the loads running in this process, for the admin API that
// CLI commands poll while the server loads a file they handed over.
type inflight struct {
	mu   sync.Mutex
	runs map[string]warehouse.Run
}

func newInflight() *inflight { return &inflight{runs: map[string]warehouse.Run{}} }

// update records a running load's counts (etl.Loader.Progress).
func (f *inflight) update(r warehouse.Run) {
	f.mu.Lock()
	f.runs[r.ID] = r
	f.mu.Unlock()
}

// done forgets a finished load (etl.Loader.OnRun).
func (f *inflight) done(r warehouse.Run) {
	f.mu.Lock()
	delete(f.runs, r.ID)
	f.mu.Unlock()
}

func (f *inflight) list() []warehouse.Run {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]warehouse.Run, 0, len(f.runs))
	for _, r := range f.runs {
		out = append(out, r)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].StartedAt.Before(out[b].StartedAt) })
	return out
}
