package etl

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// corpusCase is one bad (or awkward) file and what loading it must do.
type corpusCase struct {
	name    string
	job     string
	file    func(t *testing.T, dir string) string
	mapping *Mapping
	// refused, when set, is part of the error that refuses the whole file.
	refused string
	loaded  int
	// rejected maps a line to part of its reason.
	rejected map[int]string
	// check, when set, looks at what was loaded.
	check func(t *testing.T, w *warehouse.Warehouse)
}

func writeBytes(name string, b []byte) func(t *testing.T, dir string) string {
	return func(t *testing.T, dir string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

func gbk(t *testing.T, s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const longHeader = "period,region,indicator,value,unit\n"

func TestBadFileCorpus(t *testing.T) {
	ctx := context.Background()
	w := whtest.Open(t)
	l := NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	l.MaxRejectShare = 1 // each case shows its rejects; the share limit has its own test
	if _, err := l.LoadDemo(ctx, filepath.Join("..", "data"), "620000"); err != nil {
		t.Fatal(err)
	}
	gbkFile := func(name, s string) func(t *testing.T, dir string) string {
		return func(t *testing.T, dir string) string { return writeBytes(name, gbk(t, s))(t, dir) }
	}
	cases := []corpusCase{
		{name: "truncated CSV", job: JobEconomy, file: writeBytes("cut.csv", []byte(longHeader+"2021,甘肃,gdp,1,亿元\n2021,陕西,gdp")),
			loaded: 1, rejected: map[int]string{3: "row has 3 fields, the header has 5"}},
		{name: "unclosed quote", job: JobEconomy, file: writeBytes("quote.csv", []byte(longHeader+"2021,\"甘肃,gdp,1,亿元\n")),
			refused: "extraneous or missing \" in quoted-field"},
		{name: "undeclared GBK", job: JobEconomy, file: gbkFile("gbk.csv", "时期,地区,指标,数值,单位\r\n2021年,甘肃省,地区生产总值,10243.3,亿元\r\n"),
			loaded: 1, check: valueIs("gdp", "620000", 2021, 10243.3)},
		{name: "declared UTF-8 but GBK", job: JobEconomy, mapping: &Mapping{Name: "u", Job: JobEconomy, Encoding: "utf-8"},
			file: gbkFile("gbk2.csv", "时期,地区,指标,数值,单位\r\n2021年,甘肃省,地区生产总值,1,亿元\r\n"), refused: "declared UTF-8, but the first"},
		{name: "declared GBK but UTF-8", job: JobEconomy, mapping: &Mapping{Name: "g", Job: JobEconomy, Encoding: "gbk"},
			file: writeBytes("utf8.csv", []byte(longHeader+"2021,甘肃,gdp,1,亿元\n")), refused: "declared gbk, but the file reads as UTF-8"},
		{name: "BOM", job: JobEconomy, file: writeBytes("bom.csv", append([]byte{0xEF, 0xBB, 0xBF}, []byte(longHeader+"2020,甘肃,gdp,9016.7,亿元\n")...)),
			loaded: 1, check: valueIs("gdp", "620000", 2020, 9016.7)},
		{name: "empty file", job: JobEconomy, file: writeBytes("empty.csv", nil), refused: "the file is empty"},
		{name: "header only", job: JobEconomy, file: writeBytes("header.csv", []byte(longHeader)), refused: "no row could be loaded"},
		{name: "bad rows", job: JobEconomy, file: writeBytes("rows.csv", []byte(longHeader+
			"2019,甘肃,gdp,1,亿元\n"+ // 2
			"2019,火星,gdp,1,亿元\n"+ // 3 unknown region
			"2019,甘肃,gdp,2,亿元\n"+ // 4 duplicate of 2
			"2019,陕西,gdp,一千,亿元\n"+ // 5 not a number
			"2019,青海,population,-5,万人\n"+ // 6 negative
			"2099,宁夏,gdp,1,亿元\n"+ // 7 future
			"2019,宁夏,gdp,38000000,万元\n"+ // 8 mixed units: converted
			"2019,'; DROP TABLE regions; --,gdp,1,亿元\n"+ // 9 hostile region
			"2019,新疆,gdp\x07,1,亿元\n")), // 10 control character
			loaded: 2, rejected: map[int]string{3: `unknown region "火星"`, 4: "duplicate: line 2 already gives gdp for Gansu", 5: `"一千" is not a number`,
				6: "cannot be negative", 7: "period 2099 is in the future", 9: "unknown region \"'; DROP TABLE regions; --\"", 10: "control character U+0007"},
			check: valueIs("gdp", "640000", 2019, 3800)},
		{name: "corrupt XLSX", job: JobEconomy, file: writeBytes("broken.xlsx", []byte("PK\x03\x04 this is not a workbook")), refused: "not a readable XLSX workbook"},
		// A picture or a PDF read as text was refused for a misplaced quote.
		{name: "PNG named .csv", job: JobEconomy, file: writeBytes("gdp.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")), refused: "gdp.csv is a PNG image, not a table"},
		{name: "PDF named .xlsx", job: JobEcology, file: writeBytes("ledger.xlsx", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")), refused: "ledger.xlsx is a PDF document, not a table"},
		// A zip that holds no workbook (a Word file renamed) was refused in English only.
		{name: "zip without a workbook", job: JobEconomy, file: func(t *testing.T, dir string) string {
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			w, _ := zw.Create("word/document.xml")
			_, _ = w.Write([]byte("<w:document/>"))
			_ = zw.Close()
			return writeBytes("report.xlsx", b.Bytes())(t, dir)
		}, refused: "report.xlsx holds no workbook"},
		{name: "XLSX zip bomb", job: JobEconomy, file: zipBomb, refused: "the limit for one file is 8388608"},
		{name: "10 MB line", job: JobEconomy, file: writeBytes("long.csv", []byte(longHeader+"2019,甘肃,gdp,"+strings.Repeat("9", 10<<20)+",亿元\n")),
			refused: "line 2 is longer than 1048576 bytes"},
		{name: "a cell longer than a spreadsheet's", job: JobEconomy, file: longCellWorkbook,
			refused: "long-cell.xlsx: sheet 数据 cell C2 holds 40000 characters; a spreadsheet cell holds at most 32767"},
		{name: "formula cells", job: JobEconomy, file: formulaWorkbook, loaded: 2, check: valueIs("gdp", "620000", 2018, 8246.1*2)},
		{name: "merged headers, wide", job: JobEconomy, file: mergedWorkbook, mapping: &Mapping{Name: "m", Job: JobEconomy, HeaderRows: 2, HeaderMarker: "地区",
			Columns: map[string]string{"region": "地区"}, Fixed: map[string]string{"indicator": "gdp"}, Wide: &WideLayout{Field: "period"}},
			loaded: 4, check: valueIs("gdp", "620000", 2017, 7459.9)},
		{name: "JSON", job: JobEconomy, file: writeBytes("v.json", []byte(`{"source":"x","data":[{"period":"2016","region_code":"620000","indicator":"gdp","value":7152.0},{"period":"2016","region_code":"610000","indicator":"gdp","value":"19045.8"}]}`)),
			loaded: 2, check: valueIs("gdp", "610000", 2016, 19045.8)},
		// A campaign file's values pass the rules a unit's form does: a count is whole, and
		// nothing passes ten million (1e300 flattened every other unit's score).
		{name: "campaign values", job: JobCampaign, file: writeBytes("campaign.csv", []byte("unit_code,unit,month,metric,value\n"+
			"620100,兰州市,2024-01,study_sessions,12\n"+ // 2
			"620100,兰州市,2024-01,tasks_assigned,2.5\n"+ // 3 a fractional count
			"620100,兰州市,2024-01,enterprise_visits,1e300\n"+ // 4 too large
			"620100,兰州市,2024-01,training_hours,2.5\n")), // 5 hours may be fractional
			loaded: 2, rejected: map[int]string{3: "交办任务数 is counted in 项 and must be a whole number (2.5)", 4: "is larger than any unit reports in a month"}},
		{name: "hostile text loads inert", job: JobEcology, file: writeBytes("ledger.csv", []byte(
			"item_id,region,title,found_date,deadline,status,progress,status_date,note\n"+
				"X-1,兰州市,<script>alert(1)</script>,2023-01-05,2023-06-30,整改中,40%,2023-03-31,\"'; DROP TABLE ecology_items; --\"\n"+
				"X-2,兰州市,bell\x07,2023-01-05,2023-06-30,整改中,,2023-03-31,\n"+
				"X-3,兰州市,deadline before found,2023-06-05,2023-01-30,整改中,,2023-07-31,\n"+
				"X-4,兰州市,closed but not done,2023-01-05,2023-06-30,已销号,60%,2023-07-31,\n"+
				"X-5,兰州市,bad status,2023-01-05,2023-06-30,搞定了,,2023-07-31,\n"+
				"X-6,兰州市,closed,2023-01-05,2023-06-30,已销号,,2023-07-31,\n"+
				"X-7,兰州市,no status,2023-01-05,2023-06-30,,,2023-07-31,\n")),
			loaded: 2, rejected: map[int]string{3: "control character U+0007", 4: "deadline 2023-01-30 is before the item was found",
				5: "status 已销号 but progress 60%", 6: `status "搞定了" is not`, 8: "no status"},
			check: func(t *testing.T, w *warehouse.Warehouse) {
				res, err := whtest.Query(context.Background(), w, "SELECT title FROM ecology_items WHERE item_id = 'X-1'", nil)
				if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != "<script>alert(1)</script>" {
					t.Errorf("hostile title not kept as text: %v %v", res, err)
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.file(t, t.TempDir())
			rep, err := l.LoadFile(ctx, tc.job, path, tc.mapping)
			if tc.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refused) || !strings.Contains(err.Error(), path) {
					t.Fatalf("error %v; want the file %s refused with %q", err, path, tc.refused)
				}
				if rep != nil && rep.Run.Status != warehouse.RunFailed {
					t.Fatalf("run %s; want failed", rep.Run.Status)
				}
				// The run says why in Chinese too, for the operator's Chinese pages.
				if rep != nil && rep.Run.MessageZh == "" {
					t.Errorf("the refusal %q has no Chinese", rep.Run.Message)
				}
				return
			}
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if rep.Run.RowsLoaded != tc.loaded || rep.Run.RowsRejected != len(tc.rejected) {
				t.Errorf("loaded %d rejected %d (%+v); want %d and %d", rep.Run.RowsLoaded, rep.Run.RowsRejected, rep.Rejects, tc.loaded, len(tc.rejected))
			}
			for _, r := range rep.Rejects {
				if want, ok := tc.rejected[r.Line]; !ok || !strings.Contains(r.Reason, want) {
					t.Errorf("line %d rejected for %q; want %q", r.Line, r.Reason, want)
				}
			}
			// Every reason is kept in Chinese too, for the operator's Chinese pages.
			stored, _, err := w.RejectsPage(ctx, warehouse.RejectsQuery{RunID: rep.Run.ID, Limit: 10_000})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range stored {
				if r.ReasonZh == "" || r.ReasonZh == r.Reason {
					t.Errorf("line %d's reason %q is kept in Chinese as %q", r.Line, r.Reason, r.ReasonZh)
				}
			}
			if tc.check != nil {
				tc.check(t, w)
			}
		})
	}
}

func valueIs(indicator, region string, year int, want float64) func(t *testing.T, w *warehouse.Warehouse) {
	return func(t *testing.T, w *warehouse.Warehouse) {
		t.Helper()
		res, err := whtest.Query(context.Background(), w, `SELECT value FROM indicator_values_current
			WHERE indicator_code = {i:String} AND region_code = {r:String} AND year = {y:UInt16} AND period_kind = 'year'`,
			warehouse.Params{"i": indicator, "r": region, "y": strconv.Itoa(year)})
		if err != nil || len(res.Rows) != 1 {
			t.Fatalf("value of %s %s %d: %v %v", indicator, region, year, res, err)
		}
		if got := res.Rows[0][0].(float64); got < want-1e-6 || got > want+1e-6 {
			t.Errorf("%s %s %d = %v, want %v", indicator, region, year, got, want)
		}
	}
}

// zipBomb writes a small workbook carrying an entry that unzips to far more than the limit.
func zipBomb(t *testing.T, dir string) string {
	old := maxXLSXUnzip
	maxXLSXUnzip = 8 << 20
	t.Cleanup(func() { maxXLSXUnzip = old })
	f := excelize.NewFile()
	var wb bytes.Buffer
	if err := f.Write(&wb); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(wb.Bytes()), int64(wb.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range zr.File {
		if err := zw.Copy(e); err != nil {
			t.Fatal(err)
		}
	}
	bomb, err := zw.Create("xl/media/image1.bin")
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for i := 0; i < 64; i++ {
		if _, err := bomb.Write(zeros); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if out.Len() > 1<<20 {
		t.Fatalf("the bomb is %d bytes, want a small file", out.Len())
	}
	return writeBytes("bomb.xlsx", out.Bytes())(t, dir)
}

// formulaWorkbook is a minimal workbook as Excel saves it: formula cells carry their last
// computed value, which is what a load must read.
func formulaWorkbook(t *testing.T, dir string) string {
	return sheetWorkbook(t, dir, "formula.xlsx",
		`<row r="1"><c r="A1" t="inlineStr"><is><t>period</t></is></c><c r="B1" t="inlineStr"><is><t>region_code</t></is></c><c r="C1" t="inlineStr"><is><t>indicator</t></is></c><c r="D1" t="inlineStr"><is><t>value</t></is></c></row>`+
			`<row r="2"><c r="A2"><v>2018</v></c><c r="B2"><v>620000</v></c><c r="C2" t="inlineStr"><is><t>gdp_prerev</t></is></c><c r="D2"><v>8246.1</v></c></row>`+
			`<row r="3"><c r="A3"><v>2018</v></c><c r="B3"><v>620000</v></c><c r="C3" t="inlineStr"><is><t>gdp</t></is></c><c r="D3"><f>D2*2</f><v>16492.2</v></c></row>`)
}

// longCellWorkbook has a cell longer than any spreadsheet cell holds, as a 424 KB workbook
// of 400 such cells (1 MiB each) that took the server from 365 MB to 1.29 GB did.
func longCellWorkbook(t *testing.T, dir string) string {
	return sheetWorkbook(t, dir, "long-cell.xlsx",
		`<row r="1"><c r="A1" t="inlineStr"><is><t>period</t></is></c><c r="B1" t="inlineStr"><is><t>region_code</t></is></c><c r="C1" t="inlineStr"><is><t>indicator</t></is></c><c r="D1" t="inlineStr"><is><t>value</t></is></c></row>`+
			`<row r="2"><c r="A2"><v>2018</v></c><c r="B2"><v>620000</v></c><c r="C2" t="inlineStr"><is><t>`+strings.Repeat("甘", 40000)+`</t></is></c><c r="D2"><v>1</v></c></row>`)
}

// sheetWorkbook writes a minimal workbook, as Excel saves one, whose one sheet (数据) holds
// the rows given (sheetData's inside).
func sheetWorkbook(t *testing.T, dir, name, rows string) string {
	files := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml":   `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`,
	}
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
	return writeBytes(name, out.Bytes())(t, dir)
}

// mergedWorkbook has a title row, a two-row header whose top cell spans the years, regions
// down and years across, and a footnote.
func mergedWorkbook(t *testing.T, dir string) string {
	f := excelize.NewFile()
	rows := [][]any{
		{"各地区生产总值（亿元）"},
		{"地区", "地区生产总值", nil},
		{nil, "2017年", "2018年"},
		{"甘肃省", 7459.9, 8104.1},
		{"青海省", 2465.1, 2748.0},
		{"注：演示数据"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range [][2]string{{"A1", "C1"}, {"A2", "A3"}, {"B2", "C2"}} {
		if err := f.MergeCell("Sheet1", m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, "merged.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}
