package warehouse

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/google/uuid"
)

// The embedded engine reads staged inserts in ClickHouse's Native format, its own block
// layout, with each column written in the type of the table column it goes into: the
// engine then copies the columns as they are. Reading the same records as Arrow, it
// converted every dictionary, enum and UUID on the way (measured on the fact table: a
// million-row insert of an ETL file took 177 ms of engine CPU from Arrow, 140 ms from Native).

// nativeColumn is how one Arrow column is written: the type named in the block header, and
// the encoder of its values. A column is Nullable in every block when its table column is,
// whatever the block holds (the engine reads all blocks of a file as the first): the
// block then carries the null map before the values. Into a column that is not Nullable a
// NULL goes as the value under it, the type's default, as the engine does reading Arrow.
type nativeColumn struct {
	name     string
	typ      string
	nullable bool
	// noDefault marks an enum, whose zero is no default: a NULL into a column that is not
	// Nullable is refused.
	noDefault bool
	// put writes the values of arr, something in the place of each NULL.
	put func(w *nativeWriter, arr arrow.Array) error
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
		c, err := nativeEncoding(f.Type, tableType)
		if err != nil {
			return nil, fmt.Errorf("%w for %s (%s into %s): %v", errNoNative, f.Name, f.Type, tableType, err)
		}
		c.name = f.Name
		if _, ok := unwrapType(tableType, "Nullable"); ok && !strings.HasPrefix(c.typ, "LowCardinality(") {
			c.nullable, c.typ = true, "Nullable("+c.typ+")"
		}
		cols[i] = c
	}
	return cols, nil
}

// fixedWidth names the ClickHouse type whose Native layout is the Arrow type's value buffer.
func fixedWidth(t arrow.DataType) (string, bool) {
	switch t := t.(type) {
	case *arrow.Int8Type:
		return "Int8", true
	case *arrow.Int16Type:
		return "Int16", true
	case *arrow.Int32Type:
		return "Int32", true
	case *arrow.Int64Type:
		return "Int64", true
	case *arrow.Uint8Type:
		return "UInt8", true
	case *arrow.Uint16Type:
		return "UInt16", true
	case *arrow.Uint32Type:
		return "UInt32", true
	case *arrow.Uint64Type:
		return "UInt64", true
	case *arrow.Float32Type:
		return "Float32", true
	case *arrow.Float64Type:
		return "Float64", true
	case *arrow.Date32Type:
		return "Date32", true
	case *arrow.TimestampType:
		precision := map[arrow.TimeUnit]int{arrow.Second: 0, arrow.Millisecond: 3, arrow.Microsecond: 6, arrow.Nanosecond: 9}[t.Unit]
		if t.TimeZone == "" {
			return fmt.Sprintf("DateTime64(%d)", precision), true
		}
		return fmt.Sprintf("DateTime64(%d, %s)", precision, quoteString(t.TimeZone)), true
	}
	return "", false
}

func nativeEncoding(t arrow.DataType, tableType string) (nativeColumn, error) {
	if name, ok := fixedWidth(t); ok {
		return nativeColumn{typ: name, put: putFixed}, nil
	}
	switch t := t.(type) {
	case *arrow.BooleanType:
		return nativeColumn{typ: "Bool", put: putBools}, nil
	case *arrow.StringType, *arrow.LargeStringType:
		return textEncoding(tableType, false)
	case *arrow.DictionaryType:
		if !arrow.IsInteger(t.IndexType.ID()) || (t.ValueType.ID() != arrow.STRING && t.ValueType.ID() != arrow.LARGE_STRING) {
			return nativeColumn{}, errors.New("only dictionaries of text")
		}
		return textEncoding(tableType, true)
	}
	return nativeColumn{}, errors.New("unsupported type")
}

// textEncoding writes text as the table's enum or UUID, a dictionary as LowCardinality, and
// other text as String; the engine converts LowCardinality and String to what else it needs.
func textEncoding(tableType string, dictionary bool) (nativeColumn, error) {
	plainString := tableType == "String" || tableType == "Nullable(String)"
	for _, wrapper := range []string{"LowCardinality", "Nullable"} {
		if inner, ok := unwrapType(tableType, wrapper); ok {
			tableType = inner
		}
	}
	switch {
	case strings.HasPrefix(tableType, "Enum8("), strings.HasPrefix(tableType, "Enum16("):
		values, err := parseEnum(tableType)
		if err != nil {
			return nativeColumn{}, err
		}
		width := 1
		if strings.HasPrefix(tableType, "Enum16(") {
			width = 2
		}
		return nativeColumn{typ: tableType, noDefault: true, put: func(w *nativeWriter, arr arrow.Array) error {
			return putMapped(w, arr, width, func(s string) ([]byte, error) {
				v, ok := values[s]
				if !ok {
					return nil, fmt.Errorf("%q is not a value of %s", s, tableType)
				}
				if width == 2 {
					return binary.LittleEndian.AppendUint16(nil, uint16(v)), nil
				}
				return []byte{byte(int8(v))}, nil
			})
		}}, nil
	case tableType == "UUID":
		return nativeColumn{typ: "UUID", put: func(w *nativeWriter, arr arrow.Array) error {
			return putMapped(w, arr, 16, uuidBytes)
		}}, nil
	case dictionary && !plainString:
		return nativeColumn{typ: "LowCardinality(String)", put: putLowCardinality}, nil
	}
	return nativeColumn{typ: "String", put: putStrings}, nil
}

// uuidBytes is a UUID as ClickHouse lays it out: two 64-bit halves, each little-endian.
func uuidBytes(s string) ([]byte, error) {
	u, err := uuid.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a UUID", s)
	}
	out := make([]byte, 16)
	binary.LittleEndian.PutUint64(out[:8], binary.BigEndian.Uint64(u[:8]))
	binary.LittleEndian.PutUint64(out[8:], binary.BigEndian.Uint64(u[8:]))
	return out, nil
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

// nativeWriter writes Native blocks to a staged file.
type nativeWriter struct {
	w    *bufio.Writer
	cols []nativeColumn
	buf  [binary.MaxVarintLen64]byte
	// scratch gathers a column's values, written at once.
	scratch []byte
}

func newNativeWriter(w io.Writer, cols []nativeColumn) *nativeWriter {
	return &nativeWriter{w: bufio.NewWriterSize(w, 1<<20), cols: cols}
}

// write writes one record as a Native block: its size, then each column's name, type and
// values. A record without rows writes nothing: the engine reads no values in an empty
// block, where LowCardinality would still write its keys.
func (n *nativeWriter) write(rec arrow.RecordBatch) error {
	if rec.NumRows() == 0 {
		return nil
	}
	n.uvarint(uint64(len(n.cols)))
	n.uvarint(uint64(rec.NumRows()))
	for i, c := range n.cols {
		n.str(c.name)
		n.str(c.typ)
		switch {
		case c.nullable:
			if err := n.flags(rec.Column(i).Len(), rec.Column(i).IsNull); err != nil {
				return err
			}
		case c.noDefault && rec.Column(i).NullN() > 0:
			return fmt.Errorf("column %s: %d NULL values, but %s is not Nullable", c.name, rec.Column(i).NullN(), c.typ)
		}
		if err := c.put(n, rec.Column(i)); err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
	}
	return nil
}

// finish writes what is buffered: a Native file has no end mark.
func (n *nativeWriter) finish() error { return n.w.Flush() }

// emit writes a column's values, gathered in the scratch buffer out, and keeps out for the
// next column.
func (n *nativeWriter) emit(out []byte) error {
	n.scratch = out
	_, err := n.w.Write(out)
	return err
}

// flags writes one byte per row, 1 where set.
func (n *nativeWriter) flags(rows int, set func(int) bool) error {
	out := n.scratch[:0]
	for i := 0; i < rows; i++ {
		if set(i) {
			out = append(out, 1)
		} else {
			out = append(out, 0)
		}
	}
	return n.emit(out)
}

func (n *nativeWriter) uvarint(v uint64) {
	l := binary.PutUvarint(n.buf[:], v)
	n.w.Write(n.buf[:l])
}

func (n *nativeWriter) uint64(v uint64) {
	binary.LittleEndian.PutUint64(n.buf[:8], v)
	n.w.Write(n.buf[:8])
}

func (n *nativeWriter) str(s string) {
	n.uvarint(uint64(len(s)))
	n.w.WriteString(s)
}

// putFixed copies a fixed-width column's value buffer, which Arrow and ClickHouse lay out
// alike (little-endian).
func putFixed(n *nativeWriter, arr arrow.Array) error {
	d := arr.Data()
	width := d.DataType().(arrow.FixedWidthDataType).BitWidth() / 8
	values := d.Buffers()[1].Bytes()
	_, err := n.w.Write(values[d.Offset()*width : (d.Offset()+d.Len())*width])
	return err
}

func putBools(n *nativeWriter, arr arrow.Array) error {
	return n.flags(arr.Len(), arr.(*array.Boolean).Value)
}

type textArray interface {
	arrow.Array
	Value(int) string
}

func putStrings(n *nativeWriter, arr arrow.Array) error {
	value := func(i int) string { return arr.(textArray).Value(i) }
	if d, ok := arr.(*array.Dictionary); ok {
		dict := d.Dictionary().(textArray)
		value = func(i int) string { return dict.Value(d.GetValueIndex(i)) }
	}
	out := n.scratch[:0]
	for i := 0; i < arr.Len(); i++ {
		if arr.IsNull(i) {
			out = append(out, 0)
			continue
		}
		v := value(i)
		out = binary.AppendUvarint(out, uint64(len(v)))
		out = append(out, v...)
	}
	return n.emit(out)
}

// putMapped writes each value as the width bytes enc gives for it, encoding each of a
// dictionary's values once, when a row first uses it; a NULL is written as zeros.
func putMapped(n *nativeWriter, arr arrow.Array, width int, enc func(string) ([]byte, error)) error {
	zero := make([]byte, width)
	out := n.scratch[:0]
	if d, ok := arr.(*array.Dictionary); ok {
		dict := d.Dictionary().(textArray)
		encoded := make([][]byte, dict.Len())
		for i := 0; i < d.Len(); i++ {
			if d.IsNull(i) {
				out = append(out, zero...)
				continue
			}
			k := d.GetValueIndex(i)
			if encoded[k] == nil {
				b := zero
				if dict.IsValid(k) {
					var err error
					if b, err = enc(dict.Value(k)); err != nil {
						return err
					}
				}
				encoded[k] = b
			}
			out = append(out, encoded[k]...)
		}
	} else {
		s := arr.(textArray)
		for i := 0; i < s.Len(); i++ {
			if s.IsNull(i) {
				out = append(out, zero...)
				continue
			}
			b, err := enc(s.Value(i))
			if err != nil {
				return err
			}
			out = append(out, b...)
		}
	}
	return n.emit(out)
}

// LowCardinality's Native layout, from ClickHouse's SerializationLowCardinality: a version,
// then per block a flags word, the block's keys and one index per row.
const (
	lowCardinalityKeysVersion = 1
	lcUInt32Indexes           = 2
	lcNeedUpdateDictionary    = 1 << 10
	lcHasAdditionalKeys       = 1 << 9
)

// putLowCardinality writes a dictionary as LowCardinality(String): its values as the
// block's keys, after the empty default key ClickHouse puts first, and the indexes shifted
// past it; a NULL gets the default.
func putLowCardinality(n *nativeWriter, arr arrow.Array) error {
	d := arr.(*array.Dictionary)
	dict := d.Dictionary().(textArray)
	n.uint64(lowCardinalityKeysVersion)
	n.uint64(lcHasAdditionalKeys | lcNeedUpdateDictionary | lcUInt32Indexes)
	n.uint64(uint64(dict.Len() + 1))
	n.str("")
	for i := 0; i < dict.Len(); i++ {
		n.str(dict.Value(i))
	}
	n.uint64(uint64(d.Len()))
	out := n.scratch[:0]
	ix, plain := d.Indices().(*array.Int32)
	for i := 0; i < d.Len(); i++ {
		switch {
		case d.IsNull(i):
			out = binary.LittleEndian.AppendUint32(out, 0)
		case plain:
			out = binary.LittleEndian.AppendUint32(out, uint32(ix.Value(i))+1)
		default:
			out = binary.LittleEndian.AppendUint32(out, uint32(d.GetValueIndex(i))+1)
		}
	}
	return n.emit(out)
}
