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
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// chineseQuery ranks the provinces with Chinese column names (quoted, as ClickHouse needs).
const chineseQuery = "SELECT r.name_zh AS `地区`, v.value AS `人均GDP`, rank() OVER (ORDER BY v.value DESC) AS `名次`\n" +
	"FROM indicator_values_current AS v INNER JOIN (SELECT code, name_zh FROM regions FINAL) AS r ON r.code = v.region_code\n" +
	"WHERE v.indicator_code = 'gdp_per_capita' AND v.year = 2024 AND v.period_kind = 'year' AND v.region_code != '100000'\n" +
	"ORDER BY `名次`"

func export(t *testing.T, c *http.Client, base, token, format string) []byte {
	t.Helper()
	res, err := c.PostForm(base+"/api/sql/export", url.Values{"statement": {chineseQuery}, "format": {format}, "_csrf": {token}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export %s: %d %s", format, res.StatusCode, b)
	}
	return b
}

// An analyst's window-function ranking exports to CSV, XLSX and Parquet with Chinese text
// intact; a viewer cannot open the console.
func TestConsoleExportsAndAccess(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	base := f.srv.URL
	analyst, token := f.signedIn(t, "analyst")
	if code := status(t, analyst, "GET", base+"/console", nil); code != http.StatusOK {
		t.Fatalf("analyst opening the console: %d", code)
	}
	csv := export(t, analyst, base, token, "csv")
	if !bytes.HasPrefix(csv, []byte("\ufeff地区,人均GDP,名次\n北京市,228167,1\n")) || !bytes.Contains(csv, []byte("甘肃省,52825,31")) {
		t.Errorf("CSV: %q", csv[:min(len(csv), 120)])
	}
	x, err := excelize.OpenReader(bytes.NewReader(export(t, analyst, base, token, "xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("Sheet1")
	if err != nil || len(rows) != 32 || rows[0][0] != "地区" || rows[31][0] != "甘肃省" || rows[31][2] != "31" {
		t.Errorf("XLSX rows %v %v", rows[:min(len(rows), 2)], err)
	}
	cols, pq := engineReadsParquet(t, export(t, analyst, base, token, "parquet"), "SELECT * FROM file({path:String}, Parquet)")
	if want := "地区 Nullable(String), 人均GDP Nullable(Float64), 名次 Nullable(UInt64)"; cols != want {
		t.Errorf("Parquet columns %s; want %s", cols, want)
	}
	if got := fmt.Sprint(pq[len(pq)-1]); len(pq) != 31 || fmt.Sprint(pq[0]) != "[北京市 228167 1]" || got != "[甘肃省 52825 31]" {
		t.Errorf("Parquet rows %d, first %v, last %s", len(pq), pq[:min(len(pq), 1)], got)
	}
	viewer := f.client(t)
	signIn(t, viewer, base, "leader", "leader-pw")
	if code := status(t, viewer, "GET", base+"/console", nil); code != http.StatusForbidden {
		t.Errorf("viewer opening the console: %d, want 403", code)
	}
	if code := status(t, viewer, "GET", base+"/api/sql/schema", nil); code != http.StatusForbidden {
		t.Errorf("viewer reading the schema: %d, want 403", code)
	}
}

// In a real browser an analyst signs in, finds a table in the schema browser, runs a
// window-function ranking, and reads Gansu's rank in the result table.
func TestConsoleInBrowser(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	s := browser(t, chromedp.Flag("ignore-certificate-errors", true))
	err := chromedp.Do(s.ctx,
		chromedp.Navigate(f.srv.URL+"/console"),
		chromedp.WaitVisible(chromedp.CSS("#login-user")),
		chromedp.SendKeys(chromedp.CSS("#login-user"), "analyst"),
		chromedp.SendKeys(chromedp.CSS("#login-password"), "analyst-pw"),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#run")),
	)
	if err != nil {
		t.Fatalf("sign in and open the console: %v", err)
	}
	if n := s.eval(t, `String(document.querySelectorAll('.schema-table[data-name="indicator_values"] li').length)`); n == "0" {
		t.Errorf("the schema browser lists no columns of indicator_values")
	}
	if err := chromedp.Do(s.ctx, chromedp.Click(chromedp.CSS("#run")), chromedp.WaitVisible(chromedp.CSS("#result-table tbody tr"))); err != nil {
		t.Fatalf("run the query: %v", err)
	}
	last := s.eval(t, `(function(){var r=document.querySelectorAll('#result-table tbody tr'); return r.length+':'+r[r.length-1].textContent})()`)
	if !strings.HasPrefix(last, "31:620000") || !strings.HasSuffix(last, "31") {
		t.Errorf("last result row %q; want Gansu ranked 31st of 31", last)
	}
	ctx, cancel := context.WithTimeout(s.ctx, 60*time.Second) // generous for a busy machine
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#history li"))); err != nil {
		t.Errorf("the statement is not in the history: %v", err)
	}
	// The history says when in Beijing time and how it went in the page's words (it read
	// "2026-12-04 17:15:14 · ok", UTC and English, on the Chinese page).
	now := time.Now().In(time.FixedZone("CST", 8*3600))
	got := s.text(t, "#history li")
	m := regexp.MustCompile(`^(\d{4}-\d\d-\d\d \d\d):\d\d:\d\d · 成功 · SELECT`).FindStringSubmatch(got)
	if m == nil || m[1] != now.Format("2006-01-02 15") && m[1] != now.Add(-time.Hour).Format("2006-01-02 15") {
		t.Errorf("the history reads %q; want the hour in Beijing time (%s) and 成功", got, now.Format("2006-01-02 15"))
	}
	// An export downloads its file, the console staying as it is.
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(s.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatalf("allow downloads: %v", err)
	}
	if err := chromedp.Do(s.ctx, chromedp.Click(chromedp.CSS(`button.export[data-format="csv"]`))); err != nil {
		t.Fatalf("export CSV: %v", err)
	}
	deadline := time.Now().Add(60 * time.Second) // generous for a busy machine
	for got := ""; !strings.Contains(got, "620000"); {
		if time.Now().After(deadline) {
			t.Fatalf("no CSV downloaded into %s", dir)
		}
		time.Sleep(200 * time.Millisecond)
		if files, _ := filepath.Glob(filepath.Join(dir, "*.csv")); len(files) > 0 {
			b, _ := os.ReadFile(files[0])
			got = string(b)
		}
	}
	// A statement the engine cannot read is said in the page's words, with the line, the
	// cursor put where the engine stopped (its column counts bytes: '甘肃省' is nine of them,
	// three characters), the engine's own words folded below; they were the engine's raw
	// English, a list of forty expected tokens, and nothing pointed at the place.
	s.eval(t, "document.querySelector('.CodeMirror').CodeMirror.setValue(\"SELECT code\\nFROM regions WHERE name_zh = '甘肃省' AND AND 1\"), document.getElementById('run').click(), ''")
	waitFor(t, s, `String(document.getElementById('status').textContent === '语句有语法错误，在第 2 行（光标已移到出错处）')`, "the console to say where the statement is wrong")
	if got := s.eval(t, `(function(){var c=document.querySelector('.CodeMirror').CodeMirror.getCursor(), d=document.getElementById('engine-detail'); return c.line+':'+c.ch+' '+d.hidden+' '+(d.textContent.indexOf('引擎原文')===0)+' '+(d.textContent.indexOf('SYNTAX_ERROR')>0)})()`); got != "1:43 false true true" {
		t.Errorf("after a syntax error the cursor, the engine's words: %q; want 1:43 (before the 1 after AND AND), shown, headed 引擎原文", got)
	}
	// A refused statement is said in the page's language (it was the guard's English on the
	// Chinese page too).
	for _, c := range []struct{ path, want string }{
		{"/console", "语句未运行：不允许 file(…) 这样的表函数"},
		{"/console?lang=en", "statement refused: table functions such as file(…) are not allowed"},
	} {
		s.load(t, f.srv.URL+c.path)
		s.eval(t, `document.querySelector('.CodeMirror').CodeMirror.setValue("SELECT * FROM file('/etc/passwd', 'LineAsString')"), document.getElementById('run').click(), ''`)
		waitFor(t, s, fmt.Sprintf(`String(document.getElementById('status').textContent.indexOf(%q) === 0)`, c.want), "the console to say why it refused the statement")
		// Its export is refused in the same words, on the console, which keeps the statement
		// (the refusal replaced the console with the guard's English in JSON).
		s.eval(t, `document.getElementById('status').textContent = '', document.querySelector('button.export[data-format="csv"]').click(), ''`)
		waitFor(t, s, fmt.Sprintf(`String(document.getElementById('status').textContent.indexOf(%q) === 0)`, c.want), "the console to say why it refused the export")
		if got := s.eval(t, `location.pathname + ' ' + document.querySelector('.CodeMirror').CodeMirror.getValue()`); got != "/console SELECT * FROM file('/etc/passwd', 'LineAsString')" {
			t.Errorf("after a refused export the page is %q; want the console with its statement", got)
		}
	}
	s.check(t, f.srv.URL)
}

// Saved queries were unbounded: 800 of 64 KiB made every console's list 52 MB (3.4 s) and
// each deletion 4 s, as it read every account's queries to find one. An account keeps at
// most 100, 1 MiB of statements in all, and is told so in the page's language; a deletion
// reads the one query it deletes.
func TestSavedQueriesAreBoundedPerAccount(t *testing.T) {
	t.Parallel()
	f := newAccountsServer(t, false, nil)
	base := f.srv.URL
	analyst, aToken := signedInHere(t, f, "analyst")
	ops, oToken := signedInHere(t, f, "ops")
	save := func(c *http.Client, token, lang, statement string) (int, string) {
		return call(t, c, "POST", base+"/api/sql/saved"+lang, map[string]string{"X-CSRF-Token": token}, map[string]string{"name": "q", "statement": statement})
	}
	var first string
	for i := range 100 {
		code, body := save(analyst, aToken, "", fmt.Sprintf("SELECT %d", i))
		if code != http.StatusCreated {
			t.Fatalf("saved query %d: %d %s", i+1, code, body)
		}
		if i == 0 {
			var q struct{ ID string }
			_ = json.Unmarshal([]byte(body), &q)
			first = q.ID
		}
	}
	for lang, want := range map[string]string{"": "每个账号最多保存 100 条", "?lang=en": "an account keeps at most 100"} {
		code, body := save(analyst, aToken, lang, "SELECT 101")
		var j struct{ Error, Message string }
		if err := json.Unmarshal([]byte(body), &j); err != nil || code != http.StatusConflict || !strings.Contains(j.Message, want) || j.Error == "" {
			t.Errorf("the 101st saved query%s: %d %s; want 409 saying %q", lang, code, body, want)
		}
	}
	// Bytes are counted too, for saves sent at once: 16 statements of 64 KiB are 1 MiB, the
	// most an account keeps (each save checked before any was written, and 60 sent at
	// once all went in).
	big := "SELECT '" + strings.Repeat("x", 64<<10-10) + "'"
	codes := make(chan int, 24)
	var wg sync.WaitGroup
	for range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, _ := save(ops, oToken, "", big)
			codes <- code
		}()
	}
	wg.Wait()
	close(codes)
	kept := 0
	for code := range codes {
		switch code {
		case http.StatusCreated:
			kept++
		case http.StatusConflict:
		default:
			t.Errorf("a 64 KiB statement sent with 23 others: %d", code)
		}
	}
	if kept != 16 {
		t.Errorf("%d of 24 statements of 64 KiB sent at once were kept, want 16 (1 MiB)", kept)
	}
	var opsQuery []struct{ ID, Owner string }
	_, list := call(t, ops, "GET", base+"/api/sql/saved", nil, nil)
	_ = json.Unmarshal([]byte(list), &opsQuery)
	other := ""
	for _, q := range opsQuery {
		if q.Owner == "ops" {
			other = q.ID
		}
	}
	del := func(id string) int {
		code, _ := call(t, analyst, "DELETE", base+"/api/sql/saved/"+id, map[string]string{"X-CSRF-Token": aToken}, nil)
		return code
	}
	for id, want := range map[string]int{other: http.StatusForbidden, "3f2c7e0a-0000-4000-8000-000000000000": http.StatusNotFound, "urn:uuid:3f2c7e0a-0000-4000-8000-000000000000": http.StatusNotFound, "not-an-id": http.StatusNotFound, first: http.StatusNoContent} {
		if code := del(id); code != want {
			t.Errorf("the analyst deleting %q: %d, want %d", id, code, want)
		}
	}
	if code := del(first); code != http.StatusNotFound {
		t.Errorf("deleting the same query again: %d, want 404", code)
	}
	if code, body := save(analyst, aToken, "", "SELECT 'again'"); code != http.StatusCreated {
		t.Errorf("a query saved after one was deleted: %d %s", code, body)
	}
}
