//go:build !linux

package chdb

import "syscall"

// workerProcAttr: elsewhere a worker exits once its requests end, when its server is gone.
func workerProcAttr() *syscall.SysProcAttr { return nil }

// lowerWorkerPriority does nothing where a thread's priority is not its own.
func lowerWorkerPriority() {}
