package etl

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
	"unsafe"

	"jinwei/warehouse/reasons"
)

// csvSplitter splits CSV text into records. Statistics exports rarely quote, so a line
// without a quote is cut at its commas directly, several times faster than encoding/csv;
// a line with quotes (and the lines a quoted field runs on to) goes to encoding/csv, which
// knows every quoting rule.
type csvSplitter struct {
	br *bufio.Reader
	// line counts the lines consumed so far.
	line  int
	cells stringBlocks
	// block is where lines' text is copied to: one allocation for many lines, not one each.
	block []byte
	// clean says the last record's text holds no control character at all (see
	// controlFree), which spares checking its fields one by one.
	clean bool
	// sep is the field separator: ',' unless the file is tab- or semicolon-separated.
	sep byte
}

const textBlock = 64 << 10

// text copies a line into the current block and returns it as a string. The bytes are never
// written again (the block only grows past them), so the string stays immutable.
func (c *csvSplitter) text(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(c.block)+len(b) > cap(c.block) {
		c.block = make([]byte, 0, max(textBlock, len(b)))
	}
	start := len(c.block)
	c.block = append(c.block, b...)
	return unsafe.String(&c.block[start], len(b))
}

// newCSVSplitter reads src with a buffer of maxLineBytes: a line that does not fit is
// refused, so one endless line cannot fill memory.
func newCSVSplitter(src io.Reader) *csvSplitter {
	// Room for the line break too: a line of exactly maxLineBytes is allowed.
	return &csvSplitter{br: bufio.NewReaderSize(src, maxLineBytes+2), sep: ','}
}

func lineTooLong(line int) error {
	return reasons.New("line %d is longer than %d bytes", "第 %d 行超过 %d 字节", line, maxLineBytes)
}

// next returns the next non-empty record and the line it starts on.
func (c *csvSplitter) next() ([]string, int, error) {
	for {
		text, raw, err := c.readLine()
		if err != nil {
			return nil, 0, err
		}
		start := c.line
		if len(text) == 0 {
			continue
		}
		if bytes.IndexByte(text, '"') < 0 {
			if !utf8.Valid(text) {
				return nil, 0, errNotUTF8(start)
			}
			c.clean = c.sep == ',' && controlFree(text) // a tab separator is a control byte
			return c.split(c.text(text)), start, nil
		}
		c.clean = false
		rec, err := c.quoted(raw, start)
		return rec, start, err
	}
}

// controlFree says b holds no byte below 0x20 (a tab included) and no DEL, eight bytes at a
// time: the common line, whose fields then need no check of their own.
func controlFree(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for len(b) >= 8 {
		x := binary.LittleEndian.Uint64(b)
		del := x ^ 0x7f*ones
		// A byte below 0x20 borrows when 0x20 is taken from it; a DEL byte is zero in del.
		if ((x-0x20*ones)&^x|(del-ones)&^del)&highs != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

// readLine returns the next line without its line break, the same with it (raw), or io.EOF
// after the last. Both point into the reader's buffer, valid until the next read.
func (c *csvSplitter) readLine() (text, raw []byte, err error) {
	raw, err = c.br.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return nil, nil, lineTooLong(c.line + 1)
	case err == io.EOF && len(raw) == 0:
		return nil, nil, io.EOF
	case err != nil && err != io.EOF:
		return nil, nil, err
	}
	c.line++
	text = raw
	if n := len(text); n > 0 && text[n-1] == '\n' {
		text = text[:n-1]
	}
	if n := len(text); n > 0 && text[n-1] == '\r' {
		text = text[:n-1]
	}
	if len(text) > maxLineBytes {
		return nil, nil, lineTooLong(c.line)
	}
	return text, raw, nil
}

func (c *csvSplitter) split(line string) []string {
	rec := c.cells.take(strings.Count(line, string(c.sep)) + 1)
	for i := range len(rec) - 1 {
		j := strings.IndexByte(line, c.sep)
		rec[i], line = line[:j], line[j+1:]
	}
	rec[len(rec)-1] = line
	return rec
}

// stringBlocks hands out string slices carved from large blocks, one allocation for many
// rows. No slice is handed out twice, so a row stays valid after the next one is read (the
// read-ahead keeps a chunk of them).
type stringBlocks struct {
	block []string
}

func (b *stringBlocks) take(n int) []string {
	if len(b.block)+n > cap(b.block) {
		b.block = make([]string, 0, max(8192, n))
	}
	start := len(b.block)
	b.block = b.block[:start+n]
	return b.block[start : start+n : start+n]
}

// quoted parses a record with quotes, reading on while a quoted field is still open. The
// lines go to encoding/csv as they were, line breaks included, so that it reads a carriage
// return inside quotes as it would on its own.
func (c *csvSplitter) quoted(first []byte, start int) ([]string, error) {
	text := append([]byte(nil), first...)
	q := quoteScan{fieldStart: true, sep: c.sep}
	q.feed(text)
	for q.in {
		_, more, err := c.readLine()
		if err == io.EOF {
			break // encoding/csv names the unclosed quote
		}
		if err != nil {
			return nil, err
		}
		if len(text)+len(more) > maxLineBytes {
			return nil, lineTooLong(start)
		}
		text = append(text, more...)
		q.feed(more)
	}
	if !utf8.Valid(text) {
		return nil, errNotUTF8(start)
	}
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = rune(c.sep)
	r.FieldsPerRecord = -1
	rec, err := r.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, reasons.New("line %d, column %d: %v", "第 %d 行（第 %d 个字节处）：%v", start+pe.Line-1, pe.Column, csvFault(pe.Err))
	}
	if err != nil {
		return nil, reasons.New("line %d: %v", "第 %d 行：%v", start, err)
	}
	return rec, nil
}

// quoteScan follows a record's text line by line to tell whether it ends inside a quoted
// field: one that opens with a quote and has not closed it. A stray quote inside an
// unquoted field opens nothing.
type quoteScan struct {
	in, fieldStart, justClosed bool
	sep                        byte
}

func (q *quoteScan) feed(text []byte) {
	for _, b := range text {
		switch {
		case q.in:
			if b == '"' {
				q.in, q.justClosed = false, true
			}
			continue
		case b == '"' && (q.fieldStart || q.justClosed): // opens a field, or a doubled quote
			q.in = true
		case b == q.sep:
			q.fieldStart, q.justClosed = true, false
			continue
		}
		q.fieldStart, q.justClosed = false, false
	}
}

// csvFault is what encoding/csv found wrong with a line, worded in both languages where it
// is one of its own faults.
func csvFault(err error) error {
	// The English is the package's own message.
	switch {
	case errors.Is(err, csv.ErrQuote):
		return reasons.New(`extraneous or missing " in quoted-field`, "引号不配对（引号内的引号须连写两个）")
	case errors.Is(err, csv.ErrBareQuote):
		return reasons.New(`bare " in non-quoted-field`, "不在引号内的字段中有引号")
	}
	return err
}

func errNotUTF8(line int) error {
	return reasons.New("line %d is not valid UTF-8 (a GBK/GB18030 export? declare its encoding in the mapping, or save it as UTF-8)", "第 %d 行不是有效的 UTF-8（GBK/GB18030 导出的？请在读法中声明其编码，或另存为 UTF-8）", line)
}
