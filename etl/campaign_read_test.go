package etl_test

import (
	"context"
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
}
