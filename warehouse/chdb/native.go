package chdb

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/ch-go/proto"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/google/uuid"

	"jinwei/warehouse/ch"
)

// The embedded engine reads staged inserts in ClickHouse's Native format, its own block
// layout, with each column written in the type of the table column it goes into: the
// engine then copies the columns as they are. Reading the same records as Arrow, it
// converted every dictionary, enum and UUID on the way (measured on the fact table: a
// million-row insert of an ETL file took 177 ms of engine CPU from Arrow, 140 ms from Native).
//
// The blocks are laid out by ch-go's proto package, the protocol code clickhouse-go itself
// sends inserts with: this file only chooses, for each Arrow column, which typed proto
// column carries it, and fills that column from the Arrow buffers (fixed-width values
// without a copy).

// nativeColumn is how one Arrow column is written: the type named in the block header, and
// the proto column that carries its values. A column is Nullable in every block when its
// table column is, whatever the block holds (the engine reads all blocks of a file as the
// first): the block then carries the null map before the values. Into a column that is not
// Nullable a NULL goes as the value under it, the type's default, as the engine does
// reading Arrow.
type nativeColumn struct {
	name     string
	typ      string
	nullable bool
	// noDefault marks an enum, whose zero is no default: a NULL into a column that is not
	// Nullable is refused.
	noDefault bool
	// newEncoder makes the column's proto column and its filler, one per staged file, so
	// that stages written at once share no buffers.
	newEncoder func() nativeEncoder
}

// nativeEncoder is one column of a staged file: the reusable proto column, and fill, which
// empties it and fills it with the values of an Arrow array, something in the place of
// each NULL.
type nativeEncoder struct {
	col  proto.ColInput
	fill func(arr arrow.Array) error
}

// errNoNative marks a record the Native writer has no encoding for; it is staged as Arrow.
var errNoNative = errors.New("no Native encoding")

// planNative picks each field's encoding, given the table's column types by name.
func planNative(schema *arrow.Schema, tableTypes map[string]string) ([]nativeColumn, error) {
	cols := make([]nativeColumn, schema.NumFields())
	for i, f := range schema.Fields() {
		tableType := tableTypes[f.Name]
		if strings.HasPrefix(tableType, "LowCardinality(Nullable(") {
			// Its NULL is a key of the dictionary, a layout jinwei does not write.
			return nil, fmt.Errorf("%w for %s: %s", errNoNative, f.Name, tableType)
		}
		_, nullable := ch.UnwrapType(tableType, "Nullable")
		c, err := nativeEncoding(f.Type, tableType, nullable)
		if err != nil {
			return nil, fmt.Errorf("%w for %s (%s into %s): %v", errNoNative, f.Name, f.Type, tableType, err)
		}
		c.name = f.Name
		c.typ = string(c.newEncoder().col.Type())
		cols[i] = c
	}
	return cols, nil
}

// nativeEncoding picks the proto column for an Arrow type going into tableType; nullable
// says the table column is Nullable.
func nativeEncoding(t arrow.DataType, tableType string, nullable bool) (nativeColumn, error) {
	c := nativeColumn{nullable: nullable}
	switch t := t.(type) {
	case *arrow.Int8Type:
		c.newEncoder = fixed[int8, int8, proto.ColInt8](nullable)
	case *arrow.Int16Type:
		c.newEncoder = fixed[int16, int16, proto.ColInt16](nullable)
	case *arrow.Int32Type:
		c.newEncoder = fixed[int32, int32, proto.ColInt32](nullable)
	case *arrow.Int64Type:
		c.newEncoder = fixed[int64, int64, proto.ColInt64](nullable)
	case *arrow.Uint8Type:
		c.newEncoder = fixed[uint8, uint8, proto.ColUInt8](nullable)
	case *arrow.Uint16Type:
		c.newEncoder = fixed[uint16, uint16, proto.ColUInt16](nullable)
	case *arrow.Uint32Type:
		c.newEncoder = fixed[uint32, uint32, proto.ColUInt32](nullable)
	case *arrow.Uint64Type:
		c.newEncoder = fixed[uint64, uint64, proto.ColUInt64](nullable)
	case *arrow.Float32Type:
		c.newEncoder = fixed[float32, float32, proto.ColFloat32](nullable)
	case *arrow.Float64Type:
		c.newEncoder = fixed[float64, float64, proto.ColFloat64](nullable)
	case *arrow.Date32Type:
		// Date32 counts days from 1970 as Arrow does; the engine narrows it to a Date column.
		c.newEncoder = fixed[proto.Date32, time.Time, proto.ColDate32](nullable)
	case *arrow.TimestampType:
		enc, err := dateTime64(t, nullable)
		if err != nil {
			return nativeColumn{}, err
		}
		c.newEncoder = enc
	case *arrow.BooleanType:
		c.newEncoder = boolColumn(nullable)
	case *arrow.StringType, *arrow.LargeStringType:
		return textEncoding(tableType, false, nullable)
	case *arrow.DictionaryType:
		if !arrow.IsInteger(t.IndexType.ID()) || (t.ValueType.ID() != arrow.STRING && t.ValueType.ID() != arrow.LARGE_STRING) {
			return nativeColumn{}, errors.New("only dictionaries of text")
		}
		return textEncoding(tableType, true, nullable)
	default:
		return nativeColumn{}, errors.New("unsupported type")
	}
	return c, nil
}

// withNulls wraps a column in Nullable when the table's is, its null map taken from the
// Arrow validity of each row.
func withNulls[T any](values proto.ColumnOf[T], fill func(arrow.Array) error, nullable bool) nativeEncoder {
	if !nullable {
		return nativeEncoder{values, fill}
	}
	n := &proto.ColNullable[T]{Values: values}
	return nativeEncoder{n, func(arr arrow.Array) error {
		n.Nulls = n.Nulls[:0]
		for i := range arr.Len() {
			if arr.IsNull(i) {
				n.Nulls = append(n.Nulls, 1)
			} else {
				n.Nulls = append(n.Nulls, 0)
			}
		}
		return fill(arr)
	}}
}

// fixed carries a fixed-width Arrow column whose value buffer is the proto column's
// layout (both little-endian): the proto column is the Arrow buffer itself, not a copy.
func fixed[T arrow.FixedWidthType, V any, C ~[]T, PC interface {
	*C
	proto.ColumnOf[V]
}](nullable bool) func() nativeEncoder {
	return func() nativeEncoder {
		col := PC(new(C))
		return withNulls[V](col, func(arr arrow.Array) error {
			*col = C(arrow.GetValues[T](arr.Data(), 1))
			return nil
		}, nullable)
	}
}

// dateTime64 carries timestamps as DateTime64 of their unit's precision and zone, the
// Arrow buffer again taken as it is.
func dateTime64(t *arrow.TimestampType, nullable bool) (func() nativeEncoder, error) {
	precision := map[arrow.TimeUnit]proto.Precision{arrow.Second: proto.PrecisionSecond, arrow.Millisecond: proto.PrecisionMilli, arrow.Microsecond: proto.PrecisionMicro, arrow.Nanosecond: proto.PrecisionNano}[t.Unit]
	var loc *time.Location
	if t.TimeZone != "" {
		var err error
		if loc, err = time.LoadLocation(t.TimeZone); err != nil {
			return nil, err
		}
	}
	return func() nativeEncoder {
		col := new(proto.ColDateTime64).WithPrecision(precision)
		if loc != nil {
			col.WithLocation(loc)
		}
		return withNulls[time.Time](col, func(arr arrow.Array) error {
			col.Data = arrow.GetValues[proto.DateTime64](arr.Data(), 1)
			return nil
		}, nullable)
	}, nil
}

// boolColumn unpacks Arrow's bitmap into Bool's byte a row.
func boolColumn(nullable bool) func() nativeEncoder {
	return func() nativeEncoder {
		col := new(proto.ColBool)
		return withNulls[bool](col, func(arr arrow.Array) error {
			b := arr.(*array.Boolean)
			*col = (*col)[:0]
			for i := range b.Len() {
				*col = append(*col, b.Value(i))
			}
			return nil
		}, nullable)
	}
}

// textEncoding writes text as the table's enum or UUID, a dictionary as LowCardinality, and
// other text as String; the engine converts LowCardinality and String to what else it needs.
func textEncoding(tableType string, dictionary, nullable bool) (nativeColumn, error) {
	plainString := tableType == "String" || tableType == "Nullable(String)"
	for _, wrapper := range []string{"LowCardinality", "Nullable"} {
		if inner, ok := ch.UnwrapType(tableType, wrapper); ok {
			tableType = inner
		}
	}
	c := nativeColumn{nullable: nullable}
	switch {
	case strings.HasPrefix(tableType, "Enum8("), strings.HasPrefix(tableType, "Enum16("):
		values, err := parseEnum(tableType)
		if err != nil {
			return nativeColumn{}, err
		}
		typ := proto.ColumnType(tableType)
		c.noDefault = true
		if strings.HasPrefix(tableType, "Enum16(") {
			c.newEncoder = enum[proto.Enum16, proto.ColEnum16](typ, values, nullable)
		} else {
			c.newEncoder = enum[proto.Enum8, proto.ColEnum8](typ, values, nullable)
		}
	case tableType == "UUID":
		c.newEncoder = uuids(nullable)
	case dictionary && !plainString && !nullable:
		c.newEncoder = lowCardinality
	default:
		c.newEncoder = strs(nullable)
	}
	return c, nil
}

// textValues calls put with each row's text, "" for a NULL; a dictionary's values are
// looked up through its indices.
func textValues(arr arrow.Array, put func(i int, s string)) {
	nulls := arr.NullN() > 0
	if d, ok := arr.(*array.Dictionary); ok {
		dict := d.Dictionary().(textArray)
		for i, k := range dictIndices(d) {
			if nulls && d.IsNull(i) {
				put(i, "")
			} else {
				put(i, dict.Value(int(k)))
			}
		}
		return
	}
	s := arr.(textArray)
	for i := range s.Len() {
		if nulls && s.IsNull(i) {
			put(i, "")
		} else {
			put(i, s.Value(i))
		}
	}
}

// dictIndices are a dictionary's row indices, read in place when they are Int32, as etl
// builds them (GetValueIndex, row by row, costs more than the encoding itself).
func dictIndices(d *array.Dictionary) []int32 {
	if d.Indices().DataType().ID() == arrow.INT32 {
		return arrow.GetValues[int32](d.Indices().Data(), 1)
	}
	out := make([]int32, d.Len())
	for i := range out {
		if d.IsValid(i) {
			out[i] = int32(d.GetValueIndex(i))
		}
	}
	return out
}

type textArray interface {
	arrow.Array
	Value(int) string
}

func strs(nullable bool) func() nativeEncoder {
	return func() nativeEncoder {
		col := new(proto.ColStr)
		return withNulls[string](col, func(arr arrow.Array) error {
			// Sized once, as a column of a million short strings would otherwise be copied
			// over and over as it grew.
			size := 0
			textValues(arr, func(_ int, s string) { size += len(s) })
			col.Buf = slices.Grow(col.Buf[:0], size)
			col.Pos = slices.Grow(col.Pos[:0], arr.Len())
			textValues(arr, func(_ int, s string) { col.Append(s) })
			return nil
		}, nullable)
	}
}

// mapText fills a column with enc of each row's text, encoding each of a dictionary's
// values once, when a row first uses it; a NULL gets zero.
func mapText[T any](arr arrow.Array, out []T, enc func(string) (T, error)) ([]T, error) {
	out = slices.Grow(out[:0], arr.Len())
	var zero T
	nulls := arr.NullN() > 0
	if d, ok := arr.(*array.Dictionary); ok {
		dict := d.Dictionary().(textArray)
		encoded := make([]T, dict.Len())
		done := make([]bool, dict.Len())
		for i, k := range dictIndices(d) {
			if nulls && d.IsNull(i) {
				out = append(out, zero)
				continue
			}
			if !done[k] {
				if dict.IsValid(int(k)) {
					v, err := enc(dict.Value(int(k)))
					if err != nil {
						return out, err
					}
					encoded[k] = v
				}
				done[k] = true
			}
			out = append(out, encoded[k])
		}
		return out, nil
	}
	s := arr.(textArray)
	for i := range s.Len() {
		if nulls && s.IsNull(i) {
			out = append(out, zero)
			continue
		}
		v, err := enc(s.Value(i))
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// typed names a column by the table's full type: proto's enum columns name only Enum8 or
// Enum16, and the engine reads the values by the names the header gives them.
type typed[T any] struct {
	proto.ColumnOf[T]
	typ proto.ColumnType
}

func (c typed[T]) Type() proto.ColumnType { return c.typ }

// enum writes text as the enum's numbers, refusing a name the enum has not.
func enum[T proto.Enum8 | proto.Enum16, C ~[]T, PC interface {
	*C
	proto.ColumnOf[T]
}](typ proto.ColumnType, values map[string]int, nullable bool) func() nativeEncoder {
	return func() nativeEncoder {
		col := PC(new(C))
		return withNulls[T](typed[T]{col, typ}, func(arr arrow.Array) error {
			out, err := mapText(arr, []T(*col), func(s string) (T, error) {
				v, ok := values[s]
				if !ok {
					return 0, fmt.Errorf("%q is not a value of %s", s, typ)
				}
				return T(v), nil
			})
			*col = C(out)
			return err
		}, nullable)
	}
}

func uuids(nullable bool) func() nativeEncoder {
	return func() nativeEncoder {
		col := new(proto.ColUUID)
		return withNulls[uuid.UUID](col, func(arr arrow.Array) error {
			out, err := mapText(arr, []uuid.UUID(*col), func(s string) (uuid.UUID, error) {
				u, err := uuid.Parse(s)
				if err != nil {
					return u, fmt.Errorf("%q is not a UUID", s)
				}
				return u, nil
			})
			*col = out
			return err
		}, nullable)
	}
}

// lowCardinality writes a dictionary as LowCardinality(String) as it stands: its values as
// the block's keys, after the empty default key ClickHouse keeps first, and the Arrow
// indices shifted past it, in the narrowest width that holds them; a NULL gets the default.
func lowCardinality() nativeEncoder {
	index := new(proto.ColStr)
	col := &proto.ColLowCardinalityRaw{Index: index, Key: proto.KeyUInt32}
	return nativeEncoder{col, func(arr arrow.Array) error {
		d := arr.(*array.Dictionary)
		dict := d.Dictionary().(textArray)
		index.Reset()
		index.Append("")
		for i := range dict.Len() {
			index.Append(dict.Value(i))
		}
		switch keys := dict.Len() + 1; {
		case keys <= 1<<8:
			col.Key, col.Keys8 = proto.KeyUInt8, lowCardinalityKeys(d, col.Keys8)
		case keys <= 1<<16:
			col.Key, col.Keys16 = proto.KeyUInt16, lowCardinalityKeys(d, col.Keys16)
		default:
			col.Key, col.Keys32 = proto.KeyUInt32, lowCardinalityKeys(d, col.Keys32)
		}
		return nil
	}}
}

// parseEnum reads the names and values of an enum type as system.columns prints it:
// Enum8('year' = 1, 'quarter' = 2).
func parseEnum(typ string) (map[string]int, error) {
	open := strings.IndexByte(typ, '(')
	if open < 0 || !strings.HasSuffix(typ, ")") {
		return nil, fmt.Errorf("cannot read enum type %s", typ)
	}
	rest := typ[open+1 : len(typ)-1]
	values := map[string]int{}
	for rest != "" {
		name, after, err := unquoteLeading(rest)
		if err != nil {
			return nil, fmt.Errorf("cannot read enum type %s: %w", typ, err)
		}
		after, ok := strings.CutPrefix(after, " = ")
		if !ok {
			return nil, fmt.Errorf("cannot read enum type %s", typ)
		}
		num, next, _ := strings.Cut(after, ", ")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("cannot read enum type %s: %w", typ, err)
		}
		values[name] = v
		rest = next
	}
	return values, nil
}

// unquoteLeading reads the single-quoted string s starts with, backslash escapes and all.
func unquoteLeading(s string) (string, string, error) {
	if !strings.HasPrefix(s, "'") {
		return "", "", errors.New("expected a quoted name")
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 == len(s) {
				return "", "", errors.New("unfinished escape")
			}
			i++
			if c, ok := enumEscapes[s[i]]; ok {
				b.WriteByte(c)
			} else if s[i] == 'x' && i+2 < len(s) {
				v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
				if err != nil {
					return "", "", fmt.Errorf("bad escape \\x%s", s[i+1:i+3])
				}
				b.WriteByte(byte(v))
				i += 2
			} else {
				b.WriteByte(s[i])
			}
		case '\'':
			return b.String(), s[i+1:], nil
		default:
			b.WriteByte(c)
		}
	}
	return "", "", errors.New("unclosed quote")
}

// enumEscapes are the escapes ClickHouse writes in quoted names besides \xNN; any other
// escaped character stands for itself.
var enumEscapes = map[byte]byte{'n': '\n', 't': '\t', 'r': '\r', '0': 0, 'b': '\b', 'f': '\f', 'a': '\a', 'v': '\v', 'e': 0x1b}

// lowCardinalityKeys is each row's key: its dictionary index shifted past the default, 0
// for a NULL.
func lowCardinalityKeys[K uint8 | uint16 | uint32, C ~[]K](d *array.Dictionary, keys C) C {
	keys = slices.Grow(keys[:0], d.Len())
	nulls := d.NullN() > 0
	for i, k := range dictIndices(d) {
		if nulls && d.IsNull(i) {
			keys = append(keys, 0)
		} else {
			keys = append(keys, K(k+1))
		}
	}
	return keys
}

// nativeWriter writes Native blocks to a staged file.
type nativeWriter struct {
	w    *proto.Writer
	cols []nativeColumn
	enc  []nativeEncoder
	in   proto.Input
}

func newNativeWriter(w io.Writer, cols []nativeColumn) *nativeWriter {
	n := &nativeWriter{w: proto.NewWriter(w, new(proto.Buffer)), cols: cols, enc: make([]nativeEncoder, len(cols)), in: make(proto.Input, len(cols))}
	for i, c := range cols {
		n.enc[i] = c.newEncoder()
		n.in[i] = proto.InputColumn{Name: c.name, Data: n.enc[i].col}
	}
	return n
}

// write writes one record as a Native block: its size, then each column's name, type and
// values, with no block info (the file format's revision 0). A record without rows writes
// nothing: the engine reads no values in an empty block. The block is written out before
// write returns, as its columns share the record's buffers.
func (n *nativeWriter) write(rec arrow.RecordBatch) error {
	if rec.NumRows() == 0 {
		return nil
	}
	for i, c := range n.cols {
		if !c.nullable && c.noDefault && rec.Column(i).NullN() > 0 {
			return fmt.Errorf("column %s: %d NULL values, but %s is not Nullable", c.name, rec.Column(i).NullN(), c.typ)
		}
		if err := n.enc[i].fill(rec.Column(i)); err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
	}
	block := proto.Block{Columns: len(n.cols), Rows: int(rec.NumRows())}
	if err := block.WriteBlock(n.w, 0, n.in); err != nil {
		return fmt.Errorf("native block: %w", err)
	}
	_, err := n.w.Flush()
	return err
}

// finish has nothing left to write: each block went out whole, and a Native file has no
// end mark.
func (n *nativeWriter) finish() error { return nil }
