package whtest

import (
	"runtime"
	"testing"
	"time"
)

// sink keeps the measured allocations from being optimised away.
var sink []byte

// What PeakHeap counts of garbage does not grow with what the process already holds: a
// streaming answer measured after other tests had filled their caches (the second run of
// -count=2) counted 94 MB of garbage against a bound of 64, the first run under 64.
func TestPeakHeapCountsGarbageAloneBoundedWhateverTheProcessHolds(t *testing.T) {
	stream := func() {
		// 400 MB passes through 1 MB at a time, at a pace an answer streams at (the
		// collector is not outrun by a loop that only allocates); nothing is kept.
		for range 400 {
			sink = make([]byte, 1<<20)
			time.Sleep(500 * time.Microsecond)
		}
	}
	alone := PeakHeap(stream)
	held := make([][]byte, 256)
	for i := range held {
		held[i] = make([]byte, 1<<20)
	}
	beside := PeakHeap(stream)
	runtime.KeepAlive(held)
	t.Logf("peak above the start: %d MB alone, %d MB beside 256 MB held", alone>>20, beside>>20)
	if beside > 128<<20 {
		t.Errorf("streaming 400 MB beside 256 MB held counted %d MB (alone %d MB); want the garbage bounded, under 128 MB", beside>>20, alone>>20)
	}
}
