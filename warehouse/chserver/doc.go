// Package chserver is the ClickHouse server engine: clickhouse-go's connection pool over the
// native protocol, the DSN and its options, Arrow records turned into the driver's columns
// for inserts, results read back as plain Go values, and what keeps old servers working
// (18.x: parameters bound on the client, statements rewritten, a parser borrowed for the
// guard). It implements ch.Engine, and ch.GuardEngine for a server or its read-only user.
//
// It never decides what a statement may do (warehouse/guard does), never rewrites migration
// DDL (package warehouse does, for clusters and old servers), and imports no other engine:
// the embedded parser it may borrow comes in as a function. Only package warehouse opens it.
package chserver
