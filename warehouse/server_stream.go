package warehouse

import (
	"context"
	"errors"
)

// stream runs stmt on a server and hands its rows to each in chunks. clickhouse-go reads a
// result block by block as the server sends it, so only one chunk is in memory at a time.
// When the scan ends early (each stops or fails), the query's own context is cancelled
// first, which has the driver cancel the query on the server; closing the rows would
// otherwise read the rest of the result.
func (e *serverEngine) stream(ctx context.Context, stmt string, each chunkFunc) error {
	qctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rows, err := e.conn.Query(qctx, stmt)
	if err != nil {
		return e.fail(ctx, "run query", err)
	}
	err = scanRows(rows, streamChunkRows, each)
	if err != nil {
		cancel()
	}
	rows.Close()
	if errors.Is(err, errStopStream) {
		return nil
	}
	return e.fail(ctx, "read result", err)
}
