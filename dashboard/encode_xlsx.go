package dashboard

import (
	"io"

	"github.com/xuri/excelize/v2"

	"jinwei/warehouse"
)

// xlsxEncoder writes a workbook with excelize's stream writer, numbers as numbers, on one
// sheet. A sheet holds at most 1,048,576 rows (Excel's limit), so an XLSX export is limited
// to the rows one sheet holds under its header (xlsxMaxRows); a longer result is cut there
// and the workbook gets a second sheet saying so. Going on over further sheets was tried and
// dropped: excelize keeps every finished sheet's write buffer (16–32 MB) until the workbook
// is written, so memory grew by that much per sheet (251 MB for 1 M rows over ten sheets,
// 73 MB on one), while one sheet keeps a flat ceiling whatever the result's size.
type xlsxEncoder struct {
	w      io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	row    int // the last row written
	closed bool
}

// xlsxSheetRows is how many rows a sheet may hold; a variable so a test can lower it.
var xlsxSheetRows = excelize.TotalRows

// xlsxMaxRows is how many rows of a result an XLSX export holds: a sheet less its header.
func xlsxMaxRows() int { return xlsxSheetRows - 1 }

// xlsxCutNote is the second sheet of a workbook whose result was cut, in both languages of
// the pages.
var xlsxCutNote = [][]any{
	{"结果超过 Excel 单个工作表的行数上限，本文件只含前面的行；完整结果请导出 CSV 或 Parquet。"},
	{"The result has more rows than an Excel sheet holds; this file has only the first ones. Export CSV or Parquet for the whole result."},
}

func newXLSXEncoder(w io.Writer) encoder { return &xlsxEncoder{w: w, f: excelize.NewFile()} }

func (e *xlsxEncoder) Columns(cols []warehouse.Column) error {
	header := make([]any, len(cols))
	for i, col := range cols {
		header[i] = col.Name
	}
	sw, err := e.f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	e.sw, e.row = sw, 1
	return sw.SetRow("A1", header)
}

func (e *xlsxEncoder) Rows(rows [][]any) error {
	for _, row := range rows {
		cells := make([]any, len(row))
		for i, v := range row {
			if f, ok := toFloat(v); ok {
				cells[i] = f
			} else {
				cells[i] = cellString(v)
			}
		}
		e.row++
		cell, err := excelize.CoordinatesToCellName(1, e.row)
		if err != nil {
			return err
		}
		if err := e.sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	return nil
}

// Discard closes the workbook: a sheet past 16 MB spills to a temporary file of excelize's,
// which only closing removes.
func (e *xlsxEncoder) Discard() {
	if !e.closed {
		e.closed = true
		_ = e.f.Close()
	}
}

func (e *xlsxEncoder) Close(cut bool) error {
	defer e.Discard()
	if err := e.sw.Flush(); err != nil {
		return err
	}
	if cut {
		if _, err := e.f.NewSheet("Note"); err != nil {
			return err
		}
		for i, line := range xlsxCutNote {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := e.f.SetSheetRow("Note", cell, &line); err != nil {
				return err
			}
		}
	}
	return e.f.Write(e.w)
}
