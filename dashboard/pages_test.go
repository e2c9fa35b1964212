package dashboard_test

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"jinwei/dashboard"
	"jinwei/dashboard/api"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

func getJSON(t *testing.T, url string, into any) {
	t.Helper()
	status, body, _ := get(t, url)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, status, body)
	}
	if err := json.Unmarshal([]byte(body), into); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

func TestCockpitAPIAndPage(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	var d struct {
		Tiles   []api.Ranking      `json:"tiles"`
		Targets []api.TargetStatus `json:"targets"`
		Map     api.Ranking        `json:"map"`
	}
	getJSON(t, srv.URL+"/api/cockpit?group=yellow_river9", &d)
	if len(d.Tiles) != 6 || d.Tiles[1].Indicator.Code != "gdp_per_capita" || d.Tiles[1].Year != 2024 {
		t.Fatalf("tiles %d, second %s %d; want six with per-capita GDP 2024 second", len(d.Tiles), d.Tiles[1].Indicator.Code, d.Tiles[1].Year)
	}
	if h := d.Tiles[1].Home; h == nil || h.Row.RankAll != 31 || h.GroupSize != 9 {
		t.Errorf("per-capita GDP tile: %+v; want 31st of all and ranked among the nine", h)
	}
	if len(d.Map.Rows) != 31 {
		t.Errorf("map has %d provinces, want 31", len(d.Map.Rows))
	}
	status := map[string]string{}
	for _, ts := range d.Targets {
		status[ts.Code] = ts.Status
	}
	// 2024: real growth 5.8 % ≥ 5; per-capita GDP at 55.2 % of national ≥ 55 %; provincial
	// urban and rural incomes are not published in the data, so that target has no data.
	if status["gdp_growth_at_least_5"] != "green" || status["per_capita_gdp_half_national"] != "green" || status["rural_above_urban"] != "no_data" {
		t.Errorf("targets %v", status)
	}
	code, body, _ := get(t, srv.URL+"/?group=yellow_river9")
	for _, want := range []string{"驾驶舱", "31/31", "/static/vendor/maps/china.js", `class="rag rag-green"`, "href=\"/ranking?group=yellow_river9&amp;indicator=gdp_per_capita&amp;year=2024\""} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("cockpit page lacks %q", want)
		}
	}
}

func TestCountiesAPI(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	var d struct {
		Ranking api.CountyRanking       `json:"ranking"`
		Targets api.CountyIncomeTargets `json:"targets"`
	}
	getJSON(t, srv.URL+"/api/counties?indicator=rural_income&year=2024&sort=growth", &d)
	if len(d.Ranking.Rows) != 86 || d.Ranking.Year != 2024 {
		t.Fatalf("%d counties in %d; want the 86 counted ones in 2024", len(d.Ranking.Rows), d.Ranking.Year)
	}
	for i := 1; i < len(d.Ranking.Rows); i++ {
		if d.Ranking.Rows[i].GrowthRank < d.Ranking.Rows[i-1].GrowthRank {
			t.Fatalf("not sorted by growth rank at %d", i)
		}
	}
	s := d.Targets.Summary
	if s.Counties != 86 || s.Poverty != 75 || s.RuralAboveUrban > s.Counties || s.PovertyAboveProvince > s.Poverty {
		t.Errorf("target summary %+v; want 86 counties, 75 poverty-alleviated", s)
	}
	for _, c := range d.Targets.Counties {
		if c.RuralAboveUrban != (c.RuralGrowth > c.UrbanGrowth) {
			t.Errorf("%s: rural %.2f urban %.2f marked %v", c.County.NameZh, c.RuralGrowth, c.UrbanGrowth, c.RuralAboveUrban)
		}
		if (c.AboveProvince != nil) != c.County.PovertyAlleviated {
			t.Errorf("%s: the second target applies only to poverty-alleviated counties", c.County.NameZh)
		}
	}
	getJSON(t, srv.URL+"/api/counties?filter=national_key", &d)
	if len(d.Ranking.Rows) != 23 {
		t.Errorf("%d national key-assistance counties, want 23", len(d.Ranking.Rows))
	}
	if code, body, _ := get(t, srv.URL+"/api/counties?filter=rich"); code != http.StatusBadRequest || !strings.Contains(body, `"choices":["all","poverty","national_key","provincial_key"]`) {
		t.Errorf("unknown filter answered %d %.200s; want 400 naming the filters", code, body)
	}
}

// A ledger whose last report is long past says so, and what is overdue today: opened on
// its last report (2024-12-31) the page said 27 overdue 23 months on, when 96 were, with
// nothing to tell a leader the figures were old.
func TestAnOldLedgerSaysItsAge(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, warehouse.ProvinceTime)
	in := newAppWith(t, etltest.SharedDemo(t), dashboard.Config{HomeRegion: etltest.Home, Clock: func() time.Time { return now }})
	_, zh := in.get("/ecology")
	for _, want := range []string{"台账最近一次报送截至 2024-12-31，距今已 704 天", "按今天（2026-12-05）计，逾期未完成 96 项", `href="/ecology?as_of=2026-12-05"`, `<p class="big">27</p>`,
		// The card's 27 says its date, beside the notice's 96 as of today.
		`<p class="note">截至 2024-12-31 已过整改时限且未完成整改</p>`,
		// And the card itself says today's count: a wall screen's readers took 27 for today's.
		`<p class="today" id="overdue-today"><a href="/ecology?as_of=2026-12-05">按今天（2026-12-05）计：96 项</a></p>`} {
		if !strings.Contains(zh, want) {
			t.Errorf("the ledger's page, 704 days after its last report, lacks %s", want)
		}
	}
	if _, en := in.get("/ecology?lang=en"); !strings.Contains(en, "The ledger was last reported as of 2024-12-31, 704 days ago") {
		t.Errorf("the English page does not say how old the ledger is")
	}
	// The API says it too (it gave the 27 of its last report with nothing of its age).
	if _, js := in.get("/api/ecology"); !strings.Contains(js, `"age":{"last_report":"2024-12-31","days":704,"today":"2026-12-05","overdue_today":96}`) {
		t.Errorf("/api/ecology does not say how old the ledger is: %.300s…", js[strings.Index(js, `"generated"`):])
	}
	if _, js := in.get("/api/ecology?as_of=2026-12-05"); strings.Contains(js, `"age"`) {
		t.Errorf("/api/ecology as of today says the ledger is old")
	}
	// As of today the count is the notice's, and the page says nothing of age.
	if _, today := in.get("/ecology?as_of=2026-12-05"); !strings.Contains(today, `<p class="big">96</p>`) || strings.Contains(today, "ledger-stale") {
		t.Errorf("the ledger as of today does not count 96 overdue, or says it is old")
	}
	now = time.Date(2025, 1, 20, 10, 0, 0, 0, warehouse.ProvinceTime)
	if _, fresh := in.get("/ecology"); strings.Contains(fresh, "ledger-stale") {
		t.Errorf("a ledger reported 20 days ago is said to be old")
	}
}

func TestEcologyAPIAndItem(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	var d struct {
		AsOf     string           `json:"as_of"`
		Items    []api.LedgerItem `json:"items"`
		ByStatus map[string]int   `json:"by_status"`
		Overdue  int              `json:"overdue"`
		Trend    []struct {
			Date string `json:"date"`
		} `json:"trend"`
	}
	getJSON(t, srv.URL+"/api/ecology", &d)
	total := 0
	for _, n := range d.ByStatus {
		total += n
	}
	if d.AsOf != "2024-12-31" || len(d.Items) != 300 || total != 300 || len(d.Trend) != 8 {
		t.Fatalf("as of %s: %d items, %d by status, %d trend points", d.AsOf, len(d.Items), total, len(d.Trend))
	}
	if d.Overdue == 0 || !d.Items[0].Overdue {
		t.Errorf("overdue items must come first: %d overdue, first %+v", d.Overdue, d.Items[0])
	}
	var item struct {
		History []api.StatusEvent `json:"history"`
	}
	getJSON(t, srv.URL+"/api/ecology/items/GS-EC-0003", &item)
	if len(item.History) != 8 {
		t.Errorf("item history has %d reports, want 8", len(item.History))
	}
	if code, _, _ := get(t, srv.URL+"/ecology/items/NOPE"); code != http.StatusNotFound {
		t.Errorf("unknown item answered %d", code)
	}
	if code, body, _ := get(t, srv.URL+"/api/ecology?as_of=yesterday"); code != http.StatusBadRequest || !strings.Contains(body, "2024-12-31") {
		t.Errorf("bad date answered %d %.200s; want 400 showing the form of a date", code, body)
	}
	// A day to come is not counted as if nothing would close before it (as of 2030 the
	// cards read 96 overdue, the picker 2024-12-31).
	today := time.Now().In(warehouse.ProvinceTime)
	tomorrow := today.AddDate(0, 0, 1).Format("2006-01-02")
	if code, body, _ := get(t, srv.URL+"/ecology?as_of="+tomorrow); code != http.StatusBadRequest || !strings.Contains(body, "在今天（") || strings.Contains(body, `id="ledger-table"`) {
		t.Errorf("as_of=%s answered %d, %s; want the reason it is not shown", tomorrow, code, between(body, "<main", "</main>"))
	}
	if code, body, _ := get(t, srv.URL+"/api/ecology?as_of="+today.AddDate(0, 0, -1).Format("2006-01-02")); code != http.StatusOK || strings.Contains(body, "no_data") {
		t.Errorf("as_of yesterday answered %d %.200s; want the ledger", code, body)
	}
	// Nor a day before the first report, when there was no ledger (its cards read 0 and 0).
	if code, body, _ := get(t, srv.URL+"/ecology?as_of=2020-01-01"); code != http.StatusBadRequest || !strings.Contains(body, "早于台账的第一次报送（2023-03-31）") || strings.Contains(body, `id="card-overdue"`) {
		t.Errorf("as_of=2020-01-01 answered %d, %s; want the reason it is not shown", code, between(body, "<main", "</main>"))
	}
}

// A ledger item named with markup shows as text in the table, the item page and charts.
func TestHostileLedgerTextIsEscaped(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	etltest.LoadCSV(t, w, "ecology", "evil_ledger.csv", "item_id,region,title,found_date,deadline,status,status_date,responsible_unit\n"+
		"EVIL-1,兰州市,<script>alert(1)</script>,2024-01-05,2024-06-30,整改中,2024-12-31,<img src=x onerror=alert(2)>\n")
	srv := newServer(t, w)
	for _, path := range []string{"/ecology", "/ecology/items/EVIL-1"} {
		_, body, _ := get(t, srv.URL+path)
		if strings.Contains(body, "<script>alert(1)") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s shows markup from the ledger unescaped", path)
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") && !strings.Contains(body, `\u003cscript\u003e`) {
			t.Errorf("%s lacks the escaped title", path)
		}
	}
}

// A footnote names a source's load run to those who can look it up: an operator (a link to
// the run's page) and an analyst (the console's load_runs); a leader and a visitor of the
// demo saw a 36-character id that said nothing to them.
func TestFootnoteNamesARunToWhoeverCanLookItUp(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	demo := newServer(t, etltest.SharedDemo(t))
	uuid := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	foot := func(page string) string { return between(page, `<footer class="sources"`, "</footer>") }
	_, demoPage, _ := get(t, demo.URL+"/ranking")
	pages := map[string]string{"demo": foot(demoPage)}
	for _, user := range []string{"leader", "analyst", "ops"} {
		c, _ := f.signedIn(t, user)
		pages[user] = foot(body(t, c, f.srv.URL+"/ranking"))
	}
	for who, want := range map[string]string{"demo": "", "leader": "", "analyst": `载入批次 <span class="run">`, "ops": `载入批次 <a class="run" href="/admin/loads/`} {
		got := pages[who]
		if !strings.Contains(got, "载入于") || (want == "") != !uuid.MatchString(got) || want != "" && !strings.Contains(got, want) {
			t.Errorf("%s's footnote names its run otherwise than %q: %s", who, want, got)
		}
	}
}

// An English page says its times are Beijing time (a reader abroad took them for their
// own); a Chinese page and a wall screen do not.
func TestEnglishPagesSayTheirClock(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	for path, want := range map[string]bool{"/ranking?lang=en": true, "/ecology/items/GS-EC-0001?lang=en": true, "/ranking": false, "/ranking?lang=en&screen=wall": false} {
		_, body, _ := get(t, srv.URL+path)
		if got := strings.Contains(html.UnescapeString(body), `<p class="time-zone" id="time-zone">Times are Beijing time (UTC+8).</p>`); got != want {
			t.Errorf("%s says its clock: %v, want %v", path, got, want)
		}
	}
}

// A page resting on many files names the newest three and folds the rest behind a count:
// the campaign's scorecard rests on a year of monthly reports, and their 24 names, load
// times and runs buried the page's end. A page with few sources lists them all.
func TestFootnoteFoldsManySources(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	sources := regexp.MustCompile(`<span class="source">`)
	for _, tc := range []struct {
		path          string
		shown, folded int
		summary       string
	}{
		{"/campaign?month=2025-02", 3, 21, "其余21个文件"},
		{"/campaign?month=2025-02&lang=en", 3, 21, "21 more files"},
		{"/ranking", 1, 0, ""},
	} {
		code, body, _ := get(t, srv.URL+tc.path)
		foot, _, _ := strings.Cut(body[strings.Index(body, `<footer class="sources"`)+1:], "</footer>")
		before, after, fold := strings.Cut(foot, `<details class="more-sources">`)
		shown, folded := len(sources.FindAllString(before, -1)), len(sources.FindAllString(after, -1))
		if code != 200 || shown != tc.shown || folded != tc.folded || fold != (tc.folded > 0) || fold && !strings.Contains(after, "<summary>"+tc.summary+"</summary>") {
			t.Errorf("%s: %d, footnote lists %d sources and folds %d (fold %v); want %d and %d behind %q", tc.path, code, shown, folded, fold, tc.shown, tc.folded, tc.summary)
		}
	}
}
