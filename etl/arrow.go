package etl

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"jinwei/warehouse"
)

func rejectsRecord(runID string, rejects []warehouse.Reject, at time.Time) arrow.RecordBatch {
	b := array.NewRecordBuilder(memory.DefaultAllocator, warehouse.ETLRejects.Schema)
	defer b.Release()
	ts := arrow.Timestamp(at.UnixMilli())
	for _, r := range rejects {
		b.Field(0).(*array.StringBuilder).Append(runID)
		b.Field(1).(*array.StringBuilder).Append(r.FilePath)
		b.Field(2).(*array.Uint32Builder).Append(uint32(r.Line))
		b.Field(3).(*array.StringBuilder).Append(r.Location)
		b.Field(4).(*array.StringBuilder).Append(r.Raw)
		b.Field(5).(*array.StringBuilder).Append(r.Reason)
		b.Field(6).(*array.StringBuilder).Append(r.Code)
		b.Field(7).(*array.TimestampBuilder).Append(ts)
	}
	return b.NewRecordBatch()
}
