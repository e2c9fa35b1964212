package etl

import (
	"bytes"
	"io"
	"os"

	"github.com/shakinm/xlsReader/xls"

	"jinwei/warehouse/reasons"
)

// Legacy Excel 97–2003 workbooks (BIFF8 in an OLE2 container), still what many bureaus
// publish, are read with github.com/shakinm/xlsReader, chosen after reading the corpus'
// .xls samples (saved by LibreOffice from the XLSX ones) to the same values. It reads a
// workbook whole, so the file's size is bounded; an .xls holds at most 65,536 rows a sheet.

// maxXLSBytes bounds a legacy workbook read whole into memory.
const maxXLSBytes = 64 << 20

// xlsRows yields a legacy workbook's rows sheet by sheet. Merged cells hold their value in
// the top-left cell only, which the table's merged-header rules expect.
type xlsRows struct {
	sheets []xlsSheet
	cur    int
	row    int
}

type xlsSheet struct {
	name string
	rows [][]string
}

func openXLS(path string, m *Mapping) (_ *xlsRows, err error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxXLSBytes {
		return nil, reasons.New("%w: the .xls workbook is %d MiB, more than the %d MiB read whole: save it as .xlsx", "%w：.xls 工作簿有 %d MiB，超过整体读取的上限 %d MiB：请另存为 .xlsx", errFileRejected, st.Size()>>20, maxXLSBytes>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if err := checkCompoundFile(data); err != nil {
		return nil, err
	}
	defer func() {
		// The reader trusts the file's record lengths; a damaged file must not take the
		// process down.
		if r := recover(); r != nil {
			err = reasons.New("%w: not a readable .xls workbook (%v): save it as .xlsx", "%w：不是可读的 .xls 工作簿（%v）：请另存为 .xlsx", errFileRejected, r)
		}
	}()
	// The bytes checked are the bytes read: the file once, not again from disk.
	wb, err := xls.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, reasons.New("%w: not a readable .xls workbook: %v: save it as .xlsx", "%w：不是可读的 .xls 工作簿：%v：请另存为 .xlsx", errFileRejected, workbookFault(err))
	}
	x := &xlsRows{cur: -1}
	var names []string
	for i := range wb.GetNumberSheets() {
		sh, err := wb.GetSheet(i)
		if err != nil {
			return nil, reasons.New("%w: .xls sheet %d: %v", "%w：.xls 第 %d 个工作表：%v", errFileRejected, i+1, err)
		}
		names = append(names, sh.GetName())
		if m != nil && len(m.Sheets) > 0 && !containsString(m.Sheets, sh.GetName()) {
			continue
		}
		s := xlsSheet{name: sh.GetName()}
		for _, r := range sh.GetRows() {
			cols := r.GetCols()
			cells := make([]string, len(cols))
			for c, cell := range cols {
				cells[c] = cell.GetString()
			}
			s.rows = append(s.rows, cells)
		}
		x.sheets = append(x.sheets, s)
	}
	if m != nil {
		for _, want := range m.Sheets {
			if !containsString(names, want) {
				return nil, reasons.New("%w: the workbook has no sheet %q (it has %v)", "%w：工作簿中没有工作表 %q（有 %v）", errFileRejected, want, names)
			}
		}
	}
	return x, nil
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func (x *xlsRows) next() (sourceRow, error) {
	for {
		if x.cur < 0 || x.row >= len(x.sheets[x.cur].rows) {
			x.cur++
			x.row = 0
			if x.cur >= len(x.sheets) {
				return sourceRow{}, io.EOF
			}
			continue
		}
		s := x.sheets[x.cur]
		cells := s.rows[x.row]
		x.row++
		if blank(cells) {
			continue
		}
		return sourceRow{cells: cells, line: x.row, sheet: s.name}, nil
	}
}

func (x *xlsRows) close() error { return nil }
