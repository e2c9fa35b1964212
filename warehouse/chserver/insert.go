package chserver

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"jinwei/warehouse/ch"
)

// serverStage sends an insert's records as one columnar block: PrepareBatch with the
// columns named (servers before 19.x refuse a batch without the list, and naming them lets
// the table add columns later), then each record's Arrow columns converted to the Go slices
// the target columns take, appended whole. One block is one part on a MergeTree server: the
// rows land together or not at all.
type serverStage struct {
	e     *Engine
	batch driver.Batch
}

func (e *Engine) Stager(ctx context.Context, table string, schema *arrow.Schema) (ch.Stager, error) {
	cols := make([]string, schema.NumFields())
	for i, f := range schema.Fields() {
		cols[i] = ch.QuoteIdent(f.Name)
	}
	stmt := "INSERT INTO " + ch.QuoteIdent(table) + " (" + strings.Join(cols, ", ") + ")"
	return func() (ch.InsertStage, error) {
		batch, err := e.conn.PrepareBatch(ctx, stmt)
		if err != nil {
			return nil, e.fail(ctx, "start insert", err)
		}
		return &serverStage{e: e, batch: batch}, nil
	}, nil
}

func (s *serverStage) Write(rec arrow.RecordBatch) error {
	targets := s.batch.Columns()
	for i, arr := range rec.Columns() {
		name := rec.ColumnName(i)
		vals, err := columnValues(arr, string(targets[i].Type()))
		if err != nil {
			return fmt.Errorf("column %s: %w", name, err)
		}
		if err := s.batch.Column(i).Append(vals); err != nil {
			return fmt.Errorf("column %s: %w", name, err)
		}
	}
	return nil
}

func (s *serverStage) Commit(ctx context.Context) error {
	defer s.Discard()
	if err := s.batch.Send(); err != nil {
		return s.e.fail(ctx, "send rows", err)
	}
	return nil
}

func (s *serverStage) Discard() {
	if !s.batch.IsSent() {
		_ = s.batch.Abort()
	}
}

// columnValues converts an Arrow column into the slice clickhouse-go appends to a column
// of type chType: []T, or []*T with nil for NULL when the column is Nullable.
func columnValues(arr arrow.Array, chType string) (any, error) {
	typ := chType
	if inner, ok := ch.UnwrapType(typ, "LowCardinality"); ok {
		typ = inner
	}
	inner, nullable := ch.UnwrapType(typ, "Nullable")
	if nullable {
		typ = inner
	} else if arr.NullN() > 0 {
		// The embedded engine would store the type's default; a server load refuses
		// instead, so a NULL is never turned into a zero unnoticed.
		return nil, fmt.Errorf("%d NULL values, but %s is not Nullable", arr.NullN(), chType)
	}
	name, _, _ := strings.Cut(typ, "(")
	var (
		out any
		err error
	)
	switch name {
	case "String", "FixedString", "UUID", "Enum8", "Enum16":
		out, err = column(stringsOf, arr, nullable)
	case "Int8":
		out, err = column(integers[int8], arr, nullable)
	case "Int16":
		out, err = column(integers[int16], arr, nullable)
	case "Int32":
		out, err = column(integers[int32], arr, nullable)
	case "Int64":
		out, err = column(integers[int64], arr, nullable)
	case "UInt8":
		out, err = column(integers[uint8], arr, nullable)
	case "UInt16":
		out, err = column(integers[uint16], arr, nullable)
	case "UInt32":
		out, err = column(integers[uint32], arr, nullable)
	case "UInt64":
		out, err = column(integers[uint64], arr, nullable)
	case "Float32":
		out, err = column(floats[float32], arr, nullable)
	case "Float64":
		out, err = column(floats[float64], arr, nullable)
	case "DateTime64":
		out, err = column(func(a arrow.Array) ([]int64, error) { return ticks(a, typ) }, arr, nullable)
	case "Date", "Date32", "DateTime":
		out, err = column(times, arr, nullable)
	case "Bool":
		out, err = column(bools, arr, nullable)
	default:
		return nil, fmt.Errorf("jinwei cannot insert into %s columns", chType)
	}
	if err != nil {
		return nil, fmt.Errorf("%s into %s: %w", arr.DataType(), chType, err)
	}
	return out, nil
}

// column reads arr with read and passes the values on, or as pointers with nil where arr is
// NULL for a Nullable column.
func column[T any](read func(arrow.Array) ([]T, error), arr arrow.Array, nullable bool) (any, error) {
	vals, err := read(arr)
	if err != nil || !nullable {
		return vals, err
	}
	ptrs := make([]*T, len(vals))
	for i := range vals {
		if arr.IsValid(i) {
			ptrs[i] = &vals[i]
		}
	}
	return ptrs, nil
}

type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// integers reads any Arrow integer column as T, refusing a value T cannot hold rather than
// wrapping it around.
func integers[T integer](arr arrow.Array) ([]T, error) {
	if a, ok := arr.(interface{ Values() []T }); ok {
		return a.Values(), nil
	}
	switch a := arr.(type) {
	case *array.Int8:
		return convertInts[T](a.Values(), a)
	case *array.Int16:
		return convertInts[T](a.Values(), a)
	case *array.Int32:
		return convertInts[T](a.Values(), a)
	case *array.Int64:
		return convertInts[T](a.Values(), a)
	case *array.Uint8:
		return convertInts[T](a.Values(), a)
	case *array.Uint16:
		return convertInts[T](a.Values(), a)
	case *array.Uint32:
		return convertInts[T](a.Values(), a)
	case *array.Uint64:
		return convertInts[T](a.Values(), a)
	}
	return nil, errNoConversion
}

func convertInts[T, S integer](src []S, arr arrow.Array) ([]T, error) {
	out := make([]T, len(src))
	for i, v := range src {
		t := T(v)
		if arr.IsValid(i) && (S(t) != v || (t < 0) != (v < 0)) {
			return nil, fmt.Errorf("row %d: %d is out of range", i+1, v)
		}
		out[i] = t
	}
	return out, nil
}

func floats[T float32 | float64](arr arrow.Array) ([]T, error) {
	if a, ok := arr.(interface{ Values() []T }); ok {
		return a.Values(), nil
	}
	var get func(i int) T
	switch a := arr.(type) {
	case *array.Float32:
		get = func(i int) T { return T(a.Value(i)) }
	case *array.Float64:
		get = func(i int) T { return T(a.Value(i)) }
	default:
		ints, err := integers[int64](arr)
		if err != nil {
			return nil, err
		}
		get = func(i int) T { return T(ints[i]) }
	}
	out := make([]T, arr.Len())
	for i := range out {
		out[i] = get(i)
	}
	return out, nil
}

func stringsOf(arr arrow.Array) ([]string, error) {
	var get func(i int) string
	switch a := arr.(type) {
	case *array.String:
		// One copy of the column's text: clickhouse-go keeps LowCardinality values until the
		// batch is sent, and the caller may reuse the record's buffers once Append returns.
		text, offsets := string(a.ValueBytes()), a.ValueOffsets()
		get = func(i int) string { return text[offsets[i]-offsets[0] : offsets[i+1]-offsets[0]] }
	case interface{ Value(int) string }: // LargeString, StringView
		get = func(i int) string { return strings.Clone(a.Value(i)) }
	case *array.Binary:
		get = func(i int) string { return string(a.Value(i)) }
	case *array.Dictionary:
		// The ETL sends a load's few distinct codes once, as a dictionary.
		dict, err := stringsOf(a.Dictionary())
		if err != nil {
			return nil, err
		}
		get = func(i int) string { return dict[a.GetValueIndex(i)] }
	default:
		return nil, errNoConversion
	}
	out := make([]string, arr.Len())
	for i := range out {
		out[i] = get(i)
	}
	return out, nil
}

// ticks reads an Arrow timestamp column as DateTime64 ticks at the column's precision,
// which clickhouse-go sends without going through time.Time.
func ticks(arr arrow.Array, typ string) ([]int64, error) {
	a, ok := arr.(*array.Timestamp)
	if !ok {
		return nil, errNoConversion
	}
	digits, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(strings.TrimPrefix(typ, "DateTime64("), ",", 2)[0]))
	if err != nil {
		return nil, fmt.Errorf("read precision of %s: %w", typ, err)
	}
	unit := a.DataType().(*arrow.TimestampType).Unit
	shift := digits - 3*int(unit) // arrow units are 10^0, 10^-3, 10^-6, 10^-9 s
	out := make([]int64, a.Len())
	for i, v := range a.Values() {
		out[i] = scale(int64(v), shift)
	}
	return out, nil
}

// scale multiplies v by 10^shift, rounding down when shift is negative.
func scale(v int64, shift int) int64 {
	for ; shift > 0; shift-- {
		v *= 10
	}
	for ; shift < 0; shift++ {
		q := v / 10
		if v%10 < 0 {
			q--
		}
		v = q
	}
	return v
}

func times(arr arrow.Array) ([]time.Time, error) {
	out := make([]time.Time, arr.Len())
	switch a := arr.(type) {
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		for i, v := range a.Values() {
			out[i] = v.ToTime(unit)
		}
	case *array.Date32:
		for i, v := range a.Values() {
			out[i] = v.ToTime()
		}
	default:
		return nil, errNoConversion
	}
	return out, nil
}

func bools(arr arrow.Array) ([]bool, error) {
	a, ok := arr.(*array.Boolean)
	if !ok {
		return nil, errNoConversion
	}
	out := make([]bool, a.Len())
	for i := range out {
		out[i] = a.Value(i)
	}
	return out, nil
}

var errNoConversion = errors.New("no conversion")
