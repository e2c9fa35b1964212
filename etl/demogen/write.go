package demogen

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// writeCSV writes rows as CSV with CRLF line ends, as Excel exports them; gbk encodes the
// file in GBK as Chinese Excel saves "CSV (逗号分隔)".
func writeCSV(path string, rows [][]string, gbk bool) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = gbk
	if err := w.WriteAll(rows); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	out := buf.Bytes()
	if gbk {
		enc, err := simplifiedchinese.GBK.NewEncoder().Bytes(out)
		if err != nil {
			return fmt.Errorf("encode %s as GBK: %w", path, err)
		}
		out = enc
	}
	return os.WriteFile(path, out, 0o644)
}

// sheetWriter fills one sheet row by row.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	row   int
}

func (s *sheetWriter) cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// put writes values from column 1 on the next row.
func (s *sheetWriter) put(values ...any) error {
	s.row++
	return s.f.SetSheetRow(s.sheet, s.cell(1, s.row), &values)
}

// merge merges columns c1..c2 of rows r1..r2 (1-based).
func (s *sheetWriter) merge(c1, r1, c2, r2 int) error {
	return s.f.MergeCell(s.sheet, s.cell(c1, r1), s.cell(c2, r2))
}

// newWorkbook returns a workbook whose first sheet is named first.
func newWorkbook(first string) (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", first); err != nil {
		return nil, err
	}
	return f, nil
}
