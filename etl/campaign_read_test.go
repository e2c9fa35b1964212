package etl_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"jinwei/etl"
	"jinwei/etl/etltest"
)

// A unit's file is read row by row and every row kept with its reason; a file of short
// rows is refused once it holds more values than any report does, before memory follows it
// (a 1 MB file of "x" lines was read as 12.5 M rows and took a server to 12 GB). The
// province's whole monthly file still reads.
func TestReadCampaignFileStopsAtItsRowCap(t *testing.T) {
	w := etltest.Demo(t)
	mappings, err := etl.LoadMappings("../data/sources")
	if err != nil {
		t.Fatal(err)
	}
	r := etl.ReportFileReader{Loader: etl.NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil))), Mappings: mappings, TempDir: t.TempDir()}
	whole, err := os.ReadFile("../data/generated/三抓三促月报_2024-05.csv")
	if err != nil {
		t.Fatal(err)
	}
	text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(whole)
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(text), "\n")
	const name = "三抓三促月报_2024-05.csv"
	cases := []struct {
		what    string
		data    []byte
		wantErr bool
	}{
		{"the province's whole file", whole, false},
		// 1,000 lines of one bad cell each are 25,000 values of the wide layout.
		{"short rows beyond the cap", []byte(header + "\n" + strings.Repeat("x\n", 1000)), true},
		{"other units' rows beyond the cap", []byte(header + "\n" + strings.Repeat("地区,620103,城关区,2024年5月"+strings.Repeat(",1", 25)+",\n", 1000)), true},
	}
	// Every refused row is kept with its reason, more than a preview lists (it kept 1,000).
	others := []byte(header + "\n" + strings.Repeat("地区,620103,城关区,2024年5月"+strings.Repeat(",1", 25)+",\n", 100))
	if rows, err := r.ReadReportFile(context.Background(), name, "csv", others); err != nil || len(rows) <= etl.MaxPreviewRejects {
		t.Errorf("100 rows of another unit: %d rows kept, %v; want every value with its reason (more than %d)", len(rows), err, etl.MaxPreviewRejects)
	}
	for _, tc := range cases {
		rows, err := r.ReadReportFile(context.Background(), name, "csv", tc.data)
		switch {
		case tc.wantErr && err == nil:
			t.Errorf("%s: read as %d rows, want refused past 20000 values", tc.what, len(rows))
		case tc.wantErr && !strings.Contains(err.Error(), "20000"):
			t.Errorf("%s: %v, want the cap named", tc.what, err)
		case !tc.wantErr && (err != nil || len(rows) < 100):
			t.Errorf("%s: %d rows, %v", tc.what, len(rows), err)
		}
		if tc.wantErr && len(rows) > 0 {
			t.Errorf("%s: %d rows came back with the error", tc.what, len(rows))
		}
	}
	// A workbook refused is named as sent: the reason named the temporary copy read
	// ("report-1392730705.xlsx: sheet Sheet1 cell A1 holds 40000 characters").
	long := `<row r="1"><c r="A1" t="inlineStr"><is><t>` + strings.Repeat("x", 40_000) + `</t></is></c></row>`
	if _, err := r.ReadReportFile(context.Background(), "城关区.xlsx", "xlsx", oneSheetWorkbook(t, long)); err == nil || !strings.Contains(err.Error(), "城关区.xlsx: sheet Sheet1 cell A1 holds 40000 characters") || strings.Contains(err.Error(), "report-") {
		t.Errorf("a workbook with a 40,000-character cell: %.300v; want it refused under the name it was sent by", err)
	}
	// A header is quoted in part: one of a 30,000-character cell came back whole.
	long = `<row r="1"><c r="A1" t="inlineStr"><is><t>` + strings.Repeat("标", 30_000) + `</t></is></c><c r="B1" t="inlineStr"><is><t>x</t></is></c></row>`
	if _, err := r.ReadReportFile(context.Background(), "城关区.xlsx", "xlsx", oneSheetWorkbook(t, long)); err == nil || len(err.Error()) > 2000 || !strings.Contains(err.Error(), strings.Repeat("标", 300)+"…") {
		t.Errorf("a workbook whose header is a 30,000-character cell: %d bytes of error (%.200v); want the header quoted in its first 300 characters", len(fmt.Sprint(err)), err)
	}
}

// oneSheetWorkbook is a workbook of one sheet whose rows' XML is given.
func oneSheetWorkbook(t *testing.T, rows string) []byte {
	t.Helper()
	const rels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, part := range [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", rels + `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", rels + `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`},
	} {
		w, err := z.Create(part[0])
		if err == nil {
			_, err = w.Write([]byte(part[1]))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
