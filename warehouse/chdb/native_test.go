package chdb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"jinwei/warehouse/whtest"
)

var nativeTestDict = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

// Every Arrow type jinwei inserts goes through the embedded engine's staged Native blocks
// into the column types of its tables, two records of one insert (slices of one, so the
// second starts at an offset) with their dictionaries grown in between, and reads back as
// written: NULLs too, where the column can hold them, in whichever block they come.
func TestInsertNativeRoundTrip(t *testing.T) {
	ctx := context.Background()
	w := whtest.Open(t)
	cols := []struct {
		name, chType string
		typ          arrow.DataType
		// values by row; "" in a nullable Arrow column is NULL where null says so
		values []string
		null   []bool
		want   []string
	}{
		{"lc", "LowCardinality(String)", nativeTestDict, []string{"兰州", "a'b;", "兰州", "x"}, []bool{false, false, true, false}, []string{"兰州", "a'b;", "", "x"}},
		{"dict_to_string", "String", nativeTestDict, []string{"亿元", "万元", "亿元", "%"}, nil, nil},
		{"text", "String", arrow.BinaryTypes.String, []string{"<script>", "", "\x00;DROP", "甘肃"}, nil, nil},
		{"e8", "Enum8('a' = 1, 'it\\'s' = -2)", arrow.BinaryTypes.String, []string{"a", "it's", "a", "it's"}, nil, nil},
		{"e16", "Enum16('x' = 1000, 'y' = -1000)", nativeTestDict, []string{"y", "x", "x", "y"}, nil, nil},
		{"enum_null", "Nullable(Enum8('on' = 1))", nativeTestDict, []string{"on", "", "on", "on"}, []bool{false, true, false, false}, []string{"on", "\\N", "on", "on"}},
		{"id", "UUID", arrow.BinaryTypes.String, []string{"0192f5a0-0000-7000-8000-000000000001", "ffffffff-0000-0001-8000-00000000abcd", "0192f5a0-0000-7000-8000-000000000001", "00000000-0000-0000-0000-000000000000"}, nil, nil},
		{"id_dict", "UUID", nativeTestDict, []string{"12345678-9abc-def0-1234-56789abcdef0", "12345678-9abc-def0-1234-56789abcdef0", "fedcba98-7654-3210-fedc-ba9876543210", "12345678-9abc-def0-1234-56789abcdef0"}, nil, nil},
		{"id_null", "Nullable(UUID)", arrow.BinaryTypes.String, []string{"", "12345678-9abc-def0-1234-56789abcdef0", "", ""}, []bool{true, false, true, true}, []string{"\\N", "12345678-9abc-def0-1234-56789abcdef0", "\\N", "\\N"}},
		{"i8", "Int8", arrow.PrimitiveTypes.Int8, []string{"-128", "127", "0", "-1"}, nil, nil},
		{"i16", "Int16", arrow.PrimitiveTypes.Int16, []string{"-32768", "32767", "0", "7"}, nil, nil},
		{"i32", "Int32", arrow.PrimitiveTypes.Int32, []string{"-2147483648", "2147483647", "0", "-5"}, nil, nil},
		{"i64", "Int64", arrow.PrimitiveTypes.Int64, []string{"-9223372036854775808", "9223372036854775807", "0", "42"}, nil, nil},
		{"u8", "UInt8", arrow.PrimitiveTypes.Uint8, []string{"255", "0", "1", "2"}, nil, nil},
		{"u16", "UInt16", arrow.PrimitiveTypes.Uint16, []string{"65535", "0", "2025", "1"}, nil, nil},
		{"u32", "UInt32", arrow.PrimitiveTypes.Uint32, []string{"4294967295", "0", "3", "4"}, nil, nil},
		{"u64", "UInt64", arrow.PrimitiveTypes.Uint64, []string{"18446744073709551615", "0", "5", "6"}, nil, nil},
		{"f32", "Float32", arrow.PrimitiveTypes.Float32, []string{"1.5", "-0.25", "0", "1e30"}, nil, nil},
		{"f64", "Float64", arrow.PrimitiveTypes.Float64, []string{"12345.6789", "-1e-300", "0", "3.5"}, nil, nil},
		{"f64_null", "Nullable(Float64)", arrow.PrimitiveTypes.Float64, []string{"", "2.5", "", "-1"}, []bool{true, false, true, false}, []string{"\\N", "2.5", "\\N", "-1"}},
		{"late_null", "Nullable(Float64)", arrow.PrimitiveTypes.Float64, []string{"1", "2", "", "4"}, []bool{false, false, true, false}, []string{"1", "2", "\\N", "4"}},
		{"null_to_default", "Float64", arrow.PrimitiveTypes.Float64, []string{"1", "", "3", "4"}, []bool{false, true, false, false}, []string{"1", "0", "3", "4"}},
		{"text_late_null", "Nullable(String)", arrow.BinaryTypes.String, []string{"a", "", "", "d"}, []bool{false, false, true, false}, []string{"a", "", "\\N", "d"}},
		{"day", "Date", arrow.FixedWidthTypes.Date32, []string{"2026-11-27", "1970-01-01", "2149-06-06", "2000-02-29"}, nil, nil},
		{"day32", "Date32", arrow.FixedWidthTypes.Date32, []string{"1900-01-01", "2299-12-31", "2026-11-27", "1969-12-31"}, nil, nil},
		{"at", "DateTime64(3, 'UTC')", &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}, []string{"2026-11-27 03:20:10.123", "1970-01-01 00:00:00.000", "2100-01-01 00:00:00.999", "2000-01-01 12:00:00.000"}, nil, nil},
		{"at_us", "DateTime64(6, 'Asia/Shanghai')", &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "Asia/Shanghai"}, []string{"2026-11-27 11:20:10.123456", "2000-01-01 08:00:00.000001", "2026-01-01 00:00:00.000000", "2026-06-30 23:59:59.999999"}, nil, nil},
		{"flag", "Bool", arrow.FixedWidthTypes.Boolean, []string{"true", "false", "false", "true"}, nil, nil},
	}
	var ddl, fields []string
	for _, c := range cols {
		ddl = append(ddl, c.name+" "+c.chType)
		fields = append(fields, c.name)
	}
	if err := whtest.Exec(ctx, w, "CREATE TABLE native_types ("+strings.Join(ddl, ", ")+") ENGINE = MergeTree ORDER BY tuple()", nil); err != nil {
		t.Fatal(err)
	}
	schemaFields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		schemaFields[i] = arrow.Field{Name: c.name, Type: c.typ, Nullable: c.null != nil}
	}
	schema := arrow.NewSchema(schemaFields, nil)
	app := w.NewAppender(ctx, "native_types", 1_000)
	all := nativeTestRecord(t, schema, []int{0, 1, 2, 3}, func(col, row int) (string, bool) {
		return cols[col].values[row], cols[col].null != nil && cols[col].null[row]
	})
	defer all.Release()
	for _, rows := range [][2]int64{{0, 2}, {2, 4}} {
		rec := all.NewSlice(rows[0], rows[1])
		if err := app.Append(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	if err := app.Close(); err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		res, err := whtest.Query(ctx, w, "SELECT toString("+c.name+") FROM native_types ORDER BY u32 DESC", nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want := c.want
		if want == nil {
			want = c.values
		}
		// Rows come back by u32: 4294967295, 4, 3, 0, that is rows 0, 3, 2, 1.
		for i, row := range []int{0, 3, 2, 1} {
			got := "\\N"
			if v := res.Rows[i][0]; v != nil {
				got = fmt.Sprint(v)
			}
			if got != want[row] {
				t.Errorf("%s (%s) row %d: read back %q, wrote %q", c.name, c.chType, row, got, want[row])
			}
		}
	}
}

// nativeTestRecord builds the rows of a record from their text, as the engine prints them.
func nativeTestRecord(t *testing.T, schema *arrow.Schema, rows []int, value func(col, row int) (string, bool)) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, row := range rows {
		for col, f := range schema.Fields() {
			v, null := value(col, row)
			fb := b.Field(col)
			if null {
				fb.AppendNull()
				continue
			}
			if err := appendText(fb, f.Type, v); err != nil {
				t.Fatalf("%s %q: %v", f.Name, v, err)
			}
		}
	}
	return b.NewRecordBatch()
}

func appendText(b array.Builder, typ arrow.DataType, v string) error {
	switch bb := b.(type) {
	case *array.BinaryDictionaryBuilder:
		return bb.AppendString(v)
	case *array.TimestampBuilder:
		tt := typ.(*arrow.TimestampType)
		loc, err := time.LoadLocation(tt.TimeZone)
		if err != nil {
			return err
		}
		at, err := time.ParseInLocation("2006-01-02 15:04:05.999999", v, loc)
		if err != nil {
			return err
		}
		ts, err := arrow.TimestampFromTime(at, tt.Unit)
		bb.Append(ts)
		return err
	case *array.Date32Builder:
		d, err := time.Parse(time.DateOnly, v)
		bb.Append(arrow.Date32FromTime(d))
		return err
	}
	return b.AppendValueFromString(v)
}

// A NULL for an enum column that cannot hold it is refused, naming the column: an enum has
// no zero to put in its place.
func TestInsertRefusesNullEnum(t *testing.T) {
	ctx := context.Background()
	w := whtest.Open(t)
	if err := whtest.Exec(ctx, w, "CREATE TABLE native_enum (state Enum8('on' = 1, 'off' = 2)) ENGINE = MergeTree ORDER BY tuple()", nil); err != nil {
		t.Fatal(err)
	}
	schema := arrow.NewSchema([]arrow.Field{{Name: "state", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	rec := nativeTestRecord(t, schema, []int{0, 1}, func(_, row int) (string, bool) { return "on", row == 1 })
	defer rec.Release()
	err := w.Insert(ctx, "native_enum", rec)
	if err == nil || !strings.Contains(err.Error(), "state") || !strings.Contains(err.Error(), "NULL") {
		t.Fatalf("insert of a NULL enum: %v; want a refusal naming the column", err)
	}
}

// A record with a type Native has no encoding for here (binary) is staged as Arrow instead.
func TestInsertFallsBackToArrow(t *testing.T) {
	ctx := context.Background()
	w := whtest.Open(t)
	if err := whtest.Exec(ctx, w, "CREATE TABLE native_fallback (blob String, n UInt8) ENGINE = MergeTree ORDER BY tuple()", nil); err != nil {
		t.Fatal(err)
	}
	schema := arrow.NewSchema([]arrow.Field{{Name: "blob", Type: arrow.BinaryTypes.Binary}, {Name: "n", Type: arrow.PrimitiveTypes.Uint8}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.BinaryBuilder).Append([]byte{0, 1, 0xff, ';'})
	b.Field(1).(*array.Uint8Builder).Append(7)
	rec := b.NewRecordBatch()
	defer rec.Release()
	if err := w.Insert(ctx, "native_fallback", rec); err != nil {
		t.Fatal(err)
	}
	res, err := whtest.Query(ctx, w, "SELECT hex(blob), n FROM native_fallback", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(res.Rows); got != "[[0001FF3B 7]]" {
		t.Fatalf("read back %s", got)
	}
}
