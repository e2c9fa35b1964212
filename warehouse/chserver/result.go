package chserver

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"jinwei/warehouse/ch"
)

// readRows drains rows into a ch.Result whose values look like the embedded engine's: integers
// as int64 (uint64 beyond its range), floats and decimals as float64, dates and times as the
// text ClickHouse prints, enums and UUIDs as strings, NULL as nil, arrays and tuples as
// []any. The shared query code and the pages then need not know which engine answered.
func readRows(rows driver.Rows) (*ch.Result, error) {
	res := &ch.Result{}
	err := scanRows(rows, ch.StreamChunkRows, func(cols []ch.Column, chunk [][]any) error {
		res.Columns = cols
		res.Rows = append(res.Rows, chunk...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// scanRows reads rows as readRows does and hands them to each in chunks of up to size rows;
// the first chunk is handed over even when empty, so the reader always learns the columns.
// An error from each (ch.ErrStopStream too) ends the scan and is returned.
func scanRows(rows driver.Rows, size int, each ch.ChunkFunc) error {
	types := rows.ColumnTypes()
	cols := make([]ch.Column, len(types))
	dest := make([]any, len(types))
	for i, ct := range types {
		cols[i] = ch.Column{Name: ct.Name(), Type: ct.DatabaseTypeName()}
		dest[i] = reflect.New(ct.ScanType()).Interface()
	}
	chunk, handed := make([][]any, 0, min(size, 1024)), false
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		row := make([]any, len(dest))
		for i, d := range dest {
			row[i] = plainValue(reflect.ValueOf(d).Elem(), cols[i].Type)
		}
		if chunk = append(chunk, row); len(chunk) == size {
			if err := each(cols, chunk); err != nil {
				return err
			}
			chunk, handed = make([][]any, 0, size), true
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(chunk) > 0 || !handed {
		return each(cols, chunk)
	}
	return nil
}

var precisionRe = regexp.MustCompile(`^DateTime64\((\d)`)

// plainValue converts one scanned value; typ is its ClickHouse type, which decides how
// times print.
func plainValue(v reflect.Value, typ string) any {
	if inner, ok := ch.UnwrapType(typ, "LowCardinality"); ok {
		typ = inner
	}
	if inner, ok := ch.UnwrapType(typ, "Nullable"); ok {
		typ = inner
	}
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	switch x := v.Interface().(type) {
	case time.Time:
		return formatTime(x, typ)
	case big.Int: // Int128 and wider
		if x.IsInt64() {
			return x.Int64()
		}
		return x.String()
	case fmt.Stringer: // UUIDs, decimals, IP addresses
		if d, ok := x.(interface{ InexactFloat64() float64 }); ok {
			return d.InexactFloat64()
		}
		return x.String()
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if u := v.Uint(); u > math.MaxInt64 {
			return u
		}
		return int64(v.Uint())
	case reflect.Float32, reflect.Float64:
		return v.Float()
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Slice, reflect.Array:
		elem := typ
		if inner, ok := ch.UnwrapType(typ, "Array"); ok {
			elem = inner
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = plainValue(v.Index(i), elem)
		}
		return out
	}
	return fmt.Sprint(v.Interface())
}

// formatTime prints a time as ClickHouse's text formats do, in the column's time zone.
func formatTime(t time.Time, typ string) string {
	switch {
	case strings.HasPrefix(typ, "Date32"), typ == "Date":
		return t.Format(time.DateOnly)
	case strings.HasPrefix(typ, "DateTime64"):
		layout := time.DateTime
		if m := precisionRe.FindStringSubmatch(typ); m != nil && m[1] != "0" {
			layout += "." + strings.Repeat("0", int(m[1][0]-'0'))
		}
		return t.Format(layout)
	default:
		return t.Format(time.DateTime)
	}
}
