package dashboard_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"jinwei/etl/etltest"
)

var (
	hrefLineage = regexp.MustCompile(`<a class="lineage[^"]*" href="(/lineage\?[^"]+)"`)
	chartOption = regexp.MustCompile(`(?s)<script type="application/json" id="([a-z-]+)-option">(.*?)</script>`)
)

// pageLinks are the /lineage addresses a page's tables, tiles and targets link to.
func pageLinks(body string) []string {
	var out []string
	for _, m := range hrefLineage.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// chartDatum is one drawn number that carries its source.
type chartDatum struct {
	chart, link string
	value       any
}

// chartLinks are the data of a page's charts that carry a /lineage address.
func chartLinks(t *testing.T, body string) []chartDatum {
	t.Helper()
	var out []chartDatum
	for _, m := range chartOption.FindAllStringSubmatch(body, -1) {
		var o struct {
			Series []struct {
				Data []json.RawMessage `json:"data"`
			} `json:"series"`
		}
		if err := json.Unmarshal([]byte(m[2]), &o); err != nil {
			t.Fatalf("chart %s: %v", m[1], err)
		}
		for _, s := range o.Series {
			for _, raw := range s.Data {
				var d struct {
					Value   any    `json:"value"`
					Lineage string `json:"lineage"`
				}
				if json.Unmarshal(raw, &d) == nil && d.Lineage != "" {
					out = append(out, chartDatum{m[1], d.Lineage, d.Value})
				}
			}
		}
	}
	return out
}

// sample picks up to n evenly spread entries, first and last included.
func sample[T any](xs []T, n int) []T {
	if len(xs) <= n {
		return xs
	}
	out := make([]T, 0, n)
	for i := range n {
		out = append(out, xs[i*(len(xs)-1)/(n-1)])
	}
	return out
}

// followProvincial follows a link to a provincial value and checks the lineage names
// province_annual.csv and a line of it that holds that indicator, region and year (and
// the value, when one is given).
func followProvincial(t *testing.T, app inProcess, lines []string, link string, value any) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Path != "/lineage" {
		t.Fatalf("link %q is not a lineage address", link)
	}
	q := u.Query()
	a := getLineage(t, app, u.RawQuery)
	if len(a.Rows) == 0 || a.Rows[0].File != "province_annual.csv" || !a.Rows[0].Current || a.Rows[0].RunID == "" {
		t.Errorf("%s: lineage %+v; want the current load of province_annual.csv with its run", link, a)
		return
	}
	r := a.Rows[0]
	if r.Line < 2 || r.Line > len(lines) {
		t.Errorf("%s: line %d is outside the file", link, r.Line)
		return
	}
	f := strings.Split(lines[r.Line-1], ",")
	if len(f) < 5 || f[0] != q.Get("year") || f[1] != q.Get("region") || f[3] != q.Get("indicator") {
		t.Errorf("%s: line %d of the file is %q", link, r.Line, lines[r.Line-1])
		return
	}
	if v, ok := value.(float64); ok {
		if fv, _ := strconv.ParseFloat(f[4], 64); fv != v {
			t.Errorf("%s: the page draws %v, line %d holds %s", link, v, r.Line, f[4])
		}
	}
}

// Every number leads to its source: on each page, a sample of the tiles', targets',
// tables' and charts' numbers is followed to its lineage, which must name the file and
// the line (or sheet!cell) that holds it.
func TestEveryNumberLeadsToItsSource(t *testing.T) {
	t.Parallel()
	w := etltest.SharedDemo(t)
	app := newApp(t, w, etltest.Home)
	lines := strings.Split(readFile(t, filepath.Join(etltest.DataDir(), "real", "province_annual.csv")), "\n")

	// The cockpit: each tile's value, the share's national value, the targets' inputs and
	// the map.
	_, body := app.get("/?group=west12")
	links := pageLinks(body)
	if len(links) < 6+2 {
		t.Fatalf("the cockpit links %d numbers to their lineage; want the six tiles and the targets' inputs: %v", len(links), links)
	}
	for _, want := range []string{"/lineage?indicator=gdp_per_capita&region=620000&year=2024", "/lineage?indicator=gdp_per_capita&region=100000&year=2024",
		"/lineage?indicator=gdp_growth&region=620000&year=2024"} {
		found := false
		for _, l := range links {
			found = found || l == want
		}
		if !found {
			t.Errorf("the cockpit has no link %s", want)
		}
	}
	for _, l := range links {
		followProvincial(t, app, lines, l, nil)
	}
	data := chartLinks(t, body)
	if len(data) != 31 {
		t.Errorf("the map links %d provinces to their lineage; want 31", len(data))
	}
	for _, d := range sample(data, 5) {
		followProvincial(t, app, lines, d.link, d.value)
	}

	// Ranking and its trend charts: the table rows, the bars, the rank history, growth
	// and share lines.
	_, body = app.get("/ranking?indicator=gdp_per_capita&group=west12&year=2023")
	links = pageLinks(body)
	if len(links) != 12 {
		t.Errorf("the ranking table links %d rows; want 12", len(links))
	}
	for _, l := range sample(links, 4) {
		followProvincial(t, app, lines, l, nil)
	}
	charts := map[string]int{}
	for _, d := range chartLinks(t, body) {
		charts[d.chart]++
	}
	for _, c := range []string{"ranking", "rank-history", "growth", "gap-national"} {
		if charts[c] == 0 {
			t.Errorf("chart %s links no number to its lineage", c)
		}
	}
	for _, d := range sample(chartLinks(t, body), 8) {
		var v any
		if d.chart == "ranking" {
			v = d.value
		}
		followProvincial(t, app, lines, d.link, v)
	}
	// Real growth is its own series: the growth chart of GDP leads to gdp_growth.
	_, body = app.get("/ranking?indicator=gdp&group=west12")
	for _, d := range chartLinks(t, body) {
		if d.chart == "growth" && !strings.Contains(d.link, "indicator=gdp_growth") {
			t.Errorf("GDP's growth point links %s; want the real growth series", d.link)
			break
		}
	}

	// Counties: the table and the bars lead to the workbook's cell.
	_, body = app.get("/counties?indicator=gdp&year=2023")
	links = pageLinks(body)
	data = chartLinks(t, body)
	if len(links) == 0 || len(data) != len(links) {
		t.Fatalf("counties: %d table links, %d chart links; want one per county in both", len(links), len(data))
	}
	for _, d := range sample(data, 3) {
		u, _ := url.Parse(d.link)
		a := getLineage(t, app, u.RawQuery)
		if len(a.Rows) == 0 || a.Rows[0].File != "县域经济主要指标_2019-2024.xlsx" || !cellRef.MatchString(a.Rows[0].Cell) {
			t.Errorf("%s: lineage %+v; want the county workbook and a cell", d.link, a.Rows)
			continue
		}
		if wv, _ := strconv.ParseFloat(a.Rows[0].Value, 64); wv != d.value {
			t.Errorf("%s: the bar draws %v, the cell holds %s", d.link, d.value, a.Rows[0].Value)
		}
	}

	// Campaign: the scorecard rows and bars lead to the unit's report of the month.
	_, body = app.get("/campaign?month=2023-06-01")
	links = pageLinks(body)
	data = chartLinks(t, body)
	if len(links) == 0 || len(data) == 0 {
		t.Fatalf("campaign: %d table links, %d chart links", len(links), len(data))
	}
	for _, d := range sample(data, 3) {
		u, _ := url.Parse(d.link)
		a := getLineage(t, app, u.RawQuery)
		if len(a.Rows) == 0 || a.Rows[0].File != "三抓三促月报_2023-06.csv" || a.Rows[0].Line < 2 {
			t.Errorf("%s: lineage %+v; want the June report with its lines", d.link, a.Rows)
		}
	}

	// Ledger: every row leads to the item's description and reports.
	_, body = app.get("/ecology")
	links = pageLinks(body)
	if len(links) < 100 {
		t.Fatalf("the ledger links %d rows", len(links))
	}
	for _, l := range sample(links, 3) {
		u, _ := url.Parse(l)
		a := getLineage(t, app, u.RawQuery)
		if len(a.Rows) == 0 || !strings.HasPrefix(a.Rows[0].File, "生态环境问题整改台账_") || !cellRef.MatchString(a.Rows[0].Cell) {
			t.Errorf("%s: lineage %+v; want the ledger workbook and a cell", l, a.Rows)
		}
	}

	// A ledger item's progress chart: each report leads to the item's reports and cells.
	_, body = app.get("/ecology/items/GS-EC-0003")
	data = chartLinks(t, body)
	if len(data) == 0 {
		t.Fatal("the item's progress chart links no report to its lineage")
	}
	for _, d := range data {
		if d.link != "/lineage?item=GS-EC-0003" {
			t.Errorf("the item's progress point links %s", d.link)
		}
	}

	// English pages keep their language on the way.
	_, body = app.get("/?lang=en")
	for _, l := range pageLinks(body) {
		if !strings.Contains(l, "lang=en") {
			t.Errorf("English cockpit links %s", l)
		}
	}
}

// A lineage address whose parameters name nothing is told so, parameter by parameter, not
// answered "x · y · 0: not loaded" (before, any indicator, region and year were echoed).
func TestLineageRefusesParametersThatNameNothing(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	for _, tc := range []struct{ query, want string }{
		{"indicator=x&region=620000&year=2024", "链接中的指标（indicator=x）不在可选范围内"},
		{"indicator=gdp&region=999999&year=2024", "链接中的地区（region=999999）写法不对"},
		{"indicator=gdp&region=620000&year=z", "链接中的年份（year=z）写法不对"},
		{"indicator=gdp&region=620000&year=2024&kind=week", "链接中的类别（kind=week）写法不对，应形如 year, quarter, month, ytd"},
	} {
		code, body, _ := get(t, srv.URL+"/api/lineage?"+tc.query)
		if code != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("/api/lineage?%s: %d %.300s; want %q", tc.query, code, body, tc.want)
		}
	}
	if code, body, _ := get(t, srv.URL+"/api/lineage?indicator=gdp&region=620000&year=2024"); code != http.StatusOK || !strings.Contains(body, "province_annual.csv") {
		t.Errorf("Gansu's 2024 GDP: %d %.300s; want its source file", code, body)
	}
}
