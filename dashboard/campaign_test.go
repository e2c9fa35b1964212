package dashboard_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"jinwei/dashboard"
	"jinwei/dashboard/api"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

type campaignJSON struct {
	Kind      string        `json:"kind"`
	Scorecard api.Scorecard `json:"scorecard"`
	NoData    string        `json:"no_data"`
}

// The page shows the method in short, each unit's breakdown with what would raise it most,
// units without a report, and what rank changes compare with.
func TestCampaignAPIAndPage(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	var d campaignJSON
	getJSON(t, srv.URL+"/api/campaign?kind=county&month=2024-06-01", &d)
	if len(d.Scorecard.Units) != 86 || d.Scorecard.Month != "2024-06-01" || d.Scorecard.Weights["on_time_rate"] != 2 {
		t.Fatalf("%d units in %s with weights %v", len(d.Scorecard.Units), d.Scorecard.Month, d.Scorecard.Weights)
	}
	// Each unit carries its English name beside its Chinese one (before: Chinese only).
	for _, u := range d.Scorecard.Units {
		if u.Code == "620102" && (u.Name != "城关区" || u.NameEn != "Chengguan District") {
			t.Errorf("620102 is named %q and %q in the JSON; want 城关区 and Chengguan District", u.Name, u.NameEn)
		}
		if u.NameEn == "" {
			t.Errorf("%s (%s) has no English name in the JSON", u.Code, u.Name)
		}
	}
	// A month as every other page writes it (2024-06) is the same month; one that does not
	// read is said to be so (before, 2024-06 answered that the month had no reports).
	var short campaignJSON
	getJSON(t, srv.URL+"/api/campaign?kind=county&month=2024-06", &short)
	if short.Scorecard.Month != "2024-06-01" || len(short.Scorecard.Units) != 86 || short.NoData != "" {
		t.Errorf("month=2024-06: %q with %d units (%q); want 2024-06-01's 86", short.Scorecard.Month, len(short.Scorecard.Units), short.NoData)
	}
	for _, bad := range []string{"2024-6", "2024-06-15", "June"} {
		if code, body, _ := get(t, srv.URL+"/api/campaign?month="+bad); code != http.StatusBadRequest || !strings.Contains(body, "应形如 2025-02") {
			t.Errorf("month=%s: %d %.200s; want it named unreadable, with the form 2025-02", bad, code, body)
		}
	}
	if d.Scorecard.Baseline != warehouse.BaselineRescored {
		t.Errorf("baseline %q; want rescored when nothing was published", d.Scorecard.Baseline)
	}
	_, body, _ := get(t, srv.URL+"/campaign?kind=county")
	for _, want := range []string{"评分方法", "任务按期办结率", "每万人", "标准化值", "可升至第", "未发布通报", "重算", "缺报项按0分", "麻木僵化不思为",
		// How a rate above the median earns its points, which the page's own rule left out:
		// a department's +0.78 spreads scored 80.3, not the 69.5 the spread rule gives.
		"比率项高于中位数的部分按中位数至100%之间的比例计50–100分"} {
		if !strings.Contains(body, want) {
			t.Errorf("county page lacks %q", want)
		}
	}
	if strings.Contains(body, "%!") {
		t.Errorf("county page has a broken format verb: %s", body[strings.Index(body, "%!")-80:strings.Index(body, "%!")+20])
	}
	// A count per head of a city whose population was never loaded (the demo's Jiayuguan)
	// says so in its row; a stock item not yet due stays merely not applicable.
	for _, tc := range []struct{ path, unit, want string }{
		{"/campaign?kind=city&month=2025-02", "嘉峪关市", "<td>不适用：未载入该单位常住人口（不计分）</td>"},
		{"/campaign?kind=city&month=2025-02&lang=en", "Jiayuguan", "<td>not applicable: the unit&#39;s resident population is not loaded (left out)</td>"},
		{"/campaign?kind=city&month=2023-03", "兰州市", "<td>不适用（不计分）</td>"},
	} {
		_, page, _ := get(t, srv.URL+tc.path)
		// The table's flags say it beside the rank too, where the breakdown may stay shut.
		if flag := map[string]string{"嘉峪关市": "5个计数项不适用（未载入常住人口）", "Jiayuguan": "5 count items not applicable (no resident population loaded)"}[tc.unit]; flag != "" && !strings.Contains(page, flag) {
			t.Errorf("%s: %s's flags do not say %q", tc.path, tc.unit, flag)
		}
		_, row, _ := strings.Cut(page, "<summary>"+tc.unit)
		row, _, _ = strings.Cut(row, "</details>")
		if !strings.Contains(row, tc.want) || tc.unit == "兰州市" && strings.Contains(row, "常住人口") {
			t.Errorf("%s: %s's breakdown lacks %q:\n%.1500s", tc.path, tc.unit, tc.want, row)
		}
	}
	_, body, _ = get(t, srv.URL+"/campaign?kind=department")
	if !strings.Contains(body, "省财政厅") || strings.Contains(body, "每万人集中学习") {
		t.Errorf("department page: want departments, scored without counts per head")
	}
	_, body, _ = get(t, srv.URL+"/campaign?kind=city&lang=en")
	if strings.Contains(body, "%!") {
		t.Errorf("English page has a broken format verb")
	}
	// Units are named in English too (before: 兰州市 … in the English scorecard).
	if !strings.Contains(body, "<summary>Lanzhou") || strings.Contains(body, "<summary>兰州市") {
		t.Errorf("the English scorecard does not name Lanzhou in English")
	}
	for _, want := range []string{"Method", "Normalised", "re-scored", "Tasks completed on time"} {
		if !strings.Contains(body, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
	// An unknown kind answers 400 with the kinds there are: codes in the JSON, links on
	// the page.
	for p, want := range map[string]string{"/api/campaign?kind=village": `"choices":["city","county","department"]`, "/campaign?kind=village": `<a href="/campaign?kind=department">省直部门</a>`} {
		code, body, _ := get(t, srv.URL+p)
		if code != http.StatusBadRequest || !strings.Contains(body, want) || !strings.Contains(body, "village") {
			t.Errorf("GET %s: %d %.300s; want 400 naming the kinds there are", p, code, body)
		}
	}
}

// The methodology page lists every item of data/campaign_scoring.csv with its formula,
// weight and direction, in both languages.
func TestCampaignMethodPage(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	f, err := os.Open(filepath.Join(etltest.DataDir(), "campaign_scoring.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	_, zh, _ := get(t, srv.URL+"/campaign/method")
	_, en, _ := get(t, srv.URL+"/campaign/method?lang=en")
	note, noteEn := slices.Index(rows[0], "note"), slices.Index(rows[0], "note_en")
	for _, r := range rows[1:] {
		if !strings.Contains(zh, r[1]) || !strings.Contains(en, r[2]) {
			t.Errorf("method page lacks item %s (%s / %s)", r[0], r[1], r[2])
		}
		// Each item's note, in the page's language (the English page had no notes).
		if note < 0 || noteEn < 0 || !strings.Contains(zh, html.EscapeString(r[note])) || !strings.Contains(en, html.EscapeString(r[noteEn])) {
			t.Errorf("method page lacks the note on %s in Chinese or English", r[0])
		}
	}
	for _, want := range []string{"÷ 常住人口（万人）", "存量口径", "越高越好", "中位绝对偏差", "缺报", "未报", "并列", "重算"} {
		if !strings.Contains(zh, want) {
			t.Errorf("method page lacks %q", want)
		}
	}
	for _, want := range []string{"resident population", "stock", "higher is better", "median absolute deviation", "re-scored"} {
		if !strings.Contains(en, want) {
			t.Errorf("English method page lacks %q", want)
		}
	}
	// A rate's formula pools its numerator and denominator; a count's takes the monthly
	// mean: each says only its own ("…合计，计数项取月均" was said of rates too).
	for page, want := range map[string][]string{zh: {"× 100%（最高100%），分子、分母各取近3个月（含当月，跳过缺报月份）合计<", "÷ 常住人口（万人），取近3个月（含当月，跳过缺报月份）的月均<"},
		en: {"(at most 100%); numerator and denominator each summed over the last 3 months (this one included, blank months skipped)<", "÷ resident population (10,000s); the monthly mean over the last 3 months (this one included, blank months skipped)<"}} {
		for _, w := range want {
			if !strings.Contains(html.UnescapeString(page), w) {
				t.Errorf("the method page lacks the formula ending %q", w)
			}
		}
		if strings.Contains(page, "合计，计数项取月均") || strings.Contains(page, "months (this one included, blank months skipped), counts as a monthly mean") {
			t.Errorf("the method page says of every pooled formula what is true of counts")
		}
	}
	var m struct {
		Items []struct {
			Code   string  `json:"code"`
			Weight float64 `json:"weight"`
		} `json:"items"`
		Rules []string `json:"rules"`
	}
	getJSON(t, srv.URL+"/api/campaign/method", &m)
	if len(m.Items) != len(rows)-1 || len(m.Rules) < 8 {
		t.Errorf("method API: %d items, %d rules", len(m.Items), len(m.Rules))
	}
}

// An admin publishes a month; the next month's rank changes are then against it.
func TestCampaignPublish(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	app, err := dashboard.New(dashboard.Config{HomeRegion: etltest.Home, AdminToken: "tok"}, w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app)
	defer srv.Close()
	post := func(url, token string) int {
		req, _ := http.NewRequest(http.MethodPost, url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	// Without the token the request is refused (by the CSRF check or the admin check).
	if code := post(srv.URL+"/api/admin/campaign/publish?month=2025-01", ""); code < 400 || code >= 500 {
		t.Errorf("publish without the token answered %d", code)
	}
	var before campaignJSON
	getJSON(t, srv.URL+"/api/campaign?kind=county", &before)
	if before.Scorecard.Baseline != warehouse.BaselineRescored {
		t.Errorf("a refused publication was kept: baseline %q", before.Scorecard.Baseline)
	}
	if code := post(srv.URL+"/api/admin/campaign/publish?month=2025-01", "tok"); code != http.StatusOK {
		t.Fatalf("publish answered %d", code)
	}
	for _, kind := range []string{"city", "county", "department"} {
		var d campaignJSON
		getJSON(t, srv.URL+"/api/campaign?kind="+kind, &d)
		if d.Scorecard.Baseline != warehouse.BaselinePublished {
			t.Errorf("%s: baseline %q after publishing 2025-01", kind, d.Scorecard.Baseline)
		}
	}
	_, body, _ := get(t, srv.URL+"/campaign?kind=county")
	if !strings.Contains(body, "已发布的通报") {
		t.Errorf("page does not say rank changes are against the published ranking")
	}
	if code := post(srv.URL+"/api/admin/campaign/publish?month=1999-01", "tok"); code != http.StatusNotFound {
		t.Errorf("publishing a month without reports answered %d", code)
	}
}

// The API equals an independent recomputation, from the raw tables and the scoring file,
// for every demo month and every kind of unit.
func TestCampaignAPIMatchesIndependentRecomputation(t *testing.T) {
	t.Parallel()
	w := etltest.SharedDemo(t)
	srv := newServer(t, w)
	re := newRecompute(t, w)
	checked := 0
	for i, month := range re.months {
		for _, kind := range []string{"city", "county", "department"} {
			want := re.scores(kind, i)
			var d campaignJSON
			getJSON(t, srv.URL+"/api/campaign?kind="+kind+"&month="+month, &d)
			if len(d.Scorecard.Units) != len(want) {
				t.Fatalf("%s %s: %d units, recomputed %d", kind, month, len(d.Scorecard.Units), len(want))
			}
			for _, u := range d.Scorecard.Units {
				r, ok := want[u.Code]
				if !ok || r.reported != u.Reported || r.rank != u.Rank || math.Abs(r.score-u.Score) > 1e-9 {
					t.Errorf("%s %s %s: API score %.6f rank %d reported %v; recomputed %.6f rank %d reported %v",
						kind, month, u.Name, u.Score, u.Rank, u.Reported, r.score, r.rank, r.reported)
				}
				checked++
			}
		}
	}
	if checked != 24*(14+86+8) {
		t.Errorf("checked %d unit-months; want 24 × 108", checked)
	}
}

// recompute scores the demo a second way: its own reading of the raw tables, its own
// first-in-first-out queue, median and ranks. It shares no code with package scorecard.
type recompute struct {
	months []string
	items  []map[string]string
	// cells[unit][month][metric] and cats[unit][month][metric] (categories reported).
	cells   map[string]map[string]map[string]float64
	cats    map[string]map[string]map[string]int
	kinds   map[string]string // unit code → region or department
	levels  map[string]string // region code → city or county (counted only)
	names   map[string]string
	pop     map[string]map[int]float64
	parents map[string]string
}

func newRecompute(t *testing.T, w *warehouse.Warehouse) *recompute {
	t.Helper()
	ctx := context.Background()
	q := func(stmt string) [][]any {
		res, err := whtest.Query(ctx, w, stmt, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res.Rows
	}
	str := func(v any) string { return fmt.Sprint(v) }
	num := func(v any) float64 {
		f, err := strconv.ParseFloat(fmt.Sprint(v), 64)
		if err != nil {
			t.Fatalf("%v is not a number", v)
		}
		return f
	}
	r := &recompute{cells: map[string]map[string]map[string]float64{}, cats: map[string]map[string]map[string]int{},
		kinds: map[string]string{}, levels: map[string]string{}, names: map[string]string{}, pop: map[string]map[int]float64{}, parents: map[string]string{}}
	f, err := os.Open(filepath.Join(etltest.DataDir(), "campaign_scoring.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		it := map[string]string{}
		for i, h := range rows[0] {
			it[h] = row[i]
		}
		r.items = append(r.items, it)
	}
	for _, row := range q("SELECT DISTINCT toString(month) FROM campaign_metrics ORDER BY 1") {
		r.months = append(r.months, str(row[0]))
	}
	for _, row := range q(`SELECT toString(unit_kind), unit_code, toString(month), metric_code, problem_category, toString(argMax(value, loaded_at))
		FROM campaign_metrics WHERE run_id IN (SELECT run_id FROM committed_runs)
		GROUP BY unit_kind, unit_code, month, metric_code, problem_category`) {
		unit, month, metric := str(row[1]), str(row[2]), str(row[3])
		r.kinds[unit] = str(row[0])
		if r.cells[unit] == nil {
			r.cells[unit], r.cats[unit] = map[string]map[string]float64{}, map[string]map[string]int{}
		}
		if r.cells[unit][month] == nil {
			r.cells[unit][month], r.cats[unit][month] = map[string]float64{}, map[string]int{}
		}
		r.cells[unit][month][metric] += num(row[5])
		if str(row[4]) != "0" {
			r.cats[unit][month][metric]++
		}
	}
	for _, row := range q("SELECT code, name_zh, toString(level), parent_code, counted FROM regions FINAL WHERE level IN ('city', 'county')") {
		if str(row[2]) == "city" || str(row[4]) == "1" {
			r.levels[str(row[0])] = str(row[2])
			r.parents[str(row[0])] = str(row[3])
		}
		r.names[str(row[0])] = str(row[1])
	}
	for _, row := range q("SELECT region_code, year, toString(value) FROM indicator_values_current WHERE indicator_code = 'population' AND period_kind = 'year'") {
		if r.pop[str(row[0])] == nil {
			r.pop[str(row[0])] = map[int]float64{}
		}
		r.pop[str(row[0])][int(num(row[1]))] = num(row[2])
	}
	return r
}

func (r *recompute) population(code string, year int) float64 {
	latest := func(c string) float64 {
		best, v := 0, 0.0
		for y, p := range r.pop[c] {
			if y <= year && y > best {
				best, v = y, p
			}
		}
		return v
	}
	if v := latest(code); v > 0 {
		return v
	}
	var sum float64
	for c, p := range r.parents {
		if p == code && r.levels[c] == "county" {
			sum += latest(c)
		}
	}
	return sum
}

type recomputed struct {
	score    float64
	rank     int
	reported bool
}

// value is an item for a unit in month i: ok, "missing" or "na".
func (r *recompute) value(it map[string]string, unit string, i int, size float64) (float64, string) {
	month := r.months[i]
	rep, ok := r.cells[unit][month]
	// blank reads month (reassigned below while pooling).
	blank := func(metric string) bool {
		if metric == "" {
			return false
		}
		_, has := rep[metric]
		byCat := metric == "problems_found" || metric == "problems_rectified"
		return !has || (byCat && r.cats[unit][month][metric] != 7)
	}
	if !ok || blank(it["num"]) || blank(it["den"]) {
		return 0, "missing"
	}
	// Counts and rates pool the last `pool` months the unit reported.
	pool, _ := strconv.Atoi(it["pool"])
	var num, den float64
	var months int
	for m := i; m > i-max(pool, 1) && m >= 0; m-- {
		rep, ok := r.cells[unit][r.months[m]]
		month = r.months[m]
		if !ok || blank(it["num"]) || blank(it["den"]) {
			continue
		}
		num, den, months = num+rep[it["num"]], den+rep[it["den"]], months+1
	}
	switch it["formula"] {
	case "per_size":
		if size <= 0 {
			return 0, "na"
		}
		return num / float64(months) / size, "ok"
	case "rate":
		if den <= 0 {
			return 0, "na"
		}
		return math.Min(1, num/den) * 100, "ok"
	}
	// stock: a queue of [month opened, cases still open]; closures take the oldest first.
	deadline, _ := strconv.Atoi(it["deadline"])
	type batch struct{ month, open int }
	var queue []batch
	var opened []float64
	closedOf := map[int]float64{}
	for m := 0; m <= i; m++ {
		// A metric with a blank category counts 0 in the history.
		cell := func(metric string) int {
			month := r.months[m]
			byCat := metric == "problems_found" || metric == "problems_rectified"
			if byCat && r.cats[unit][month][metric] != 7 {
				return 0
			}
			return int(r.cells[unit][month][metric])
		}
		n := cell(it["den"])
		opened = append(opened, float64(n))
		queue = append(queue, batch{m, n})
		closing := cell(it["num"])
		for k := range queue {
			take := min(closing, queue[k].open)
			queue[k].open -= take
			closing -= take
			closedOf[queue[k].month] += float64(take)
		}
	}
	c := i - deadline + 1
	if c < 0 || opened[c] == 0 {
		return 0, "na"
	}
	return closedOf[c] / opened[c] * 100, "ok"
}

func (r *recompute) scores(kind string, i int) map[string]recomputed {
	var units []string
	for code := range r.cells {
		if kind == "department" && r.kinds[code] == "department" {
			for m := 0; m <= i; m++ {
				if _, ok := r.cells[code][r.months[m]]; ok {
					units = append(units, code)
					break
				}
			}
		}
	}
	if kind != "department" {
		for code, level := range r.levels {
			if level == kind {
				units = append(units, code)
			}
		}
	}
	year, _ := strconv.Atoi(r.months[i][:4])
	kindOf := map[string]string{"city": "region", "county": "region", "department": "department"}[kind]
	type val struct {
		v      float64
		status string
	}
	vals := map[string]map[int]map[string]val{}
	var items []map[string]string
	for _, it := range r.items {
		if slices.Contains(strings.Split(it["kinds"], ";"), kindOf) {
			items = append(items, it)
		}
	}
	for _, u := range units {
		vals[u] = map[int]map[string]val{}
		size := 0.0
		if kind != "department" {
			size = r.population(u, year)
		}
		for m := 0; m <= i; m++ {
			vals[u][m] = map[string]val{}
			for _, it := range items {
				v, s := r.value(it, u, m, size)
				vals[u][m][it["code"]] = val{v, s}
			}
		}
	}
	out := map[string]recomputed{}
	var ranked []string
	// all is the weight of the items that apply to some unit reporting this month.
	var all float64
	for _, it := range items {
		for _, u := range units {
			if _, ok := r.cells[u][r.months[i]]; ok && vals[u][i][it["code"]].status != "na" {
				w, _ := strconv.ParseFloat(it["weight"], 64)
				all += w
				break
			}
		}
	}
	for _, u := range units {
		if _, ok := r.cells[u][r.months[i]]; !ok {
			out[u] = recomputed{}
			continue
		}
		// weight is that of the items that apply to the unit.
		var total, weight float64
		for _, it := range items {
			from, to := i-12, i-1
			if i == 0 {
				from, to = 0, 0
			}
			var hist []float64
			for _, o := range units {
				for m := max(from, 0); m <= to; m++ {
					if v := vals[o][m][it["code"]]; v.status == "ok" {
						hist = append(hist, v.v)
					}
				}
			}
			med := middle(hist)
			var dev []float64
			for _, h := range hist {
				dev = append(dev, math.Abs(h-med))
			}
			minSpread, _ := strconv.ParseFloat(it["min_spread"], 64)
			spread := math.Max(1.4826*middle(dev), math.Max(minSpread, 0.05*math.Abs(med)))
			if len(hist) == 0 {
				med, spread = 0, math.Max(minSpread, 1)
			}
			if spread == 0 {
				spread = 1
			}
			wgt, _ := strconv.ParseFloat(it["weight"], 64)
			dir, _ := strconv.ParseFloat(it["direction"], 64)
			v := vals[u][i][it["code"]]
			switch v.status {
			case "na":
				continue
			case "missing":
				weight += wgt
			default:
				p := math.Max(0, math.Min(100, 50+25*dir*(v.v-med)/spread))
				// A rate or stock earns full marks at 100 %, 50–100 between its median and 100 %.
				if (it["formula"] == "rate" || it["formula"] == "stock") && dir > 0 {
					if v.v >= 100 {
						p = 100
					} else if v.v > med {
						p = math.Max(p, 50+50*(v.v-med)/(100-med))
					}
				}
				total += wgt * p
				weight += wgt
			}
		}
		s := 0.0
		if weight > 0 {
			s = total / weight
		}
		out[u] = recomputed{score: s, reported: true}
		// Scored on items carrying less than two thirds of that weight: not ranked.
		if 3*weight >= 2*all*(1-1e-9) {
			ranked = append(ranked, u)
		}
	}
	two := func(x float64) float64 { return math.Round(x*100) / 100 }
	sort.Slice(ranked, func(a, b int) bool { return two(out[ranked[a]].score) > two(out[ranked[b]].score) })
	for _, u := range ranked {
		rank := 1
		for _, o := range ranked {
			if two(out[o].score) > two(out[u].score) {
				rank++
			}
		}
		x := out[u]
		x.rank = rank
		out[u] = x
	}
	return out
}

func middle(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// earlyReport is the demo (reports to 2025-02) with one county's report of 2025-03, due
// 5 April, sent on 1 April, served with a leader signed in.
func earlyReport(t *testing.T) (*authFixture, *http.Client) {
	t.Helper()
	w := etltest.Demo(t)
	etltest.SubmitForm(t, w, "620102", "2025-03", time.Date(2025, 4, 1, 9, 0, 0, 0, warehouse.ProvinceTime), warehouse.ReportCell{Metric: "study_sessions", Value: 4})
	f := newAuthServerOn(t, w)
	leader, _ := f.signedIn(t, "leader")
	return f, leader
}

// campaignAnswer is /api/campaign's answer at u to c.
func campaignAnswer(t *testing.T, c *http.Client, u string) campaignJSON {
	t.Helper()
	code, body := call(t, c, "GET", u, nil, nil)
	var d campaignJSON
	if err := json.Unmarshal([]byte(body), &d); code != http.StatusOK || err != nil {
		t.Fatalf("GET %s: %d %v %.200s", u, code, err, body)
	}
	return d
}

// A campaign page opened on a month long past says which months since are due and
// missing: in December 2026 it opened on 2025-02 as if that were the month's news.
func TestCampaignSaysWhichMonthsAreMissingSince(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, warehouse.ProvinceTime)
	in := newAppWith(t, etltest.SharedDemo(t), dashboard.Config{HomeRegion: etltest.Home, Clock: func() time.Time { return now }})
	for _, tc := range []struct {
		now        time.Time
		path, want string
	}{
		{now, "/campaign", "最近有月报的月份是 2025-02；此后 20 个月（2025-03 至 2026-10）的月报已过截止日期，尚未载入。"},
		{now, "/campaign?lang=en&kind=county", "The latest month with reports is 2025-02; the 20 months since (2025-03 to 2026-10) are past their deadlines"},
		{time.Date(2025, 4, 10, 9, 0, 0, 0, warehouse.ProvinceTime), "/campaign", "最近有月报的月份是 2025-02；2025-03 的月报已过截止日期，尚未载入。"},
		{time.Date(2025, 3, 20, 9, 0, 0, 0, warehouse.ProvinceTime), "/campaign", ""},
		{now, "/campaign?month=2025-02", ""}, // a month asked for is the reader's choice
	} {
		now = tc.now
		_, page := in.get(tc.path)
		if got := regexp.MustCompile(`id="sc-behind">([^<]*)`).FindStringSubmatch(page); (tc.want == "") != (got == nil) || (got != nil && !strings.HasPrefix(got[1], tc.want)) {
			t.Errorf("%s on %s: %q, want %q", tc.path, tc.now.Format(time.DateOnly), got, tc.want)
		}
	}
}

// The campaign pages open on the latest month whose reports are all due: the first unit
// to report a new month does not turn the page to that month, where it would rank alone.
func TestCampaignOpensOnTheLatestMonthDue(t *testing.T) {
	t.Parallel()
	f, leader := earlyReport(t)
	for _, tc := range []struct {
		now  time.Time
		want string
	}{
		{time.Date(2025, 4, 2, 12, 0, 0, 0, warehouse.ProvinceTime), "2025-02-01"},
		{time.Date(2025, 4, 6, 12, 0, 0, 0, warehouse.ProvinceTime), "2025-03-01"},
	} {
		f.now = tc.now
		if d := campaignAnswer(t, leader, f.srv.URL+"/api/campaign?kind=county"); d.Scorecard.Month != tc.want {
			t.Errorf("on %s the campaign opens on %s; want %s", tc.now.Format(time.DateOnly), d.Scorecard.Month, tc.want)
		}
	}
}

// A month asked for before its deadline was scored with the units that had reported: one
// county "first, 68.75 points" and 85 counted missing (未报) while /reports said pending
// (待报); the brief of that month said the same. It is scored once due; until then the
// page says when, the picker does not offer it and the brief speaks of the month before.
func TestAMonthIsScoredOnceItsReportsAreDue(t *testing.T) {
	t.Parallel()
	f, leader := earlyReport(t)
	f.now = time.Date(2025, 4, 2, 12, 0, 0, 0, warehouse.ProvinceTime)
	d := campaignAnswer(t, leader, f.srv.URL+"/api/campaign?kind=county&month=2025-03")
	if len(d.Scorecard.Units) != 0 || !strings.Contains(d.NoData, "2025-03 的月报截止于 2025-04-05") {
		t.Errorf("2025-03 before its deadline: %d units scored, %q; want none, and when it is due", len(d.Scorecard.Units), d.NoData)
	}
	page := body(t, leader, f.srv.URL+"/campaign?kind=county&month=2025-03&lang=en")
	if !strings.Contains(page, "Reports for 2025-03 are due by 2025-04-05") || strings.Contains(page, `<option value="2025-03-01"`) || !strings.Contains(page, `<option value="2025-02-01"`) {
		t.Errorf("the English page of 2025-03 before its deadline does not say when it is due, or offers it:\n%s", between(page, "<main", "</table>"))
	}
	var b dashboard.Briefing
	_, brief := call(t, leader, "GET", f.srv.URL+"/api/brief?period=2025-03", nil, nil)
	if err := json.Unmarshal([]byte(brief), &b); err != nil || len(b.Sections) == 0 {
		t.Fatalf("the brief of 2025-03: %v %.200s", err, brief)
	}
	before := 0
	for _, sec := range b.Sections {
		for _, st := range sec.Sentences {
			if strings.Contains(st.Link, "month=2025-03") {
				t.Errorf("the brief of 2025-03, before its reports are due, scores it: %s", st.Text)
			}
			if strings.Contains(st.Link, "month=2025-02") {
				before++
			}
		}
	}
	if before == 0 {
		t.Errorf("the brief of 2025-03, before its reports are due, says nothing of 2025-02's scorecard")
	}
	// Nor is it published (通报): the next month's changes would be measured against the
	// ranks of the one county that reported early.
	publish := f.srv.URL + "/api/admin/campaign/publish?kind=county&month=2025-03"
	if code, body := call(t, f.client(t), "POST", publish, cliToken, nil); code != http.StatusConflict || !strings.Contains(body, "due by 2025-04-05") {
		t.Errorf("publishing 2025-03 before its deadline: %d %s, want 409 saying when it is due", code, body)
	}
	f.now = time.Date(2025, 4, 6, 12, 0, 0, 0, warehouse.ProvinceTime)
	if d := campaignAnswer(t, leader, f.srv.URL+"/api/campaign?kind=county&month=2025-03"); len(d.Scorecard.Units) < 80 || d.NoData != "" {
		t.Errorf("2025-03 once due: %d units scored, %q; want every county", len(d.Scorecard.Units), d.NoData)
	}
	if code, body := call(t, f.client(t), "POST", publish, cliToken, nil); code != http.StatusOK {
		t.Errorf("publishing 2025-03 once due: %d %s", code, body)
	}
}

// The campaign page told leaders its scores in an analyst's words ("1.4826 × 中位绝对偏差"):
// it says how scores are made in plain words and leaves the formulas to the method page.
func TestCampaignSaysHowItScoresInPlainWords(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	// The items say "（近3个月月均）" of counts: the rules said counts were summed over 3
	// months, as rates are.
	for _, tc := range []struct{ path, plain, window, method string }{
		{"/campaign", "一般水平（中位数）相比，持平得50分", "计数按每万常住人口折算，取近3个月月均；比率取近3个月合计之比", "/campaign/method"},
		{"/campaign?lang=en", "the usual level (the median) of units of the same kind", "Counts are per 10,000 residents, a monthly mean over the last 3 months; rates are of the last 3 months’ totals", "/campaign/method?lang=en"},
	} {
		_, page, _ := get(t, srv.URL+tc.path)
		rules := between(page, `id="sc-rules"`, "</p>")
		if !strings.Contains(rules, tc.plain) || !strings.Contains(rules, tc.window) || strings.Contains(rules, "1.4826") || strings.Contains(rules, "绝对偏差") || strings.Contains(rules, "absolute deviation") {
			t.Errorf("%s says how it scores as %q", tc.path, rules)
		}
		if _, method, _ := get(t, srv.URL+tc.method); !strings.Contains(method, "1.4826") {
			t.Errorf("%s lost the exact formula", tc.method)
		}
	}
}

// The trend's six counts share one axis: each line says its unit and the chart what it
// counts (it said neither: "0–4,000" of what).
func TestCampaignTrendSaysWhatItCounts(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	for path, wants := range map[string][]string{
		"/campaign":         {"全省各单位当月合计", "发现突出问题（个）", "按期办结任务（项）", "六必访走访企业（家）", "四不两直督查（次）"},
		"/campaign?lang=en": {"Totals of all the province’s units, by month", "Problems found (items)", "Enterprise visits (enterprises)"},
	} {
		_, page, _ := get(t, srv.URL+path)
		for _, want := range wants {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the trend chart lacks %q", path, want)
			}
		}
	}
}

// A city whose population was never loaded (the demo's Jiayuguan) is scored on its rates
// alone: it takes no place (it stood 11th of 14 on 4 of 9 items), it is listed after the
// ranked cities saying why, it has no bar among the ranked ones, and the others' ranks
// run 1–13 without it.
func TestAUnitScoredOnTooFewItemsTakesNoPlace(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	var d campaignJSON
	getJSON(t, srv.URL+"/api/campaign?kind=city&month=2025-02", &d)
	var ranks []int
	for i, u := range d.Scorecard.Units {
		if u.Code == "620200" {
			if !u.Partial || u.Rank != 0 || !u.Reported || i != len(d.Scorecard.Units)-1 {
				t.Errorf("Jiayuguan %+v at %d of %d; want reported, partial, unranked, after the ranked", u, i, len(d.Scorecard.Units))
			}
			continue
		}
		if u.Partial {
			t.Errorf("%s is partial", u.Name)
		}
		ranks = append(ranks, u.Rank)
	}
	if len(ranks) != 13 || ranks[0] != 1 || !slices.IsSorted(ranks) || ranks[12] > 13 || slices.Contains(ranks, 0) {
		t.Errorf("the other cities' ranks %v; want 13 ranked from 1", ranks)
	}
	for _, tc := range []struct{ path, unit, flag string }{
		{"/campaign?kind=city&month=2025-02", "嘉峪关市", "不排名：适用项权重合计不足三分之二"},
		{"/campaign?kind=city&month=2025-02&lang=en", "Jiayuguan", "not ranked: the items that apply carry less than two thirds of the weight"},
	} {
		_, page, _ := get(t, srv.URL+tc.path)
		head, row, _ := strings.Cut(page, "<summary>"+tc.unit)
		if i := strings.LastIndex(head, "<tr"); i < 0 || !strings.HasPrefix(head[i:], `<tr class="unranked"><td>—</td><td class="same">—</td>`) {
			t.Errorf("%s: %s's row does not start unranked: %.120s", tc.path, tc.unit, head[max(0, strings.LastIndex(head, "<tr")):])
		}
		row, _, _ = strings.Cut(row, "</tr>\n")
		if !strings.Contains(row, tc.flag) || strings.Contains(row, `class="hint"`) {
			t.Errorf("%s: %s's row lacks %q or offers a place to gain:\n%.2000s", tc.path, tc.unit, tc.flag, row)
		}
		chart, _, _ := strings.Cut(page[strings.Index(page, `id="scorecard"`):], "</script>")
		// The chart's title names the units it ranks (a saved picture said only the month).
		if want := map[string]string{"嘉峪关市": "三抓三促综合评分（市州）2025-02", "Jiayuguan": "Campaign scorecard of cities, 2025-02"}[tc.unit]; !strings.Contains(chart, want) {
			t.Errorf("%s: the scorecard's title is not %q:\n%.300s", tc.path, want, chart)
		}
		if strings.Contains(chart, tc.unit) || !strings.Contains(chart, map[string]string{"嘉峪关市": "兰州市", "Jiayuguan": "Lanzhou"}[tc.unit]) {
			t.Errorf("%s: the ranked bars name %s, or not the others:\n%.600s", tc.path, tc.unit, chart)
		}
	}
}
