package warehouse

import "syscall"

// workerProcAttr has the kernel end a worker when the server that started it dies, even by
// SIGKILL, so no worker outlives its server (a worker also exits once its requests end).
func workerProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
