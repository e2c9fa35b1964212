package whtest

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// peakHeapTurn lets one PeakHeap measure at a time.
var peakHeapTurn sync.Mutex

// heapMetric is the bytes of heap objects, live or not yet swept: what a result held in
// memory would add to. runtime/metrics reads it without stopping the world, so sampling it
// often does not slow what is measured.
const heapMetric = "/memory/classes/heap/objects:bytes"

// maxGarbage bounds the garbage PeakHeap lets pile up between collections.
const maxGarbage = 32 << 20

// PeakHeap runs fn and returns the most Go heap it used: the highest heap sampled every
// few milliseconds while it ran, less the heap left after a collection just before it.
//
// The heap is measured at Go's default pace of collection, as the product runs, not at the
// pace Run sets for test processes (garbage waits longer there, and would count here), with
// one bound: the garbage let pile up before a collection is at most maxGarbage. At the
// default pace it is as much as the heap already holds, so a test measured after others had
// filled their caches (a second run, -count=2) counted 94 MB where the first counted
// under 64. The pace is the process's: measurements take turns, and the tests that make
// them do not run in parallel with others.
func PeakHeap(fn func()) uint64 {
	peakHeapTurn.Lock()
	defer peakHeapTurn.Unlock()
	runtime.GC()
	sample := []metrics.Sample{{Name: heapMetric}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := read()
	pace := 100
	if base > maxGarbage {
		pace = max(1, int(100*maxGarbage/base))
	}
	defer debug.SetGCPercent(debug.SetGCPercent(pace))
	peak := base
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, read())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	<-stopped
	return max(peak, read()) - base
}
