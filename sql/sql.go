// Package sql holds jinwei's SQL as files: the numbered schema migrations and the named
// queries the warehouse runs. Nothing else lives here.
package sql

import "embed"

// Migrations holds migrations/NNN_name.sql, applied in order of NNN.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// Queries holds queries/NAME.sql, run by name with {param:Type} placeholders.
//
//go:embed queries/*.sql
var Queries embed.FS
