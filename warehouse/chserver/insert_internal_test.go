package chserver

import (
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The text a server batch is given is its own: clickhouse-go keeps LowCardinality values
// until the batch is sent, and the caller may write over the record's buffers before then.
func TestStringsOfCopiesTheText(t *testing.T) {
	want := []string{"620000", "兰州", "", "x;y"}
	for _, tc := range []struct {
		name  string
		build func() arrow.Array
	}{
		{"string", func() arrow.Array {
			b := array.NewStringBuilder(memory.DefaultAllocator)
			b.AppendValues(want, nil)
			return b.NewArray()
		}},
		{"sliced string", func() arrow.Array {
			b := array.NewStringBuilder(memory.DefaultAllocator)
			b.AppendValues(append([]string{"skipped"}, want...), nil)
			return array.NewSlice(b.NewArray(), 1, int64(len(want)+1))
		}},
		{"large string", func() arrow.Array {
			b := array.NewLargeStringBuilder(memory.DefaultAllocator)
			b.AppendValues(want, nil)
			return b.NewArray()
		}},
		{"binary", func() arrow.Array {
			b := array.NewBinaryBuilder(memory.DefaultAllocator, arrow.BinaryTypes.Binary)
			for _, s := range want {
				b.AppendString(s)
			}
			return b.NewArray()
		}},
	} {
		arr := tc.build()
		got, err := stringsOf(arr)
		if err != nil {
			t.Fatal(err)
		}
		text := arr.Data().Buffers()[2].Bytes() // the values' text, after validity and offsets
		for i := range text {
			text[i] = 'x'
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: after the record's text was overwritten the strings read %q, want %q", tc.name, got, want)
		}
	}
}
