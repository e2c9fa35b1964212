package warehouse

import (
	"fmt"
	"strconv"

	"jinwei/warehouse/ch"
)

// Result is a query's answer (ch.Result), which the warehouse's typed queries read by column
// name, a row at a time (each). The two types are one layout: converting is free.
type Result ch.Result

// col finds a column by name.
func (r *Result) col(name string) int {
	for i, c := range r.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Uint reads the number in row i, column j as either engine returns it (a count is int64
// from one and uint64 from the other, and may come as text); NULL, an empty table's
// checksum, is 0.
func (r *Result) Uint(i, j int) uint64 {
	switch x := r.Rows[i][j].(type) {
	case int64:
		return uint64(x)
	case uint64:
		return x
	case float64:
		return uint64(x)
	}
	n, _ := strconv.ParseUint(fmt.Sprint(r.Rows[i][j]), 10, 64)
	return n
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
