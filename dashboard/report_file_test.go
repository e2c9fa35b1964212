package dashboard_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"jinwei/dashboard"
	"jinwei/etl"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// withReportFiles lets units send files, read with the demo's mappings as serve reads them.
func withReportFiles(t testing.TB, w *warehouse.Warehouse) func(*dashboard.Config) {
	mappings, err := etl.LoadMappings("../data/sources")
	if err != nil {
		t.Fatal(err)
	}
	r := etl.ReportFileReader{Loader: etl.NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil))), Mappings: mappings, TempDir: t.TempDir()}
	return func(cfg *dashboard.Config) { cfg.ReportFiles = r }
}

// sendReportFile posts a file to a unit's report page as its script does (multipart, the
// CSRF token in a header) and returns the status and the answer.
func sendReportFile(t *testing.T, c *http.Client, base, unit, month, csrf, name string, data []byte, query string) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	u := base + "/report/" + unit + "/" + month + "/file"
	if query != "" {
		u += "?" + query
	}
	req, _ := http.NewRequest("POST", u, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", csrf)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// monthlyHeader is the monthly report's header row (data/sources/campaign_monthly.toml).
func monthlyHeader(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../data/generated/三抓三促月报_2024-05.csv")
	if err != nil {
		t.Fatal(err)
	}
	text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(string(text), "\n")
	return strings.TrimRight(head, "\r")
}

// unitRow is a row of the monthly layout for one unit: 25 values from first up.
func unitRow(kind, code, name, month string, first int) string {
	cells := []string{kind, code, name, month}
	for i := range 25 {
		cells = append(cells, strconv.Itoa(first+i))
	}
	return strings.Join(append(cells, ""), ",")
}

// englishWords finds an English word (longer than a file extension; a field's code such as
// unit_kind is none).
var englishWords = regexp.MustCompile(`\b[A-Za-z]{4,}\b`)

func decodeFileResult(t *testing.T, body string) dashboard.FileResult {
	t.Helper()
	var r dashboard.FileResult
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("answer %.300s: %v", body, err)
	}
	return r
}

// A county sends files on its report page. The province's whole monthly file (GBK, as the
// ETL loads it): its own row becomes revision 1, through the file channel, and the 107 other
// units' rows are refused one by one with their line and why, none of them stored; its own
// file in UTF-8 and as XLSX are revisions 2 and 3. A value the form would refuse submits
// nothing and is answered beside its field; rows of another month only, a ZIP renamed .csv,
// a PNG, a workbook renamed .csv, an oversized file and script in the text are refused with a
// clear reason and change nothing. Every file is in the audit log.
func TestUnitSendsItsOwnReportFile(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	f := newAuthServerOn(t, w, reporters(t, map[string]string{"chengguan": "620102"}), withReportFiles(t, w))
	base := f.srv.URL
	rep, csrf := signedInReporter(t, f, "chengguan", "620102")
	ctx := context.Background()
	const month = "2024-05"
	other := func() []warehouse.ReportCell {
		cells, err := w.ReportValues(ctx, warehouse.ProvinceScope(), "620103", month)
		if err != nil {
			t.Fatal(err)
		}
		return cells
	}
	otherBefore := other()

	whole, err := os.ReadFile("../data/generated/三抓三促月报_2024-05.csv")
	if err != nil {
		t.Fatal(err)
	}
	code, body := sendReportFile(t, rep, base, "620102", month, csrf, "三抓三促月报_2024-05.csv", whole, "format=json")
	res := decodeFileResult(t, body)
	if code != http.StatusOK || res.Revision != 1 || res.RefusedCount != 107 || len(res.Refused) != 50 {
		t.Fatalf("the province's whole file: %d revision %d, %d refused (%d listed): %.500s", code, res.Revision, res.RefusedCount, len(res.Refused), body)
	}
	if r := res.Refused[0]; r.Line != 2 || !strings.Contains(r.Why, "兰州市（620100）的数据，不是本单位（城关区）的") {
		t.Errorf("the first refused row: %+v", r)
	}
	if got := other(); len(got) != len(otherBefore) || got[0] != otherBefore[0] {
		t.Errorf("620103's values changed with 620102's file: %v → %v", otherBefore, got)
	}
	events, err := w.ReportEvents(ctx, warehouse.ProvinceScope(), "620102", []string{month})
	if err != nil || len(events) != 1 || events[0].Channel != warehouse.ChannelFile || !strings.Contains(events[0].Comment, res.SHA256) {
		t.Fatalf("620102's history after the file: %+v %v", events, err)
	}
	if res.SHA256 == "" || !strings.Contains(events[0].Comment, "三抓三促月报_2024-05.csv") {
		t.Errorf("the submission does not name its file: %+v", events[0])
	}

	header := monthlyHeader(t)
	own := header + "\n" + unitRow("地区", "620102", "城关区", "2024年5月", 7) + "\n"
	code, body = sendReportFile(t, rep, base, "620102", month, csrf, "城关区5月.csv", []byte(own), "format=json")
	if res := decodeFileResult(t, body); code != http.StatusOK || res.Revision != 2 || res.RefusedCount != 0 {
		t.Fatalf("own UTF-8 file: %d %s", code, body)
	}
	cells, _ := w.ReportValues(ctx, warehouse.UnitScope("620102"), "620102", month)
	if v := valueOf(cells, "study_sessions"); v != 7 {
		t.Errorf("study_sessions after the file: %v, want 7", v)
	}
	book := excelize.NewFile()
	for i, row := range []string{header, unitRow("地区", "620102", "城关区", "2024-05", 9)} {
		for j, cell := range strings.Split(row, ",") {
			name, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if n, err := strconv.Atoi(cell); err == nil && j >= 4 {
				_ = book.SetCellValue("Sheet1", name, n)
			} else {
				_ = book.SetCellValue("Sheet1", name, cell)
			}
		}
	}
	var xlsx bytes.Buffer
	if err := book.Write(&xlsx); err != nil {
		t.Fatal(err)
	}
	code, body = sendReportFile(t, rep, base, "620102", month, csrf, "城关区5月.xlsx", xlsx.Bytes(), "format=json")
	if res := decodeFileResult(t, body); code != http.StatusOK || res.Revision != 3 {
		t.Fatalf("own XLSX file: %d %s", code, body)
	}

	// Files that submit nothing, each for its own reason.
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	zf, _ := zw.Create("城关区.csv")
	_, _ = zf.Write([]byte(own))
	_ = zw.Close()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
	script := header + "\n" + strings.Replace(unitRow("地区", "620102", "城关区", "2024年5月", 7), ",7,", ",<script>alert(2)</script>,", 1) + "<script>alert(1)</script>\n"
	negative := header + "\n" + strings.Replace(unitRow("地区", "620102", "城关区", "2024年5月", 7), ",8,", ",-8,", 1) + "\n"
	for _, c := range []struct {
		name, why string
		data      []byte
		want      string
	}{
		{"城关区.csv", "a ZIP renamed .csv", zipped.Bytes(), "这是压缩包（ZIP）"},
		{"城关区.xlsx", "a ZIP that is no workbook", zipped.Bytes(), "这是压缩包（ZIP）"},
		{"城关区.csv", "a workbook renamed .csv", xlsx.Bytes(), "这是压缩包（ZIP）"},
		{"城关区.csv", "a PNG", png, "只收 CSV（文本）、XLSX 或 XLS"},
		{"城关区.xlsx", "text named .xlsx", []byte(own), "扩展名与文件内容的类型不符"},
		{"城关区.csv", "an oversized file", bytes.Repeat([]byte("1,"), dashboard.MaxReportFileBytes/2+1), "文件超过 1 MB 上限"},
		{"城关区.csv", "an empty file", nil, "文件是空的"},
		{"城关区.csv", "another month only", []byte(header + "\n" + unitRow("地区", "620102", "城关区", "2024年4月", 7) + "\n"), "文件中没有城关区 2024-05 的数据"},
		{"城关区.csv", "not the layout", []byte("甲,乙\n1,2\n"), "无法按月报格式读取"},
		{"城关区.csv", "a negative value", []byte(negative), "有字段需要修改"},
		{"城关区.csv", "script in the text", []byte(script), "有字段需要修改"},
		// Found red-teaming a real server: each of these submitted a revision before.
		{"城关区.csv", "own row twice with different values", []byte(header + "\n" + unitRow("地区", "620102", "城关区", "2024年5月", 7) + "\n" +
			unitRow("地区", "620102", "城关区", "2024年5月", 900) + "\n"), "有字段需要修改"},
		{"城关区.csv", "a decimal comma", []byte(header + "\n" + strings.Replace(unitRow("地区", "620102", "城关区", "2024年5月", 7), ",7,", `,"3,5",`, 1) + "\n"), "有字段需要修改"},
		{"城关区.csv", "a fractional count", []byte(header + "\n" + strings.Replace(unitRow("地区", "620102", "城关区", "2024年5月", 7), ",7,", ",7.5,", 1) + "\n"), "有字段需要修改"},
		{"城关区.csv", "a value past ten million", []byte(header + "\n" + strings.Replace(unitRow("地区", "620102", "城关区", "2024年5月", 7), ",7,", ",1e300,", 1) + "\n"), "有字段需要修改"},
		{"城关区.csv", "a hexadecimal value", []byte(header + "\n" + strings.Replace(unitRow("地区", "620102", "城关区", "2024年5月", 7), ",7,", ",0x1p4,", 1) + "\n"), "有字段需要修改"},
	} {
		v0, _ := w.DataVersion(ctx)
		code, body := sendReportFile(t, rep, base, "620102", month, csrf, c.name, c.data, "format=json")
		res := decodeFileResult(t, body)
		if code != http.StatusUnprocessableEntity || !strings.Contains(res.Error, c.want) || res.Revision != 0 {
			t.Errorf("%s: %d %q, want 422 saying %q", c.why, code, res.Error, c.want)
		}
		if v1, _ := w.DataVersion(ctx); v1 != v0 {
			t.Errorf("%s changed the data version %d → %d", c.why, v0, v1)
		}
		// Why a file cannot be read is said in Chinese: it was the loader's English.
		if c.want == "无法按月报格式读取" && englishWords.MatchString(res.Error) {
			t.Errorf("%s: %q is said in English", c.why, res.Error)
		}
		if c.why == "a negative value" && res.Errors["training_hours"] != "不能为负数" {
			t.Errorf("the negative value's error beside its field: %v", res.Errors)
		}
		if (c.why == "script in the text" || c.why == "a decimal comma" || c.why == "a hexadecimal value") && res.Errors["study_sessions"] != "请填写数字" {
			t.Errorf("%s: %v", c.why, res.Errors)
		}
		if c.why == "a fractional count" && res.Errors["study_sessions"] != "请填写整数：此项计数" ||
			c.why == "a value past ten million" && res.Errors["study_sessions"] != "数值过大：任何单位单月都不会超过1000万" {
			t.Errorf("%s: %v", c.why, res.Errors)
		}
		if c.why == "own row twice with different values" && !strings.Contains(res.Errors["study_sessions"], "第 2 行与第 3 行的值不同") {
			t.Errorf("conflicting rows beside their field: %v", res.Errors)
		}
	}
	// The page answer: the file's values in the form with the error beside its field, the
	// script shown as text, never as markup.
	code, body = sendReportFile(t, rep, base, "620102", month, csrf, "城关区.csv", []byte(script), "")
	if code != http.StatusUnprocessableEntity || strings.Contains(body, "<script>alert(2)") || !strings.Contains(body, "&lt;script&gt;alert(2)") ||
		!strings.Contains(body, `id="e-study_sessions"`) {
		t.Errorf("the page after a file with script: %d %.400s", code, body)
	}
	events, _ = w.ReportEvents(ctx, warehouse.ProvinceScope(), "620102", []string{month})
	if len(events) != 3 {
		t.Errorf("refused files wrote report steps: %d events", len(events))
	}
	log, err := w.AuditLog(ctx, "chengguan", 100)
	if err != nil {
		t.Fatal(err)
	}
	var ok, refused int
	for _, e := range log {
		if e.Action == "report" && strings.Contains(e.Statement, "from file") {
			if e.Outcome == "ok" {
				ok++
			} else {
				refused++
			}
		}
	}
	if ok != 3 || refused != 17 {
		t.Errorf("audit log: %d files submitted, %d refused; want 3 and 17", ok, refused)
	}
	// A row the loader cannot read is refused in the page's words: it was said in English.
	strange := monthlyHeader(t) + "\n" + unitRow("地区", "620102", "城关区", "2024年5月", 7) + "\n" + unitRow("地区", "629999", "火星区", "2024年5月", 7) + "\n"
	for lang, want := range map[string]string{"": `无法读取：未知的地区代码“629999”`, "en": `Cannot read: unknown region code "629999"`} {
		code, body := sendReportFile(t, rep, base, "620102", month, csrf, "城关区5月.csv", []byte(strange), "format=json&lang="+lang)
		if res := decodeFileResult(t, body); code != http.StatusOK || len(res.Refused) != 1 || res.Refused[0].Why != want {
			t.Errorf("a row of an unknown unit (lang %q): %d %+v, want it refused saying %q", lang, code, res.Refused, want)
		}
	}
}

func valueOf(cells []warehouse.ReportCell, metric string) float64 {
	for _, c := range cells {
		if c.Metric == metric && c.Category == 0 {
			return c.Value
		}
	}
	return -1
}
