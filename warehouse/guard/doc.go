// Package guard runs SQL that people type (the console, exports, `jinwei sql`): one
// read-only statement over the warehouse's own database, parsed by the engine itself,
// checked against an allowlist of statement kinds, parse-tree nodes, functions and tables,
// then run within time, memory and result limits and cut at a row cap. guard.go tells the
// steps; parse.go and ast.go read the engine's answers, policy.go, functions.go and tables.go
// are the allowlists, limits.go the limits.
//
// It sees the engine only through ch.GuardEngine and ch.Session, so it imports no engine
// package and works the same on the embedded engine, its worker, a server or a server's
// read-only user. It never opens an engine, never writes (the audit log is the warehouse's),
// and never runs a statement it has not checked.
package guard
