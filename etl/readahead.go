package etl

import (
	"errors"
	"sync"
)

// readAhead reads a table on a goroutine of its own, a chunk ahead of the caller, so
// reading the file (CSV fields, XLSX cells, encodings, headers, wide columns) runs beside
// the validation of the rows before it: on two cores a load is then bound by the slower of
// the two, not by their sum. Memory stays flat: at most readAheadChunks chunks wait.
type readAhead struct {
	t      *table
	chunks chan tableChunk
	// spent returns read chunks' item arrays to be filled again: the caller gets items by
	// value, so an array is free once the caller has moved past it.
	spent chan []tableItem
	stop  chan struct{}
	wg    sync.WaitGroup

	cur tableChunk
	pos int
}

// tableItem is one field row, or a row that could not be split; control is set when the
// row holds a control character.
type tableItem struct {
	r       fieldRow
	p       *rowProblem
	control *fieldProblem
}

// tableChunk is a run of items and, after the last of them, the error that ended reading.
type tableChunk struct {
	items []tableItem
	err   error
}

const (
	readAheadRows   = 1024
	readAheadChunks = 4
)

func newReadAhead(t *table) *readAhead {
	r := &readAhead{t: t, chunks: make(chan tableChunk, readAheadChunks), spent: make(chan []tableItem, readAheadChunks+2), stop: make(chan struct{})}
	r.wg.Add(1)
	go r.fill()
	return r
}

func (r *readAhead) fill() {
	defer r.wg.Done()
	defer close(r.chunks)
	for {
		c := r.chunk()
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

// chunk reads the next items. Readers never reuse a row's slices, so rows can wait here.
func (r *readAhead) chunk() tableChunk {
	var c tableChunk
	select {
	case items := <-r.spent:
		c.items = items[:0]
	default:
		c.items = make([]tableItem, 0, readAheadRows)
	}
	for len(c.items) < readAheadRows {
		row, p, err := r.t.next()
		if err != nil {
			c.err = err
			break
		}
		it := tableItem{r: row, p: p}
		if p == nil {
			it.control = checkControl(row)
		}
		c.items = append(c.items, it)
	}
	return c
}

func (r *readAhead) next() (tableItem, error) {
	for r.pos == len(r.cur.items) {
		if r.cur.err != nil {
			return tableItem{}, r.cur.err
		}
		c, ok := <-r.chunks
		if !ok {
			return tableItem{}, errors.New("read ahead: the reader stopped without saying why")
		}
		if r.cur.items != nil {
			select {
			case r.spent <- r.cur.items:
			default:
			}
		}
		r.cur, r.pos = c, 0
	}
	r.pos++
	return r.cur.items[r.pos-1], nil
}

// close stops the reading goroutine before the file under it is closed.
func (r *readAhead) close() {
	close(r.stop)
	r.wg.Wait()
}
