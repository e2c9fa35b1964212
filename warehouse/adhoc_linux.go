package warehouse

import (
	"runtime"
	"syscall"
)

// workerProcAttr has the kernel end a worker when the server that started it dies, even by
// SIGKILL, so no worker outlives its server (a worker also exits once its requests end).
func workerProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// lowerWorkerPriority gives the worker's engine a lower CPU priority than the server's, so
// that on a busy machine the dashboards' queries are served first. Linux sets a nice value
// per thread, and a thread starts with its creator's: the worker runs the engine from this
// one locked thread, so the engine's threads, started from it, inherit the value.
func lowerWorkerPriority() {
	runtime.LockOSThread()
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, 0, workerNice)
}
