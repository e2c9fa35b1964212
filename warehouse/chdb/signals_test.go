package chdb_test

import (
	"runtime"
	"testing"
	"time"

	"jinwei/warehouse/whtest"
)

// With the engine started, a nil dereference is still a Go panic, which a server's request
// recovers from: the engine's crash handler took the signal, and the goroutine spun there
// (a test hung for minutes and died of SIGSEGV; a request would have hung the same way).
func TestANilDereferencePanicsWithTheEngineStarted(t *testing.T) {
	whtest.OpenEmpty(t)
	got := make(chan any, 1)
	go func() {
		defer func() { got <- recover() }()
		var p *struct{ n int }
		p.n++
	}()
	select {
	case r := <-got:
		if _, ok := r.(runtime.Error); !ok {
			t.Fatalf("a nil dereference recovered %v; want a runtime error", r)
		}
	case <-time.After(time.Minute):
		t.Fatal("a nil dereference did not panic within a minute: the engine's signal handler took it")
	}
}
