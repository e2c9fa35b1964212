package etl

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"jinwei/warehouse"
)

func rejectsRecord(runID string, rejects []warehouse.Reject, at time.Time) arrow.RecordBatch {
	t := &warehouse.ETLRejects
	b := array.NewRecordBuilder(memory.DefaultAllocator, t.Schema)
	defer b.Release()
	ts := arrow.Timestamp(at.UnixMilli())
	for _, r := range rejects {
		t.Columns.RunID.In(b).Append(runID)
		t.Columns.FilePath.In(b).Append(r.FilePath)
		t.Columns.Line.In(b).Append(uint32(r.Line))
		t.Columns.Location.In(b).Append(r.Location)
		t.Columns.Raw.In(b).Append(r.Raw)
		t.Columns.Reason.In(b).Append(r.Reason)
		t.Columns.ReasonZh.In(b).Append(r.ReasonZh)
		t.Columns.ReasonCode.In(b).Append(r.Code)
		t.Columns.CreatedAt.In(b).Append(ts)
	}
	return b.NewRecordBatch()
}
