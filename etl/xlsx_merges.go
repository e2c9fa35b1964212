package etl

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"path"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"

	"jinwei/warehouse/reasons"
)

// mergeRef is a mergeCell element's ref attribute.
var mergeRef = regexp.MustCompile(`\sref\s*=\s*["']([^"']*)["']`)

// sheetScan is what sheetScanned finds in a sheet's XML beside its rows.
type sheetScan struct {
	// merges are the merged ranges' refs ("A1:C2"), up to one past the limit asked.
	merges []string
	// unresolved are the cells holding a formula without a stored result (a file written
	// by a program that does not calculate), by row and column (from 1), with the formula.
	// excelize reads such a cell as empty: a value left out without a word.
	unresolved map[int]map[int]string
}

// cellAt is a cell's row and column, from 1.
type cellAt struct{ row, col int }

// sheetScanned reads a sheet's merged ranges and its formulas without a stored result from
// the workbook's zip by streaming the sheet's XML. excelize's GetMergeCells would parse
// the whole sheet into memory first: a 0.9 MB file of five million rows took 6 GB before a
// single row was checked against the file's limits.
func sheetScanned(zipPath, sheet string, limit int) (sheetScan, error) {
	var out sheetScan
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return out, err
	}
	defer zr.Close()
	part, err := sheetPart(&zr.Reader, sheet)
	if err != nil {
		return out, err
	}
	var entry *zip.File
	for _, e := range zr.File {
		if strings.EqualFold(e.Name, part) {
			entry = e
		}
	}
	if entry == nil {
		return out, reasons.New("sheet %s: no part %s in the workbook", "工作表 %s：工作簿中没有部件 %s", sheet, part)
	}
	rc, err := entry.Open()
	if err != nil {
		return out, err
	}
	defer rc.Close()
	// Only a few elements matter among millions of cells: each '<' is looked at in the
	// reader's buffer, and only mergeCell, row, c, f and v elements are read further. A
	// decoder making a token of every element took seconds and hundreds of MB of garbage
	// per million rows.
	br := bufio.NewReaderSize(rc, 64<<10)
	// The cell being read: its ref as written (r="D6"), or where it stands counted from
	// its row's start when the file leaves refs out.
	var ref []byte
	var at cellAt
	formula, inFormula, valued, kept, inData := "", false, false, 0, false
	// ended closes the cell read so far: a formula without a value is kept.
	ended := func() {
		if inFormula && !valued && kept < maxUnresolved && at.col > 0 {
			where := at
			if len(ref) > 0 {
				if col, row, err := excelize.CellNameToCoordinates(string(ref)); err == nil {
					where = cellAt{row, col}
				}
			}
			if out.unresolved == nil {
				out.unresolved = map[int]map[int]string{}
			}
			if out.unresolved[where.row] == nil {
				out.unresolved[where.row] = map[int]string{}
			}
			out.unresolved[where.row][where.col] = formula
			kept++
		}
		formula, inFormula, valued = "", false, false
	}
	for len(out.merges) <= limit {
		_, err := br.ReadSlice('<')
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return out, err
		}
		// Enough for a prefix of any usual length (<x:mergeCell, <main:mergeCell), and for
		// a cell's or a row's tag with its r attribute, read from here without a copy.
		peek, _ := br.Peek(64)
		name := peek
		if i := bytes.IndexAny(name, " \t\r\n/>"); i >= 0 {
			name = name[:i]
		}
		if i := bytes.IndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		// Cells are read within sheetData only: after it, an extension's <xm:f> (a
		// drop-down's list on another sheet) is no cell's formula.
		if bytes.HasPrefix(peek, []byte("/")) {
			end := peek[1:]
			if i := bytes.IndexByte(end, ':'); i >= 0 && i < bytes.IndexByte(end, '>') {
				end = end[i+1:]
			}
			if bytes.HasPrefix(end, []byte("sheetData>")) {
				ended()
				inData = false
			}
			continue
		}
		// The tag alone: past its end the peek holds the next elements, and their r.
		tag := peek
		if i := bytes.IndexByte(tag, '>'); i >= 0 {
			tag = tag[:i]
		}
		if !inData && string(name) != "mergeCell" && string(name) != "sheetData" {
			continue
		}
		switch string(name) {
		case "sheetData":
			inData = true
		case "mergeCell":
			el, err := br.ReadSlice('>')
			if err != nil {
				return out, reasons.New("a merged range's element is cut short: %w", "合并区域的元素不完整：%w", err)
			}
			if m := mergeRef.FindSubmatch(el); m != nil {
				out.merges = append(out.merges, string(m[1]))
			}
		case "row":
			ended()
			if n, ok := digits(attrR(tag)); ok {
				at.row = n
			} else {
				at.row++
			}
			at.col = 0
		case "c":
			ended()
			ref = append(ref[:0], attrR(tag)...)
			at.col++
		case "f":
			el, _ := br.ReadSlice('>')
			inFormula = true
			if !bytes.HasSuffix(el, []byte("/>")) {
				// The formula's text, up to its end tag (whose "<" the loop reads again).
				text, _ := br.ReadSlice('<')
				formula = html.UnescapeString(strings.TrimSuffix(string(text), "<"))
				_ = br.UnreadByte()
			}
		case "v":
			// Any <v> is the stored result: an empty one (<v/>, <v></v>) is a formula whose
			// result is "" (=IF(A5="","",…)), as Excel and LibreOffice save it.
			valued = true
		}
	}
	ended()
	return out, nil
}

// digits reads a row number, without the garbage of a conversion per row.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' || n > 1<<24 {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(b) > 0
}

// attrR is the r attribute of an element's start tag (a row's number, a cell's ref), or nil.
func attrR(el []byte) []byte {
	for _, q := range []string{` r="`, ` r='`} {
		if i := bytes.Index(el, []byte(q)); i >= 0 {
			v := el[i+len(q):]
			if j := bytes.IndexByte(v, q[len(q)-1]); j >= 0 {
				return v[:j]
			}
		}
	}
	return nil
}

// maxUnresolved bounds the formulas without a result a sheet's scan keeps: each is refused
// where it stands, and a few thousand say as much as millions would.
const maxUnresolved = 10_000

// sheetPart is the zip entry of the sheet named so (as excelize finds a sheet: in any
// case), where the package's relationships put the workbook and the workbook's put the
// sheet (xl/worksheets/sheet1.xml).
func sheetPart(zr *zip.Reader, sheet string) (string, error) {
	book := "xl/workbook.xml"
	if err := eachStart(zr, "_rels/.rels", func(se xml.StartElement) bool {
		if se.Name.Local == "Relationship" && strings.HasSuffix(attr(se, "Type"), "/officeDocument") {
			book = partPath("", attr(se, "Target"))
			return false
		}
		return true
	}); err != nil && !errors.Is(err, errNoPart) {
		return "", err
	}
	var rid string
	if err := eachStart(zr, book, func(se xml.StartElement) bool {
		if se.Name.Local == "sheet" && strings.EqualFold(attr(se, "name"), sheet) {
			rid = attr(se, "id")
			return false
		}
		return true
	}); err != nil {
		return "", err
	}
	var target string
	if err := eachStart(zr, path.Join(path.Dir(book), "_rels", path.Base(book)+".rels"), func(se xml.StartElement) bool {
		if se.Name.Local == "Relationship" && attr(se, "Id") == rid {
			target = attr(se, "Target")
			return false
		}
		return true
	}); err != nil {
		return "", err
	}
	if rid == "" || target == "" {
		return "", reasons.New("sheet %s is not in the workbook's relationships", "工作表 %s 不在工作簿的关系表中", sheet)
	}
	return partPath(path.Dir(book), target), nil
}

// partPath is a relationship's target as a zip entry: from the package's root when it
// starts with "/", else from dir; written with "\" by some tools.
func partPath(dir, target string) string {
	target = strings.ReplaceAll(target, "\\", "/")
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return path.Join(dir, target)
}

// eachStart calls fn with each start element of the zip entry name until fn says stop.
func eachStart(zr *zip.Reader, name string, fn func(xml.StartElement) bool) error {
	for _, e := range zr.File {
		if !strings.EqualFold(e.Name, name) {
			continue
		}
		rc, err := e.Open()
		if err != nil {
			return err
		}
		defer rc.Close()
		dec := xml.NewDecoder(rc)
		for {
			tok, err := dec.RawToken()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if se, ok := tok.(xml.StartElement); ok && !fn(se) {
				return nil
			}
		}
	}
	return reasons.New("%w: %s", "%w：%s", errNoPart, name)
}

// errNoPart is a zip entry the workbook does not have.
var errNoPart = reasons.New("the workbook has no part", "工作簿中没有此部件")

// attr is the value of the element's attribute with the local name, whatever its prefix.
func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
