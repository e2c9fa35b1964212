package etl_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"jinwei/etl"
)

func writeBytes(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func encodeUTF16(t *testing.T, s string, order unicode.Endianness) []byte {
	t.Helper()
	b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func encodeUTF16NoBOM(t *testing.T, s string, order unicode.Endianness) []byte {
	t.Helper()
	b, err := unicode.UTF16(order, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func encodeGB18030(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every text form an office saves loads the same values: Excel's "Unicode text" (UTF-16
// LE or BE with a byte order mark, tab-separated, .txt), semicolon-separated CSV, GB18030
// CSV, and a workbook saved under a .csv name.
func TestEveryOfficeTextFormatLoads(t *testing.T) {
	w, l := benchWarehouse(t)
	const table = "地区\t2024年\t2023年\n甘肃\t13002.9\t12266.4\n宁夏\t5503.1\t5329.9\n"
	xlsx := excelize.NewFile()
	for r, row := range strings.Split(strings.TrimSpace(table), "\n") {
		for c, v := range strings.Split(row, "\t") {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			xlsx.SetCellValue("Sheet1", cell, v)
		}
	}
	xlsxPath := filepath.Join(t.TempDir(), "book.xlsx")
	if err := xlsx.SaveAs(xlsxPath); err != nil {
		t.Fatal(err)
	}
	xlsxBytes, err := os.ReadFile(xlsxPath)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"unicode-le.txt": encodeUTF16(t, table, unicode.LittleEndian),
		"unicode-be.csv": encodeUTF16(t, table, unicode.BigEndian),
		// Found by the red team: without a byte order mark these were read as GB18030,
		// and the header became garbage.
		"unicode-le-nobom.txt": encodeUTF16NoBOM(t, table, unicode.LittleEndian),
		"unicode-be-nobom.txt": encodeUTF16NoBOM(t, table, unicode.BigEndian),
		"semicolon.csv":        []byte(strings.ReplaceAll(table, "\t", ";")),
		"gb18030.csv":          encodeGB18030(t, strings.ReplaceAll(table, "\t", ",")),
		"workbook.csv":         xlsxBytes,
	}
	m := &etl.Mapping{Name: "f", Job: etl.JobEconomy, Columns: map[string]string{"region": "地区"},
		Fixed: map[string]string{"indicator": "gdp"}, Wide: &etl.WideLayout{Field: "period"}}
	want := map[string]float64{"gdp 620000 year2024-0": 13002.9, "gdp 620000 year2023-0": 12266.4,
		"gdp 640000 year2024-0": 5503.1, "gdp 640000 year2023-0": 5329.9}
	for name, b := range files {
		rep, err := l.LoadFile(context.Background(), etl.JobEconomy, writeBytes(t, name, b), m)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got := runValues(t, w, rep.Run.ID)
		t.Run(name, func(t *testing.T) { assertValues(t, got, want) })
	}
}

// A file jinwei cannot read is refused saying what it is: a web system's HTML export under
// an .xlsx or .xls name, a damaged .xls workbook, text under an .xlsx name.
func TestFilesThatAreNotWhatTheirNameSaysAreNamed(t *testing.T) {
	_, l := benchWarehouse(t)
	ole2 := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	for _, tc := range []struct {
		name    string
		content []byte
		want    string
	}{
		{"export.xlsx", []byte("<html><body><table><tr><td>地区</td></tr></table></body></html>"), "holds an HTML page, not a xlsx file"},
		{"export.xls", []byte("\ufeff<table border=1><tr><td>地区</td></tr></table>"), "holds an HTML page, not a xls file"},
		{"damaged.xls", ole2, "not a readable .xls workbook"},
		{"damaged.xlsx", ole2, "save it as .xlsx"},
		{"text.xlsx", []byte("地区,2024年\n甘肃,1\n"), "holds text"},
	} {
		_, err := l.LoadFile(context.Background(), etl.JobEconomy, writeBytes(t, tc.name, tc.content), nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want an error containing %q", tc.name, err, tc.want)
		}
	}
}

// A workbook's formula without its stored result is refused where it stands, saying why:
// it loaded as "no value", the file's other rows loaded beside it without a word.
func TestAFormulaWithoutItsResultIsRefusedWhereItStands(t *testing.T) {
	_, l := benchWarehouse(t)
	f := excelize.NewFile()
	for i, row := range [][]any{{"year", "region", "indicator", "value"}, {2025, "甘肃", "gdp", 13900}, {2025, "青海", "gdp", 4100}, {2025, "宁夏", "gdp", 5700}, {2025, "陕西", "gdp", 36500}, {2025, "四川", "gdp"}} {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	// excelize writes a formula as a program that does not calculate does: no result.
	if err := f.SetCellFormula("Sheet1", "D6", "D5-100"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "formula.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	rep, err := l.LoadFile(context.Background(), etl.JobEconomy, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Run.RowsLoaded != 4 || rep.Run.RowsNoValue != 0 || len(rep.Rejects) != 1 || rep.Rejects[0].Line != 6 ||
		!strings.Contains(rep.Rejects[0].Reason, `"=D5-100" is not a number but a formula: a workbook saved without calculating holds no result for it`) || !strings.Contains(rep.Rejects[0].ReasonZh, "是公式") {
		t.Errorf("loaded %d, no value %d, rejects %+v; want 4 loaded and line 6 refused as a formula without its result", rep.Run.RowsLoaded, rep.Run.RowsNoValue, rep.Rejects)
	}
}
