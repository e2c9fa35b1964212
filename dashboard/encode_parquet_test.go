package dashboard_test

import (
	"bytes"
	"fmt"
	"math"
	"testing"

	"jinwei/dashboard"
	"jinwei/warehouse"
)

// A Parquet export keeps integers whole (a UInt64 past the Int64 range, an Int64's sign),
// NULL as NULL in every type, and the result's column order, as the engine reads it back.
func TestParquetKeepsValuesWholeAndColumnsInOrder(t *testing.T) {
	cols := []warehouse.Column{{Name: "h", Type: "UInt64"}, {Name: "d", Type: "Nullable(Int64)"}, {Name: "地区", Type: "String"}, {Name: "a", Type: "Nullable(Float64)"}}
	rows := [][]any{
		{uint64(math.MaxUint64), int64(math.MinInt64), "甘肃", 52825.5},
		{int64(7), nil, nil, nil},
	}
	var b bytes.Buffer
	if err := dashboard.WriteParquet(&b, cols, rows); err != nil {
		t.Fatal(err)
	}
	got, back := engineReadsParquet(t, b.Bytes(), "SELECT toString(h), toString(d), `地区`, toString(a) FROM file({path:String}, Parquet)")
	if want := "h Nullable(UInt64), d Nullable(Int64), 地区 Nullable(String), a Nullable(Float64)"; got != want {
		t.Errorf("columns %s; want %s", got, want)
	}
	if s := fmt.Sprint(back); s != "[[18446744073709551615 -9223372036854775808 甘肃 52825.5] [7 <nil> <nil> <nil>]]" {
		t.Errorf("rows %s", s)
	}
}
