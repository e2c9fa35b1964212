package dashboard

import (
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/parquet-go/parquet-go"

	"jinwei/warehouse"
)

// parquetEncoder writes each chunk of rows as one row group of a Parquet file, its columns
// typed as Arrow's (kindOf) and every one optional: a NULL stays NULL.
type parquetEncoder struct {
	w     io.Writer
	kinds []columnKind
	out   *parquet.Writer
	rows  []parquet.Row
}

func newParquetEncoder(w io.Writer) encoder { return &parquetEncoder{w: w} }

func (e *parquetEncoder) Columns(cols []warehouse.Column) error {
	group := orderedGroup{fields: make([]parquet.Field, len(cols))}
	e.kinds = make([]columnKind, len(cols))
	for i, col := range cols {
		e.kinds[i] = kindOf(col)
		var leaf parquet.Node
		switch e.kinds[i] {
		case floatColumn:
			leaf = parquet.Leaf(parquet.DoubleType)
		case uintColumn:
			leaf = parquet.Uint(64)
		case intColumn:
			leaf = parquet.Int(64)
		default:
			leaf = parquet.String()
		}
		group.fields[i] = &groupColumn{Node: parquet.Optional(leaf), name: col.Name}
	}
	e.out = parquet.NewWriter(e.w, parquet.NewSchema("result", group))
	return nil
}

func (e *parquetEncoder) Rows(rows [][]any) error {
	e.rows = e.rows[:0]
	for _, row := range rows {
		values := make(parquet.Row, len(row))
		for i, v := range row {
			values[i] = e.value(i, v)
		}
		e.rows = append(e.rows, values)
	}
	if _, err := e.out.WriteRows(e.rows); err != nil {
		return err
	}
	// One row group per chunk: the writer holds a chunk at a time, not the file.
	return e.out.Flush()
}

// value is v as column i holds it: present at definition level 1, NULL (or a value the
// column's type cannot hold) at 0.
func (e *parquetEncoder) value(i int, v any) parquet.Value {
	var pv parquet.Value
	ok := true
	switch e.kinds[i] {
	case floatColumn:
		var f float64
		f, ok = toFloat(v)
		pv = parquet.DoubleValue(f)
	case uintColumn:
		var n uint64
		n, ok = toUint(v)
		pv = parquet.Int64Value(int64(n))
	case intColumn:
		var n int64
		n, ok = toInt(v)
		pv = parquet.Int64Value(n)
	default:
		ok = v != nil
		pv = parquet.ByteArrayValue([]byte(cellString(v)))
	}
	if !ok {
		return parquet.NullValue().Level(0, 0, i)
	}
	return pv.Level(0, 1, i)
}

// Discard has nothing to release: the writer holds only memory.
func (e *parquetEncoder) Discard() {}

// Close ends the file; a cut result is told by the download's X-Jinwei-Truncated header.
func (e *parquetEncoder) Close(bool) error { return e.out.Close() }

// orderedGroup is a Parquet group whose columns keep the result's order: parquet.Group is
// a map, and sorts them by name. The empty Group gives what a group says of itself.
type orderedGroup struct {
	parquet.Group
	fields []parquet.Field
}

func (g orderedGroup) Fields() []parquet.Field { return g.fields }

// GoType is never asked for when rows are written as parquet.Row values; it is the
// group as a map, as parquet.Group's rows are read.
func (g orderedGroup) GoType() reflect.Type { return reflect.TypeFor[map[string]any]() }

func (g orderedGroup) String() string {
	cols := make([]string, len(g.fields))
	for i, f := range g.fields {
		cols[i] = f.Name() + " " + f.String()
	}
	return "group {" + strings.Join(cols, "; ") + "}"
}

// groupColumn is one column of an orderedGroup.
type groupColumn struct {
	parquet.Node
	name string
}

func (c *groupColumn) Name() string { return c.name }

// Value is never asked for when rows are written as parquet.Row values.
func (c *groupColumn) Value(reflect.Value) reflect.Value {
	panic(fmt.Sprintf("parquet column %s: no Go value to read it from", c.name))
}
