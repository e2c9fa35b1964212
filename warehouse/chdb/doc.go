// Package chdb is the embedded engine: libchdb.so loaded at run time (lib.go), the process's
// one connection to a data directory and the lock that keeps a second process out (lock.go),
// inserts staged on disk in ClickHouse's Native format, laid out by ch-go/proto (native.go),
// streamed results, and the ad hoc SQL worker, a process of its own that answers guarded
// statements from a snapshot of the data so the dashboard's queries never wait behind them
// (adhoc*.go). It implements ch.Engine and ch.GuardEngine.
//
// It never decides what a statement may do (the guard does, in warehouse/guard), never reads
// the migrations, and knows nothing of the server engine; only package warehouse opens it.
package chdb
