package etl

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
)

func TestRecyclerReusesZeroedBuffers(t *testing.T) {
	r := newRecycler()
	a := r.Allocate(128)
	a[0], a[127] = 7, 9
	r.Free(a)
	b := r.Allocate(128)
	if &b[0] != &a[0] {
		t.Error("a freed buffer of the size asked for was not reused")
	}
	if b[0] != 0 || b[127] != 0 {
		t.Errorf("reused buffer not zeroed: %d %d", b[0], b[127])
	}
	if c := r.Allocate(128); &c[0] == &b[0] {
		t.Error("a buffer in use was handed out again")
	}
	b[3] = 5
	grown := r.Reallocate(256, b)
	if len(grown) != 256 || grown[3] != 5 {
		t.Errorf("reallocated buffer lost its content: len %d, [3] = %d", len(grown), grown[3])
	}
	for i := 0; i < 2*recycledPerSize; i++ {
		r.Free(make([]byte, 64))
	}
	if n := len(r.free[64]); n != recycledPerSize {
		t.Errorf("%d buffers kept, want at most %d", n, recycledPerSize)
	}
	// Sizes that never repeat (a text column's) are kept only up to the byte bound.
	for size := 1 << 20; size < 1<<20+200; size++ {
		r.Free(make([]byte, size))
	}
	kept := 0
	for _, bufs := range r.free {
		for _, b := range bufs {
			kept += len(b)
		}
	}
	if kept > maxRecycledBytes || kept != r.kept {
		t.Errorf("%d bytes kept (counted %d), want at most %d", kept, r.kept, maxRecycledBytes)
	}
}

// Records built one after another on recycled buffers keep their values until released.
func TestRecyclerRecordsDoNotShareLiveBuffers(t *testing.T) {
	b := array.NewInt64Builder(newRecycler())
	defer b.Release()
	var arrs []*array.Int64
	for rec := 0; rec < 3; rec++ {
		for i := 0; i < 1000; i++ {
			b.Append(int64(rec*1000 + i))
		}
		arrs = append(arrs, b.NewInt64Array())
	}
	for rec, a := range arrs {
		if a.Value(0) != int64(rec*1000) || a.Value(999) != int64(rec*1000+999) {
			t.Errorf("record %d reads %d…%d", rec, a.Value(0), a.Value(999))
		}
		a.Release()
	}
	b.Append(42)
	if a := b.NewInt64Array(); a.Len() != 1 || a.Value(0) != 42 {
		t.Errorf("after the records were released: %v", a)
	}
}
