package warehouse

import "context"

// SchemaColumn is one column of a table, as the console's schema browser shows it.
type SchemaColumn struct {
	Name    string
	Type    string
	Comment string
}

// SchemaTable is one table or view of jinwei's database.
type SchemaTable struct {
	Name    string
	Engine  string
	Comment string
	Columns []SchemaColumn
}

// Schema lists the tables and views ad hoc SQL may read (AnalystTables) with their columns,
// types and comments, so the console's schema browser shows what the guard allows and no
// more. It reads the engine's catalogue directly (the guard keeps ad hoc SQL away from
// system tables).
func (w *Warehouse) Schema(ctx context.Context) ([]SchemaTable, error) {
	res, err := w.named(ctx, "schema", nil)
	if err != nil {
		return nil, err
	}
	var out []SchemaTable
	err = res.each(func(rr *rowReader) {
		name := rr.str("table")
		if !w.analystAllowed(name) {
			return
		}
		if len(out) == 0 || out[len(out)-1].Name != name {
			out = append(out, SchemaTable{Name: name, Engine: rr.str("engine"), Comment: rr.str("table_comment")})
		}
		t := &out[len(out)-1]
		t.Columns = append(t.Columns, SchemaColumn{Name: rr.str("column"), Type: rr.str("type"), Comment: rr.str("comment")})
	})
	return out, err
}
