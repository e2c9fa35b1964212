package warehouse

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// queryCache keeps the results of named read queries per query and parameters, valid for
// one generation: a write through this process starts a new one at once, and so does a new
// data version in the warehouse (a write by any process or host) when the warehouse reads
// it, at most once per versionTTL (see Warehouse.cacheVersion). So a view after a load is
// never stale here and at most versionTTL stale elsewhere, and a repeated view does not
// reach the engine. Concurrent misses on the same key wait for one engine query instead of
// each running their own.
type queryCache struct {
	version atomic.Uint64 // the generation
	hits    atomic.Uint64
	misses  atomic.Uint64

	mu       sync.Mutex
	entries  map[string]cacheEntry
	inflight map[string]*cacheCall
	max      int
}

type cacheEntry struct {
	version uint64
	val     any // a *Result, or a value computed from results (see computed)
}

type cacheCall struct {
	done chan struct{}
	val  any
	err  error
}

func newQueryCache(max int) *queryCache {
	return &queryCache{entries: map[string]cacheEntry{}, inflight: map[string]*cacheCall{}, max: max}
}

// invalidate starts a new generation; everything cached before is stale.
func (c *queryCache) invalidate() { c.version.Add(1) }

// get returns the cached result for key at version v (from Warehouse.cacheVersion) or runs
// load once for all callers waiting on it. Results are shared: callers must not modify them.
func (c *queryCache) get(key string, v uint64, load func() (*Result, error)) (*Result, error) {
	val, err := c.lookup(key, v, true, func() (any, error) { return load() })
	res, _ := val.(*Result)
	return res, err
}

// computed is get for a value computed from named queries' results (the campaign
// scorecard), kept for the same generation under a key of its own namespace, so that the
// pages asking for it after a new data version compute it once between them. It does not
// count as an engine query in the hits and misses.
func (c *queryCache) computed(key string, v uint64, load func() (any, error)) (any, error) {
	return c.lookup("\x01"+key, v, false, load)
}

func (c *queryCache) lookup(key string, v uint64, count bool, load func() (any, error)) (any, error) {
	tally := func(n *atomic.Uint64) {
		if count {
			n.Add(1)
		}
	}
	c.mu.Lock()
	if e, ok := c.entries[key]; ok && e.version == v {
		c.mu.Unlock()
		tally(&c.hits)
		return e.val, nil
	}
	flightKey := key + "\x00" + itoa(v)
	if call, ok := c.inflight[flightKey]; ok {
		c.mu.Unlock()
		<-call.done
		if isCancel(call.err) {
			// The request that ran the query was abandoned; this one was not.
			tally(&c.misses)
			return load()
		}
		tally(&c.hits)
		return call.val, call.err
	}
	call := &cacheCall{done: make(chan struct{})}
	c.inflight[flightKey] = call
	c.mu.Unlock()

	tally(&c.misses)
	call.val, call.err = load()

	c.mu.Lock()
	delete(c.inflight, flightKey)
	if call.err == nil && c.version.Load() == v {
		if len(c.entries) >= c.max {
			c.evict(v)
		}
		c.entries[key] = cacheEntry{version: v, val: call.val}
	}
	c.mu.Unlock()
	close(call.done)
	return call.val, call.err
}

func isCancel(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// evict drops stale entries, and everything if that frees nothing. Called with mu held.
func (c *queryCache) evict(current uint64) {
	for k, e := range c.entries {
		if e.version != current {
			delete(c.entries, k)
		}
	}
	if len(c.entries) >= c.max {
		clear(c.entries)
	}
}

// cacheKey names a query with its parameters in a fixed order.
func cacheKey(name string, params Params) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(name)
	for _, k := range keys {
		b.WriteByte(0)
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(params[k])
	}
	return b.String()
}

func itoa(v uint64) string {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(buf[i:])
		}
	}
}

// CacheStats reports how often named queries were answered from the cache.
type CacheStats struct {
	Hits, Misses uint64
	// DataVersion is the warehouse's data version as the cache last read it.
	DataVersion uint64
}

// CacheStats returns the query cache's counters.
func (w *Warehouse) CacheStats() CacheStats {
	w.version.mu.Lock()
	v := w.version.seen
	w.version.mu.Unlock()
	return CacheStats{Hits: w.cache.hits.Load(), Misses: w.cache.misses.Load(), DataVersion: v}
}

// ForgetCachedResults drops every cached result, for measuring uncached answers. Changes by
// other processes need no call: the data version they write reaches the cache.
func (w *Warehouse) ForgetCachedResults() { w.cache.invalidate() }
