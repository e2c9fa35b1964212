package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/xuri/excelize/v2"

	"jinwei/dashboard"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// downloadTo posts a statement to an export endpoint (form fields, as the console's export
// buttons send them) and copies the answer's body to dst.
func downloadTo(t testing.TB, dst io.Writer, c *http.Client, base, path, token, stmt, format string) *http.Response {
	t.Helper()
	res, err := c.PostForm(base+path, url.Values{"statement": {stmt}, "format": {format}, "_csrf": {token}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("%s %s: %d %s", path, format, res.StatusCode, b[:min(len(b), 300)])
	}
	if _, err := io.Copy(dst, res.Body); err != nil {
		t.Fatal(err)
	}
	return res
}

// download is downloadTo into memory, for a test that reads the file back.
func download(t testing.TB, c *http.Client, base, path, token, stmt, format string) (*http.Response, []byte) {
	t.Helper()
	var b bytes.Buffer
	res := downloadTo(t, &b, c, base, path, token, stmt, format)
	return res, b.Bytes()
}

// countCSV reads a CSV export: its header and the number and last of its data rows.
func countCSV(t *testing.T, b []byte) (int, string) {
	if !bytes.HasPrefix(b, []byte("\ufeffn,label\n0,第0行\n")) {
		t.Errorf("CSV starts %q", b[:min(len(b), 40)])
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	return len(lines) - 1, lines[len(lines)-1]
}

// countParquet reads a Parquet export with the engine: its columns, and the number and
// last of its rows.
func countParquet(t *testing.T, b []byte) (int, string) {
	cols, rows := engineReadsParquet(t, b, "SELECT count(), argMax(concat(toString(n), ',', label), n) FROM file({path:String}, Parquet)")
	if want := "n Nullable(UInt64), label Nullable(String)"; cols != want {
		t.Errorf("Parquet columns %s; want %s", cols, want)
	}
	n, err := strconv.Atoi(fmt.Sprint(rows[0][0]))
	if err != nil {
		t.Fatalf("the engine counted %v rows", rows[0][0])
	}
	return n, fmt.Sprint(rows[0][1])
}

// engineReadsParquet has the embedded engine read a Parquet file with stmt (which names
// it as {path:String}): another implementation of the format than the one that wrote it.
// It returns the file's columns as the engine types them, "name type, …".
func engineReadsParquet(t *testing.T, b []byte, stmt string) (string, [][]any) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.parquet")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	w := whtest.OpenEmpty(t)
	ctx, params := context.Background(), warehouse.Params{"path": path}
	desc, err := whtest.Query(ctx, w, "DESCRIBE file({path:String}, Parquet)", params)
	if err != nil {
		t.Fatalf("the engine cannot read the Parquet file: %v", err)
	}
	var cols []string
	for _, r := range desc.Rows {
		cols = append(cols, fmt.Sprint(r[0], " ", r[1]))
	}
	res, err := whtest.Query(ctx, w, stmt, params)
	if err != nil {
		t.Fatalf("read the Parquet file: %v", err)
	}
	return strings.Join(cols, ", "), res.Rows
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

// xlsxSheetRows is the rows per sheet the test sets: a header and 39,999 rows of data.
const xlsxSheetRows = 40_000

// countXLSX counts the data rows of the workbook's one sheet of data, checking its header
// and that the note saying the result was cut is there.
func countXLSX(t *testing.T, b []byte) (int, string) {
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if sheets := x.GetSheetList(); len(sheets) != 2 || sheets[1] != "Note" {
		t.Errorf("sheets %v; want the data and a note that it was cut", sheets)
	} else if note, _ := x.GetCellValue("Note", "A2"); !strings.Contains(note, "Export CSV or Parquet") {
		t.Errorf("note %q", note)
	}
	rows, err := x.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n, last := -1, ""
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		if n == -1 && strings.Join(cols, ",") != "n,label" {
			t.Errorf("the sheet starts with %v, not the header", cols)
		}
		n, last = n+1, strings.Join(cols, ",")
	}
	return n, last
}

// Exports and the SQL API's file answers carry every row of a result far larger than the
// console's cap, in every format; an XLSX export is cut at what a sheet holds, and says so;
// the spool files are gone afterwards. Not parallel: the spool folder is the process's,
// shared by every test.
func TestLargeResultsDownloadWhole(t *testing.T) {
	f := newAuthServer(t)
	// Ten times the console's cap (guard's MaxRows) and past the sheet the test sets: what
	// the test shows is the cap not applied and the sheet's cut, which a million rows more
	// only make slower to show.
	const n = 100_000
	if shown := dashboard.DefaultSpool().Console.MaxRows; n < 10*shown {
		t.Fatalf("%d rows do not test a result far past the console's %d", n, shown)
	}
	whtest.NumbersTable(t, f.w, "big", n)
	base := f.srv.URL
	analyst, token := f.signedIn(t, "analyst")
	defer dashboard.SetXLSXSheetRows(xlsxSheetRows)()
	const stmt = "SELECT n, label FROM big ORDER BY n"
	cases := []struct {
		path, format string
		rows         int
		truncated    bool
		count        func(*testing.T, []byte) (int, string)
	}{
		{"/api/sql/export", "csv", n, false, countCSV},
		{"/api/sql/export", "parquet", n, false, countParquet},
		{"/api/sql/export", "xlsx", xlsxSheetRows - 1, true, countXLSX},
		{"/api/sql", "csv", n, false, countCSV},
		{"/api/sql", "arrow", n, false, countArrow},
	}
	for _, tc := range cases {
		t.Run(tc.path+" "+tc.format, func(t *testing.T) {
			res, body := download(t, analyst, base, tc.path, token, stmt, tc.format)
			if h, cut := res.Header.Get("X-Jinwei-Rows"), res.Header.Get("X-Jinwei-Truncated"); h != strconv.Itoa(tc.rows) || cut != strconv.FormatBool(tc.truncated) {
				t.Errorf("headers say %s rows, truncated %s; want %d, %v", h, cut, tc.rows, tc.truncated)
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
	// A time limit far beyond the cancel's bound below, so that a busy machine's slow
	// cancel (28 s under a load of 30) is still told apart from a statement left running.
	const limit = 5 * time.Minute
	f := newAuthServer(t, func(c *dashboard.Config) { c.Spool.Console.MaxTime = limit })
	whtest.NumbersTable(t, f.w, "big", 1_000_000)
	whtest.NumbersTable(t, f.w, "small", 10_000)
	base := f.srv.URL
	analyst, token := f.signedIn(t, "analyst")

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
	// One statement at a time per account: a second waits for nothing, it is refused with
	// the reason (one analyst's three heavy statements held everyone's for 92 s).
	if res, out := postSQL(t, analyst, base, token, "SELECT count() AS c FROM small", "json"); res.StatusCode != http.StatusTooManyRequests ||
		!strings.Contains(string(out), "你的上一条语句仍在运行或排队") || res.Header.Get("Retry-After") == "" {
		t.Errorf("a second statement of the account while its first runs: %d %s, want 429 saying why and when to try again", res.StatusCode, out)
	}
	cancel()
	cancelled := time.Now()
	if err := <-done; !strings.Contains(fmt.Sprint(err), "context canceled") {
		t.Fatalf("the run: %v", err)
	}
	// The cancelled statement's handler ends once the engine has stopped it.
	res, out := postSQL(t, analyst, base, token, "SELECT count() AS c FROM small", "json")
	for res.StatusCode == http.StatusTooManyRequests && time.Since(cancelled) < limit/2 {
		time.Sleep(200 * time.Millisecond)
		res, out = postSQL(t, analyst, base, token, "SELECT count() AS c FROM small", "json")
	}
	took := time.Since(cancelled)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(out), "[10000]") {
		t.Fatalf("the next run: %d %s", res.StatusCode, out)
	}
	// Uncancelled, the statement would hold the engine until its time limit, 4 min 59 s or
	// more after the cancel.
	if took > limit/2 {
		t.Errorf("the next run answered %s after the cancel; want well before the %s time limit", took, limit)
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

// Downloads staged on disk are admitted a few at a time: while the most allowed are being
// sent to clients that are slow to read them, the next is turned away with 503 and a
// Retry-After, and is admitted again once one of them has finished.
func TestSpooledDownloadsAreLimited(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	// 60,000 rows of ~250 bytes: each answer is far more than loopback's socket buffers
	// hold, so its handler waits on the client (wide rows: the engine and the encoder work
	// per row, the socket per byte).
	whtest.NumbersTable(t, f.w, "big", 60_000)
	base := f.srv.URL
	analyst, token := f.signedIn(t, "analyst")
	post := func() *http.Response {
		res, err := analyst.PostForm(base+"/api/sql/export", url.Values{"statement": {"SELECT n, label, repeat('宽', 80) AS pad FROM big"}, "format": {"csv"}, "_csrf": {token}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	// Each answer's headers are in, its ~15 MB body unread: the handler waits on the client.
	var slow []*http.Response
	for range dashboard.MaxSpooled {
		res := post()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("download %d answered %d", len(slow)+1, res.StatusCode)
		}
		slow = append(slow, res)
	}
	res := post()
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Errorf("download beyond the limit: %d %q (Retry-After %q); want 503 with Retry-After", res.StatusCode, body, res.Header.Get("Retry-After"))
	}
	// Said in the page's language too, which the console shows (it was English alone).
	if !strings.Contains(string(body), "请稍后再试") {
		t.Errorf("download beyond the limit answered %s; want it said in Chinese", body)
	}
	if _, err := io.Copy(io.Discard, slow[0].Body); err != nil {
		t.Fatal(err)
	}
	slow[0].Body.Close()
	// Generous for a busy machine: the handler that was sent in full lets go of its place
	// at once, and only the scheduler stands between.
	deadline := time.Now().Add(time.Minute)
	for {
		res := post()
		status := res.StatusCode
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("once a download finished, the next still answers %d", status)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, r := range slow[1:] {
		r.Body.Close()
	}
}
