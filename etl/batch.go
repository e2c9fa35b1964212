package etl

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"jinwei/warehouse"
)

// batch gathers rows of one table into Arrow records of recordRows rows. A full record is
// handed to a background appender while the next one fills; the appender stages records
// and inserts them perInsert rows at a time while it stages the next, so reading the file
// and the engine's work overlap. At most one record waits, which keeps memory flat.
type batch struct {
	s      *runState
	table  string
	schema *arrow.Schema
	// b builds the record with each warehouse.CodeType field as its dictionary indices.
	b     *array.RecordBuilder
	dicts []*dictionary // by field; nil for a plain field
	// indexes are the builders of the warehouse.CodeType fields' indices, by field.
	indexes []*array.Int32Builder
	n       int
	// perInsert is the rows per insert statement; records hold min(perInsert, recordRows).
	perInsert int
	abandoned bool
	// secondary batches hold records that go with another batch's rows (a ledger item with
	// its status event) and do not count as rows loaded.
	secondary bool

	pending chan pendingRecord
	done    chan error
}

// pendingRecord is a record for the inserter, with the rows expected after it (-1 unknown).
type pendingRecord struct {
	rec      arrow.RecordBatch
	rowsLeft int
}

// recordRows is the rows of one Arrow record: small, as the appender stages records on disk
// until an insert's worth has gathered.
const recordRows = 1 << 16

func newBatch(s *runState, t warehouse.Table, perInsert int) *batch {
	table, schema := t.Name, t.Schema
	fields := schema.Fields()
	dicts := make([]*dictionary, len(fields))
	for i, f := range fields {
		if arrow.TypeEqual(f.Type, warehouse.CodeType) {
			fields[i].Type = warehouse.CodeType.IndexType
			dicts[i] = &dictionary{index: map[string]int32{}}
		}
	}
	built := arrow.NewSchema(fields, nil)
	b := &batch{s: s, table: table, schema: schema, b: array.NewRecordBuilder(newRecycler(), built), dicts: dicts, perInsert: perInsert}
	b.indexes = make([]*array.Int32Builder, len(dicts))
	for i, d := range dicts {
		if d != nil {
			b.indexes[i] = b.b.Field(i).(*array.Int32Builder)
		}
	}
	b.b.Reserve(b.recordRows())
	return b
}

// recordRows is how many rows each record holds.
func (b *batch) recordRows() int { return min(b.perInsert, recordRows) }

// code appends v to a code column, as its number in the column's dictionary.
func (b *batch) code(c warehouse.CodeColumn, v string) { b.appendNumber(c, b.number(c, v)) }

// number is v's number in the dictionary of column c.
func (b *batch) number(c warehouse.CodeColumn, v string) int32 { return b.dicts[c.Index()].lookup(v) }

// appendNumber appends the dictionary value numbered n to column c.
func (b *batch) appendNumber(c warehouse.CodeColumn, n int32) { b.indexes[c.Index()].Append(n) }

// provenance appends where the row stood in its file and the run loading it.
func (b *batch) provenance(p warehouse.Provenance, r fieldRow, col uint16) {
	b.code(p.RunID, b.s.run.ID)
	p.SourceLine.In(b.b).Append(uint32(r.line))
	b.code(p.SourceSheet, r.sheet)
	p.SourceCol.In(b.b).Append(col)
	p.LoadedAt.In(b.b).Append(arrow.Timestamp(b.s.loadedAt.UnixMilli()))
}

// rowDone counts the appended row and sends the record to the inserter when full.
func (b *batch) rowDone() *fieldProblem {
	b.n++
	if b.n >= b.recordRows() {
		b.send()
	}
	return nil
}

// send hands the filled record to the background inserter, starting it on first use.
func (b *batch) send() {
	if b.n == 0 {
		return
	}
	if !b.secondary {
		b.s.run.RowsLoaded += b.n
	}
	if b.s.dry {
		b.n = 0
		b.record().Release()
		return
	}
	if b.pending == nil {
		b.pending, b.done = make(chan pendingRecord, 1), make(chan error, 1)
		go b.insertLoop()
	}
	b.n = 0
	b.pending <- pendingRecord{rec: b.record(), rowsLeft: b.s.rowsLeft()}
}

// record takes the built rows, putting each warehouse.CodeType field's dictionary beside its indices.
func (b *batch) record() arrow.RecordBatch {
	built := b.b.NewRecordBatch()
	defer built.Release()
	// The next record is as long: its buffers are sized once instead of doubling up to it.
	b.b.Reserve(b.recordRows())
	cols := make([]arrow.Array, len(b.dicts))
	for i, d := range b.dicts {
		if d == nil {
			cols[i] = built.Column(i)
			cols[i].Retain()
			continue
		}
		values := d.array()
		cols[i] = array.NewDictionaryArray(warehouse.CodeType, built.Column(i), values)
		values.Release()
	}
	rec := array.NewRecordBatch(b.schema, cols, built.NumRows())
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// insertLoop appends records in order; after a failure it drops the rest, as the run fails.
func (b *batch) insertLoop() {
	app := b.s.wh.NewAppender(b.s.ctx, b.table, b.perInsert)
	var err error
	for p := range b.pending {
		if err == nil {
			err = app.Append(p.rec)
		}
		if err == nil && p.rowsLeft >= 0 {
			err = app.InsertEarly(p.rowsLeft)
		}
		p.rec.Release()
	}
	if err == nil && !b.abandoned {
		err = app.Close()
	} else {
		app.Abort()
	}
	b.done <- err
}

// abandon stops the inserter without sending the rest, for a run that has failed.
func (b *batch) abandon() {
	if b.pending != nil {
		b.abandoned = true // read by the inserter once the channel is closed
		close(b.pending)
		<-b.done
		b.pending = nil
	}
	b.b.Release()
}

// flush sends what is left and waits for every insert.
func (b *batch) flush() error {
	defer b.b.Release()
	b.send()
	if b.pending == nil {
		return nil
	}
	close(b.pending)
	err := <-b.done
	b.pending = nil
	if err != nil {
		return fmt.Errorf("insert into %s: %w", b.table, err)
	}
	return nil
}

// dictionary numbers one warehouse.CodeType column's distinct values as they first appear. The last
// value is remembered: rows come in runs that share one (the run id, a unit, a period kind).
type dictionary struct {
	index  map[string]int32
	values []string
	last   int32
	seen   bool
}

func (d *dictionary) lookup(v string) int32 {
	if d.seen && d.values[d.last] == v {
		return d.last
	}
	i, ok := d.index[v]
	if !ok {
		// Cloned: v may point into a row's text, which the dictionary must not keep alive.
		v = strings.Clone(v)
		i = int32(len(d.values))
		d.index[v] = i
		d.values = append(d.values, v)
	}
	d.last, d.seen = i, true
	return i
}

// array is the values so far; earlier records' indices stay valid in later ones.
func (d *dictionary) array() arrow.Array {
	sb := array.NewStringBuilder(memory.DefaultAllocator)
	defer sb.Release()
	sb.AppendValues(d.values, nil)
	return sb.NewArray()
}
