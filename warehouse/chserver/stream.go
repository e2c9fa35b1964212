package chserver

import (
	"context"
	"errors"

	"jinwei/warehouse/ch"
)

// stream runs stmt on a server and hands its rows to each in chunks. clickhouse-go reads a
// result block by block as the server sends it, so only one chunk is in memory at a time.
// When the scan ends early (each stops or fails), the query's own context is cancelled
// first, which has the driver cancel the query on the server; closing the rows would
// otherwise read the rest of the result.
func (e *Engine) stream(ctx context.Context, stmt string, each ch.ChunkFunc) error {
	qctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rows, err := e.conn.Query(qctx, stmt)
	if err != nil {
		return e.fail(ctx, "run query", err)
	}
	err = scanRows(rows, ch.StreamChunkRows, each)
	if err != nil {
		cancel()
	}
	rows.Close()
	if errors.Is(err, ch.ErrStopStream) {
		return nil
	}
	return e.fail(ctx, "read result", err)
}
