package etl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// sourceRow is one row of a source file as read, before any meaning is given to it.
type sourceRow struct {
	cells []string
	// line is the CSV line or the spreadsheet row, 1-based.
	line  int
	sheet string
	// clean says no cell holds a control character; false when the reader cannot tell.
	clean bool
}

// rowReader yields a file's rows in order; io.EOF at the end. A row's cells are its own:
// a reader never reuses them for a later row.
type rowReader interface {
	next() (sourceRow, error)
	close() error
}

// Limits that keep a hostile file from taking the machine.
const (
	maxLineBytes  = 1 << 20  // a CSV line longer than this refuses the file
	maxXLSXXMLMem = 64 << 20 // a sheet's XML held in memory; larger sheets stream from disk
)

// maxXLSXUnzip bounds the total unzipped size of a workbook, so a zip bomb is refused
// before it is expanded. A variable so tests can prove it with a small bomb.
var maxXLSXUnzip int64 = 512 << 20

// openRows opens path as the mapping says (format by extension when it does not). A CSV
// reader counts its progress through the file in progress.
func openRows(path string, m *Mapping, progress *sourceProgress) (rowReader, error) {
	format, err := fileFormat(path, m)
	if err != nil {
		return nil, err
	}
	switch format {
	case "xlsx":
		return openXLSX(path, m)
	case "xls":
		return openXLS(path, m)
	case "json":
		return openJSON(path)
	}
	enc := "auto"
	if m != nil && m.Encoding != "" {
		enc = strings.ToLower(m.Encoding)
	}
	return openCSVRows(path, enc, progress)
}

// csvRows reads CSV in UTF-8 (with or without BOM) or GBK/GB18030, declared or detected.
type csvRows struct {
	f *os.File
	s *csvSplitter
}

func openCSVRows(path, encoding string, progress *sourceProgress) (*csvRows, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	progress.size.Store(st.Size())
	progress.left.Store(st.Size())
	br := bufio.NewReaderSize(&countingReader{r: f, left: &progress.left}, 1<<16)
	head, _ := br.Peek(64 << 10)
	var src io.Reader = br
	sep := detectSeparator(head)
	switch {
	case utf16Encoding(head) != nil:
		// Excel's "Unicode text": the byte order mark says it, whatever the mapping guessed.
		if encoding != "auto" && encoding != "" && encoding != "utf-16" {
			f.Close()
			return nil, fmt.Errorf("%w: declared %s, but the file starts with a UTF-16 byte order mark (Excel's \"Unicode text\"); declare encoding = \"auto\"", errFileRejected, encoding)
		}
		sep = detectSeparator([]byte(decodeHead(head)))
		src = transform.NewReader(br, utf16Encoding(head).NewDecoder())
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		if encoding == "gbk" || encoding == "gb18030" {
			f.Close()
			return nil, fmt.Errorf("%w: declared %s, but the file starts with a UTF-8 byte order mark", errFileRejected, encoding)
		}
		_, _ = br.Discard(3)
	case encoding == "utf-8" || encoding == "utf8":
		if !validUTF8Prefix(head) {
			f.Close()
			return nil, fmt.Errorf("%w: declared UTF-8, but the first %d bytes are not UTF-8 (a GBK/GB18030 export? declare encoding = \"gbk\")", errFileRejected, len(head))
		}
	case encoding == "gbk" || encoding == "gb18030":
		if validUTF8Prefix(head) && !isASCII(head) {
			f.Close()
			return nil, fmt.Errorf("%w: declared %s, but the file reads as UTF-8; declare encoding = \"utf-8\" or \"auto\"", errFileRejected, encoding)
		}
		src = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
	default: // auto
		if !validUTF8Prefix(head) {
			src = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
		}
	}
	s := newCSVSplitter(src)
	s.sep = sep
	return &csvRows{f: f, s: s}, nil
}

func (c *csvRows) next() (sourceRow, error) {
	for {
		rec, line, err := c.s.next()
		if errors.Is(err, io.EOF) {
			return sourceRow{}, io.EOF
		}
		if err != nil {
			return sourceRow{}, fmt.Errorf("%w: %v", errFileRejected, err)
		}
		if blank(rec) {
			continue
		}
		return sourceRow{cells: rec, line: line, clean: c.s.clean}, nil
	}
}

func (c *csvRows) close() error { return c.f.Close() }

// countingReader counts down in left the bytes it reads.
type countingReader struct {
	r    io.Reader
	left *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.left.Add(-int64(n))
	return n, err
}

// validUTF8Prefix reports whether b is UTF-8, allowing a rune cut off at the end.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func blank(cells []string) bool {
	for _, c := range cells {
		if trimCell(c) != "" {
			return false
		}
	}
	return true
}

// xlsxRows reads the sheets of a workbook in turn, with merged cells filled from their
// top-left cell and formula cells giving their stored values.
type xlsxRows struct {
	f      *excelize.File
	sheets []string
	cur    int
	rows   *excelize.Rows
	row    int
	merged map[int]map[int]string // row → column → the value of the merged range covering it
}

func openXLSX(path string, m *Mapping) (*xlsxRows, error) {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: maxXLSXUnzip, UnzipXMLSizeLimit: min(maxXLSXXMLMem, maxXLSXUnzip)})
	if err != nil {
		return nil, fmt.Errorf("%w: not a readable XLSX workbook: %v", errFileRejected, err)
	}
	sheets := f.GetSheetList()
	if m != nil && len(m.Sheets) > 0 {
		for _, s := range m.Sheets {
			if idx, _ := f.GetSheetIndex(s); idx < 0 {
				f.Close()
				return nil, fmt.Errorf("%w: the workbook has no sheet %q (it has %s)", errFileRejected, s, strings.Join(sheets, ", "))
			}
		}
		sheets = m.Sheets
	}
	return &xlsxRows{f: f, sheets: sheets, cur: -1}, nil
}

func (x *xlsxRows) next() (sourceRow, error) {
	for {
		if x.rows == nil {
			x.cur++
			if x.cur >= len(x.sheets) {
				return sourceRow{}, io.EOF
			}
			if err := x.openSheet(); err != nil {
				return sourceRow{}, err
			}
		}
		if !x.rows.Next() {
			err := x.rows.Error()
			x.rows.Close()
			x.rows = nil
			if err != nil {
				return sourceRow{}, fmt.Errorf("%w: sheet %s: %v", errFileRejected, x.sheets[x.cur], err)
			}
			continue
		}
		x.row++
		cells, err := x.rows.Columns()
		if err != nil {
			return sourceRow{}, fmt.Errorf("%w: sheet %s row %d: %v", errFileRejected, x.sheets[x.cur], x.row, err)
		}
		cells = x.fillMerged(cells)
		if blank(cells) {
			continue
		}
		return sourceRow{cells: cells, line: x.row, sheet: x.sheets[x.cur]}, nil
	}
}

func (x *xlsxRows) openSheet() error {
	sheet := x.sheets[x.cur]
	rows, err := x.f.Rows(sheet)
	if err != nil {
		return fmt.Errorf("%w: sheet %s: %v", errFileRejected, sheet, err)
	}
	merges, err := x.f.GetMergeCells(sheet)
	if err != nil {
		return fmt.Errorf("%w: sheet %s merged cells: %v", errFileRejected, sheet, err)
	}
	x.merged = map[int]map[int]string{}
	for _, mc := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(mc.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(mc.GetEndAxis())
		if err1 != nil || err2 != nil || (c2-c1+1)*(r2-r1+1) > 100_000 {
			continue
		}
		for r := r1; r <= r2; r++ {
			if x.merged[r] == nil {
				x.merged[r] = map[int]string{}
			}
			for c := c1; c <= c2; c++ {
				x.merged[r][c] = mc.GetCellValue()
			}
		}
	}
	x.rows, x.row = rows, 0
	return nil
}

// fillMerged gives every cell of a merged range the range's value, adding cells where a
// range runs past the row's last written cell.
func (x *xlsxRows) fillMerged(cells []string) []string {
	for c, v := range x.merged[x.row] {
		for len(cells) < c {
			cells = append(cells, "")
		}
		if cells[c-1] == "" {
			cells[c-1] = v
		}
	}
	return cells
}

func (x *xlsxRows) close() error {
	if x.rows != nil {
		x.rows.Close()
	}
	return x.f.Close()
}

// jsonRows reads a JSON array of objects (or {"data": [...]}), streaming: a header row of
// the first object's keys, then one row per object with its values in header order. Keys
// the first object lacked become extra cells, which the row check then refuses.
type jsonRows struct {
	f       *os.File
	dec     *json.Decoder
	header  []string
	n       int
	pending map[string]any
}

func openJSON(path string) (*jsonRows, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	j := &jsonRows{f: f, dec: json.NewDecoder(bufio.NewReader(f))}
	j.dec.UseNumber()
	if err := j.findArray(); err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %v", errFileRejected, err)
	}
	return j, nil
}

func (j *jsonRows) findArray() error {
	tok, err := j.dec.Token()
	if err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	if d, ok := tok.(json.Delim); ok && d == '{' {
		for {
			key, err := j.dec.Token()
			if err != nil {
				return fmt.Errorf("no \"data\" array: %v", err)
			}
			if key == "data" {
				if tok, err = j.dec.Token(); err != nil {
					return err
				}
				break
			}
			var skip json.RawMessage
			if err := j.dec.Decode(&skip); err != nil {
				return err
			}
		}
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("expected an array of objects")
	}
	return nil
}

func (j *jsonRows) next() (sourceRow, error) {
	if j.pending != nil {
		obj := j.pending
		j.pending = nil
		return j.row(obj), nil
	}
	if !j.dec.More() {
		return sourceRow{}, io.EOF
	}
	var obj map[string]any
	if err := j.dec.Decode(&obj); err != nil {
		return sourceRow{}, fmt.Errorf("%w: object %d: %v", errFileRejected, j.n+1, err)
	}
	j.n++
	if j.header == nil {
		for k := range obj {
			j.header = append(j.header, k)
		}
		slices.Sort(j.header)
		j.pending = obj
		return sourceRow{cells: slices.Clone(j.header), line: 1}, nil
	}
	return j.row(obj), nil
}

func (j *jsonRows) row(obj map[string]any) sourceRow {
	cells := make([]string, len(j.header))
	for i, k := range j.header {
		cells[i] = jsonText(obj[k])
		delete(obj, k)
	}
	for k, v := range obj {
		cells = append(cells, k+"="+jsonText(v))
	}
	return sourceRow{cells: cells, line: j.n + 1}
}

func jsonText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (j *jsonRows) close() error { return j.f.Close() }
