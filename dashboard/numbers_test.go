package dashboard_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"jinwei/dashboard"
	"jinwei/dashboard/api"
	"jinwei/etl/etltest"
)

// The cockpit says one thing once: beside the national rank its national change, beside
// the group rank the group's change. The group's rank names the group (组内排名 9/12 named
// none), and a group of all 31 provinces, whose rank is the national one, shows it once.
func TestCockpitRankChangesSitBesideTheirRanks(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	differ := 0
	for group, heading := range map[string]string{"west12": "西部12省区市排名", "yellow_river9": "沿黄九省区排名", "benchmarks": "讲话对标省份排名", "all31": ""} {
		_, body := app.get("/api/cockpit?group=" + group)
		var d struct {
			Tiles []*api.Ranking `json:"tiles"`
		}
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			t.Fatal(err)
		}
		_, page := app.get("/?group=" + group)
		allCells := regexp.MustCompile(`<dd class="rank-all">([^<]*)(?:<span class="change-all">([^<]*)</span>)?</dd>`).FindAllStringSubmatch(page, -1)
		groupCells := regexp.MustCompile(`<dd class="rank-group">([^<]*)(?:<span class="change">([^<]*)</span>)?</dd>`).FindAllStringSubmatch(page, -1)
		if heading == "" {
			if len(allCells) != len(d.Tiles) || len(groupCells) != 0 {
				t.Errorf("%s: %d national and %d group cells for %d tiles; want the national rank alone", group, len(allCells), len(groupCells), len(d.Tiles))
			}
			continue
		}
		if len(allCells) != len(d.Tiles) || len(groupCells) != len(d.Tiles) || strings.Count(page, "<dt>"+heading+"</dt>") != len(d.Tiles) {
			t.Fatalf("%s: %d national and %d group cells, %d headed %q, for %d tiles", group, len(allCells), len(groupCells), strings.Count(page, "<dt>"+heading+"</dt>"), heading, len(d.Tiles))
		}
		for i, r := range d.Tiles {
			h := r.Home
			if h == nil {
				continue
			}
			if want := changeWords(h.Row.ChangeAll); allCells[i][2] != want {
				t.Errorf("%s %s: beside the national rank %q, want the national change %q", group, r.Indicator.Code, allCells[i][2], want)
			}
			if want := changeWords(h.Row.Change); groupCells[i][2] != want {
				t.Errorf("%s %s: beside the group rank %q, want the group's change %q", group, r.Indicator.Code, groupCells[i][2], want)
			}
			if h.Row.ChangeAll != h.Row.Change {
				differ++
			}
		}
	}
	if differ == 0 {
		t.Fatal("no tile where the national and the group change differ: the test proves nothing")
	}
}

// changeWords is how a rank change reads on the Chinese pages.
func changeWords(c api.Change) string {
	switch {
	case !c.Comparable:
		return "上年无数据"
	case c.Places > 0:
		return fmt.Sprintf("进位 %d", c.Places)
	case c.Places < 0:
		return fmt.Sprintf("退位 %d", -c.Places)
	}
	return "持平"
}

// targetRow is the cockpit's row of the target named name.
func targetRow(page, name string) string {
	return regexp.MustCompile(`(?s)<tr><td class="target-name">` + regexp.QuoteMeta(name) + `</td>.*?</tr>`).FindString(page)
}

// Targets compare and show in the tile's unit and precision, and one without provincial
// data says why and where it is checked instead.
func TestCockpitTargetsInTheTilesUnit(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	_, page := app.get("/")
	page = html.UnescapeString(page)
	row := targetRow(page, "人均地区生产总值达到全国的55%")
	// SOURCES.md: 2024 Gansu 52,840 against national 95,749 = 55.2 %, the tile's share.
	for _, want := range []string{"55.2%", "55%", "达标"} {
		if !strings.Contains(row, want) {
			t.Errorf("per-capita target row lacks %q: %s", want, row)
		}
	}
	if strings.Contains(row, "0.55") {
		t.Errorf("target shown as a ratio, not the tile's percent: %s", row)
	}
	rural := targetRow(page, "农村居民收入增速高于城镇居民")
	for _, want := range []string{"无数据", "分省数据", "按人口加权", `href="/counties?indicator=rural_income"`} {
		if !strings.Contains(rural, want) {
			t.Errorf("rural target row lacks %q: %s", want, rural)
		}
	}
	// NBS does publish incomes by province: what is missing is a source for this system's
	// files, and the row must not say otherwise.
	if strings.Contains(rural, "只公布全国") {
		t.Errorf("rural target row says NBS publishes the national figure only: %s", rural)
	}
}

// Every JSON answer carries generated, from the data; pages show the notice only when
// generated values are on them.
func TestGeneratedIsMarkedFromTheData(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	tests := []struct {
		api, page string
		generated bool
	}{
		{"/api/counties?indicator=gdp", "/counties?indicator=gdp", true},
		{"/api/ecology", "/ecology", true},
		{"/api/campaign", "/campaign", true},
		{"/api/ecology/items/GS-EC-0001", "/ecology/items/GS-EC-0001", true},
		{"/api/ranking?indicator=gdp", "/ranking?indicator=gdp", false},
		{"/api/cockpit", "/", false},
	}
	for _, tc := range tests {
		status, body := app.get(tc.api)
		var d struct {
			Generated *bool `json:"generated"`
		}
		if err := json.Unmarshal([]byte(body), &d); err != nil || status != 200 {
			t.Fatalf("%s: %d %v", tc.api, status, err)
		}
		if d.Generated == nil || *d.Generated != tc.generated {
			t.Errorf("%s: generated %v, want %v", tc.api, d.Generated, tc.generated)
		}
		_, page := app.get(tc.page)
		if got := strings.Contains(page, `id="generated-note"`); got != tc.generated {
			t.Errorf("%s: generated notice shown %v, want %v", tc.page, got, tc.generated)
		}
	}
	_, body := app.get("/api/ecology")
	if strings.Contains(body, "警示片") {
		t.Error("a generated ledger item carries the warning film's name")
	}
}

// An aggregate over a filtered set says so.
func TestFilteredAggregateSaysFiltered(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	_, page := app.get("/counties?indicator=gdp&filter=poverty")
	if !strings.Contains(page, "筛选后合计") || strings.Contains(page, "按市州汇总") {
		t.Errorf("the filtered city totals are not labelled 筛选后合计")
	}
	_, page = app.get("/counties?indicator=gdp")
	if !strings.Contains(page, "按市州汇总") {
		t.Errorf("the unfiltered city totals are not labelled 按市州汇总")
	}
	_, page = app.get("/counties?indicator=rural_income")
	if !strings.Contains(page, "未按人口加权") {
		t.Errorf("a mean of counties' incomes does not say it is unweighted")
	}
}

// A page's footnote lists exactly the loads whose rows fed its numbers.
func TestFootnotesListExactlyTheLoadsBehindTheNumbers(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	tests := []struct {
		path    string
		want    []string
		notWant []string
	}{
		{"/counties?indicator=gdp", []string{"县域经济主要指标_2019-2024.xlsx"}, []string{"province_annual.csv"}},
		{"/ecology?as_of=2023-06-30", []string{"生态环境问题整改台账_2023-03.xlsx", "生态环境问题整改台账_2023-06.xlsx"},
			[]string{"生态环境问题整改台账_2023-09.xlsx", "生态环境问题整改台账_2024-12.xlsx"}},
		{"/ranking?indicator=gdp_per_capita&year=2024", []string{"province_annual.csv", "第五次全国经济普查后修订"}, []string{"县域经济", "整改台账"}},
		// The vintage in the page's language.
		{"/ranking?indicator=gdp_per_capita&year=2024&lang=en", []string{"province_annual.csv", "revised after the 5th national economic census"}, []string{"第五次", "县域经济"}},
		// A month's scorecard is made of the reports up to it (its yardsticks reach back).
		{"/campaign?month=2023-06-01", []string{"三抓三促月报_2023-03.csv", "三抓三促月报_2023-06.csv"},
			[]string{"三抓三促月报_2023-07.csv", "三抓三促月报_2025-02.csv", "整改台账"}},
	}
	for _, tc := range tests {
		_, page := app.get(tc.path)
		foot := page
		if i := strings.Index(page, "<footer"); i >= 0 {
			foot = page[i:]
		}
		if strings.Contains(foot, "/real/") || strings.Contains(foot, "/generated/") {
			t.Errorf("%s: footnote shows where the server keeps its files", tc.path)
		}
		for _, f := range footFile.FindAllStringSubmatch(foot, -1) {
			if strings.ContainsAny(f[1], `/\`) {
				t.Errorf("%s: footnote shows the path %s, not the file's name", tc.path, f[1])
			}
		}
		for _, w := range tc.want {
			if !strings.Contains(foot, w) {
				t.Errorf("%s: footnote lacks %s", tc.path, w)
			}
		}
		for _, w := range tc.notWant {
			if strings.Contains(foot, w) {
				t.Errorf("%s: footnote lists %s, which fed none of its numbers", tc.path, w)
			}
		}
	}
}

var footFile = regexp.MustCompile(`<span class="file">([^<]*)</span>`)

// A ledger item's footnote cites exactly the loads its lineage lists: the files that
// described and reported it, not the newest ledgers.
func TestItemFootnoteCitesItsReports(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	for _, id := range []string{"GS-EC-0001", "GS-EC-0042"} {
		a := getLineage(t, app, "item="+id)
		want := map[string]bool{}
		for _, r := range a.Rows {
			want[r.File] = true
		}
		_, page := app.get("/ecology/items/" + id)
		got := map[string]bool{}
		for _, f := range footFile.FindAllStringSubmatch(page[strings.Index(page, "<footer"):], -1) {
			got[f[1]] = true
		}
		if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: footnote cites %v; its lineage is %v", id, got, want)
		}
	}
}

// A campaign month without reports answers 200 and says which months have them.
func TestCampaignUnknownMonthSaysWhichExist(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	for _, p := range []string{"/campaign?month=2099-01-01", "/api/campaign?month=2099-01-01", "/campaign?month=2099-01&lang=en"} {
		status, body := app.get(p)
		if status != 200 || !strings.Contains(body, "2023-03") || !strings.Contains(body, "2025-02") {
			t.Errorf("%s: %d %.300s; want 200 naming the months with reports (2023-03 to 2025-02)", p, status, body)
		}
	}
}

// Growth of county values says whether it is nominal or real: county GDP and incomes are
// at current prices, so their growth is nominal (名义); population's is plain.
func TestCountyGrowthSaysNominal(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	for _, tc := range []struct{ path, want string }{
		{"/counties?indicator=gdp", "<th>名义增速</th>"},
		{"/counties?indicator=rural_income", "<th>农村收入名义增速</th>"},
		{"/counties?indicator=gdp&lang=en", "<th>Growth (nominal)</th>"},
		{"/counties?indicator=population", "<th>增速</th>"},
	} {
		if _, page := app.get(tc.path); !strings.Contains(page, tc.want) {
			t.Errorf("%s: no %s", tc.path, tc.want)
		}
	}
}

// A target's note is in the page's language. A targets file without English notes still
// gives the English page its note, in Chinese, marked as such.
func TestTargetNotesInThePagesLanguage(t *testing.T) {
	t.Parallel()
	row := func(page, name string) string { return targetRow(html.UnescapeString(page), name) }
	_, en := newApp(t, etltest.SharedDemo(t), etltest.Home).get("/?lang=en")
	if r := row(en, "Per-capita GDP at 55% of national"); !strings.Contains(r, "The threshold is a ratio to the national figure") || strings.Contains(r, "阈值") {
		t.Errorf("the English cockpit's per-capita target row: %s", r)
	}
	w := etltest.Demo(t)
	// The English note sent empty: a file that left the column out would keep the stored one.
	etltest.LoadCSV(t, w, "targets", "targets.csv", "target_code,name_zh,name_en,region_code,indicator_code,measure,comparison,threshold,year_from,year_to,note,note_en\n"+
		"per_capita_gdp_half_national,人均地区生产总值达到全国的55%,Per-capita GDP at 55% of national,{home},gdp_per_capita,level,>=,0.55,2024,2030,只有中文的说明,\n")
	app := newApp(t, w, etltest.Home)
	_, en = app.get("/?lang=en")
	if r := row(en, "Per-capita GDP at 55% of national"); !strings.Contains(r, `<span lang="zh-CN">只有中文的说明</span> <span class="why">(given in Chinese only)</span>`) {
		t.Errorf("a note given in Chinese only, on the English cockpit: %s", r)
	}
	_, zh := app.get("/")
	if r := row(zh, "人均地区生产总值达到全国的55%"); !strings.Contains(r, `<td data-label="备注">只有中文的说明`) || strings.Contains(r, "仅有中文") {
		t.Errorf("the Chinese cockpit's note: %s", r)
	}
}

// A place others share says so: in 2024 Inner Mongolia, Anhui and Gansu all grew 5.8 %
// (SOURCES.md), third among all provinces, and a leader reading "3/31" alone would take
// it for a third place of Gansu's own.
func TestTiedPlacesSaySo(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	for _, c := range []struct{ path, want string }{
		{"/?year=2024&group=all31", "3/31（3省并列）"},
		{"/?year=2024&group=all31&lang=en", "3/31 (tied, 3 provinces)"},
		// With all 31 provinces as the group the card is the national rank, said once.
		{"/ranking?indicator=gdp_growth&year=2024&group=all31", "<h3>全国省份排名</h3><p class=\"big\">3/31（3省并列）</p>"},
		{"/ranking?indicator=gdp_growth&year=2024&group=west12", "<h3>西部12省区市排名</h3><p class=\"big\">3/12（2省并列）</p><p class=\"note\">全国省份排名 3/31（3省并列）</p>"},
		{"/ranking?indicator=gdp_growth&year=2024&group=all31&lang=en", "3/31 (tied, 3 provinces)"},
		{"/brief?period=2024", "居全国第3位，3省并列"},
		{"/brief?period=2024&lang=en", "rank 3 among all provinces, one of 3 provinces in that place"},
	} {
		_, page := app.get(c.path)
		if !strings.Contains(html.UnescapeString(page), c.want) {
			t.Errorf("%s lacks %q", c.path, c.want)
		}
	}
	// A place of its own says nothing more: Gansu's GDP per person is 31st alone.
	_, page := app.get("/ranking?indicator=gdp_per_capita&year=2024&group=all31")
	if !strings.Contains(page, "31/31") || strings.Contains(page, "并列") {
		t.Errorf("a place of its own reads otherwise")
	}
	_, js := app.get("/api/ranking?indicator=gdp_growth&year=2024&group=all31")
	var r struct {
		Home struct {
			TiedGroup int `json:"tied_group"`
			TiedAll   int `json:"tied_all"`
		} `json:"home"`
	}
	if err := json.Unmarshal([]byte(js), &r); err != nil || r.Home.TiedAll != 3 || r.Home.TiedGroup != 3 {
		t.Errorf("/api/ranking home ties %+v, %v; want 3 and 3", r.Home, err)
	}
}

// A growth rate of money says whether it is real or nominal wherever it is named, once, and
// English pages punctuate as English does: the briefing said "Real GDP growth (real)",
// began a sentence in lower case, and the ranking joined its notes with a full-width "；".
func TestGrowthSaysItsBasisAndEnglishReadsAsEnglish(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	for _, c := range []struct{ path, want string }{
		{"/?year=2024", "地区生产总值增速（实际）"},
		{"/?year=2024&lang=en", "GDP growth (real)"},
		{"/ranking?indicator=gdp_growth&year=2024&lang=en", "GDP growth (real)"},
		{"/brief?period=2024&lang=en", "Gansu's GDP growth (real) was 5.8%"},
		// With its unit, in one bracket: it read 地区生产总值增速（实际）（%）.
		{"/ranking?indicator=gdp_growth&year=2024", "地区生产总值增速（实际，%）"},
		{"/ranking?indicator=gdp_growth&year=2024&lang=en", "GDP growth (real, %)"},
		{"/ranking?indicator=gdp&year=2024", "地区生产总值（亿元）"},
		// The briefing names targets that moved and says the others stand (it left the
		// growth target out without a word, while the cockpit showed it met).
		{"/brief?period=2024", "其余有数据的目标状态与上年相同"},
		// Real growth is loaded for the provinces only: the chart says why it has no 全国 line.
		{"/ranking?indicator=gdp_growth&year=2024", "指标本身即为增速。全国实际增速未载入，图中不画全国线。"},
		// Two sentences, not one joined by a semicolon before a capital.
		{"/ranking?indicator=gdp_growth&year=2024&lang=en", "The indicator is a growth rate itself. National real growth is not loaded; no national line is drawn."},
		// A price index on the year before is not a growth rate: its change is it less 100.
		{"/ranking?indicator=cpi_index&year=2024", "增速：指数减100即为比上年涨跌（%）"},
		{"/ranking?indicator=cpi_index&year=2024&lang=en", "The index less 100: the change on the year before (%)"},
		// The counties' growth bars are growth, not income "in %".
		{"/counties?indicator=rural_income&sort=growth", "农村居民人均可支配收入增速（名义，%）2024年"},
		{"/counties?indicator=rural_income&sort=growth&lang=en", "Rural per-capita disposable income growth (nominal, %), 2024"},
	} {
		_, page := app.get(c.path)
		page = html.UnescapeString(page)
		if !strings.Contains(page, c.want) {
			t.Errorf("%s lacks %q", c.path, c.want)
		}
		if strings.Contains(page, "(real) (real)") || strings.Contains(page, "Real GDP growth (real)") || strings.Contains(page, "（实际）（实际）") {
			t.Errorf("%s says the basis twice", c.path)
		}
		if i := strings.Index(page, "）（"); i >= 0 {
			t.Errorf("%s puts two brackets side by side: %q", c.path, page[max(0, i-60):i+20])
		}
		if i := strings.Index(page, ") ("); i >= 0 {
			t.Errorf("%s puts two brackets side by side: %q", c.path, page[max(0, i-60):i+20])
		}
	}
	_, js := app.get("/api/brief?period=2024&lang=en")
	var b dashboard.Briefing
	if err := json.Unmarshal([]byte(js), &b); err != nil {
		t.Fatal(err)
	}
	for _, sec := range b.Sections {
		for _, s := range sec.Sentences {
			if r := []rune(s.Text)[0]; unicode.IsLower(r) {
				t.Errorf("an English sentence begins in lower case: %q", s.Text)
			}
			if strings.ContainsAny(s.Text, "；：、，。") {
				t.Errorf("an English sentence has Chinese punctuation: %q", s.Text)
			}
		}
	}
	_, page := app.get("/ranking?indicator=gdp&group=benchmarks&year=2024&lang=en")
	if strings.Contains(page, "；") {
		t.Errorf("the English ranking joins its notes with a full-width semicolon")
	}
}

// The poverty counties are counted against the counties' unweighted mean growth, and the
// card says so, where it said "provincial county mean" beside a target that asks for the
// provincial average; it was headed 高于全省平均, a verdict on a baseline the cockpit says
// the provincial rate is not; Chinese notes take Chinese punctuation. The benchmark's
// figure comes first: after "（见驾驶舱）：" it read as the target's answer, and the cockpit,
// which has no provincial rate, sent the reader back here.
func TestCountyTargetsSayWhatTheyCompareWith(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	for path, wants := range map[string][]string{
		"/counties": {"<h3>脱贫县农民收入增速高于各县平均</h3>", "基准 8.15%：各县农村居民收入增速的简单平均（未按人口加权），不是全省增速，不能据此判断全省目标是否达成</p>",
			"县均增速（农村/城镇）：", "（2024年）"},
		"/counties?lang=en": {"above the counties’ mean</h3>", "Benchmark 8.15%: the unweighted mean of the counties’ rural income growth, not the provincial rate, so it does not tell whether the provincial target is met</p>",
			"County mean growth (rural/urban): ", "% (2024)"},
	} {
		_, page := app.get(path)
		for _, w := range wants {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
		if strings.Contains(page, "见驾驶舱") || strings.Contains(page, "see the cockpit") {
			t.Errorf("%s sends the reader to the cockpit, which sends them here", path)
		}
		if strings.Contains(page, "高于全省平均") || strings.Contains(page, "above provincial average") {
			t.Errorf("%s counts the poverty counties against a provincial average it does not have", path)
		}
	}
	// A year without county values has no targets to count: its cards read "0/0" and
	// "0.00% / 0.00%（1800年）" under the note that there were no values (1800 is now
	// refused as out of range; 1990 has no county values either).
	if _, page := app.get("/counties?year=1990"); !strings.Contains(page, `id="no-data"`) || strings.Contains(page, `id="county-targets"`) {
		t.Errorf("/counties?year=1990 shows the targets' cards, or no note of missing values")
	}
}

// A unit's breakdown says what each item's value, median and spread are measured in: the
// numbers stood alone (12.34 of what?).
func TestScoreBreakdownSaysEachItemsUnit(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	for lang, want := range map[string][]string{
		"zh": {"<th>计量单位</th>", "<td>次/万人</td>", "<td>家/万人</td>", "<td>%</td>"},
		"en": {"<th>Measured in</th>", "<td>times per 10,000 residents</td>", "<td>enterprises per 10,000 residents</td>", "<td>%</td>"},
	} {
		_, page := app.get("/campaign?lang=" + lang)
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: the breakdown lacks %s", lang, w)
			}
		}
	}
}

// An indicator no province has a value of (the demo loads rural income for the nation and
// the counties only) is not offered where provinces are ranked or mapped: picked for the
// map, the cockpit lost its map and every choice of its picker without a word.
func TestIndicatorsWithoutProvincesAreNotOffered(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	_, page := app.get("/ranking")
	if strings.Contains(page, `<option value="rural_income"`) || !strings.Contains(page, `<option value="gdp_per_capita"`) {
		t.Errorf("the ranking's picker offers rural income (no province has it) or lacks GDP per capita")
	}
	_, page = app.get("/?map=rural_income")
	if !strings.Contains(page, `id="map-note"`) || !strings.Contains(page, `<option value="gdp_per_capita"`) {
		t.Errorf("the cockpit with a map of rural income: no note, or its picker lost the other indicators")
	}
	_, page = app.get("/")
	if strings.Contains(page, `id="map-note"`) || strings.Contains(page, `<option value="rural_income"`) {
		t.Errorf("the cockpit's own map says it has none, or its picker offers rural income")
	}
}

// Chinese pages punctuate in Chinese: the sources' heading read "数据来源:", the counties'
// targets "目标完成情况 (2024)"; and the method page's English headed "applies to" "Scores".
func TestPagesPunctuateInTheirLanguage(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	for path, c := range map[string]struct{ bad, good []string }{
		"/counties":                {[]string{"数据来源:", "目标完成情况 ("}, []string{"数据来源：", "目标完成情况（2024年）"}},
		"/":                        {[]string{"数据来源:"}, []string{"数据来源："}},
		"/campaign/method?lang=en": {[]string{">Scores<", "100 %"}, []string{">Applies to<", "100%"}},
		"/campaign?lang=en":        {[]string{"100 %"}, []string{"100%"}},
	} {
		code, page := app.get(path)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", path, code)
		}
		for _, b := range c.bad {
			if strings.Contains(page, b) {
				t.Errorf("%s reads %q", path, b)
			}
		}
		for _, g := range c.good {
			if !strings.Contains(page, g) {
				t.Errorf("%s lacks %q", path, g)
			}
		}
	}
}

// A reason given in Chinese on a Chinese page is not marked as English: a parameter's bad
// value was said in Chinese under lang="en".
func TestErrorMessageMarkedInItsLanguage(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	_, page := app.get("/?map=nope")
	if !strings.Contains(page, `<p class="notice" id="error-message">链接中的地图指标（map=nope）`) {
		t.Errorf("the Chinese reason for a bad map is marked as English, or missing")
	}
	if code, body := app.get("/api/ecology/items/GS-NO-SUCH"); code != http.StatusNotFound || !strings.Contains(body, `"error":"no ledger item \"GS-NO-SUCH\""`) {
		t.Errorf("the API's missing item: %d %s; want its English error for scripts", code, body)
	}
	// A page that is not there says so in the page's language only: "Not Found" stood in
	// English under 页面不存在, saying the heading again. A message that says more stays.
	for _, tc := range []struct{ path, heading, message string }{
		{"/no-such-page", "页面不存在", ""},
		{"/no-such-page?lang=en", "Page not found", ""},
		// Said in the page's language, not marked as English: it stood in English.
		{"/ecology/items/GS-NO-SUCH", "", `>台账中没有问题编号为“GS-NO-SUCH”的问题`},
		{"/ecology/items/GS-NO-SUCH?lang=en", "", `>no ledger item &#34;GS-NO-SUCH&#34;`},
	} {
		code, page := app.get(tc.path)
		msg, hasMsg := "", strings.Contains(page, `id="error-message"`)
		if hasMsg {
			_, msg, _ = strings.Cut(page, `id="error-message"`)
			msg, _, _ = strings.Cut(msg, "</p>")
		}
		if code != http.StatusNotFound || !strings.Contains(page, tc.heading) || strings.Contains(page, "Not Found") || hasMsg != (tc.message != "") || !strings.Contains(msg, tc.message) {
			t.Errorf("%s: %d, message %q (shown %v); want 404 under %q with message %q", tc.path, code, msg, hasMsg, tc.heading, tc.message)
		}
	}
}

// A size is neither good nor bad: population was ranked "higher is better" (数值越高越好),
// a fall in Gansu's place read 退位 in the colours of a setback, and a card asked Gansu to
// add 22万人 to catch up with Shanghai. A size is ranked largest first, its moves are
// 上移/下移 and uncoloured, it has no gap to close, and the briefing does not count a
// leap in population as the year's progress.
func TestASizeIsRankedWithoutBetterOrWorse(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	// Gansu's population passes twenty provinces in 2024: more places than any other
	// indicator gains that year (GDP growth, 3).
	etltest.LoadCSV(t, w, "economy", "pop.csv", "year,region_code,region_name_zh,indicator,value,unit\n2024,620000,甘肃省,population,9000,万人\n")
	app := newApp(t, w, etltest.Home)
	_, zh := app.get("/ranking?indicator=population&year=2023&group=all31")
	for _, want := range []string{`class="direction">按数值从大到小排列（此指标不分优劣，位次只表示大小）`,
		`class="card same" id="card-change"><h3>名次变化</h3><p class="big">下移 1 位`, `<td>上移 1 位`} {
		if !strings.Contains(zh, want) {
			t.Errorf("the population's ranking lacks %s", want)
		}
	}
	if won := regexp.MustCompile(`<td>(进位|退位)|id="card-gap"|数值越高越好`).FindString(zh); won != "" {
		t.Errorf("the population's ranking still judges places: %s", won)
	}
	_, en := app.get("/ranking?indicator=population&year=2023&group=all31&lang=en")
	if !strings.Contains(en, `class="direction">largest first (this indicator is neither good nor bad: a place says only how large)`) || strings.Contains(en, "higher is better") {
		t.Errorf("the English ranking of population does not say it is a size")
	}
	// The counties of a size are ordered without the speech's judgements (比进度、比进位).
	if _, counties := app.get("/counties?indicator=population"); !strings.Contains(counties, ">按数值<") || regexp.MustCompile(`比进度|比进步|比进位`).MatchString(counties) {
		t.Errorf("the counties' population is ordered as progress: %s", regexp.MustCompile(`按数值[^<]*`).FindString(counties))
	}
	// An indicator with a better direction keeps its words and its gap.
	if _, gdp := app.get("/ranking?indicator=gdp&year=2024&group=all31"); !strings.Contains(gdp, "数值越高越好") || !strings.Contains(gdp, `id="card-gap"`) {
		t.Errorf("GDP's ranking lost its direction or its gap")
	}
	// A leader who watches population on the cockpit sees its move, not a gain.
	app = newAppWith(t, w, dashboard.Config{HomeRegion: etltest.Home, Headlines: []string{"gdp_growth", "population"}})
	if _, cockpit := app.get("/?year=2024&group=all31"); !regexp.MustCompile(`<article class="tile same">\s*<h3><a [^>]*>年末常住人口</a>.*\s*.*\s*.*上移 19 位`).MatchString(cockpit) {
		t.Errorf("the cockpit colours a move in population: %s", regexp.MustCompile(`<article class="tile [a-z]*">\s*<h3><a [^>]*>年末常住人口</a>(.*\s*){3}`).FindString(cockpit))
	}
	_, brief := app.get("/brief?period=2024")
	if b := html.UnescapeString(brief); !strings.Contains(b, "进位最多的指标：2024年我省地区生产总值增速（实际）") || strings.Contains(b, "进位最多的指标：2024年我省年末常住人口") {
		t.Errorf("the briefing counts a move in population as progress: %s", regexp.MustCompile(`进位最多的指标：[^。]*`).FindString(b))
	}
}

// A note of data not loaded tells its reader what it can do: a leader was shown
// "jinwei etl load --job economy FILE", a command for the server's operator.
func TestDataNotLoadedSaysWhoLoadsIt(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	leader, _ := f.signedIn(t, "leader")
	ops, _ := f.signedIn(t, "ops")
	demo := newServer(t, etltest.SharedDemo(t))
	// Rural income has national values and no provincial ones in the demo data.
	const page = "/ranking?indicator=rural_income"
	for _, tc := range []struct {
		who      string
		c        *http.Client
		base     string
		want     []string
		notWants string
	}{
		{"a leader", leader, f.srv.URL, []string{"暂无分省数据，无法排名", "数据管理员载入后即可在此查看。"}, "jinwei etl"},
		{"an admin", ops, f.srv.URL, []string{"请在“运维 → 上传文件”选“经济数据”作业载入文件，或在服务器上运行 jinwei etl load --job economy 文件。"}, "数据管理员"},
		{"demo mode's reader", http.DefaultClient, demo.URL, []string{"请在服务器上运行 jinwei etl load --job economy 文件 载入。"}, "运维"},
	} {
		p := body(t, tc.c, tc.base+page)
		notice := regexp.MustCompile(`id="no-data">([^<]*)`).FindStringSubmatch(p)
		if notice == nil {
			t.Fatalf("%s: the ranking of rural income has no note of data not loaded", tc.who)
		}
		for _, w := range tc.want {
			if !strings.Contains(notice[1], w) {
				t.Errorf("%s reads %q, want %q in it", tc.who, notice[1], w)
			}
		}
		if strings.Contains(notice[1], tc.notWants) {
			t.Errorf("%s reads %q, with %q", tc.who, notice[1], tc.notWants)
		}
	}
}

// A target shown for a year before it applies says so: 2023's cockpit said the target of
// GDP per capita at 55% of the nation's had "no comparable values in the target's years",
// beside a card showing 54.3% of the nation's.
func TestATargetBeforeItsFirstYearSaysSo(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	// Its badge says it is not yet assessed: it said 无数据 beside the card's value.
	for _, tc := range []struct{ path, name, want, badge string }{
		{"/?year=2023", "人均地区生产总值达到全国的55%", "该目标自 2024 年起考核，所选年份在此之前。", ">未到考核期<"},
		{"/?year=2023&lang=en", "Per-capita GDP at 55% of national", "The target applies from 2024, after the year shown.", ">Not yet assessed<"},
	} {
		_, page := app.get(tc.path)
		path, want := tc.path, tc.want
		if r := targetRow(html.UnescapeString(page), tc.name); !strings.Contains(r, want) || !strings.Contains(r, tc.badge) || strings.Contains(r, "无可比数据") || strings.Contains(r, "no comparable values") {
			t.Errorf("%s: the 55%% target's row reads %s, want %q", path, r, want)
		}
	}
}

// The catch-up line names its years as statistics do, from the base year, and ends by the
// year shown: "2021—2024 年年均名义增长" was three years' growth from 2021 (read as four
// from 2020), and stood on the page of 2019 too.
func TestCatchUpNamesItsBaseAndTheYearShown(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	for _, tc := range []struct{ path, want string }{
		{"/ranking?indicator=gdp_per_capita&year=2024", "以 2021 年为基期，2022—2024 年年均名义增长：本省 7.51%"},
		{"/ranking?indicator=gdp_per_capita&year=2022", "以 2019 年为基期，2020—2022 年年均名义增长"},
		{"/ranking?indicator=gdp_per_capita&year=2024&lang=en", "Average nominal growth 2022–2024 (base year 2021): province 7.51%"},
	} {
		if _, page := app.get(tc.path); !strings.Contains(html.UnescapeString(page), tc.want) {
			t.Errorf("%s lacks %q", tc.path, tc.want)
		}
	}
	// Gansu's series starts in 2019: no three years end by then, and no later years stand in.
	if _, page := app.get("/ranking?indicator=gdp_per_capita&year=2019"); strings.Contains(page, "年年均") {
		t.Errorf("the page of 2019 averages growth over years after it")
	}
}
