package etl

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"jinwei/warehouse/reasons"
)

// csvTable reads a CSV file with a header row, row by row, keeping line numbers.
type csvTable struct {
	s      *csvSplitter
	header []string
	cols   map[string]int
	// twice says where the header's repeated names stand; ambiguous is the refusal of the
	// first of them read: which of two columns the file meant, no reader can tell (the
	// second was read and the first ignored, with nothing said). A repeated column nothing
	// reads (two 备注) is no matter.
	twice     map[string]reasons.Text
	ambiguous error
}

// openCSV reads the header of a UTF-8 CSV (with or without BOM, LF or CRLF).
func openCSV(f io.Reader) (*csvTable, error) {
	br := bufio.NewReaderSize(f, 1<<16)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	t := &csvTable{s: newCSVSplitter(br), cols: map[string]int{}, twice: map[string]reasons.Text{}}
	header, _, err := t.next()
	if errors.Is(err, io.EOF) {
		return nil, reasons.New("%w: the file is empty", "%w：文件是空的", errFileRejected)
	}
	if err != nil {
		return nil, reasons.New("header: %w", "表头：%w", err)
	}
	t.header = header
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if first, ok := t.cols[name]; ok {
			if _, noted := t.twice[name]; !noted {
				t.twice[name] = reasons.New("columns %d and %d", "第 %d 列和第 %d 列", first+1, i+1).Text
			}
			continue
		}
		t.cols[name] = i
	}
	return t, nil
}

// column returns the index of the first header among names, or -1. A name the header
// repeats makes the table ambiguous.
func (t *csvTable) column(names ...string) int {
	for _, n := range names {
		if i, ok := t.cols[n]; ok {
			if where, twice := t.twice[n]; twice && t.ambiguous == nil {
				t.ambiguous = reasons.New("%w: the header names column %s twice (%s)", "%w：表头两次写了“%s”列（%s）", errFileRejected, n, where)
			}
			return i
		}
	}
	return -1
}

// next returns the next record and its line number; io.EOF at the end. A malformed file
// (an unclosed quote, bytes that are not UTF-8, an endless line) refuses the whole file.
func (t *csvTable) next() ([]string, int, error) {
	rec, line, err := t.s.next()
	if errors.Is(err, io.EOF) {
		return nil, 0, io.EOF
	}
	if err != nil {
		return nil, 0, reasons.New("%w: %v", "%w：%v", errFileRejected, err)
	}
	return rec, line, nil
}

// rawLine re-encodes a record as one CSV line, for keeping with a reject.
func rawLine(rec []string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(rec)
	w.Flush()
	return strings.TrimRight(b.String(), "\r\n")
}

// field returns rec[i], or "" when the column is absent or the row is short.
func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return trimCell(rec[i])
}

// trimCell is strings.TrimSpace with a shortcut for the common cell that neither starts nor
// ends with a space: TrimSpace takes its slow path for any cell with Chinese text at an
// end, such as every unit 亿元.
func trimCell(s string) string {
	if s == "" {
		return s
	}
	if first, last := s[0], s[len(s)-1]; first > ' ' && first < utf8.RuneSelf && last > ' ' && last < utf8.RuneSelf {
		return s
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if !unicode.IsSpace(first) && !unicode.IsSpace(last) {
		return s
	}
	return strings.TrimSpace(s)
}
