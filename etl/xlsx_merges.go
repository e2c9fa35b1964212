package etl

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"

	"jinwei/warehouse/reasons"
)

// mergeRef is a mergeCell element's ref attribute.
var mergeRef = regexp.MustCompile(`\sref\s*=\s*["']([^"']*)["']`)

// sheetMerges reads a sheet's merged ranges (their refs, "A1:C2") from the workbook's zip
// by streaming the sheet's XML, up to one past limit. excelize's GetMergeCells would parse
// the whole sheet into memory first: a 0.9 MB file of five million rows took 6 GB before a
// single row was checked against the file's limits.
func sheetMerges(zipPath, sheet string, limit int) ([]string, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	part, err := sheetPart(&zr.Reader, sheet)
	if err != nil {
		return nil, err
	}
	var entry *zip.File
	for _, e := range zr.File {
		if strings.EqualFold(e.Name, part) {
			entry = e
		}
	}
	if entry == nil {
		return nil, reasons.New("sheet %s: no part %s in the workbook", "工作表 %s：工作簿中没有部件 %s", sheet, part)
	}
	rc, err := entry.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// Only the few mergeCell elements matter among millions of cells: each '<' is looked at
	// in the reader's buffer, and only those elements are read out. A decoder making a
	// token of every element took seconds and hundreds of MB of garbage per million rows.
	br := bufio.NewReaderSize(rc, 64<<10)
	var refs []string
	for len(refs) <= limit {
		_, err := br.ReadSlice('<')
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		// Enough for a prefix of any usual length: <x:mergeCell, <main:mergeCell.
		name, _ := br.Peek(64)
		if i := bytes.IndexAny(name, " \t\r\n/>"); i >= 0 {
			name = name[:i]
		}
		if i := bytes.IndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		if string(name) != "mergeCell" {
			continue
		}
		el, err := br.ReadSlice('>')
		if err != nil {
			return nil, reasons.New("a merged range's element is cut short: %w", "合并区域的元素不完整：%w", err)
		}
		if m := mergeRef.FindSubmatch(el); m != nil {
			refs = append(refs, string(m[1]))
		}
	}
	return refs, nil
}

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
