package etl

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jinwei/warehouse/whtest"
)

// hostileWorkbook writes a workbook with fill applied to its first sheet.
func hostileWorkbook(t *testing.T, name string, fill func(f *excelize.File) error) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := fill(f); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// mergedBomb writes the workbook: one cell, and n merged ranges of 316×316 cells
// (stacked ten across), written as Excel writes them, a few KB in all.
func mergedBomb(t *testing.T, name string, n int) string {
	t.Helper()
	var merges strings.Builder
	for i := 0; i < n; i++ {
		col, row := 1+(i%10)*316, 1+(i/10)*316
		a, _ := excelize.CoordinatesToCellName(col, row)
		b, _ := excelize.CoordinatesToCellName(col+315, row+315)
		fmt.Fprintf(&merges, `<mergeCell ref="%s:%s"/>`, a, b)
	}
	sheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>指标</t></is></c></row></sheetData>` +
		fmt.Sprintf(`<mergeCells count="%d">%s</mergeCells></worksheet>`, n, merges.String())
	path, size := rawWorkbook(t, name, sheet)
	t.Logf("%s: %d merged ranges of 316×316 cells in %d bytes", name, n, size)
	return path
}

// rawWorkbook writes a workbook of one sheet, Sheet1, whose XML is given as is, and
// returns its path and size.
func rawWorkbook(t *testing.T, name, sheet string) (string, int) {
	t.Helper()
	return rawWorkbookWith(t, name, sheet, nil)
}

// rawWorkbookWith is rawWorkbook with more parts, or other ones, as given.
func rawWorkbookWith(t *testing.T, name, sheet string, parts map[string]string) (string, int) {
	t.Helper()
	files := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml":   sheet,
	}
	maps.Copy(files, parts)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return writeBytes(name, out.Bytes())(t, t.TempDir()), out.Len()
}

// readXLSX reads every row of the workbook, as a load does, and returns how it ended.
func readXLSX(path string) (rows int, err error) {
	r, err := openXLSX(path, nil)
	if err != nil {
		return 0, err
	}
	defer r.close()
	for {
		if _, err := r.next(); err != nil {
			if errors.Is(err, io.EOF) {
				return rows, nil
			}
			return rows, err
		}
		rows++
	}
}

// xlsxCells reads every row of the workbook as m says, failing the test on an error.
func xlsxCells(t *testing.T, path string, m *Mapping) [][]string {
	t.Helper()
	r, err := openXLSX(path, m)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	var rows [][]string
	for {
		row, err := r.next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, row.cells)
	}
}

// lowerXLSXLimits sets lim for the test.
func lowerXLSXLimits(t *testing.T, lim xlsxLimits) {
	old := xlsxLimit
	xlsxLimit = lim
	t.Cleanup(func() { xlsxLimit = old })
}

// The file: 200 merged ranges of 316×316 cells in a few KB. Read, it took ~830 MB
// (every covered cell held its own copy of the value); it is refused at the merged-cells
// limit, naming the file and the limit, with the heap as small as the file.
func TestXLSXManyLargeMergedRangesAreRefused(t *testing.T) {
	path := mergedBomb(t, "merged-bomb.xlsx", 200)
	var err error
	peak := whtest.PeakHeap(func() { _, err = readXLSX(path) })
	t.Logf("%s: refused with %v; the heap peaked %.1f MB above its start", filepath.Base(path), err, float64(peak)/(1<<20))
	if !errors.Is(err, errFileRejected) || !strings.Contains(err.Error(), "merged-bomb.xlsx") || !strings.Contains(err.Error(), "cover more than 1000000 cells") {
		t.Errorf("err = %v; want the file refused at the merged-cells limit", err)
	}
	if peak > 64<<20 {
		t.Errorf("reading it took %d MB of heap; want it refused before the ranges are expanded", peak>>20)
	}
}

// Each of the workbook limits refuses a file that passes it, naming the file and the limit;
// the limits are lowered so that small files prove them.
func TestXLSXLimitsRefuseHostileWorkbooks(t *testing.T) {
	lowerXLSXLimits(t, xlsxLimits{mergedRanges: 100, mergedCells: 100_000, cells: 10_000, sharedStrings: 1000, sharedStringBytes: 64 << 10, richRuns: 100, partElements: 5000})
	paths := map[string]string{}
	cases := []struct {
		name  string
		fill  func(f *excelize.File) error
		limit string
	}{
		{"many-merges.xlsx", func(f *excelize.File) error {
			for i := 1; i <= 150; i++ {
				if err := f.MergeCell("Sheet1", fmt.Sprintf("A%d", i), fmt.Sprintf("B%d", i)); err != nil {
					return err
				}
			}
			return nil
		}, "has more than 100 merged ranges; the limit is 100"},
		{"many-cells.xlsx", func(f *excelize.File) error {
			for r := 1; r <= 200; r++ {
				if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", r), &[]any{r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r}); err != nil {
					return err
				}
			}
			return nil
		}, "cells at row"},
		{"sparse-far-cell.xlsx", func(f *excelize.File) error {
			// One cell in the last column: every row read comes out 16,384 cells wide.
			return f.SetCellValue("Sheet1", "XFD1", 1)
		}, "passes 10000 cells at row 1"},
		{"many-strings.xlsx", func(f *excelize.File) error {
			for i := 1; i <= 1500; i++ {
				if err := f.SetCellValue("Sheet1", fmt.Sprintf("A%d", i), fmt.Sprintf("s%d", i)); err != nil {
					return err
				}
			}
			return nil
		}, "more than 1000 shared strings; the limit is 1000"},
		{"long-strings.xlsx", func(f *excelize.File) error {
			for i := 1; i <= 100; i++ {
				if err := f.SetCellValue("Sheet1", fmt.Sprintf("A%d", i), fmt.Sprintf("%d-%s", i, strings.Repeat("x", 1000))); err != nil {
					return err
				}
			}
			return nil
		}, "shared strings unzip to"},
	}
	sheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`
	// Parts excelize decodes whole, swollen past what a workbook holds: a red team's
	// styles of 100 million <xf/>, and one shared string of millions of formatted runs.
	for name, part := range map[string][2]string{
		"swollen-styles.xlsx": {"xl/styles.xml", `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs>` + strings.Repeat("<xf/>", 6000) + `</cellXfs></styleSheet>`},
		"many-runs.xlsx":      {"xl/sharedStrings.xml", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si>` + strings.Repeat("<r><t>a</t></r>", 150) + `</si></sst>`},
	} {
		cases = append(cases, struct {
			name  string
			fill  func(f *excelize.File) error
			limit string
		}{name, nil, map[string]string{"xl/styles.xml": "its part xl/styles.xml has more than 5000 XML elements; the limit is 5000",
			"xl/sharedStrings.xml": "its shared strings hold more than 100 runs of formatted text; the limit is 100"}[part[0]]})
		paths[name], _ = rawWorkbookWith(t, name, sheet, map[string]string{part[0]: part[1]})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := paths[tc.name]
			if tc.fill != nil {
				path = hostileWorkbook(t, tc.name, tc.fill)
			}
			_, err := readXLSX(path)
			t.Log(err)
			if !errors.Is(err, errFileRejected) || !strings.Contains(err.Error(), tc.name) || !strings.Contains(err.Error(), tc.limit) {
				t.Errorf("err = %v; want %s refused saying %q", err, tc.name, tc.limit)
			}
		})
	}
	// Within the limits a workbook with merged header cells still reads, filled in.
	path := hostileWorkbook(t, "ordinary.xlsx", func(f *excelize.File) error {
		for _, kv := range [][2]string{{"A1", "地区"}, {"B1", "2023"}, {"A2", "甘肃"}, {"B2", "1"}, {"C2", "2"}} {
			if err := f.SetCellValue("Sheet1", kv[0], kv[1]); err != nil {
				return err
			}
		}
		return f.MergeCell("Sheet1", "B1", "C1")
	})
	r, err := openXLSX(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	head, err := r.next()
	if err != nil || strings.Join(head.cells, ",") != "地区,2023,2023" {
		t.Errorf("merged header read as %v, %v; want 地区,2023,2023", head.cells, err)
	}
}

// A sheet of many small rows, written without their optional r="A1" references, a few
// hundred KB zipped: its first row is read with the heap as small as the rows read, not
// the sheet. Its merged ranges were read by parsing the whole sheet into memory first
// (a 0.9 MB report file of five million rows took a server to 6 GB before any limit was
// reached); with 300,000 rows that allocated hundreds of MB.
func TestXLSXManyRowsAreStreamedFromTheFirst(t *testing.T) {
	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	sheet.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c><c r="B1" t="inlineStr"><is><t>2024</t></is></c></row>`)
	sheet.WriteString(`<row r="2"><c r="B2"><v>1</v></c></row>`)
	for range 300_000 {
		sheet.WriteString(`<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>`)
	}
	sheet.WriteString(`</sheetData><mergeCells count="1"><mergeCell ref="A1:A2"/></mergeCells></worksheet>`)
	path, size := rawWorkbook(t, "many-rows.xlsx", sheet.String())
	sheet.Reset()
	r, err := openXLSX(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	first, err := r.next()
	if err != nil {
		t.Fatal(err)
	}
	second, err := r.next()
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("reading the first two rows of a %d-byte workbook allocated %d MiB", size, alloc>>20)
	}
	// The merged range still fills its rows from its top-left cell, read as it streams by.
	if first.cells[0] != "地区" || second.cells[0] != "地区" || len(second.cells) != 2 {
		t.Errorf("rows %v, %v", first.cells, second.cells)
	}
}

// Merged ranges are found wherever excelize finds the sheet: a mapping may name it in
// another case, and a writer may prefix its elements (<main:mergeCell>).
func TestXLSXMergesFoundAsExcelizeFindsTheSheet(t *testing.T) {
	sheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:main="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c><c r="B1" t="inlineStr"><is><t>2024</t></is></c></row>` +
		`<row r="2"><c r="B2"><v>1</v></c></row></sheetData>` +
		`<main:mergeCells count="1"><main:mergeCell ref="A1:A2"/></main:mergeCells></worksheet>`
	path, _ := rawWorkbook(t, "prefixed.xlsx", sheet)
	var got []string
	for _, cells := range xlsxCells(t, path, &Mapping{Sheets: []string{"sheet1"}}) {
		got = append(got, cells[0])
	}
	if strings.Join(got, " ") != "地区 地区" {
		t.Errorf("column A reads %q; want the merged 地区 on both rows", got)
	}
}

// Workbooks are read two at a time: a third waits until one of the two is closed, then
// opens (reporters' hostile uploads read side by side took a server to 7.3 GB).
func TestWorkbooksAreReadTwoAtATime(t *testing.T) {
	path := hostileWorkbook(t, "ordinary.xlsx", func(f *excelize.File) error { return f.SetCellValue("Sheet1", "A1", "地区") })
	open := func() rowReader {
		r, err := openRows(path, nil, &sourceProgress{})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	first, second := open(), open()
	third := make(chan rowReader)
	go func() {
		r, err := openRows(path, nil, &sourceProgress{})
		if err != nil {
			t.Error(err)
		}
		third <- r
	}()
	select {
	case r := <-third:
		r.close()
		t.Fatal("a third workbook opened while two were being read")
	case <-time.After(300 * time.Millisecond):
	}
	if err := first.close(); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-third:
		r.close()
	case <-time.After(time.Minute):
		t.Fatal("the third workbook did not open once the first was closed")
	}
	second.close()
	// A workbook refused at opening takes no turn: the two turns are free again.
	bad := writeBytes("bad.xlsx", []byte("地区,2024年\n"))(t, t.TempDir())
	for range 3 {
		if _, err := openRows(bad, nil, &sourceProgress{}); err == nil {
			t.Fatal("text named .xlsx opened")
		}
	}
	open().close()
	open().close()
	// Nor does a reader that panics while it opens one.
	for range 3 {
		func() {
			defer func() { _ = recover() }()
			_, _ = openWorkbook(func() (rowReader, error) { panic("a reader's fault") })
		}()
	}
	open().close()
	open().close()
}

// A formula without its stored result (a file from a program that writes formulas without
// calculating them) is read as "=" and the formula, which no value check takes for a
// number; excelize read it as an empty cell, and the load counted it "no value" without a
// word. A formula with its result reads as the result.
func TestAFormulaWithoutItsResultIsNotReadAsEmpty(t *testing.T) {
	sheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c><c r="B1" t="inlineStr"><is><t>2024</t></is></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>甘肃</t></is></c><c r="B2"><f>B3-100</f></c></row>` +
		`<row r="3"><c r="A3" t="inlineStr"><is><t>青海</t></is></c><c r="B3"><f>1+6</f><v>7</v></c></row>` +
		`<row r="4"><c r="A4" t="inlineStr"><is><t>宁夏</t></is></c><c r="B4"><f t="shared" si="0"/></c></row>` +
		`<row><c t="inlineStr"><is><t>陕西</t></is></c><c><f>SUM(B2:B4)&gt;0</f></c></row>` +
		// An empty result is a result: =IF(…,"",…) as Excel and LibreOffice save it.
		`<row r="7"><c r="A7" t="inlineStr"><is><t>四川</t></is></c><c r="B7" t="str"><f>IF(A7="","",1)</f><v/></c><c r="C7"><f>""</f><v></v></c><c r="D7" s="3"/></row>` +
		`</sheetData>` +
		// A drop-down's list on another sheet, after the cells: no cell's formula.
		`<extLst><ext><x14:dataValidations><x14:dataValidation><x14:formula1><xm:f>Lists!$A$1:$A$9</xm:f></x14:formula1></x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>`
	path, _ := rawWorkbook(t, "formulas.xlsx", sheet)
	var got []string
	for _, cells := range xlsxCells(t, path, nil) {
		got = append(got, strings.Join(cells, "|"))
	}
	want := []string{"地区|2024", "甘肃|=B3-100", "青海|7", "宁夏|=", "陕西|=SUM(B2:B4)>0", "四川||"}
	if strings.Join(got, " / ") != strings.Join(want, " / ") {
		t.Errorf("read %q; want %q", got, want)
	}
}
