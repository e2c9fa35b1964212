package warehouse

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// versionTTL is how long a process trusts the data version it last read before it reads it
// again: the query cache asks the warehouse at most once per TTL, not once per page, and a
// write by another process or host is seen within it. Writes of this process are seen at
// once.
const versionTTL = time.Second

// dataVersion is this process's view of the warehouse's data version, the row count of the
// data_version table (migration 007): every write that changes data adds a row, through
// whichever process or host made it, so the version survives restarts and is the same for
// all of them.
type dataVersion struct {
	// absent is set while the database has no data_version table (not migrated yet, or
	// migrated by an older release): writes then change only this process's cache.
	absent atomic.Bool

	mu     sync.Mutex
	seen   uint64    // the version last read
	readAt time.Time // when; zero forces the next check to read
}

// versionWriter names this process in the rows it writes, for whoever reads them.
var versionWriter = func() Params {
	host, _ := os.Hostname()
	return Params{"host": host, "pid": strconv.Itoa(os.Getpid())}
}()

// DataVersion returns the warehouse's data version: it grows with every write that changes
// data, made by any process on any host, and survives restarts. Pages that show "new data"
// (the wall screen, submissions, alerts) compare it with the one they showed. It is read
// from the warehouse at most once per versionTTL, and at once after a write of this
// process, so asking it with every request costs no engine round trip.
func (w *Warehouse) DataVersion(ctx context.Context) (uint64, error) {
	d := &w.version
	d.mu.Lock()
	defer d.mu.Unlock()
	return w.refreshVersionLocked(ctx)
}

// DataVersionNow is DataVersion read from the warehouse now, however recently this process
// read it: for a reader that must know no write by another process or host came between
// two of its reads (the alerts, which compare two looks at the data). A new version drops
// the cached results, so what is read next is read anew.
func (w *Warehouse) DataVersionNow(ctx context.Context) (uint64, error) {
	d := &w.version
	d.mu.Lock()
	defer d.mu.Unlock()
	d.readAt = time.Time{}
	return w.refreshVersionLocked(ctx)
}

// refreshVersionLocked returns the data version, read again when the one known is older than
// versionTTL or this process has written since; a new one drops the cached results. Called
// with version.mu held.
func (w *Warehouse) refreshVersionLocked(ctx context.Context) (uint64, error) {
	d := &w.version
	if !d.readAt.IsZero() && time.Since(d.readAt) < versionTTL {
		return d.seen, nil
	}
	seen, err := w.readDataVersion(ctx)
	if err != nil {
		return 0, err
	}
	if seen != d.seen {
		d.seen = seen
		w.cache.invalidate()
	}
	d.readAt = time.Now()
	return seen, nil
}

// readDataVersion reads the data version from the warehouse.
func (w *Warehouse) readDataVersion(ctx context.Context) (uint64, error) {
	text, err := namedQuery("data_version")
	if err != nil {
		return 0, err
	}
	res, err := w.eng.query(ctx, text, nil)
	if err != nil {
		return 0, fmt.Errorf("read data version: %w", err)
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		return 0, fmt.Errorf("read data version: %d rows", len(res.Rows))
	}
	return res.Uint(0, 0), nil
}

// cacheVersion returns the query cache's version to key results by: the cache's own
// generation, moved on by this process's writes and whenever the data version read from the
// warehouse (at most once per versionTTL) has changed. ok is false when results must not be
// cached: the data version could not be read, for a reason other than the caller's context.
func (w *Warehouse) cacheVersion(ctx context.Context) (v uint64, ok bool, err error) {
	if w.version.absent.Load() {
		return w.cache.version.Load(), true, nil
	}
	d := &w.version
	d.mu.Lock()
	defer d.mu.Unlock()
	// Read before the generation is taken: a result loaded after this read is at least as
	// new as the version it is kept for.
	_, err = w.refreshVersionLocked(ctx)
	switch {
	case ctx.Err() != nil:
		return 0, false, ctx.Err()
	case err != nil && isUnknownTable(err):
		w.version.absent.Store(true)
		return w.cache.version.Load(), true, nil
	case err != nil:
		return 0, false, nil // the query itself will say what is wrong
	}
	return w.cache.version.Load(), true, nil
}

// dataChanged starts a new data version after a write: a row in data_version for every
// process, and at once for this one's cache. A database without the table (before
// migration 007) only drops this process's cached results.
func (w *Warehouse) dataChanged(ctx context.Context) error {
	w.cache.invalidate()
	d := &w.version
	defer func() {
		d.mu.Lock()
		d.readAt = time.Time{} // read the new version at the next look
		d.mu.Unlock()
	}()
	if d.absent.Load() {
		return nil
	}
	text, err := namedQuery("data_version_bump")
	if err != nil {
		return err
	}
	// The write has happened: its version is recorded even if its caller has gone.
	err = w.eng.exec(context.WithoutCancel(ctx), text, versionWriter)
	switch {
	case err == nil:
		return nil
	case isUnknownTable(err):
		d.absent.Store(true)
		return nil
	}
	return fmt.Errorf("record a new data version: %w", err)
}

// change runs write, the statements of one change to the data, and then starts a new data
// version whether or not they all went in: a change that stopped part way has left what it
// wrote, and every process must show that at once, as it would a whole change.
func (w *Warehouse) change(ctx context.Context, write func() error) error {
	err := write()
	return errors.Join(err, w.dataChanged(ctx))
}

// isUnknownTable says err is the engine's "table does not exist" (code 60), or "database
// does not exist" (81, after a DROP DATABASE), as the embedded engine and clickhouse-go word
// them.
func isUnknownTable(err error) bool {
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"unknown_table", "unknown_database", "code: 60,", "code: 60.", "code: 81,", "code: 81."} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
