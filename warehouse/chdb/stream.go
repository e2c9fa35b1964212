package chdb

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"unsafe"

	"jinwei/warehouse/ch"
	"jinwei/warehouse/internal/hooks"
)

// streamFormat is the output format of streamed statements. chDB hands a streamed statement's
// output over as whole documents, one per block, each repeating the header (seen here with
// 26.5: CSVWithNames repeats its names, ArrowStream is a complete stream per chunk), so the
// format must be one whose header can be read again per chunk: this one names and types
// the columns on two lines, then has a JSON array per row.
const streamFormat = "JSONCompactEachRowWithNamesAndTypes"

// noActiveStream is chDB's answer to a fetch after a statement's output has ended. An empty
// result ends that way (its one chunk holds only the header) rather than with an empty chunk.
const noActiveStream = "No active streaming query"

// streamLocked runs stmt on the held connection and hands each chunk of its output to each.
// chDB can stop a streamed statement only between chunks, from the goroutine that fetches
// them (a cancel during a fetch waits for the fetch), so ctx is checked after every chunk:
// when it has ended, or each has all it needs (ch.ErrStopStream), the statement is cancelled
// there. A statement that produces no rows for a while (an aggregation, a sort, a filter
// that matches nothing yet) cannot be stopped until its next chunk or its time limit. After
// anything but a clean end the connection is drained, so the next caller starts clean.
func (c *chdbConn) streamLocked(ctx context.Context, stmt string, each ch.ChunkFunc) error {
	return c.streamRawLocked(ctx, stmt, func(raw []byte) error {
		// Decoded straight from the engine's buffer, which is freed once this returns: the
		// decoder copies every value it keeps.
		cols, rows, err := ch.DecodeRowsChunk(raw)
		if err != nil {
			return err
		}
		return each(cols, rows)
	})
}

// streamRawLocked is streamLocked handing over each chunk as the engine wrote it, in
// streamFormat; the bytes are the engine's and valid only until each returns.
func (c *chdbConn) streamRawLocked(ctx context.Context, stmt string, each func(raw []byte) error) error {
	if c.conn == nil {
		return fmt.Errorf("embedded warehouse is closed")
	}
	cp := newCParams(nil)
	handle := c.lib.streamQuery(*c.conn, unsafe.StringData(stmt), uintptr(len(stmt)), streamFormat, uintptr(len(streamFormat)),
		cp.names(), cp.nameLens(), cp.values(), cp.valueLens(), cp.count())
	runtime.KeepAlive(cp)
	runtime.KeepAlive(stmt)
	if handle == nil {
		return fmt.Errorf("stream statement: the embedded engine returned no stream")
	}
	if msg := c.lib.resultError(handle); msg != "" {
		c.lib.destroyResult(handle)
		return c.afterStream(&ch.EngineError{Message: strings.TrimSpace(msg)})
	}
	if hooks.StreamStarted != nil {
		hooks.StreamStarted()
	}
	err := c.fetchAll(ctx, handle, each)
	if err != nil {
		// Stopping a statement that has ended already is harmless; one that is still
		// running must stop before its handle is freed.
		c.lib.streamCancel(*c.conn, handle)
	}
	c.lib.destroyResult(handle)
	return c.afterStream(err)
}

// fetchAll fetches chunks until the output ends, ctx ends, each stops, or the engine fails.
func (c *chdbConn) fetchAll(ctx context.Context, handle unsafe.Pointer, each func(raw []byte) error) error {
	for chunks := 0; ; chunks++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		chunk := c.lib.streamFetch(*c.conn, handle)
		if chunk == nil {
			return fmt.Errorf("stream statement: the embedded engine returned no chunk")
		}
		raw, err := c.readChunk(chunk)
		var ee *ch.EngineError
		switch {
		case errors.As(err, &ee) && chunks > 0 && strings.Contains(ee.Message, noActiveStream):
			err = nil
		case err == nil && raw == nil:
			// an empty chunk: the end
		case err == nil:
			err = each(raw)
			if err == nil {
				c.lib.destroyResult(chunk)
				continue
			}
		}
		c.lib.destroyResult(chunk)
		return err
	}
}

// readChunk returns one fetched chunk's bytes, the engine's own until the chunk is
// destroyed; nil means the chunk was empty.
func (c *chdbConn) readChunk(chunk unsafe.Pointer) ([]byte, error) {
	if msg := c.lib.resultError(chunk); msg != "" {
		return nil, &ch.EngineError{Message: strings.TrimSpace(msg)}
	}
	n := c.lib.resultLength(chunk)
	if n == 0 {
		return nil, nil
	}
	return unsafe.Slice(c.lib.resultBuffer(chunk), n), nil
}

// afterStream drains the connection unless the stream ended cleanly, after a cancel too
// (none has been seen to leave output behind, but a failed statement does), and reports how
// the stream ended: a reader's ch.ErrStopStream is a clean end once the connection is clean.
func (c *chdbConn) afterStream(err error) error {
	if err == nil {
		return nil
	}
	stopped := errors.Is(err, ch.ErrStopStream)
	if derr := c.drainLocked(); derr != nil {
		if stopped {
			return derr
		}
		return fmt.Errorf("%w (and then: %v)", err, derr)
	}
	if stopped {
		return nil
	}
	return err
}
