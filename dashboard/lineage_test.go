package dashboard_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jinwei/etl/etltest"
)

// lineageAnswer is /api/lineage's answer, as a client reads it.
type lineageAnswer struct {
	Subject string `json:"subject"`
	NoData  string `json:"no_data"`
	Rows    []struct {
		Key, Value, File, Cell, Vintage, SHA256 string
		RunID                                   string `json:"run_id"`
		VintageEn                               string `json:"vintage_en"`
		Line                                    int
		Current                                 bool
	} `json:"rows"`
}

func getLineage(t *testing.T, app inProcess, query string) lineageAnswer {
	t.Helper()
	status, body := app.get("/api/lineage?" + query)
	if status != http.StatusOK {
		t.Fatalf("/api/lineage?%s: %d %.200s", query, status, body)
	}
	var a lineageAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// A provincial value leads to its file by base name, its line, its run, the file's vintage
// and the file's plain SHA-256 (what sha256sum prints), and the ranking table links to it.
func TestLineageOfAProvincialValue(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	a := getLineage(t, app, "indicator=gdp&region=620000&year=2024")
	if len(a.Rows) != 1 {
		t.Fatalf("lineage rows %+v; want the one load of province_annual.csv", a.Rows)
	}
	r := a.Rows[0]
	want := fileSHA256(t, filepath.Join(etltest.DataDir(), "real", "province_annual.csv"))
	if r.File != "province_annual.csv" || r.Line < 2 || r.RunID == "" || !r.Current || r.SHA256 != want ||
		!strings.Contains(r.Vintage, "第五次全国经济普查") || !strings.Contains(a.Subject, "甘肃") {
		t.Errorf("lineage %+v (subject %q); want province_annual.csv, a line, the run, the vintage and sha256 %s", r, a.Subject, want)
	}
	// The line named holds the value.
	lines := strings.Split(readFile(t, filepath.Join(etltest.DataDir(), "real", "province_annual.csv")), "\n")
	if l := lines[r.Line-1]; !strings.Contains(l, "620000") || !strings.Contains(l, "gdp,") || !strings.HasPrefix(l, "2024,") {
		t.Errorf("line %d of the file is %q; want Gansu's 2024 GDP", r.Line, l)
	}
	_, page := app.get("/lineage?indicator=gdp&region=620000&year=2024")
	if !strings.Contains(page, want) || !strings.Contains(page, r.RunID) || strings.Contains(page, "/admin/loads/") {
		t.Error("the lineage page lacks the hash or run id, or links a viewer to the operator pages")
	}
	if strings.Contains(page, etltest.DataDir()) || strings.Contains(page, "data/real/") {
		t.Error("the lineage page shows where the server keeps its files")
	}
	// The source's vintage is not the briefing's 数据版本 (a counter of writes), the name
	// it had here too.
	if !strings.Contains(page, "<dt>口径与版本</dt>") || strings.Contains(page, "<dt>数据版本</dt>") {
		t.Error("the lineage page names the source's vintage 数据版本, as the briefing names its counter of writes")
	}
	if !strings.Contains(r.VintageEn, "5th national economic census") {
		t.Errorf("lineage vintage in English %q, want the 5th census revision", r.VintageEn)
	}
	if _, en := app.get("/lineage?indicator=gdp&region=620000&year=2024&lang=en"); !strings.Contains(en, "revised after the 5th national economic census") || strings.Contains(en, "第五次") {
		t.Error("the English lineage page does not give the vintage in English")
	}
	_, page = app.get("/ranking?indicator=gdp&year=2024")
	if !strings.Contains(page, `href="/lineage?indicator=gdp&amp;region=620000&amp;year=2024"`) {
		t.Error("the ranking table's value does not link to its lineage")
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var cellRef = regexp.MustCompile(`^[^!]+![A-Z]+[0-9]+$`)

// Values from workbooks name their sheet and cell; ledger items and campaign reports lead
// to their files too.
func TestLineageNamesTheCell(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	_, body := app.get("/api/counties?indicator=gdp&year=2023")
	var counties struct {
		Ranking struct {
			Rows []struct{ Code string } `json:"rows"`
		} `json:"ranking"`
	}
	if err := json.Unmarshal([]byte(body), &counties); err != nil || len(counties.Ranking.Rows) == 0 {
		t.Fatalf("no counties: %v %.200s", err, body)
	}
	a := getLineage(t, app, "indicator=gdp&year=2023&region="+counties.Ranking.Rows[0].Code)
	if len(a.Rows) == 0 || a.Rows[0].File != "县域经济主要指标_2019-2024.xlsx" || !cellRef.MatchString(a.Rows[0].Cell) {
		t.Fatalf("county value lineage %+v; want the workbook and a Sheet!C5 cell", a.Rows)
	}
	// The cell named holds the value.
	book, err := excelize.OpenFile(filepath.Join(etltest.DataDir(), "generated", a.Rows[0].File))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	sheet, cell, _ := strings.Cut(a.Rows[0].Cell, "!")
	got, err := book.GetCellValue(sheet, cell)
	gv, _ := strconv.ParseFloat(strings.ReplaceAll(got, ",", ""), 64)
	wv, _ := strconv.ParseFloat(a.Rows[0].Value, 64)
	if err != nil || math.Abs(gv-wv) > 1e-6 {
		t.Errorf("cell %s holds %q (%v); the lineage says %s", a.Rows[0].Cell, got, err, a.Rows[0].Value)
	}
	a = getLineage(t, app, "item=GS-EC-0001")
	if len(a.Rows) < 2 || a.Rows[0].Key != "item" || !strings.HasPrefix(a.Rows[0].File, "生态环境问题整改台账_") || !cellRef.MatchString(a.Rows[0].Cell) {
		t.Errorf("ledger item lineage %+v; want its description and reports with their cells", a.Rows)
	}
	a = getLineage(t, app, "unit=620100&month=2023-06-01&metric=problems_found")
	if len(a.Rows) != 7 || a.Rows[0].File != "三抓三促月报_2023-06.csv" || a.Rows[0].Line < 2 {
		t.Errorf("campaign lineage %+v; want the seven categories of the June report with their lines", a.Rows)
	}
	_, page := app.get("/campaign?month=2023-06-01")
	if !strings.Contains(page, `href="/lineage?month=2023-06-01&amp;unit=620100"`) {
		t.Error("the scorecard's row does not link to the unit's report")
	}
	// What was never loaded answers 200 with a reason (a parameter that names nothing is
	// refused: TestLineageRefusesParametersThatNameNothing).
	for _, q := range []string{"", "indicator=gdp&region=620000&year=1949", "item=none", "unit=620100&month=bad"} {
		if a := getLineage(t, app, q); len(a.Rows) != 0 || a.NoData == "" {
			t.Errorf("lineage?%s: %+v; want no rows and a reason", q, a)
		}
	}
}

// A revised value shows the revision and the load that wrote it; an operator's page links
// the run to the operator pages, a viewer's names it only.
func TestLineageShowsRevisions(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	etltest.LoadCSV(t, w, "economy", "修订_2024.csv", "indicator,region_code,period,value\ngdp,620000,2024,13000.5\n")
	app := newApp(t, w, etltest.Home)
	a := getLineage(t, app, "indicator=gdp&region=620000&year=2024")
	if len(a.Rows) != 2 || a.Rows[0].File != "修订_2024.csv" || a.Rows[0].Value != "13000.5" || !a.Rows[0].Current || a.Rows[0].Line != 2 ||
		a.Rows[1].File != "province_annual.csv" || a.Rows[1].Current || a.Rows[0].RunID == a.Rows[1].RunID {
		t.Fatalf("lineage %+v; want the revision first, current, then the original", a.Rows)
	}
	f := newAuthServerOn(t, w)
	for _, tc := range []struct {
		user string
		link bool
	}{{"ops", true}, {"leader", false}} {
		c, _ := f.signedIn(t, tc.user)
		res, err := c.Get(f.srv.URL + "/lineage?indicator=gdp&region=620000&year=2024")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		page := string(b)
		link := strings.Contains(page, `href="/admin/loads/`+a.Rows[1].RunID+`"`)
		if res.StatusCode != http.StatusOK || link != tc.link || !strings.Contains(page, a.Rows[1].RunID) || !strings.Contains(page, "已被修订") {
			t.Errorf("%s: %d, run link %v; want 200, link %v, the run id and the revision marked", tc.user, res.StatusCode, link, tc.link)
		}
	}
}

// A value the load converted is shown in the unit it is kept in, saying the file's: the
// page wrote the stored 13,000.5 beside the file's "万元", and no thousands separator.
func TestLineageShowsTheValueInItsUnit(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	etltest.LoadCSV(t, w, "economy", "万元_2024.csv", "indicator,region_code,period,value,unit\ngdp,620000,2024,130005000,万元\n")
	app := newApp(t, w, etltest.Home)
	for lang, want := range map[string][]string{
		"zh": {`<span class="num">13,000.5亿元</span>`, "（文件中以万元计，载入时已换算）", `<span class="num">13,020.5亿元</span>`},
		// Its headings capitalised as headings (they read "run", "loaded", the footnote's words).
		"en": {`<span class="num">13,000.5 (100 million yuan)</span>`, "(the file gave it in 10,000 yuan; converted on loading)", "<dt>Run</dt>", "<dt>Loaded at</dt>"},
	} {
		_, page := app.get("/lineage?indicator=gdp&region=620000&year=2024&lang=" + lang)
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: the lineage lacks %s", lang, w)
			}
		}
	}
}

// A campaign report's and a ledger item's lineage name each row in the page's words, not
// by its code: the headings read "problems_found:3 · 18 嘉峪关市" and "item · 2023-07-16 …",
// and the month was a full date.
func TestLineageNamesCampaignMetricsAndLedgerRows(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	heading := regexp.MustCompile(`(?s)<h3>(.*?)</h3>`)
	for _, tc := range []struct{ path, subject, want, refuse string }{
		{"/lineage?month=2025-02-01&unit=620200", "嘉峪关市 · 2025-02<", "发现突出问题数（懒散疲沓不勤为）", "problems_found"},
		{"/lineage?month=2025-02-01&unit=620200&lang=en", "Jiayuguan · 2025-02<", "Problems found (", "problems_found"},
		{"/lineage?month=2025-02-01&unit=620200", "", "18件 （文件中的单位名称：嘉峪关市）", "complaints_received"},
		{"/lineage?item=GS-EC-0006", "", "台账条目（整改时限）", "item ·"},
		{"/lineage?item=GS-EC-0006", "", "进展报告 · 整改中，完成63%", "rectifying"},
		{"/lineage?item=GS-EC-0006&lang=en", "", "Ledger entry (deadline)", "item ·"},
		// A category no label names, typed into the address, is shown as given.
		{"/lineage?month=2025-02-01&unit=620200&metric=problems_found:9", "嘉峪关市 · 2025-02 · 发现突出问题数（9）<", "", "category_"},
	} {
		_, page := app.get(tc.path)
		var heads []string
		for _, m := range heading.FindAllStringSubmatch(page, -1) {
			heads = append(heads, regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], ""))
		}
		all := strings.Join(heads, "\n")
		if len(heads) == 0 && tc.want != "" || !strings.Contains(all, tc.want) || strings.Contains(all, tc.refuse) || !strings.Contains(page, tc.subject) {
			t.Errorf("%s: headings want %q and not %q, subject %q:\n%.600s", tc.path, tc.want, tc.refuse, tc.subject, all)
		}
	}
}

// Every page writes a moment in Beijing time: a footnote's load time, the lineage's and
// the operator's run page agree with the run's time in the JSON (UTC, for programs), eight
// hours on. The operator pages and footnotes wrote UTC, a unit's report history Beijing
// time, and one moment read eight hours apart from page to page.
func TestPagesWriteTimesInBeijingTime(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	_, js := app.get("/api/lineage?indicator=gdp&region=620000&year=2024")
	var l struct {
		Rows []struct {
			Loaded string `json:"loaded_at"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(js), &l); err != nil || len(l.Rows) == 0 {
		t.Fatalf("lineage JSON: %v %.300s", err, js)
	}
	at, err := time.Parse("2006-01-02 15:04:05 MST", l.Rows[0].Loaded)
	if err != nil || at.Location().String() != "UTC" {
		t.Fatalf("the JSON's loaded_at %q is not UTC with its zone: %v", l.Rows[0].Loaded, err)
	}
	beijing := at.Add(8 * time.Hour).Format("2006-01-02 15:04:05")
	for path, want := range map[string]string{
		"/lineage?indicator=gdp&region=620000&year=2024": "<dd>" + beijing + "</dd>",
		"/ranking?indicator=gdp&year=2024":               "载入于 " + beijing[:16] + " ·",
	} {
		if _, page := app.get(path); !strings.Contains(page, want) {
			t.Errorf("%s does not write the load's time in Beijing time (%s)", path, want)
		}
	}
}
