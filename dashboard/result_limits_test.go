package dashboard_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"jinwei/dashboard"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// bigUnion is a result of about 100 MB made of few rows: 100 KB strings, one per region,
// twice. The engine's max_result_bytes does not stop it when it streams.
const bigUnion = "SELECT repeat('a', 100000) AS s FROM regions UNION ALL SELECT repeat('b', 100000) AS s FROM regions"

// With small result caps, a result far past them is stopped on every path (the SQL API's
// JSON, CSV and Arrow, the console's CSV, XLSX and Parquet exports): the answer is a
// result-size limit, never the result, and no spool file is left behind. Not parallel: the
// spool folder it finds empty at its end is the process's, shared by every test.
func TestResultSizeCapHoldsOnEveryPath(t *testing.T) {
	const limit = 1 << 20
	f := newAuthServer(t, func(c *dashboard.Config) {
		c.Spool = dashboard.SpoolConfig{Console: warehouse.Limits{MaxResultBytes: limit}, Export: warehouse.Limits{MaxResultBytes: limit}}
	})
	analyst, token := f.signedIn(t, "analyst")
	for _, tc := range []struct{ path, format string }{
		{"/api/sql", "json"}, {"/api/sql", "csv"}, {"/api/sql", "arrow"},
		{"/api/sql/export", "csv"}, {"/api/sql/export", "xlsx"}, {"/api/sql/export", "parquet"},
	} {
		t.Run(tc.path+" "+tc.format, func(t *testing.T) {
			res, err := analyst.PostForm(f.srv.URL+tc.path, url.Values{"statement": {bigUnion}, "format": {tc.format}, "_csrf": {token}})
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(io.LimitReader(res.Body, 8<<20))
			res.Body.Close()
			t.Logf("%d, %d bytes: %.200s", res.StatusCode, len(body), body)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "result size") {
				t.Errorf("answered %d with %d bytes; want 422 at the result-size limit", res.StatusCode, len(body))
			}
			// Every path answers in one shape, which the console reads (an export's was
			// {"error": …} alone, without the limit's name or words for the page).
			var answer struct{ Limit, Message string }
			if err := json.Unmarshal(body, &answer); err != nil || answer.Limit == "" || !strings.Contains(answer.Message, "已停止") {
				t.Errorf("answer %.200s: want the limit named and said in Chinese (%v)", body, err)
			}
		})
	}
	left, err := os.ReadDir(f.w.SpoolDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		t.Errorf("spool file %s left behind", e.Name())
	}
}

// The SQL API's JSON answer streams: a million rows pass through without the server holding
// them (it held every row, 11.3 GB for 2.68 GB of JSON), and the answer is one JSON object
// with every row. Not parallel: it measures the process's heap, which other tests share.
func TestSQLAPIJSONStreams(t *testing.T) {
	const n = 1_000_000
	ask := bigAnswers(t, n, dashboard.SpoolConfig{})
	var res *http.Response
	var size int
	peak := whtest.PeakHeap(func() {
		var err error
		if res, err = ask("SELECT n, label FROM big ORDER BY n"); err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		// Only the rows' count is kept: the client's share of the heap stays small.
		dec := json.NewDecoder(res.Body)
		size = countJSONRows(t, dec)
	})
	t.Logf("%d rows of JSON; the server's and client's heap peaked %d MB above where it started", size, peak>>20)
	if res.StatusCode != http.StatusOK || size != n {
		t.Fatalf("answered %d with %d rows; want %d", res.StatusCode, size, n)
	}
	if res.Header.Get("X-Jinwei-Truncated") != "false" {
		t.Errorf("X-Jinwei-Truncated %q", res.Header.Get("X-Jinwei-Truncated"))
	}
	if peak > 64<<20 {
		t.Errorf("the heap peaked %d MB above its start while a million rows passed; want them streamed, not held", peak>>20)
	}
}

// countJSONRows reads {"columns": …, "rows": [[…], …], …} token by token and counts the
// rows, checking the answer ends whole with "truncated": false.
func countJSONRows(t *testing.T, dec *json.Decoder) int {
	t.Helper()
	n, depth, inRows, truncated := 0, 0, false, ""
	var last string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("JSON answer: %v", err)
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '[', '{':
				depth++
				if depth == 3 && inRows {
					n++
				}
			case ']', '}':
				depth--
				if depth == 1 {
					inRows = false
				}
			}
		case string:
			if depth == 1 {
				last = v
				if v == "rows" {
					inRows = true
				}
			}
		case bool:
			if depth == 1 && last == "truncated" {
				truncated = "set"
				if v {
					t.Errorf("the answer says it was truncated")
				}
			}
		}
	}
	if truncated == "" {
		t.Errorf("the answer has no \"truncated\"")
	}
	return n
}

// A client reading its JSON answer slowly holds nothing but its own answer: the engine runs
// ad hoc statements one at a time, and an answer was written to the client as the
// statement ran, so a slow reader (a phone on a poor link, or an adversary) kept every other
// analyst's statement waiting until it had read the last byte.
func TestSlowReaderDoesNotHoldOtherStatements(t *testing.T) {
	const n = 1_000_000
	ask := bigAnswers(t, n, dashboard.SpoolConfig{})
	// The slow reader: its answer (about 30 MB, more than the sockets hold) is never read
	// until the test ends.
	slow, err := ask("SELECT n, label FROM big ORDER BY n")
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Body.Close()
	// Another statement, while that answer waits: answered, within a bound far above its
	// time on a busy machine (before, it waited as long as the slow reader did).
	done := make(chan error, 1)
	go func() {
		res, err := ask("SELECT 1 AS one")
		if err == nil {
			var out struct{ Rows [][]any }
			err = json.NewDecoder(res.Body).Decode(&out)
			res.Body.Close()
			if err == nil && (res.StatusCode != http.StatusOK || len(out.Rows) != 1) {
				err = fmt.Errorf("answered %d with %v", res.StatusCode, out.Rows)
			}
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("a statement waited on another client reading its answer slowly")
	}
	// The slow reader still gets its whole answer.
	if rows := countJSONRows(t, json.NewDecoder(slow.Body)); rows != n {
		t.Errorf("the slow reader got %d rows, want %d", rows, n)
	}
}

// An answer staged on a disk its budget has no room for is refused as a limit, whole: 422
// with what it met, not a 500 (the budget is shared with the downloads being prepared).
func TestJSONAnswerPastTheSpoolBudgetIsALimit(t *testing.T) {
	t.Parallel()
	ask := bigAnswers(t, 5000, dashboard.SpoolConfig{TotalBytes: 4096})
	res, err := ask("SELECT n, label FROM big ORDER BY n")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusUnprocessableEntity || out["limit"] == nil {
		t.Errorf("answered %d %v (%v); want 422 naming the limit", res.StatusCode, out, err)
	}
}

// bigAnswers is an analyst's way to ask the SQL API for JSON over a table big of n
// numbered rows, on a server whose console may answer all of them within spool's bounds.
func bigAnswers(t *testing.T, n int, spool dashboard.SpoolConfig) func(stmt string) (*http.Response, error) {
	t.Helper()
	spool.Console = warehouse.Limits{MaxRows: 2 * n, MaxResultBytes: 1 << 30}
	f := newAuthServer(t, func(c *dashboard.Config) { c.Spool = spool })
	whtest.NumbersTable(t, f.w, "big", n)
	analyst, token := f.signedIn(t, "analyst")
	return func(stmt string) (*http.Response, error) {
		body, _ := json.Marshal(map[string]string{"statement": stmt, "format": "json"})
		req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/api/sql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", token)
		return analyst.Do(req)
	}
}
