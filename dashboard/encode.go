package dashboard

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"jinwei/warehouse"
)

// An encoder writes a guarded statement's result in one file format as the rows arrive,
// chunk by chunk (it is the warehouse's RowSink), so no format needs the whole result.
type encoder interface {
	warehouse.RowSink
	// Close finishes the file once the last rows are in; cut says the result had more rows
	// than the export's cap, for a format that can say so inside the file.
	Close(cut bool) error
	// Discard releases what the encoder holds outside the file it writes (excelize's
	// temporary files) without finishing it; after Close it does nothing.
	Discard()
}

// fileFormat is one way to download a result.
type fileFormat struct {
	contentType string
	ext         string
	encoder     func(w io.Writer) encoder
	// maxRows, when set, caps the rows below the export cap: what the format can hold.
	maxRows func() int
}

// fileFormats are the downloads: CSV, XLSX and Parquet exports from the console, CSV and
// Arrow IPC answers of the SQL API.
var fileFormats = map[string]fileFormat{
	"csv":     {"text/csv; charset=utf-8", "csv", newCSVEncoder, nil},
	"xlsx":    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", newXLSXEncoder, xlsxMaxRows},
	"parquet": {"application/vnd.apache.parquet", "parquet", newParquetEncoder, nil},
	"arrow":   {"application/vnd.apache.arrow.stream", "arrows", newArrowEncoder, nil},
}

// checkFormat answers 400 unless format is one of those an endpoint offers.
func checkFormat(format string, offered ...string) error {
	if slices.Contains(offered, format) {
		return nil
	}
	return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("format %q is not one of %s", format, strings.Join(offered, ", ")))
}

// A columnKind is how Arrow and Parquet files type a result's column: integer and float
// columns keep their type, everything else is text.
type columnKind int

const (
	textColumn columnKind = iota
	floatColumn
	uintColumn
	intColumn
)

func kindOf(col warehouse.Column) columnKind {
	t := strings.TrimSuffix(strings.TrimPrefix(col.Type, "Nullable("), ")")
	switch {
	case strings.HasPrefix(t, "Float"), strings.HasPrefix(t, "Decimal"):
		return floatColumn
	case strings.HasPrefix(t, "UInt"):
		return uintColumn
	case strings.HasPrefix(t, "Int"):
		return intColumn
	}
	return textColumn
}

// arrowSchema types a result's columns for Arrow (kindOf), every one nullable.
func arrowSchema(cols []warehouse.Column) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, col := range cols {
		t := arrow.DataType(arrow.BinaryTypes.String)
		switch kindOf(col) {
		case floatColumn:
			t = arrow.PrimitiveTypes.Float64
		case uintColumn:
			t = arrow.PrimitiveTypes.Uint64
		case intColumn:
			t = arrow.PrimitiveTypes.Int64
		}
		fields[i] = arrow.Field{Name: col.Name, Type: t, Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

// rowsRecord turns one chunk of rows into an Arrow record of schema (from arrowSchema).
func rowsRecord(schema *arrow.Schema, rows [][]any) arrow.RecordBatch {
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, row := range rows {
		for i, v := range row {
			switch fb := b.Field(i).(type) {
			case *array.Float64Builder:
				if f, ok := toFloat(v); ok {
					fb.Append(f)
				} else {
					fb.AppendNull()
				}
			case *array.Int64Builder:
				if n, ok := toInt(v); ok {
					fb.Append(n)
				} else {
					fb.AppendNull()
				}
			case *array.Uint64Builder:
				if n, ok := toUint(v); ok {
					fb.Append(n)
				} else {
					fb.AppendNull()
				}
			case *array.StringBuilder:
				if v == nil {
					fb.AppendNull()
				} else {
					fb.Append(cellString(v))
				}
			}
		}
	}
	return b.NewRecordBatch()
}

// cellString writes a value as text; NULL is empty.
func cellString(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// toUint reads an unsigned integer, any uint64 whole.
func toUint(v any) (uint64, bool) {
	if n, ok := v.(uint64); ok {
		return n, true
	}
	if n, ok := toInt(v); ok && n >= 0 {
		return uint64(n), true
	}
	return 0, false
}

// toInt reads an integer without a trip through float64, which would round those beyond
// 2^53 (ids, hashes). UInt columns are read by toUint (kindOf), so a value above the
// Int64 range does not come here.
func toInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case uint64:
		return int64(x), true
	case float64:
		return int64(x), true
	}
	return 0, false
}
