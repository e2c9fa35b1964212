package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/xuri/excelize/v2"

	"jinwei/dashboard"
	"jinwei/warehouse/whtest"
)

// download posts a statement to an export endpoint (form fields, as the console's export
// buttons send them) and returns the response with its body read.
func download(t *testing.T, c *http.Client, base, path, token, stmt, format string) (*http.Response, []byte) {
	t.Helper()
	res, err := c.PostForm(base+path, url.Values{"statement": {stmt}, "format": {format}, "_csrf": {token}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %s", path, format, res.StatusCode, b[:min(len(b), 300)])
	}
	return res, b
}

// countCSV reads a CSV export: its header and the number and last of its data rows.
func countCSV(t *testing.T, b []byte) (int, string) {
	if !bytes.HasPrefix(b, []byte("\ufeffn,label\n0,第0行\n")) {
		t.Errorf("CSV starts %q", b[:min(len(b), 40)])
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	return len(lines) - 1, lines[len(lines)-1]
}

func countParquet(t *testing.T, b []byte) (int, string) {
	r, err := file.NewParquetReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if r.MetaData().Schema.Column(1).Name() != "label" {
		t.Errorf("Parquet columns %v", r.MetaData().Schema)
	}
	return int(r.NumRows()), ""
}

func countArrow(t *testing.T, b []byte) (int, string) {
	r, err := ipc.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	n, last := 0, ""
	for r.Next() {
		rec := r.RecordBatch()
		n += int(rec.NumRows())
		last = fmt.Sprintf("%v,%v", rec.Column(0).ValueStr(int(rec.NumRows())-1), rec.Column(1).ValueStr(int(rec.NumRows())-1))
	}
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	return n, last
}

// xlsxSheetRows is the rows per sheet the test sets: a header and 99,999 rows of data.
const xlsxSheetRows = 100_000

// countXLSX counts the data rows of every sheet, checking each starts with the header and
// every sheet but the last is full.
func countXLSX(t *testing.T, b []byte) (int, string) {
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	n, last := 0, ""
	defer func() {
		if want := (n + xlsxSheetRows - 2) / (xlsxSheetRows - 1); len(x.GetSheetList()) != want {
			t.Errorf("%d rows on sheets %v; want %d sheets", n, x.GetSheetList(), want)
		}
	}()
	for i, sheet := range x.GetSheetList() {
		rows, err := x.Rows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r := 0; rows.Next(); r++ {
			cols, err := rows.Columns()
			if err != nil {
				t.Fatal(err)
			}
			if r == 0 {
				if strings.Join(cols, ",") != "n,label" {
					t.Errorf("sheet %d (%s) starts with %v, not the header", i+1, sheet, cols)
				}
				continue
			}
			n, last = n+1, strings.Join(cols, ",")
		}
		rows.Close()
	}
	return n, last
}

// Exports and the SQL API's file answers carry every row of a result far larger than the
// console's cap, in every format; an XLSX result longer than a sheet goes on in the next
// sheet; the spool files are gone afterwards.
func TestLargeResultsDownloadWhole(t *testing.T) {
	f := newAuthServer(t)
	const n = 1_200_000
	whtest.NumbersTable(t, f.w, "big", n)
	base := f.srv.URL
	analyst := f.client(t)
	signIn(t, analyst, base, "analyst", "analyst-pw")
	token := csrfToken(t, analyst, base)
	defer dashboard.SetXLSXSheetRows(xlsxSheetRows)()
	const stmt = "SELECT n, label FROM big ORDER BY n"
	cases := []struct {
		path, format string
		stmt         string
		rows         int
		count        func(*testing.T, []byte) (int, string)
	}{
		{"/api/sql/export", "csv", stmt, n, countCSV},
		{"/api/sql/export", "parquet", stmt, n, countParquet},
		// XLSX is slow to write and read: fewer rows, still across three sheets.
		{"/api/sql/export", "xlsx", "SELECT n, label FROM big WHERE n < 250000 ORDER BY n", 250_000, countXLSX},
		{"/api/sql", "csv", stmt, n, countCSV},
		{"/api/sql", "arrow", stmt, n, countArrow},
	}
	for _, tc := range cases {
		t.Run(tc.path+" "+tc.format, func(t *testing.T) {
			res, body := download(t, analyst, base, tc.path, token, tc.stmt, tc.format)
			if h := res.Header.Get("X-Jinwei-Rows"); h != strconv.Itoa(tc.rows) || res.Header.Get("X-Jinwei-Truncated") != "false" {
				t.Errorf("headers say %s rows, truncated %s; want %d, false", h, res.Header.Get("X-Jinwei-Truncated"), tc.rows)
			}
			if res.ContentLength != int64(len(body)) {
				t.Errorf("Content-Length %d for %d bytes", res.ContentLength, len(body))
			}
			rows, last := tc.count(t, body)
			want := fmt.Sprintf("%d,第%d行", tc.rows-1, tc.rows-1)
			if rows != tc.rows || (last != "" && last != want) {
				t.Errorf("%d rows, the last %q; want %d, the last %q", rows, last, tc.rows, want)
			}
		})
	}
	left, _ := filepath.Glob(filepath.Join(f.w.SpoolDir(), "result-*"))
	if len(left) != 0 {
		t.Errorf("spool files left behind: %v", left)
	}
}

// The console's Cancel aborts the request, and the statement stops with it: the embedded
// connection answers the next run at once, and the history says the run was cancelled.
func TestConsoleCancelStopsTheStatement(t *testing.T) {
	f := newAuthServer(t)
	whtest.NumbersTable(t, f.w, "big", 1_000_000)
	whtest.NumbersTable(t, f.w, "small", 10_000)
	base := f.srv.URL
	analyst := f.client(t)
	signIn(t, analyst, base, "analyst", "analyst-pw")
	token := csrfToken(t, analyst, base)

	// 10^10 rows to scan, a few of which match: rows trickle out far below the console's cap
	// for longer than the time limit, the kind of run someone cancels.
	long := "SELECT a.n, b.n FROM big AS a CROSS JOIN small AS b WHERE (a.n * b.n) % 1000003 = 1"
	body, _ := json.Marshal(map[string]string{"statement": long, "format": "json"})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/sql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", token)
	done := make(chan error, 1)
	go func() {
		res, err := analyst.Do(req)
		if err == nil {
			res.Body.Close()
			err = fmt.Errorf("the run answered %d before it was cancelled", res.StatusCode)
		}
		done <- err
	}()
	time.Sleep(time.Second)
	cancel()
	cancelled := time.Now()
	if err := <-done; !strings.Contains(fmt.Sprint(err), "context canceled") {
		t.Fatalf("the run: %v", err)
	}
	res, out := postSQL(t, analyst, base, token, "SELECT count() AS c FROM small", "json")
	took := time.Since(cancelled)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(out), "[10000]") {
		t.Fatalf("the next run: %d %s", res.StatusCode, out)
	}
	if took > 5*time.Second {
		t.Errorf("the next run answered %s after the cancel; want within 5 s (the time limit is 30 s)", took)
	}
	t.Logf("the next run answered %s after the cancel", took.Round(time.Millisecond))
	resp, err := analyst.Get(base + "/api/sql/history")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var history []struct{ Statement, Outcome, Message string }
	if err := json.NewDecoder(resp.Body).Decode(&history); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, h := range history {
		found = found || (h.Statement == long && h.Outcome == "failed" && strings.Contains(h.Message, "cancelled"))
	}
	if !found {
		t.Errorf("history %+v has no cancelled entry for the long run", history)
	}
}
