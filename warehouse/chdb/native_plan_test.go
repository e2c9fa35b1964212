package chdb

import (
	"errors"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// Each Arrow type is written as its table column's type where that saves the engine a
// conversion, and a type without a Native encoding sends the record down the Arrow path.
func TestNativeEncodingByTableType(t *testing.T) {
	dict := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	tests := []struct {
		arrow arrow.DataType
		table string
		want  string // the block header's type; "" for no Native encoding
	}{
		{dict, "LowCardinality(String)", "LowCardinality(String)"},
		{dict, "LowCardinality(Nullable(String))", ""},
		{arrow.BinaryTypes.String, "LowCardinality(Nullable(String))", ""},
		{dict, "String", "String"},
		{dict, "Nullable(String)", "Nullable(String)"},
		{dict, "Enum8('year' = 1, 'month' = 3)", "Enum8('year' = 1, 'month' = 3)"},
		{dict, "Nullable(Enum8('on' = 1))", "Nullable(Enum8('on' = 1))"},
		{dict, "UUID", "UUID"},
		{arrow.BinaryTypes.String, "UUID", "UUID"},
		{arrow.BinaryTypes.String, "Enum16('x' = 1000)", "Enum16('x' = 1000)"},
		{arrow.BinaryTypes.String, "LowCardinality(String)", "String"},
		{arrow.BinaryTypes.String, "String", "String"},
		{arrow.PrimitiveTypes.Uint16, "UInt16", "UInt16"},
		{arrow.PrimitiveTypes.Float64, "Nullable(Float64)", "Nullable(Float64)"},
		{arrow.PrimitiveTypes.Float64, "Float64", "Float64"},
		{arrow.FixedWidthTypes.Date32, "Date", "Date32"},
		{&arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}, "DateTime64(3, 'UTC')", "DateTime64(3, 'UTC')"},
		{&arrow.TimestampType{Unit: arrow.Second}, "DateTime", "DateTime64(0)"},
		{arrow.FixedWidthTypes.Boolean, "Bool", "Bool"},
		{arrow.BinaryTypes.Binary, "String", ""},
		{&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.PrimitiveTypes.Int64}, "Int64", ""},
		{arrow.ListOf(arrow.PrimitiveTypes.Int32), "Array(Int32)", ""},
		{dict, "Enum8('unclosed = 1)", ""},
	}
	for _, tt := range tests {
		schema := arrow.NewSchema([]arrow.Field{{Name: "c", Type: tt.arrow}}, nil)
		cols, err := planNative(schema, map[string]string{"c": tt.table})
		switch {
		case tt.want == "" && !errors.Is(err, errNoNative):
			t.Errorf("%s into %s: %v, want no Native encoding", tt.arrow, tt.table, err)
		case tt.want != "" && err != nil:
			t.Errorf("%s into %s: %v", tt.arrow, tt.table, err)
		case tt.want != "" && cols[0].typ != tt.want:
			t.Errorf("%s into %s is written as %s, want %s", tt.arrow, tt.table, cols[0].typ, tt.want)
		}
	}
}

func TestParseEnum(t *testing.T) {
	got, err := parseEnum(`Enum8('未整改' = 1, 'it\'s' = -2, 'a, b = c' = 3, '\\' = 4, 'tab\there' = 5, '\x41\n' = 6)`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"未整改": 1, "it's": -2, "a, b = c": 3, `\`: 4, "tab\there": 5, "A\n": 6}
	if len(got) != len(want) {
		t.Fatalf("parsed %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("parsed %v, want %v", got, want)
		}
	}
}
