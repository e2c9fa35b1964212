package etl

import (
	"path/filepath"
	"slices"
	"testing"

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
	path := filepath.Join(t.TempDir(), "m.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	rr, err := openXLSX(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.close()
	want := [][]string{{"地区生产总值", "地区生产总值", "地区生产总值"}, {"甘肃", "1"}}
	for i, w := range want {
		row, err := rr.next()
		if err != nil || !slices.Equal(row.cells, w) || row.line != i+1 {
			t.Fatalf("row %d: %q (line %d), %v; want %q", i+1, row.cells, row.line, err, w)
		}
	}
}
