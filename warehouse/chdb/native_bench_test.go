package chdb

import (
	"fmt"
	"io"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// BenchmarkNativeEncode encodes one record as the ETL hands it to the embedded engine (a
// batch of indicator_values: text as dictionaries into LowCardinality, Enum8, String and
// UUID columns, fixed-width numbers, a millisecond timestamp) into a Native block, and
// reports rows/s. It uses only planNative and the writer, so the same file measures any
// encoder behind them.
func BenchmarkNativeEncode(b *testing.B) {
	b.Run("dictionaries", func(b *testing.B) {
		benchNativeEncode(b, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String})
	})
	// Plain text, as BenchmarkInsertMillionRows inserts it: each row's text is mapped.
	b.Run("plain", func(b *testing.B) { benchNativeEncode(b, arrow.BinaryTypes.String) })
}

func benchNativeEncode(b *testing.B, dict arrow.DataType) {
	const rows = 1_000_000
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "indicator_code", Type: dict},
		{Name: "region_code", Type: dict},
		{Name: "period_kind", Type: dict},
		{Name: "year", Type: arrow.PrimitiveTypes.Uint16},
		{Name: "period_no", Type: arrow.PrimitiveTypes.Uint8},
		{Name: "value", Type: arrow.PrimitiveTypes.Float64},
		{Name: "source_unit", Type: dict},
		{Name: "run_id", Type: dict},
		{Name: "source_line", Type: arrow.PrimitiveTypes.Uint32},
		{Name: "loaded_at", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}},
	}, nil)
	types := map[string]string{
		"indicator_code": "LowCardinality(String)", "region_code": "LowCardinality(String)",
		"period_kind": "Enum8('year' = 1, 'quarter' = 2, 'month' = 3, 'ytd' = 4)",
		"year":        "UInt16", "period_no": "UInt8", "value": "Float64", "source_unit": "String",
		"run_id": "UUID", "source_line": "UInt32", "loaded_at": "DateTime64(3, 'UTC')",
	}
	bld := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer bld.Release()
	for i := range rows {
		text := func(col int, s string) {
			switch f := bld.Field(col).(type) {
			case *array.BinaryDictionaryBuilder:
				if err := f.AppendString(s); err != nil {
					b.Fatal(err)
				}
			case *array.StringBuilder:
				f.Append(s)
			}
		}
		text(0, fmt.Sprintf("ind_%02d", i%20))
		text(1, fmt.Sprint(110101+(i/20)%2900))
		text(2, "month")
		bld.Field(3).(*array.Uint16Builder).Append(uint16(2024 - i/58000/12))
		bld.Field(4).(*array.Uint8Builder).Append(uint8(i/58000%12 + 1))
		bld.Field(5).(*array.Float64Builder).Append(float64(i%10007) * 1.25)
		text(6, "亿元")
		text(7, "0192f5a0-0000-7000-8000-0000000000b1")
		bld.Field(8).(*array.Uint32Builder).Append(uint32(i + 2))
		bld.Field(9).(*array.TimestampBuilder).Append(arrow.Timestamp(1764144000123))
	}
	rec := bld.NewRecordBatch()
	defer rec.Release()
	plan, err := planNative(schema, types)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		w := newNativeWriter(io.Discard, plan)
		if err := w.write(rec); err != nil {
			b.Fatal(err)
		}
		if err := w.finish(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
