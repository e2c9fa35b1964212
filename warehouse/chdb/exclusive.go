package chdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"jinwei/warehouse/ch"
)

var _ ch.GuardEngine = (*Engine)(nil)

// guarded runs the guard's statements on the embedded engine, holding its connection.
func (e *Engine) Guarded(ctx context.Context, fn func(s ch.Session) error) error {
	return e.exclusive(ctx, fn)
}

// closeGuard does nothing: the guard shares the warehouse's own embedded engine.
func (e *Engine) CloseGuard() error { return nil }

// exclusive holds the shared embedded connection for fn's statements, nobody else's in
// between. chDB 26.5 hands the output of a query that failed during execution (a timeout, a
// memory limit, throwIf) to the next call on the connection, in place of that call's own
// result: seen here, the SELECT after a timed-out query answered with the failed query's
// columns and partial rows. So the connection is cleared before fn starts and after each
// failed statement, while the lock is still held, and no other caller reads someone else's
// leftovers.
func (e *Engine) exclusive(ctx context.Context, fn func(s ch.Session) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if e.c == nil {
		return fmt.Errorf("embedded warehouse is closed")
	}
	c := e.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := ctx.Err(); err != nil { // given up while waiting for the connection
		return err
	}
	if err := c.drainLocked(); err != nil {
		return err
	}
	if c.curDB != e.db {
		if err := c.runLocked("USE "+ch.QuoteIdent(e.db), "Null", nil, nil); err != nil {
			return fmt.Errorf("use database %s: %w", e.db, err)
		}
		c.curDB = e.db
	}
	run := func(stmt string, params ch.Params) (*ch.Result, error) {
		var out []byte
		start := time.Now()
		if err := c.runLocked(stmt, "JSONCompact", params, &out); err != nil {
			return nil, err // runLocked has cleared the connection
		}
		res, err := ch.DecodeJSONCompact(out)
		if err != nil {
			return nil, err
		}
		res.Elapsed = time.Since(start)
		return res, nil
	}
	stream := func(stmt string, each ch.ChunkFunc) error { return c.streamLocked(ctx, stmt, each) }
	return fn(ch.Session{Parse: run, Run: run, Stream: stream})
}

// drainLocked runs a marker query until the marker itself comes back, so that any output a
// failed query left behind is read and dropped here.
func (c *chdbConn) drainLocked() error {
	var b [12]byte
	_, _ = rand.Read(b[:])
	marker := hex.EncodeToString(b[:])
	for range 3 {
		var out []byte
		err := c.runRaw("SELECT {marker:String}", "TabSeparated", ch.Params{"marker": marker}, &out)
		if err == nil && strings.TrimSpace(string(out)) == marker {
			return nil
		}
	}
	return fmt.Errorf("the embedded engine kept answering with an earlier query's output")
}
