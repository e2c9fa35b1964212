package ch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Column is one column of a query result, with its ClickHouse type.
// Its tags read ClickHouse's JSON output format ("meta"), not an API shape.
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

// DecodeJSONCompact reads the engine's JSONCompact output. The rows are decoded in one
// pass (numbers kept as text, then made int64, uint64 or float64 by their column's type):
// a decoder per cell made the decoding cost more than the query behind a page of a few
// thousand rows (the campaign scorecard's reports).
func DecodeJSONCompact(b []byte) (*Result, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return &Result{}, nil
	}
	var raw struct {
		Meta []Column `json:"meta"`
		Data [][]any  `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("decode engine result: %w", err)
	}
	float := make([]bool, len(raw.Meta))
	for j, c := range raw.Meta {
		float[j] = isFloatType(c.Type)
	}
	for i, row := range raw.Data {
		if len(row) != len(raw.Meta) {
			return nil, fmt.Errorf("decode engine result: row %d has %d values for %d columns", i, len(row), len(raw.Meta))
		}
		for j, v := range row {
			row[j] = normalize(v, float[j])
		}
	}
	if raw.Data == nil {
		raw.Data = [][]any{}
	}
	return &Result{Columns: raw.Meta, Rows: raw.Data}, nil
}

// DecodeRowsChunk reads one chunk of a streamed result in the engine's
// JSONCompactEachRowWithNamesAndTypes format: a line of column names, a line of their types,
// then one JSON array per row. Every chunk the engine hands over starts with the two header
// lines (seen with chDB 26.5), so a chunk decodes on its own. Values come out as in
// DecodeJSONCompact.
func DecodeRowsChunk(b []byte) ([]Column, [][]any, error) {
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
