package etl

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"

	"jinwei/warehouse/reasons"
)

// Offices save a table in whatever their software offers: Excel's "Unicode text" (UTF-16
// with a byte order mark, tab-separated, named .txt or .csv), European-locale CSV with
// semicolons, legacy .xls workbooks, and web systems' "Excel" exports that are HTML pages
// under an .xls or .xlsx name. A file is read by what it holds, and a file jinwei cannot
// read is refused with what it is, never misread.

// fileKind is what a file's first bytes say it holds.
type fileKind string

const (
	kindText fileKind = "text"
	kindZip  fileKind = "zip"  // an XLSX workbook (or another zip)
	kindOLE2 fileKind = "ole2" // a legacy Excel 97–2003 workbook (BIFF8)
	kindHTML fileKind = "html"
	// kindOther is a picture or a document (PNG, JPEG, GIF, PDF): no table to read, which
	// read as text said only that a quote was out of place.
	kindOther fileKind = "other"
)

// otherKinds are the first bytes of files that hold no table, with what they are.
var otherKinds = []struct {
	magic    string
	what, zh string
}{
	{"\x89PNG\r\n\x1a\n", "a PNG image", "PNG 图片"}, {"\xff\xd8\xff", "a JPEG image", "JPEG 图片"}, {"GIF87a", "a GIF image", "GIF 图片"}, {"GIF89a", "a GIF image", "GIF 图片"},
	{"%PDF-", "a PDF document", "PDF 文档"},
}

// readHead is the start of a file, for sniff.
func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, 1024)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	return head[:n], nil
}

// otherKind is the index in otherKinds of what head starts with, or -1.
func otherKind(head []byte) int {
	for i, k := range otherKinds {
		if bytes.HasPrefix(head, []byte(k.magic)) {
			return i
		}
	}
	return -1
}

func sniff(head []byte) fileKind {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return kindZip
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return kindOLE2
	case otherKind(head) >= 0:
		return kindOther
	}
	text := decodeHead(head)
	t := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(text, "\ufeff")))
	if strings.HasPrefix(t, "<") && (strings.Contains(t, "<html") || strings.Contains(t, "<table") || strings.HasPrefix(t, "<!doctype") || strings.HasPrefix(t, "<?xml")) {
		return kindHTML
	}
	return kindText
}

// fileFormat is the format a file is read in: by its content where that is unambiguous
// (a workbook is a workbook whatever its name), else the mapping's, else the extension's.
// Content jinwei cannot read, or that contradicts a declared format, is an error naming it.
func fileFormat(path string, m *Mapping) (string, error) {
	head, err := readHead(path)
	if err != nil {
		return "", err
	}
	kind := sniff(head)
	name, ext := filepath.Base(path), strings.ToLower(filepath.Ext(path))
	declared := m.format(path)
	switch kind {
	case kindOLE2:
		if m != nil && m.Format != "" && m.Format != "xls" {
			return "", reasons.New("%w: %s is a legacy Excel 97–2003 workbook (.xls), but the mapping %s says format %q", "%w：%s 是旧版 Excel 97–2003 工作簿（.xls），读法 %s 却写格式 %q", errFileRejected, name, m.Name, m.Format)
		}
		return "xls", nil
	case kindOther:
		k := otherKinds[otherKind(head)]
		return "", reasons.New("%w: %s is %v, not a table: send the table as CSV, XLSX or XLS", "%w：%s 是 %v，不是表格：请上传 CSV、XLSX 或 XLS 格式的表格",
			errFileRejected, name, reasons.Text{En: k.what, Zh: k.zh})
	case kindHTML:
		return "", reasons.New("%w: %s holds an HTML page, not a %s file (web systems often export tables so): open it in Excel or WPS and save it as .xlsx",
			"%w：%s 里是网页（HTML），不是 %s 文件（网上系统导出的表格常是这样）：请用 Excel 或 WPS 打开，另存为 .xlsx", errFileRejected, name, strings.TrimPrefix(ext, "."))
	case kindZip:
		if m != nil && m.Format != "" && m.Format != "xlsx" {
			return "", reasons.New("%w: %s is an XLSX workbook, but the mapping %s says format %q", "%w：%s 是 XLSX 工作簿，读法 %s 却写格式 %q", errFileRejected, name, m.Name, m.Format)
		}
		return "xlsx", nil
	}
	if declared == "xlsx" || declared == "xls" {
		return "", reasons.New("%w: %s is named as a workbook but holds text (a CSV or tab-separated export?): rename it .csv", "%w：%s 名为工作簿，内容却是文本（CSV 或制表符分隔的导出？）：请改名为 .csv", errFileRejected, name)
	}
	return declared, nil
}

// utf16Encoding is the encoding a UTF-16 byte order mark at the start of head names (the
// decoder takes the mark off), or that the zero bytes of UTF-16 text saved without a mark
// show (see bomlessUTF16), or nil.
func utf16Encoding(head []byte) encoding.Encoding {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	}
	if order, ok := bomlessUTF16(head); ok {
		return unicode.UTF16(order, unicode.IgnoreBOM)
	}
	return nil
}

// bomlessUTF16 recognises UTF-16 text without a byte order mark (some tools and scripts
// save it so) by its zero bytes: UTF-8 and GB18030 text has none, while UTF-16 puts one
// beside every ASCII character — the separators, digits and line ends of any table — in
// the high byte, after it (little-endian) or before it (big-endian). A few CJK characters
// (一 U+4E00) have a zero low byte, so the other side may hold some, far fewer. Such files
// were read as GB18030 and their header became garbage.
func bomlessUTF16(head []byte) (unicode.Endianness, bool) {
	n := len(head) &^ 1
	if n > 4096 {
		n = 4096
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case pairs == 0:
	case odd*8 >= pairs && odd > 4*even:
		return unicode.LittleEndian, true
	case even*8 >= pairs && even > 4*odd:
		return unicode.BigEndian, true
	}
	return unicode.LittleEndian, false
}

// detectSeparator picks the field separator of delimited text from its first lines: a tab
// or a semicolon when more lines hold it than hold commas, else a comma.
func detectSeparator(head []byte) byte {
	lines := bytes.Split(head, []byte("\n"))
	if len(lines) > 1 {
		lines = lines[:len(lines)-1] // the last may be cut off
	}
	score := map[byte]int{}
	for i, l := range lines {
		if i == 50 {
			break
		}
		for _, c := range []byte{',', '\t', ';'} {
			if bytes.IndexByte(l, c) >= 0 {
				score[c]++
			}
		}
	}
	switch {
	case score['\t'] > score[','] && score['\t'] >= score[';']:
		return '\t'
	case score[';'] > score[','] && score[';'] > score['\t']:
		return ';'
	}
	return ','
}

// decodeHead is the start of a file as text: UTF-16 by its byte order mark (or its zero
// bytes), else as is.
func decodeHead(head []byte) string {
	if enc := utf16Encoding(head); enc != nil {
		out, err := enc.NewDecoder().Bytes(head[:len(head)&^1])
		if err == nil {
			return string(out)
		}
	}
	return string(head)
}
