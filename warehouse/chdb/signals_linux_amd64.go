package chdb

import (
	"syscall"
	"unsafe"
)

// goSignals are the signals the Go runtime handles itself: a nil dereference is a panic,
// which a server's request recovers from, only through Go's SIGSEGV handler, and likewise
// a division by zero through SIGFPE. The engine installs its own crash handlers for these
// (and SIGTSTP) as it starts, without SA_ONSTACK; a nil dereference in any goroutine then
// spun in the engine's handler instead of panicking: a test hung for minutes and died of
// SIGSEGV, and a request's handler would have hung the same way instead of answering 500.
// The engine's own handler of its profiling signal (SIGRTMIN) is left to it.
var goSignals = []syscall.Signal{syscall.SIGILL, syscall.SIGTRAP, syscall.SIGABRT, syscall.SIGBUS, syscall.SIGFPE,
	syscall.SIGSEGV, syscall.SIGTSTP, syscall.SIGSYS}

// sigaction is the kernel's struct sigaction on linux/amd64.
type sigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

func rtSigaction(sig syscall.Signal, act, old *sigaction) {
	// Only an invalid signal number fails, and these are valid.
	_, _, _ = syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(act)), uintptr(unsafe.Pointer(old)), 8, 0, 0)
}

// keepGoSignals runs start, which loads and starts the engine, and gives the Go runtime
// back its handlers of goSignals afterwards.
func keepGoSignals(start func() error) error {
	saved := make([]sigaction, len(goSignals))
	for i, s := range goSignals {
		rtSigaction(s, nil, &saved[i])
	}
	defer func() {
		for i, s := range goSignals {
			rtSigaction(s, &saved[i], nil)
		}
	}()
	return start()
}
