package etl

import (
	"sync"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// recycler is an Arrow allocator that keeps the buffers of a released record for the next
// record of a batch, which has the same columns and length and so asks for the same sizes.
// Without it each 64 k-row record was new garbage, a third of what a load allocated, and
// the collector ran that much more often. Buffers are zeroed before reuse, as new ones are.
type recycler struct {
	mu   sync.Mutex
	free map[int][][]byte
	kept int // bytes in free
}

// recycledPerSize bounds the buffers kept per size: a batch has a record building, one
// waiting and one being staged, and a record has several columns of one width. Text
// columns ask for sizes that vary from record to record, so the bytes kept are bounded too.
const (
	recycledPerSize  = 32
	maxRecycledBytes = 32 << 20
)

func newRecycler() *recycler { return &recycler{free: map[int][][]byte{}} }

func (r *recycler) Allocate(size int) []byte {
	r.mu.Lock()
	if kept := r.free[size]; len(kept) > 0 {
		b := kept[len(kept)-1]
		r.free[size] = kept[:len(kept)-1]
		r.kept -= len(b)
		r.mu.Unlock()
		clear(b)
		return b
	}
	r.mu.Unlock()
	return memory.DefaultAllocator.Allocate(size)
}

func (r *recycler) Reallocate(size int, b []byte) []byte {
	if size == len(b) {
		return b
	}
	nb := r.Allocate(size)
	copy(nb, b)
	r.Free(b)
	return nb
}

func (r *recycler) Free(b []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if kept := r.free[len(b)]; len(kept) < recycledPerSize && r.kept+len(b) <= maxRecycledBytes {
		r.free[len(b)] = append(kept, b)
		r.kept += len(b)
	}
}
