package api

import "jinwei/warehouse"

// SchemaColumn is one column in the console's schema browser (warehouse.SchemaColumn).
type SchemaColumn struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Comment string `json:"comment"`
}

// SchemaTable is one table or view ad hoc SQL may read (warehouse.SchemaTable).
type SchemaTable struct {
	Name    string         `json:"name"`
	Engine  string         `json:"engine"`
	Comment string         `json:"comment"`
	Columns []SchemaColumn `json:"columns"`
}

// Schema is the tables' JSON shapes.
func Schema(in []warehouse.SchemaTable) []SchemaTable {
	return each(in, func(t warehouse.SchemaTable) SchemaTable {
		return SchemaTable{Name: t.Name, Engine: t.Engine, Comment: t.Comment,
			Columns: each(t.Columns, func(c warehouse.SchemaColumn) SchemaColumn { return SchemaColumn(c) })}
	})
}

// SavedQuery is a named statement of the console (warehouse.SavedQuery).
type SavedQuery struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Statement string `json:"statement"`
	Owner     string `json:"owner"`
	Created   string `json:"created"`
}

// SavedQueries are saved queries' JSON shapes.
func SavedQueries(in []warehouse.SavedQuery) []SavedQuery {
	return each(in, func(q warehouse.SavedQuery) SavedQuery { return SavedQuery(q) })
}

// AuditEntry is one audited action: an ad hoc query, an export, a page's change
// (warehouse.AuditEntry).
type AuditEntry struct {
	At        string `json:"at"`
	User      string `json:"user"`
	Action    string `json:"action"`
	Statement string `json:"statement"`
	Format    string `json:"format"`
	Rows      int    `json:"rows"`
	Duration  int    `json:"duration_ms"`
	Outcome   string `json:"outcome"`
	Message   string `json:"message"`
}

// AuditEntries are entries' JSON shapes.
func AuditEntries(in []warehouse.AuditEntry) []AuditEntry {
	return each(in, func(e warehouse.AuditEntry) AuditEntry { return AuditEntry(e) })
}

// Column is a column of an ad hoc statement's result (warehouse.Column).
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Columns are columns' JSON shapes.
func Columns(in []warehouse.Column) []Column {
	return each(in, func(c warehouse.Column) Column { return Column(c) })
}
