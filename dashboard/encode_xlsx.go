package dashboard

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"jinwei/warehouse"
)

// xlsxEncoder writes a workbook with excelize's stream writer, numbers as numbers. A sheet
// holds at most 1,048,576 rows (Excel's limit), so a longer result goes on in Sheet2,
// Sheet3 …, each with the header row: nothing is cut.
type xlsxEncoder struct {
	w      io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	header []any
	sheets int
	row    int // the last row written on the current sheet
}

// xlsxSheetRows is how many rows a sheet may hold; a variable so a test can lower it.
var xlsxSheetRows = excelize.TotalRows

func newXLSXEncoder(w io.Writer) encoder { return &xlsxEncoder{w: w, f: excelize.NewFile()} }

func (e *xlsxEncoder) Columns(cols []warehouse.Column) error {
	e.header = make([]any, len(cols))
	for i, col := range cols {
		e.header[i] = col.Name
	}
	return e.nextSheet()
}

// nextSheet finishes the current sheet, if any, and starts the next with the header row.
func (e *xlsxEncoder) nextSheet() error {
	if e.sw != nil {
		if err := e.sw.Flush(); err != nil {
			return err
		}
	}
	e.sheets++
	name := fmt.Sprintf("Sheet%d", e.sheets)
	if e.sheets > 1 {
		if _, err := e.f.NewSheet(name); err != nil {
			return err
		}
	}
	sw, err := e.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	e.sw, e.row = sw, 1
	return sw.SetRow("A1", e.header)
}

func (e *xlsxEncoder) Rows(rows [][]any) error {
	for _, row := range rows {
		if e.row == xlsxSheetRows {
			if err := e.nextSheet(); err != nil {
				return err
			}
		}
		cells := make([]any, len(row))
		for i, v := range row {
			if f, ok := toFloat(v); ok {
				cells[i] = f
			} else {
				cells[i] = cellString(v)
			}
		}
		e.row++
		cell, _ := excelize.CoordinatesToCellName(1, e.row)
		if err := e.sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	return nil
}

func (e *xlsxEncoder) Close() error {
	defer e.f.Close()
	if err := e.sw.Flush(); err != nil {
		return err
	}
	return e.f.Write(e.w)
}
