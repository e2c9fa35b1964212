package chdb

import (
	"os"
	"strconv"
	"syscall"
)

// workerProcAttr has the kernel end a worker when the server that started it dies, even by
// SIGKILL, so no worker outlives its server (a worker also exits once its requests end).
func workerProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// lowerWorkerPriority gives the worker a lower CPU priority than the server's, so that on a
// busy machine the dashboards' queries are served first. Linux keeps a nice value per
// thread, and a new thread starts with its creator's: every thread the process has is set,
// before the engine is loaded, so every thread the engine starts inherits the value.
func lowerWorkerPriority() {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		_ = syscall.Setpriority(syscall.PRIO_PROCESS, 0, workerNice)
		return
	}
	for _, t := range tasks {
		if tid, err := strconv.Atoi(t.Name()); err == nil {
			_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, workerNice)
		}
	}
}
