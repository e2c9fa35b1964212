package warehouse

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Column is one column of a query result, with its ClickHouse type.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Result is a query's answer: columns and rows of Go values (int64, uint64, float64,
// string, bool, nil for NULL, []any for arrays).
type Result struct {
	Columns []Column
	Rows    [][]any
	Elapsed time.Duration
}

// decodeJSONCompact reads the engine's JSONCompact output.
func decodeJSONCompact(b []byte) (*Result, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return &Result{}, nil
	}
	var raw struct {
		Meta []Column            `json:"meta"`
		Data [][]json.RawMessage `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("decode engine result: %w", err)
	}
	res := &Result{Columns: raw.Meta, Rows: make([][]any, len(raw.Data))}
	for i, row := range raw.Data {
		out := make([]any, len(row))
		for j, cell := range row {
			v, err := decodeCell(cell, raw.Meta[j].Type)
			if err != nil {
				return nil, fmt.Errorf("decode row %d column %s: %w", i, raw.Meta[j].Name, err)
			}
			out[j] = v
		}
		res.Rows[i] = out
	}
	return res, nil
}

// decodeRowsChunk reads one chunk of a streamed result in the engine's
// JSONCompactEachRowWithNamesAndTypes format: a line of column names, a line of their types,
// then one JSON array per row. Every chunk the engine hands over starts with the two header
// lines (seen with chDB 26.5), so a chunk decodes on its own. Values come out as in
// decodeJSONCompact.
func decodeRowsChunk(b []byte) ([]Column, [][]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var names, types []string
	if err := dec.Decode(&names); err != nil {
		return nil, nil, fmt.Errorf("decode result chunk: column names: %w", err)
	}
	if err := dec.Decode(&types); err != nil || len(types) != len(names) {
		return nil, nil, fmt.Errorf("decode result chunk: %d column types for %d names: %v", len(types), len(names), err)
	}
	cols := make([]Column, len(names))
	float := make([]bool, len(names))
	for i := range names {
		cols[i] = Column{Name: names[i], Type: types[i]}
		float[i] = isFloatType(types[i])
	}
	var rows [][]any
	for dec.More() {
		var row []any
		if err := dec.Decode(&row); err != nil {
			return nil, nil, fmt.Errorf("decode result chunk: row %d: %w", len(rows), err)
		}
		if len(row) != len(cols) {
			return nil, nil, fmt.Errorf("decode result chunk: row %d has %d values for %d columns", len(rows), len(row), len(cols))
		}
		for i, v := range row {
			row[i] = normalize(v, float[i])
		}
		rows = append(rows, row)
	}
	return cols, rows, nil
}

func isFloatType(typ string) bool {
	return strings.Contains(typ, "Float") || strings.Contains(typ, "Decimal")
}

func decodeCell(cell json.RawMessage, typ string) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(cell))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return normalize(v, isFloatType(typ)), nil
}

// normalize turns JSON numbers into int64, uint64 or float64: floats for floating columns
// (whose whole values print without a decimal point), integers otherwise.
func normalize(v any, float bool) any {
	switch x := v.(type) {
	case json.Number:
		s := x.String()
		if !float && !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return i
			}
			if u, err := strconv.ParseUint(s, 10, 64); err == nil {
				return u
			}
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = normalize(x[i], float)
		}
		return x
	default:
		return v
	}
}

// col finds a column by name.
func (r *Result) col(name string) int {
	for i, c := range r.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// rowReader reads a result's rows by column name with conversions, remembering the first
// problem so typed query functions stay linear.
type rowReader struct {
	r   *Result
	row []any
	err error
}

func (rr *rowReader) value(name string) any {
	i := rr.r.col(name)
	if i < 0 {
		if rr.err == nil {
			rr.err = fmt.Errorf("result has no column %q", name)
		}
		return nil
	}
	return rr.row[i]
}

func (rr *rowReader) str(name string) string {
	switch v := rr.value(name).(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

func (rr *rowReader) float(name string) float64 {
	switch v := rr.value(name).(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	case uint64:
		return float64(v)
	case nil:
		return 0
	default:
		if rr.err == nil {
			rr.err = fmt.Errorf("column %q: %v is not a number", name, v)
		}
		return 0
	}
}

func (rr *rowReader) int(name string) int {
	return int(rr.float(name))
}

func (rr *rowReader) floats(name string) []float64 {
	arr, _ := rr.value(name).([]any)
	out := make([]float64, 0, len(arr))
	for _, v := range arr {
		switch f := v.(type) {
		case float64:
			out = append(out, f)
		case int64:
			out = append(out, float64(f))
		case uint64:
			out = append(out, float64(f))
		default:
			if rr.err == nil {
				rr.err = fmt.Errorf("column %q: %v is not a number", name, v)
			}
		}
	}
	return out
}

func (rr *rowReader) strings(name string) []string {
	arr, _ := rr.value(name).([]any)
	out := make([]string, 0, len(arr))
	for _, v := range arr {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

func (rr *rowReader) ints(name string) []int {
	arr, _ := rr.value(name).([]any)
	out := make([]int, 0, len(arr))
	for _, v := range arr {
		switch n := v.(type) {
		case int64:
			out = append(out, int(n))
		case uint64:
			out = append(out, int(n))
		case float64:
			out = append(out, int(n))
		}
	}
	return out
}

// each calls fn for every row with a reader positioned on it.
func (r *Result) each(fn func(rr *rowReader)) error {
	rr := &rowReader{r: r}
	for _, row := range r.Rows {
		rr.row = row
		fn(rr)
		if rr.err != nil {
			return rr.err
		}
	}
	return nil
}
