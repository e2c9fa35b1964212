package ch

import "errors"

// A streamed result reaches its reader chunk by chunk, as the engine produces it, so that a
// result of millions of rows never sits in memory whole: the embedded engine hands over one
// block of rows per chunk, the server engine's rows are read in chunks of StreamChunkRows.

// ChunkFunc takes one chunk of a streamed result: its columns (the same for every chunk)
// and its rows, which the function may keep. Returning ErrStopStream ends the stream early,
// without an error; the engine stops the statement.
type ChunkFunc func(cols []Column, rows [][]any) error

// ErrStopStream is returned by a ChunkFunc that needs no more rows.
var ErrStopStream = errors.New("the reader needs no more rows")

// StreamChunkRows is how many rows of a server's result make one chunk: about one of the
// engine's blocks, so both engines hand encoders chunks of a similar size.
const StreamChunkRows = 65536
