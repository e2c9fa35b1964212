package etl

import "sync"

// readAhead reads a file's rows on a goroutine of its own, a chunk ahead of the caller, so
// splitting and decoding the file (CSV fields, XLSX cells, encodings) runs beside the
// validation of the rows before them: on two cores a load is then bound by the slower of
// the two, not by their sum. Memory stays flat: at most readAheadChunks chunks wait.
type readAhead struct {
	src    rowReader
	chunks chan rowChunk
	stop   chan struct{}
	wg     sync.WaitGroup

	cur rowChunk
	pos int
}

// rowChunk is a run of rows and, after the last of them, the error that ended the reading.
type rowChunk struct {
	rows []sourceRow
	err  error
}

const (
	readAheadRows   = 1024
	readAheadChunks = 4
)

func newReadAhead(src rowReader) *readAhead {
	r := &readAhead{src: src, chunks: make(chan rowChunk, readAheadChunks), stop: make(chan struct{})}
	r.wg.Add(1)
	go r.fill()
	return r
}

func (r *readAhead) fill() {
	defer r.wg.Done()
	defer close(r.chunks)
	for {
		c := rowChunk{rows: make([]sourceRow, 0, readAheadRows)}
		// The reader reuses its cells slice from one row to the next; a chunk's rows keep
		// theirs in one backing array per chunk.
		var cells []string
		for len(c.rows) < readAheadRows {
			row, err := r.src.next()
			if err != nil {
				c.err = err
				break
			}
			start := len(cells)
			cells = append(cells, row.cells...)
			row.cells = cells[start:len(cells):len(cells)]
			c.rows = append(c.rows, row)
		}
		select {
		case r.chunks <- c:
		case <-r.stop:
			return
		}
		if c.err != nil {
			return
		}
	}
}

func (r *readAhead) next() (sourceRow, error) {
	for r.pos == len(r.cur.rows) {
		if r.cur.err != nil {
			return sourceRow{}, r.cur.err
		}
		c, ok := <-r.chunks
		if !ok {
			return sourceRow{}, r.cur.err
		}
		r.cur, r.pos = c, 0
	}
	r.pos++
	return r.cur.rows[r.pos-1], nil
}

// close stops the reading goroutine before closing the file under it.
func (r *readAhead) close() error {
	close(r.stop)
	r.wg.Wait()
	return r.src.close()
}
