package warehouse_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// Both engines bind the same parameters to the same values: the embedded one and a current
// server in the engine, the 18.x test server through jinwei's client-side binding. Values
// are plain text; the warehouse escapes them for the engine.
func TestParametersBindAlikeOnBothEngines(t *testing.T) {
	ctx := context.Background()
	engines := map[string]*warehouse.Warehouse{"embedded": whtest.OpenEmpty(t), "server": whtest.OpenServerEmpty(t)}
	cases := []struct {
		name, stmt string
		params     warehouse.Params
		want       []any // nil: both engines must refuse
	}{
		{"hostile string", "SELECT {s:String} AS s, length({s:String}) AS n",
			warehouse.Params{"s": "x'); DROP DATABASE jinwei; --"}, []any{"x'); DROP DATABASE jinwei; --", int64(29)}},
		{"backslashes and line breaks", "SELECT {s:String} AS s", warehouse.Params{"s": "a\\b\nc\td\\'e\\"},
			[]any{"a\\b\nc\td\\'e\\"}},
		{"placeholder text inside a literal stays", "SELECT '{s:String}' AS s, {s:String} AS t",
			warehouse.Params{"s": "v"}, []any{"{s:String}", "v"}},
		{"no NULL through a parameter", "SELECT {s:Nullable(String)} AS s", warehouse.Params{"s": `\N`}, []any{`\N`}},
		{"negative in arithmetic", "SELECT 10 - {n:Int8} AS d", warehouse.Params{"n": "-5"}, []any{int64(15)}},
		{"not a number", "SELECT {n:UInt32} AS n", warehouse.Params{"n": "1 OR 1=1"}, nil},
		{"float", "SELECT {f:Float64} * 2 AS f", warehouse.Params{"f": "1.25"}, []any{2.5}},
		{"array of strings", "SELECT {a:Array(String)} AS a", warehouse.Params{"a": `['a','b c']`}, []any{[]any{"a", "b c"}}},
		{"date", "SELECT toString({d:Date} + 1) AS d", warehouse.Params{"d": "2024-02-28"}, []any{"2024-02-29"}},
		{"uuid", "SELECT toString({u:UUID}) AS u", warehouse.Params{"u": "0192f5a0-0000-7000-8000-000000000001"},
			[]any{"0192f5a0-0000-7000-8000-000000000001"}},
		{"missing", "SELECT {s:String} AS s", nil, nil},
	}
	for _, c := range cases {
		for name, w := range engines {
			t.Run(c.name+"/"+name, func(t *testing.T) {
				res, err := whtest.Query(ctx, w, c.stmt, c.params)
				if c.want == nil {
					if err == nil {
						t.Fatalf("got %v, want a refusal", res.Rows)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(res.Rows[0], c.want) {
					t.Fatalf("got %#v, want %#v", res.Rows[0], c.want)
				}
			})
		}
	}
}

// arrowTypesDDL has a column of every type jinwei's schema uses; the compat rewrite turns
// it into what an 18.x server has.
const arrowTypesDDL = `CREATE TABLE IF NOT EXISTS arrow_types
(
    s   String,
    lc  LowCardinality(String),
    e   Enum8('level' = 1, 'growth' = 2),
    u   UUID,
    u8  UInt8,
    i8  Int8,
    u16 UInt16,
    u32 UInt32,
    u64 UInt64,
    i64 Int64,
    f   Float64,
    nf  Nullable(Float64),
    d   Date,
    at  DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY u32
COMMENT 'every column type jinwei inserts into'`

// arrowTypesRead reads arrow_types back the same on every engine: times in whole seconds,
// all 18.x keeps (compatDDL).
const arrowTypesRead = `SELECT s, lc, toString(e) AS e, toString(u) AS u, u8, i8, u16, u32, u64, i64, f, nf,
	toString(d) AS d, toUnixTimestamp(at) AS secs FROM arrow_types ORDER BY u32`

var (
	hostileText = "a'b\"c;DROP TABLE x;\x00\\<script>alert(1)</script>甘肃\t\n"
	typesAt     = time.Date(2026, 11, 26, 8, 0, 0, 123e6, time.UTC)
)

// arrowTypesRecord has two rows for arrow_types, in the Arrow types the ETL produces.
func arrowTypesRecord() arrow.RecordBatch {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "s", Type: arrow.BinaryTypes.String},
		{Name: "lc", Type: arrow.BinaryTypes.String},
		{Name: "e", Type: arrow.BinaryTypes.String},
		{Name: "u", Type: arrow.BinaryTypes.String},
		{Name: "u8", Type: arrow.PrimitiveTypes.Uint8},
		{Name: "i8", Type: arrow.PrimitiveTypes.Int8},
		{Name: "u16", Type: arrow.PrimitiveTypes.Uint16},
		{Name: "u32", Type: arrow.PrimitiveTypes.Uint32},
		{Name: "u64", Type: arrow.PrimitiveTypes.Uint64},
		{Name: "i64", Type: arrow.PrimitiveTypes.Int64},
		{Name: "f", Type: arrow.PrimitiveTypes.Float64},
		{Name: "nf", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32},
		{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	day := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	for i, nf := range []*float64{ptr(6.5), nil} {
		b.Field(0).(*array.StringBuilder).Append(hostileText)
		b.Field(1).(*array.StringBuilder).Append("甘肃")
		b.Field(2).(*array.StringBuilder).Append([]string{"level", "growth"}[i])
		b.Field(3).(*array.StringBuilder).Append("0192f5a0-0000-7000-8000-00000000000" + itoa(i))
		b.Field(4).(*array.Uint8Builder).Append(255)
		b.Field(5).(*array.Int8Builder).Append(-1)
		b.Field(6).(*array.Uint16Builder).Append(2024)
		b.Field(7).(*array.Uint32Builder).Append(uint32(i))
		b.Field(8).(*array.Uint64Builder).Append(1 << 63)
		b.Field(9).(*array.Int64Builder).Append(-1 << 40)
		b.Field(10).(*array.Float64Builder).Append(0.1)
		if nf != nil {
			b.Field(11).(*array.Float64Builder).Append(*nf)
		} else {
			b.Field(11).AppendNull()
		}
		b.Field(12).(*array.Date32Builder).Append(arrow.Date32FromTime(day))
		b.Field(13).(*array.TimestampBuilder).Append(arrow.Timestamp(typesAt.UnixMilli()))
	}
	return b.NewRecordBatch()
}

// The same Arrow record goes into both engines and reads back the same: enums and UUIDs
// from strings, integers at their limits, NULL into Nullable, dates from Arrow dates,
// hostile strings intact.
func TestInsertArrowAlikeOnBothEngines(t *testing.T) {
	ctx := context.Background()
	rec := arrowTypesRecord()
	defer rec.Release()
	for _, w := range []*warehouse.Warehouse{whtest.OpenEmpty(t), whtest.OpenServerEmpty(t)} {
		if err := warehouse.ExecDDL(w, ctx, arrowTypesDDL); err != nil {
			t.Fatalf("%s: %v", w.Engine(), err)
		}
		if err := w.Insert(ctx, "arrow_types", rec); err != nil {
			t.Fatalf("%s: %v", w.Engine(), err)
		}
		res, err := whtest.Query(ctx, w, arrowTypesRead, nil)
		if err != nil {
			t.Fatalf("%s: %v", w.Engine(), err)
		}
		for i, row := range res.Rows {
			want := []any{hostileText, "甘肃", []string{"level", "growth"}[i], "0192f5a0-0000-7000-8000-00000000000" + itoa(i),
				int64(255), int64(-1), int64(2024), int64(i), uint64(1 << 63), int64(-1 << 40), 0.1, []any{6.5, nil}[i],
				"2024-02-29", typesAt.Unix()}
			if !reflect.DeepEqual(row, want) {
				t.Errorf("%s engine read back row %d\n%#v\nwant\n%#v", w.Engine(), i, row, want)
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }
