package warehouse_test

import (
	"context"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// An Arrow record goes in with the engine converting strings to UUID and Enum columns and
// timestamps to DateTime64, and comes back out the same, strings with quotes, NUL bytes,
// semicolons and markup intact.
func TestInsertArrowRoundTrip(t *testing.T) {
	ctx := context.Background()
	w := whtest.Open(t)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "run_id", Type: arrow.BinaryTypes.String},
		{Name: "file_path", Type: arrow.BinaryTypes.String},
		{Name: "line", Type: arrow.PrimitiveTypes.Uint32},
		{Name: "location", Type: arrow.BinaryTypes.String},
		{Name: "raw", Type: arrow.BinaryTypes.String},
		{Name: "reason", Type: arrow.BinaryTypes.String},
		{Name: "created_at", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	runID := "0192f5a0-0000-7000-8000-000000000001"
	hostile := "a'b\"c;DROP TABLE x;\x00<script>alert(1)</script>甘肃"
	at := time.Date(2026, 11, 26, 8, 0, 0, 123e6, time.UTC)
	const rows = 70_000 // several engine blocks' worth of bytes, many ';' bytes among them
	for i := 0; i < rows; i++ {
		b.Field(0).(*array.StringBuilder).Append(runID)
		b.Field(1).(*array.StringBuilder).Append("f.csv")
		b.Field(2).(*array.Uint32Builder).Append(uint32(i + 2))
		b.Field(3).(*array.StringBuilder).Append("column value")
		b.Field(4).(*array.StringBuilder).Append(hostile)
		b.Field(5).(*array.StringBuilder).Append("reason")
		b.Field(6).(*array.TimestampBuilder).Append(arrow.Timestamp(at.UnixMilli()))
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	if err := w.Insert(ctx, "etl_rejects", rec); err != nil {
		t.Fatal(err)
	}
	res, err := whtest.Query(ctx, w, `SELECT count() AS n, uniqExact(raw) AS kinds, any(raw) AS sample, max(line) AS last,
		toString(any(run_id)) AS run, toUnixTimestamp64Milli(any(created_at)) AS ms
		FROM etl_rejects WHERE run_id = toUUID({run:String})`, warehouse.Params{"run": runID})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Rows[0]
	if got[0] != int64(rows) || got[1] != int64(1) || got[2] != hostile || got[3] != int64(rows+1) || got[4] != runID || got[5] != at.UnixMilli() {
		t.Fatalf("read back %v; want %d rows of the same string, last line %d, run %s, time %d", got, rows, rows+1, runID, at.UnixMilli())
	}
}

// Parameters are bound by the engine: a value that looks like SQL stays a value.
func TestQueryParametersAreNotSQL(t *testing.T) {
	w := whtest.Open(t)
	res, err := whtest.Query(context.Background(), w, "SELECT {s:String} AS s, length({s:String}) AS n",
		warehouse.Params{"s": "x'); DROP DATABASE jinwei; --"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows[0][0] != "x'); DROP DATABASE jinwei; --" || res.Rows[0][1] != int64(29) {
		t.Fatalf("got %v", res.Rows[0])
	}
}
