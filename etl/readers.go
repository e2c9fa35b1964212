package etl

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"jinwei/warehouse/reasons"
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
	maxCellChars  = 32767    // the most a spreadsheet cell holds (Excel's limit)
)

// maxXLSXUnzip bounds the total unzipped size of a workbook, so a zip bomb is refused
// before it is expanded. A variable so tests can prove it with a small bomb.
var maxXLSXUnzip int64 = 512 << 20

// xlsxLimits bound what a workbook may make the reader hold or do, so a small hostile file
// (a 2.8 KB workbook of 200 merged ranges of 316×316 cells took ~830 MB; ~6,000 such ranges
// took all memory, and a file left in an inbox would crash the service at every start) is
// refused with the limit it passed, and the rest of the inbox loads. Statistics workbooks
// stay far below them: a few hundred merged header cells, a few million cells.
type xlsxLimits struct {
	mergedRanges      int   // merged ranges on one sheet
	mergedCells       int64 // cells covered by a sheet's merged ranges together
	cells             int64 // cells read from the workbook, merged ranges filled in
	sharedStrings     int   // entries of the shared strings table, held in memory whole
	sharedStringBytes int64 // the shared strings table's XML, unzipped
	// richRuns are the shared strings' runs of formatted text, each held as an entry is:
	// one entry of 7.9 million runs (127 MB, under the bytes and entries limits) took a
	// server from 350 MB to 2.8 GB.
	richRuns int
	// partElements bound each part excelize reads whole when it opens a workbook (styles,
	// the workbook, its theme, its relationships): a 730 KB upload whose styles held
	// 100 million <xf/> (500 MB unzipped, under the workbook's limit) took a server past
	// 6 GB until it died. Excel itself keeps at most 64,000 cell formats.
	partElements int
}

// xlsxLimit is a variable so that tests can prove each limit with a small file.
var xlsxLimit = xlsxLimits{mergedRanges: 5000, mergedCells: 1_000_000, cells: 50_000_000, sharedStrings: 2_000_000, sharedStringBytes: 128 << 20,
	richRuns: 1_000_000, partElements: 1_000_000}

// openRows opens path as the mapping says (format by extension when it does not). A CSV
// reader counts its progress through the file in progress.
func openRows(path string, m *Mapping, progress *sourceProgress) (rowReader, error) {
	format, err := fileFormat(path, m)
	if err != nil {
		return nil, err
	}
	switch format {
	case "xlsx", "xls":
		return openWorkbook(func() (rowReader, error) {
			if format == "xls" {
				return openXLS(path, m)
			}
			return openXLSX(path, m)
		})
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
			return nil, reasons.New("%w: declared %s, but the file starts with a UTF-16 byte order mark (Excel's \"Unicode text\"); declare encoding = \"auto\"",
				"%w：声明为 %s，文件却以 UTF-16 字节顺序标记开头（Excel 的“Unicode 文本”）；请声明 encoding = \"auto\"", errFileRejected, encoding)
		}
		sep = detectSeparator([]byte(decodeHead(head)))
		src = transform.NewReader(br, utf16Encoding(head).NewDecoder())
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		if encoding == "gbk" || encoding == "gb18030" {
			f.Close()
			return nil, reasons.New("%w: declared %s, but the file starts with a UTF-8 byte order mark", "%w：声明为 %s，文件却以 UTF-8 字节顺序标记开头", errFileRejected, encoding)
		}
		_, _ = br.Discard(3)
	case encoding == "utf-8" || encoding == "utf8":
		if !validUTF8Prefix(head) {
			f.Close()
			return nil, reasons.New("%w: declared UTF-8, but the first %d bytes are not UTF-8 (a GBK/GB18030 export? declare encoding = \"gbk\")",
				"%w：声明为 UTF-8，文件前 %d 字节却不是 UTF-8（GBK/GB18030 导出的？请声明 encoding = \"gbk\"）", errFileRejected, len(head))
		}
	case encoding == "gbk" || encoding == "gb18030":
		if validUTF8Prefix(head) && !isASCII(head) {
			f.Close()
			return nil, reasons.New("%w: declared %s, but the file reads as UTF-8; declare encoding = \"utf-8\" or \"auto\"", "%w：声明为 %s，文件却是 UTF-8；请声明 encoding = \"utf-8\" 或 \"auto\"", errFileRejected, encoding)
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
			return sourceRow{}, reasons.New("%w: %v", "%w：%v", errFileRejected, err)
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
	path   string // the workbook, read again for each sheet's merged ranges
	name   string // the file's name, for rejects
	sheets []string
	cur    int
	rows   *excelize.Rows
	row    int
	cells  int64                 // cells read so far, against xlsxLimit.cells
	merged map[int][]mergedRange // row → the merged ranges covering it
	// unresolved are the sheet's formulas without a stored result, read as "=" and the
	// formula, which no value check takes for a number (excelize read them as empty).
	unresolved map[int]map[int]string
}

// mergedRange is a merged range's columns on one of its rows, its first row, and its
// value, shared by its rows and set when its first row is read.
type mergedRange struct {
	top, c1, c2 int
	value       *string
}

// xlsxRefused is a workbook refused at one of its limits, naming the file and the limit.
func xlsxRefused(name, en, zh string, args ...any) error {
	return reasons.New("%w: %s: %v", "%w：%s：%v", errFileRejected, name, reasons.New(en, zh, args...))
}

// workbookFault is why a workbook could not be read, worded in both languages where it is
// the file's own fault: no zip at all, or cut short (a Word file, an unfinished download).
func workbookFault(err error) error {
	switch {
	case errors.Is(err, zip.ErrFormat):
		return reasons.New("zip: not a valid zip file", "不是有效的 ZIP 压缩包")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return reasons.New("the file ends too soon (cut short?)", "文件不完整（被截断？）")
	}
	return err
}

func openXLSX(path string, m *Mapping) (*xlsxRows, error) {
	name := filepath.Base(path)
	if err := checkXLSXParts(path, name); err != nil {
		return nil, err
	}
	// A date in the built-in short date format (14, what a typed date gets) would be
	// written as excelize's US default, 07-01-22; Chinese offices read it as 2022-07-01.
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: maxXLSXUnzip, UnzipXMLSizeLimit: min(maxXLSXXMLMem, maxXLSXUnzip),
		ShortDatePattern: "yyyy-mm-dd"})
	if err != nil {
		return nil, reasons.New("%w: not a readable XLSX workbook: %v", "%w：不是可读的 XLSX 工作簿：%v", errFileRejected, workbookFault(err))
	}
	sheets := f.GetSheetList()
	if m != nil && len(m.Sheets) > 0 {
		for _, s := range m.Sheets {
			if idx, _ := f.GetSheetIndex(s); idx < 0 {
				f.Close()
				return nil, reasons.New("%w: the workbook has no sheet %q (it has %s)", "%w：工作簿中没有工作表 %q（有 %s）", errFileRejected, s, reasons.List(sheets))
			}
		}
		sheets = m.Sheets
	}
	return &xlsxRows{f: f, path: path, name: name, sheets: sheets, cur: -1}, nil
}

// workbookReads lets two workbooks be read at once, the others wait their turn: each may
// hold some hundreds of MB within its limits, and uploads come in side by side (three
// reporters' hostile files at once took a server to 7.3 GB).
var workbookReads = make(chan struct{}, 2)

// openWorkbook opens a workbook when its turn comes; closing it ends the turn.
func openWorkbook(open func() (rowReader, error)) (_ rowReader, err error) {
	workbookReads <- struct{}{}
	opened := false
	// A workbook that fails to open, by an error or a reader's panic, gives its turn back.
	defer func() {
		if !opened {
			<-workbookReads
		}
	}()
	r, err := open()
	if err != nil {
		return nil, err
	}
	opened = true
	return &workbookTurn{rowReader: r}, nil
}

// workbookTurn is a workbook read in its turn.
type workbookTurn struct {
	rowReader
	done sync.Once
}

func (w *workbookTurn) close() error {
	err := w.rowReader.close()
	w.done.Do(func() { <-workbookReads })
	return err
}

// checkXLSXParts reads the workbook's zip directory, and the parts excelize holds in memory
// whole, before excelize does: the unzipped size of the whole (the zip reader holds each
// entry to its stated size), the shared strings table's size, entries and runs, and the
// elements of each part decoded whole when the workbook opens (readWhole).
func checkXLSXParts(path, name string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return reasons.New("%w: not a readable XLSX workbook: %v", "%w：不是可读的 XLSX 工作簿：%v", errFileRejected, workbookFault(err))
	}
	defer zr.Close()
	var total uint64
	book := false
	for _, e := range zr.File {
		total += e.UncompressedSize64
		book = book || strings.EqualFold(e.Name, "xl/workbook.xml")
	}
	if !book {
		return reasons.New("%w: %s holds no workbook (a Word or other zip file, renamed?)", "%w：%s 里没有工作簿（是否为改了扩展名的 Word 等压缩文件？）", errFileRejected, name)
	}
	if total > uint64(maxXLSXUnzip) {
		return xlsxRefused(name, "the workbook unzips to %d bytes; the limit for one file is %d", "工作簿解压后 %d 字节；一个文件的上限是 %d", total, maxXLSXUnzip)
	}
	for _, e := range zr.File {
		switch {
		case strings.EqualFold(e.Name, "xl/sharedStrings.xml"):
			if e.UncompressedSize64 > uint64(xlsxLimit.sharedStringBytes) {
				return xlsxRefused(name, "its shared strings unzip to %d bytes; the limit is %d", "其共享字符串解压后 %d 字节；上限是 %d", e.UncompressedSize64, xlsxLimit.sharedStringBytes)
			}
			n, err := countElements(e, func(n map[string]int) bool { return n["si"] > xlsxLimit.sharedStrings || n["r"] > xlsxLimit.richRuns })
			switch {
			case err != nil:
				return reasons.New("%w: %s: shared strings: %v", "%w：%s：共享字符串：%v", errFileRejected, name, err)
			case n["si"] > xlsxLimit.sharedStrings:
				return xlsxRefused(name, "it has more than %d shared strings; the limit is %d", "共享字符串多于 %d 个；上限是 %d", xlsxLimit.sharedStrings, xlsxLimit.sharedStrings)
			case n["r"] > xlsxLimit.richRuns:
				return xlsxRefused(name, "its shared strings hold more than %d runs of formatted text; the limit is %d", "其共享字符串中的格式文本段多于 %d 个；上限是 %d", xlsxLimit.richRuns, xlsxLimit.richRuns)
			}
		case readWhole(e.Name):
			n, err := countElements(e, func(n map[string]int) bool { return n[""] > xlsxLimit.partElements })
			switch {
			case err != nil:
				return reasons.New("%w: %s: %s: %v", "%w：%s：%s：%v", errFileRejected, name, e.Name, err)
			case n[""] > xlsxLimit.partElements:
				return xlsxRefused(name, "its part %s has more than %d XML elements; the limit is %d", "其组成部分 %s 的 XML 元素多于 %d 个；上限是 %d", e.Name, xlsxLimit.partElements, xlsxLimit.partElements)
			}
		}
	}
	return nil
}

// readWhole says whether excelize reads and decodes the part whole when it opens a
// workbook: the workbook, its styles and theme, the calculation chain, the content types
// and relationships. Sheets it reads row by row, and the rest only when asked.
func readWhole(part string) bool {
	p := strings.ToLower(part)
	return p == "xl/workbook.xml" || p == "xl/styles.xml" || p == "xl/calcchain.xml" || p == "[content_types].xml" ||
		strings.HasPrefix(p, "xl/theme/") || strings.HasSuffix(p, ".rels")
}

// countElements counts a part's XML elements by local name, and all of them under "",
// until enough says to stop.
func countElements(e *zip.File, enough func(map[string]int) bool) (map[string]int, error) {
	n := map[string]int{}
	rc, err := e.Open()
	if err != nil {
		return n, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	for !enough(n) {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return n, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			n[se.Name.Local]++
			n[""]++
		}
	}
	return n, nil
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
				return sourceRow{}, reasons.New("%w: sheet %s: %v", "%w：工作表 %s：%v", errFileRejected, x.sheets[x.cur], err)
			}
			continue
		}
		x.row++
		cells, err := x.rows.Columns()
		if err != nil {
			return sourceRow{}, reasons.New("%w: sheet %s row %d: %v", "%w：工作表 %s 第 %d 行：%v", errFileRejected, x.sheets[x.cur], x.row, err)
		}
		for i, c := range cells {
			// A longer cell comes from no spreadsheet program, and a file of them held the
			// server's memory at a gigabyte through its preview's kept rows.
			if len(c) > maxCellChars {
				if n := utf8.RuneCountInString(c); n > maxCellChars {
					name, _ := excelize.CoordinatesToCellName(i+1, x.row)
					return sourceRow{}, xlsxRefused(x.name, "sheet %s cell %s holds %d characters; a spreadsheet cell holds at most %d", "工作表 %s 的单元格 %s 有 %d 个字符；电子表格的单元格最多 %d 个", x.sheets[x.cur], name, n, maxCellChars)
				}
			}
		}
		for col, f := range x.unresolved[x.row] {
			for len(cells) < col {
				cells = append(cells, "")
			}
			if cells[col-1] == "" {
				cells[col-1] = "=" + f
			}
		}
		cells = x.fillMerged(cells)
		if x.cells += int64(len(cells)); x.cells > xlsxLimit.cells {
			return sourceRow{}, xlsxRefused(x.name, "sheet %s passes %d cells at row %d; the limit for one file is %d", "工作表 %s 到第 %[3]d 行已超过 %[2]d 个单元格；一个文件的上限是 %[4]d", x.sheets[x.cur], xlsxLimit.cells, x.row, xlsxLimit.cells)
		}
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
		return reasons.New("%w: sheet %s: %v", "%w：工作表 %s：%v", errFileRejected, sheet, err)
	}
	scan, err := sheetScanned(x.path, sheet, xlsxLimit.mergedRanges)
	refs := scan.merges
	x.unresolved = scan.unresolved
	if err != nil {
		rows.Close()
		return reasons.New("%w: sheet %s merged cells: %v", "%w：工作表 %s 的合并单元格：%v", errFileRejected, sheet, err)
	}
	if len(refs) > xlsxLimit.mergedRanges {
		rows.Close()
		return xlsxRefused(x.name, "sheet %s has more than %d merged ranges; the limit is %d", "工作表 %s 的合并区域多于 %d 个；上限是 %d", sheet, xlsxLimit.mergedRanges, xlsxLimit.mergedRanges)
	}
	// A range is kept once per row it spans, as its columns, never per cell; its value is
	// its top-left cell's, taken when the rows stream past its first row (fillMerged).
	x.merged = map[int][]mergedRange{}
	var covered int64
	for _, ref := range refs {
		a, b, found := strings.Cut(ref, ":")
		if !found {
			b = a
		}
		c1, r1, err1 := excelize.CellNameToCoordinates(a)
		c2, r2, err2 := excelize.CellNameToCoordinates(b)
		if err1 != nil || err2 != nil {
			continue
		}
		c1, c2, r1, r2 = min(c1, c2), max(c1, c2), min(r1, r2), max(r1, r2)
		if covered += int64(c2-c1+1) * int64(r2-r1+1); covered > xlsxLimit.mergedCells {
			rows.Close()
			return xlsxRefused(x.name, "the merged ranges of sheet %s cover more than %d cells; the limit is %d", "工作表 %s 的合并区域覆盖多于 %d 个单元格；上限是 %d", sheet, xlsxLimit.mergedCells, xlsxLimit.mergedCells)
		}
		value := new(string)
		for r := r1; r <= r2; r++ {
			x.merged[r] = append(x.merged[r], mergedRange{top: r1, c1: c1, c2: c2, value: value})
		}
	}
	x.rows, x.row = rows, 0
	return nil
}

// fillMerged gives every cell of a merged range the range's value, adding cells where a
// range runs past the row's last written cell.
func (x *xlsxRows) fillMerged(cells []string) []string {
	for _, m := range x.merged[x.row] {
		if m.top == x.row && m.c1 <= len(cells) {
			*m.value = cells[m.c1-1]
		}
		for len(cells) < m.c2 {
			cells = append(cells, "")
		}
		for c := m.c1; c <= m.c2; c++ {
			if cells[c-1] == "" {
				cells[c-1] = *m.value
			}
		}
	}
	delete(x.merged, x.row)
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
		return nil, reasons.New("%w: %v", "%w：%v", errFileRejected, err)
	}
	return j, nil
}

func (j *jsonRows) findArray() error {
	tok, err := j.dec.Token()
	if err != nil {
		return reasons.New("not JSON: %v", "不是 JSON：%v", err)
	}
	if d, ok := tok.(json.Delim); ok && d == '{' {
		for {
			key, err := j.dec.Token()
			if err != nil {
				return reasons.New("no \"data\" array: %v", "没有 \"data\" 数组：%v", err)
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
		return reasons.New("expected an array of objects", "应为对象数组")
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
		return sourceRow{}, reasons.New("%w: object %d: %v", "%w：第 %d 个对象：%v", errFileRejected, j.n+1, err)
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
