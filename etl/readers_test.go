package etl

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// A merged range that runs past the last written cell of its rows still fills every cell:
// the sheet reader gives a row only up to its last written cell.
func TestXLSXMergedCellsFillToTheRangeEnd(t *testing.T) {
	f := excelize.NewFile()
	for cell, v := range map[string]string{"A1": "地区生产总值", "A2": "甘肃", "B2": "1"} {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.MergeCell("Sheet1", "A1", "C1"); err != nil {
		t.Fatal(err)
	}
	rr := savedXLSX(t, f)
	want := [][]string{{"地区生产总值", "地区生产总值", "地区生产总值"}, {"甘肃", "1"}}
	for i, w := range want {
		row, err := rr.next()
		if err != nil || !slices.Equal(row.cells, w) || row.line != i+1 {
			t.Fatalf("row %d: %q (line %d), %v; want %q", i+1, row.cells, row.line, err, w)
		}
	}
}

// A date a spreadsheet shows in its built-in short date format (numFmt 14, what Excel and
// WPS give a typed date), or with its time (22), is read as the date: it was read as
// "07-01-22" and refused.
func TestXLSXShortDateIsReadAsADate(t *testing.T) {
	f := excelize.NewFile()
	for i, numFmt := range []int{14, 22} {
		style, err := f.NewStyle(&excelize.Style{NumFmt: numFmt})
		if err != nil {
			t.Fatal(err)
		}
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellValue("Sheet1", cell, time.Date(2022, 7, 1, 9, 30, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStyle("Sheet1", cell, cell, style); err != nil {
			t.Fatal(err)
		}
	}
	rr := savedXLSX(t, f)
	row, err := rr.next()
	if err != nil || len(row.cells) != 2 {
		t.Fatalf("row %q, %v", row.cells, err)
	}
	for _, c := range row.cells {
		if d, err := parseDate(c); err != nil || !d.Equal(time.Date(2022, 7, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("a date cell reads %q: %v, %v; want 2022-07-01", c, d, err)
		}
	}
}

// savedXLSX saves f and opens it as the loader reads workbooks, closed when the test ends.
func savedXLSX(t *testing.T, f *excelize.File) *xlsxRows {
	t.Helper()
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	rr, err := openXLSX(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rr.close() })
	return rr
}
