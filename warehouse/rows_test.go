package warehouse_test

import (
	"fmt"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// indicatorValuesSchema has the columns the economy ETL job writes (etl/economy.go, which
// sends the codes as dictionaries), all as plain Arrow types.
var indicatorValuesSchema = arrow.NewSchema([]arrow.Field{
	{Name: "indicator_code", Type: arrow.BinaryTypes.String},
	{Name: "region_code", Type: arrow.BinaryTypes.String},
	{Name: "period_kind", Type: arrow.BinaryTypes.String},
	{Name: "year", Type: arrow.PrimitiveTypes.Uint16},
	{Name: "period_no", Type: arrow.PrimitiveTypes.Uint8},
	{Name: "value", Type: arrow.PrimitiveTypes.Float64},
	{Name: "source_unit", Type: arrow.BinaryTypes.String},
	{Name: "run_id", Type: arrow.BinaryTypes.String},
	{Name: "source_line", Type: arrow.PrimitiveTypes.Uint32},
	{Name: "loaded_at", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}},
}, nil)

// loadedAt is the load time the generated rows carry, with milliseconds.
var loadedAt = time.Date(2026, 11, 26, 8, 0, 0, 123e6, time.UTC)

// indicatorValues generates n rows of county-level monthly values, as a national load of
// every county's monthly figures would have: 20 indicators × 2,900 counties × months.
func indicatorValues(n int, runID string) arrow.RecordBatch {
	b := array.NewRecordBuilder(memory.DefaultAllocator, indicatorValuesSchema)
	defer b.Release()
	for _, f := range b.Fields() {
		f.Reserve(n)
	}
	var (
		ind    = b.Field(0).(*array.StringBuilder)
		region = b.Field(1).(*array.StringBuilder)
		kind   = b.Field(2).(*array.StringBuilder)
		year   = b.Field(3).(*array.Uint16Builder)
		month  = b.Field(4).(*array.Uint8Builder)
		value  = b.Field(5).(*array.Float64Builder)
		unit   = b.Field(6).(*array.StringBuilder)
		run    = b.Field(7).(*array.StringBuilder)
		line   = b.Field(8).(*array.Uint32Builder)
		at     = b.Field(9).(*array.TimestampBuilder)
	)
	indicators := make([]string, 20)
	for i := range indicators {
		indicators[i] = fmt.Sprintf("ind_%02d", i)
	}
	regions := make([]string, 2900)
	for i := range regions {
		regions[i] = strconv.Itoa(110101 + i)
	}
	ts := arrow.Timestamp(loadedAt.UnixMilli())
	for i := 0; i < n; i++ {
		ind.Append(indicators[i%len(indicators)])
		region.Append(regions[(i/len(indicators))%len(regions)])
		kind.Append("month")
		m := i / (len(indicators) * len(regions))
		year.Append(uint16(2024 - m/12))
		month.Append(uint8(m%12 + 1))
		value.Append(float64(i%10007) * 1.25)
		unit.Append("亿元")
		run.Append(runID)
		line.Append(uint32(i + 2))
		at.Append(ts)
	}
	return b.NewRecordBatch()
}

func itoa(n int) string { return strconv.Itoa(n) }
