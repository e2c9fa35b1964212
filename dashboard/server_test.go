package dashboard_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"jinwei/dashboard"
	"jinwei/dashboard/api"
	"jinwei/etl/etltest"
)

func newServer(t *testing.T, store dashboard.Warehouse) *httptest.Server {
	t.Helper()
	app, err := dashboard.New(dashboard.Config{HomeRegion: etltest.Home}, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b), res.Header
}

func TestRankingAPIMatchesPublishedFigures(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	status, body, _ := get(t, srv.URL+"/api/ranking?indicator=gdp_per_capita&year=2022&group=all31")
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	var r api.Ranking
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	// SOURCES.md: revised 2022 per-capita GDP, Gansu 46,381 and national 87,385 (0.531).
	if r.Home == nil || r.Home.Row.Value != 46381 || r.Nation == nil || *r.Nation != 87385 {
		t.Fatalf("home %+v nation %v; want Gansu 46381 and national 87385", r.Home, r.Nation)
	}
	if r.Home.Row.Rank != 31 || r.Home.GroupSize != 31 || math.Abs(*r.Home.RatioToNation-46381.0/87385) > 1e-12 {
		t.Errorf("rank %d/%d ratio %v; want 31/31 and 46381/87385", r.Home.Row.Rank, r.Home.GroupSize, *r.Home.RatioToNation)
	}
	up := r.Home.NextUp
	if up == nil || up.To.Rank != 30 || math.Abs(up.Amount-(up.To.Value-46381)) > 1e-9 || math.Abs(up.Percent-up.Amount/46381*100) > 1e-9 {
		t.Errorf("next place up %+v; want rank 30 with the difference to it", up)
	}
	if len(r.Rows) != 31 || r.Rows[0].RegionCode != "110000" {
		t.Errorf("%d rows, first %v; want 31 with Beijing first", len(r.Rows), r.Rows[0].NameZh)
	}
	if len(r.Sources) == 0 || r.Sources[0].File != "province_annual.csv" {
		t.Errorf("sources %+v; want the loaded statistics file", r.Sources)
	}
}

func TestRankingAPIRankChangeAndLowerIsBetter(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	// Real growth 2024 among the Yellow River nine, a group Gansu belongs to.
	_, body, _ := get(t, srv.URL+"/api/ranking?indicator=gdp_growth&year=2024&group=yellow_river9")
	var r api.Ranking
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 9 || r.Home == nil {
		t.Fatalf("%d rows, home %v; want 9 with Gansu", len(r.Rows), r.Home)
	}
	for i := 1; i < len(r.Rows); i++ {
		if r.Rows[i].Value > r.Rows[i-1].Value {
			t.Fatalf("growth not sorted best first: %v then %v", r.Rows[i-1], r.Rows[i])
		}
	}
	for _, row := range r.Rows {
		if row.HasPrev && row.RankChange != row.PrevRank-row.Rank {
			t.Errorf("%s: change %d, want prev %d - now %d", row.NameZh, row.RankChange, row.PrevRank, row.Rank)
		}
	}
	// A price index is neither good nor bad: it was ranked "lower is better", falling prices
	// (宁夏 99.7) first with "进位 8". It ranks largest first, as a size does.
	_, body, _ = get(t, srv.URL+"/api/ranking?indicator=cpi_index&year=2023&group=all31")
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(r.Rows); i++ {
		if r.Rows[i].Value > r.Rows[i-1].Value {
			t.Fatalf("CPI not sorted largest first: %v then %v", r.Rows[i-1], r.Rows[i])
		}
	}
	if _, page, _ := get(t, srv.URL+"/ranking?indicator=cpi_index&year=2023&group=west12"); !strings.Contains(page, "此指标不分优劣") || !strings.Contains(page, "与全国相比") ||
		strings.Contains(page, "距上一名") || strings.Contains(page, "与全国差距") || strings.Contains(page, "规模指标") {
		t.Errorf("the CPI's ranking page judges its places, or calls it a size: %.400s", between(page, `class="direction"`, "</main>"))
	}
	// An indicator whose direction is -1 (lower is better) ranks the lowest first: the demo
	// has none now, so CPI is given that direction in a warehouse of this test's own.
	w := etltest.Demo(t)
	etltest.LoadCSV(t, w, "indicators", "lower.csv", "code,name_zh,unit,direction,frequency,kind\ncpi_index,居民消费价格指数,上年=100,-1,year,index\n")
	_, body, _ = get(t, newServer(t, w).URL+"/api/ranking?indicator=cpi_index&year=2023&group=all31")
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(r.Rows); i++ {
		if r.Rows[i].Value < r.Rows[i-1].Value {
			t.Fatalf("lower is better, but not sorted lowest first: %v then %v", r.Rows[i-1], r.Rows[i])
		}
	}
}

func TestRankingPageShowsHomeStanding(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	status, body, _ := get(t, srv.URL+"/ranking?indicator=gdp_per_capita&year=2024&group=all31")
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	for _, want := range []string{"31/31", "55.2%", "全国 95,749 元", "距上一名（第30名黑龙江）：需增加 1,277 元（&#43;2.4%）", "持平", `src="/static/vendor/echarts.min.js"`, "province_annual.csv", `<tr class="home">`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "https://") || strings.Contains(body, "http://") {
		t.Errorf("page refers to another host")
	}
	_, en, _ := get(t, srv.URL+"/ranking?indicator=gdp_per_capita&year=2024&group=all31&lang=en")
	// A level per person is a multiple of the national level, not a share of a national total.
	for _, want := range []string{"<h3>Rank among all provinces</h3>", "Gansu", "% of the national level", "increase by 1,277 yuan (&#43;2.4%)", "中文"} {
		if !strings.Contains(en, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
}

func TestBadRequestsGetClearAnswers(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	tests := []struct {
		path   string
		status int
		want   string
	}{
		// A value outside a parameter's choices answers 400 with the choices there are.
		{"/api/ranking?indicator=nope&lang=en", 400, `The link's indicator (indicator=nope) is not one of the choices. Choices: gdp, gdp_growth, `},
		{"/api/ranking?group=%3Cscript%3E", 400, `"param":"group"`},
		{"/api/ranking?year=abc&lang=en", 400, `The link's year (year=abc) is not written right`},
		{"/ranking?indicator=%3Cscript%3Ealert(1)%3C/script%3E", 400, "链接中的指标（indicator=&lt;script&gt;alert(1)&lt;/script&gt;）不在可选范围内"},
		{"/static/nothing.js", 404, ""},
		// A name that is no file name is none of the assets: it was a 500 (red team).
		{"/static/%ff", 404, ""},
		{"/static/%c0%ae%c0%ae/etc/passwd", 404, ""},
	}
	for _, tc := range tests {
		status, body, _ := get(t, srv.URL+tc.path)
		if status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s = %d %q; want %d containing %q", tc.path, status, body, tc.status, tc.want)
		}
		if strings.Contains(body, "<script>alert") {
			t.Errorf("GET %s echoes markup unescaped", tc.path)
		}
	}
	// A method a page does not take is 405 with the methods it does, not 400 "missing csrf
	// token" (red team).
	for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch} {
		for _, path := range []string{"/", "/ranking"} {
			req, _ := http.NewRequest(m, srv.URL+path, strings.NewReader("x=1"))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(res.Header.Get("Allow"), http.MethodGet) {
				t.Errorf("%s %s = %d, Allow %q; want 405 allowing GET", m, path, res.StatusCode, res.Header.Get("Allow"))
			}
		}
	}
}

func TestStaticAssetsAreServedLocallyWithCacheHeaders(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	status, body, h := get(t, srv.URL+"/static/vendor/echarts.min.js")
	if status != 200 || len(body) < 500_000 || !strings.Contains(h.Get("Cache-Control"), "max-age") {
		t.Fatalf("echarts: status %d, %d bytes, cache %q", status, len(body), h.Get("Cache-Control"))
	}
	// The same for everyone: no cookie set on it and nothing that makes a browser fetch the
	// megabyte again after signing in (Vary: Cookie did, and a CSRF cookie was set on each).
	if h.Get("Set-Cookie") != "" || strings.Contains(strings.ToLower(strings.Join(h.Values("Vary"), ",")), "cookie") {
		t.Errorf("echarts is answered with Set-Cookie %q and Vary %q: it varies with the reader", h.Get("Set-Cookie"), h.Values("Vary"))
	}
	// Kept past its day, it is asked for again with its tag and not sent again.
	tag := h.Get("ETag")
	if tag == "" {
		t.Fatal("echarts has no ETag: a browser must fetch it whole once its day is over")
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/static/vendor/echarts.min.js", nil)
	req.Header.Set("If-None-Match", tag)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("echarts asked for again with its tag %s answered %d, want 304", tag, res.StatusCode)
	}
	if _, _, other := get(t, srv.URL+"/static/app.js"); other.Get("ETag") == tag || other.Get("ETag") == "" {
		t.Errorf("app.js's tag %q; echarts' %q", other.Get("ETag"), tag)
	}
}

// Names come from files; whatever they hold reaches the page as text, never as markup, in
// the HTML and in the chart option alike.
func TestHostileNamesFromFilesAreEscaped(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	evil := `<img src=x onerror=alert(1)>"</script><script>alert(2)</script>`
	etltest.LoadCSV(t, w, "regions", "evil_regions.csv",
		"code,name_zh,short_zh,name_en,level,parent_code\n990000,\""+strings.ReplaceAll(evil, `"`, `""`)+"\",\""+strings.ReplaceAll(evil, `"`, `""`)+"\",Evil,province,100000\n")
	etltest.LoadCSV(t, w, "peer_groups", "evil_groups.csv", "code,name_zh,name_en,members\nevil,对照组</title>,Evil,990000 {home}\n")
	etltest.LoadCSV(t, w, "economy", "evil_values.csv", "year,region_code,indicator,value\n2024,990000,gdp_per_capita,99999\n")
	srv := newServer(t, w)
	status, body, _ := get(t, srv.URL+"/ranking?indicator=gdp_per_capita&year=2024&group=evil")
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	for _, bad := range []string{"<img src=x", "<script>alert(2)", "对照组</title>"} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains %q unescaped", bad)
		}
	}
	if !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Errorf("page lacks the escaped name in the data table")
	}
	if !strings.Contains(body, `\u003cimg src=x onerror=alert(1)\u003e`) {
		t.Errorf("chart option lacks the JSON-escaped name")
	}
	if !strings.Contains(body, `<p class="big">2/2</p>`) {
		t.Errorf("Gansu should rank 2/2 behind the hostile province")
	}
}

// A small group says which provinces it holds: "the speech's benchmarks" said nothing of
// which they are. A group of all 31 says it by its name.
func TestASmallGroupNamesItsMembers(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	for path, want := range map[string]string{
		"/ranking?group=benchmarks":         `<p class="group-note" id="group-note">对标组内：安徽、重庆、四川、贵州、甘肃（共 5 个）</p>`,
		"/ranking?group=benchmarks&lang=en": `<p class="group-note" id="group-note">In the group: Anhui, Chongqing, Sichuan, Guizhou, Gansu (5)</p>`,
		"/ranking?group=all31":              "",
	} {
		_, page := app.get(path)
		if got := strings.Contains(page, `id="group-note"`); got != (want != "") || !strings.Contains(page, want) {
			t.Errorf("%s: group note %q, want %q", path, between(page, `<p class="group-note"`, "</p>"), want)
		}
	}
}

// A target without a figure shows a dash in every cell that has none: its year was blank
// beside "—" for the figure and the goal, as if a cell were missing.
func TestATargetWithoutDataDashesItsYear(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	_, page := app.get("/")
	if !strings.Contains(page, `<span class="rag rag-no_data">无数据</span></td><td data-label="年份">—</td>`) {
		t.Errorf("a target without data: %s", between(page, `rag-no_data`, `</tr>`))
	}
}

// A handler that panics answers 500 with the error page, and the server goes on: net/http
// closed the connection, and the reader saw the browser's own error.
func TestAPanickingHandlerAnswers500(t *testing.T) {
	t.Parallel()
	app, err := dashboard.New(dashboard.Config{HomeRegion: etltest.Home}, etltest.SharedDemo(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	app.GET("/panics", func(echo.Context) error {
		var p *struct{ n int }
		p.n++
		return nil
	})
	srv := httptest.NewServer(app)
	defer srv.Close()
	status, body, _ := get(t, srv.URL+"/panics")
	if status != http.StatusInternalServerError || !strings.Contains(body, `id="error-hint"`) {
		t.Errorf("a panicking handler answered %d %.200q; want 500 with the error page", status, body)
	}
	if status, _, _ := get(t, srv.URL+"/"); status != http.StatusOK {
		t.Errorf("after the panic the cockpit answered %d", status)
	}
}
