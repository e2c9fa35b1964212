package dashboard_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"jinwei/dashboard"
	"jinwei/etl/etltest"
	"jinwei/warehouse/whtest"
)

// numberRE finds the numbers a reader sees in a sentence: 52825, 1,277, 55.2.
var numberRE = regexp.MustCompile(`\d[\d,]*(?:\.\d+)?`)

func numbersIn(s string) []string {
	out := numberRE.FindAllString(s, -1)
	for i, n := range out {
		out[i] = strings.ReplaceAll(n, ",", "")
	}
	return out
}

// "数据版本 142" on a briefing said nothing of what the number is: it is explained on the
// briefing and on the archive that lists versions, in both languages.
func TestBriefSaysWhatItsDataVersionIs(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	for _, tc := range []struct{ path, want string }{
		{"/brief?period=2024", "数据每有写入（载入、填报等），数据版本即增大"},
		{"/brief?period=2024&lang=en", "The data version increases whenever data is written (loads, reports…)"},
		{"/briefs", "版本相同的简报依据的数据相同"},
		{"/briefs?lang=en", "briefings of the same version rest on the same data"},
	} {
		if _, page, _ := get(t, srv.URL+tc.path); !strings.Contains(page, tc.want) {
			t.Errorf("%s does not say what its data version is (%q)", tc.path, tc.want)
		}
	}
}

// Every number of a briefing is one of its sentence's facts, and every fact equals the
// number the sentence's linked page shows (its JSON twin), in every period kind and both
// languages.
func TestBriefNumbersEqualTheirPages(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	for _, q := range []string{"period=2024", "period=2024&lang=en", "period=2023", "period=2024-Q3", "period=2025-01&lang=en"} {
		var b dashboard.Briefing
		getJSON(t, srv.URL+"/api/brief?"+q, &b)
		if len(b.Sections) < 4 || b.DataVersion == 0 {
			t.Errorf("%s: %d sections, data version %d; want standing, moves, targets, ledger and campaign", q, len(b.Sections), b.DataVersion)
		}
		facts := 0
		for _, sec := range b.Sections {
			for _, st := range sec.Sentences {
				checkSentenceNumbers(t, q, st)
				if code, _, _ := get(t, srv.URL+st.Link); code != http.StatusOK {
					t.Errorf("%s: sentence %q links to %s, answered %d", q, st.Text, st.Link, code)
				}
				var page map[string]any
				getJSON(t, srv.URL+st.API, &page)
				for _, f := range st.Facts {
					facts++
					checkFact(t, q, st, f, page)
				}
			}
		}
		if facts < 20 {
			t.Errorf("%s: only %d numbers checked", q, facts)
		}
	}
}

// The headline is written from the numbers as the issue quotes it for 2024.
func TestBriefHeadline(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	var b dashboard.Briefing
	getJSON(t, srv.URL+"/api/brief?period=2024", &b)
	const want = "2024年我省人均地区生产总值52825元，居全国第31位，与上年持平，相当于全国平均水平的55.2%，距第30位黑龙江差1277元（2.4%）。"
	if b.Headline != want {
		t.Errorf("headline\n got %s\nwant %s", b.Headline, want)
	}
	// The speech's claim, checked as a target for the first time in 2024.
	const target = "人均地区生产总值达到全国的55%：2024年55.2%，目标55%，首次评估，达标，上年（尚未考核）为54.3%。"
	var targets []string
	for _, sec := range b.Sections {
		for _, st := range sec.Sentences {
			if sec.Topic == "targets" {
				targets = append(targets, st.Text)
			}
		}
	}
	if !slices.Contains(targets, target) {
		t.Errorf("targets say %q, want %q among them", targets, target)
	}
	// A period in another form answers 400 with the forms there are.
	for _, q := range []string{"period=2024-13", "period=24", "period=2024-Q5"} {
		if code, body, _ := get(t, srv.URL+"/api/brief?"+q); code != http.StatusBadRequest || !strings.Contains(body, "2024-Q4") {
			t.Errorf("%s answered %d: %s", q, code, body)
		}
	}
}

// checkSentenceNumbers proves a sentence shows no number that is not one of its facts.
func checkSentenceNumbers(t *testing.T, q string, st dashboard.BriefSentence) {
	t.Helper()
	var known []string
	for _, f := range st.Facts {
		if !strings.Contains(st.Text, f.Shown) {
			t.Errorf("%s: fact %s=%q is not in %q", q, f.Name, f.Shown, st.Text)
		}
		known = append(known, numbersIn(f.Shown)...)
	}
	for _, n := range numbersIn(st.Text) {
		i := slices.Index(known, n)
		if i < 0 {
			t.Errorf("%s: %q shows %s, which no fact of the sentence holds (facts %+v)", q, st.Text, n, st.Facts)
			continue
		}
		known = slices.Delete(known, i, i+1)
	}
}

// path reads a value from decoded JSON: keys of objects, or [key=value] to pick the
// element of an array whose key holds value.
func path(v any, steps ...string) any {
	for _, s := range steps {
		if strings.HasPrefix(s, "[") {
			k, want, _ := strings.Cut(strings.Trim(s, "[]"), "=")
			arr, _ := v.([]any)
			v = nil
			for _, e := range arr {
				if m, ok := e.(map[string]any); ok && fmt.Sprint(m[k]) == want {
					v = e
				}
			}
			continue
		}
		m, _ := v.(map[string]any)
		v = m[s]
	}
	return v
}

func checkFact(t *testing.T, q string, st dashboard.BriefSentence, f dashboard.BriefFact, page map[string]any) {
	t.Helper()
	var got any
	api := st.API
	switch {
	case strings.HasPrefix(api, "/api/ranking") && f.Name == "base":
		if b := path(page, "indicator", "base"); b != f.Shown {
			t.Errorf("%s: %q gives the base %s, the page %v", q, st.Text, f.Shown, b)
		}
		return
	case strings.HasPrefix(api, "/api/ranking"):
		steps := map[string][]string{
			"year": {"year"}, "value": {"home", "row", "value"}, "rank_all": {"home", "row", "rank_all"}, "all_size": {"home", "all_size"}, "tied_all": {"home", "tied_all"},
			"change_all": {"home", "row", "change_all", "places"}, "ratio_to_nation": {"home", "ratio_to_nation"},
			"gap_to_nation": {"home", "gap_to_nation", "diff"}, "next_rank": {"home", "next_up", "to", "rank"},
			"next_amount": {"home", "next_up", "amount"}, "next_percent": {"home", "next_up", "percent"},
		}[f.Name]
		got = path(page, steps...)
	case strings.HasPrefix(api, "/api/cockpit") && f.Name == "name":
		field := "name_zh"
		if strings.Contains(api, "lang=en") {
			field = "name_en"
		}
		if name := path(page, "targets", "[code="+f.Of+"]", field); name != f.Shown {
			t.Errorf("%s: %q names target %s %q, the page %v", q, st.Text, f.Of, f.Shown, name)
		}
		return
	case strings.HasPrefix(api, "/api/cockpit"):
		got = path(page, "targets", "[code="+f.Of+"]", f.Name)
	case strings.HasPrefix(api, "/api/ecology"):
		switch f.Name {
		case "as_of":
			if page["as_of"] != f.Shown {
				t.Errorf("%s: %q says as of %s, the page %v", q, st.Text, f.Shown, page["as_of"])
			}
			return
		case "items":
			items, _ := page["items"].([]any)
			got = float64(len(items))
		case "closed":
			got = path(page, "by_status", "已销号")
		case "overdue":
			got = page["overdue"]
		case "overdue_by_city":
			got = path(page, "overdue_by_city", f.Of)
		}
	case strings.HasPrefix(api, "/api/reports"):
		months, _ := page["months"].([]any)
		deadlines, _ := page["deadlines"].([]any)
		last := len(months) - 1
		switch f.Name {
		case "month":
			m, _ := time.Parse("2006-01", fmt.Sprint(months[last]))
			got = float64(m.Year()*100 + int(m.Month()))
		case "deadline":
			due, _ := time.Parse(time.RFC3339, fmt.Sprint(deadlines[last]))
			if day := due.AddDate(0, 0, -1).Format(time.DateOnly); day != f.Shown {
				t.Errorf("%s: %q says due %s, the page %s", q, st.Text, f.Shown, day)
			}
			return
		default:
			n := 0
			states, _ := page["states"].([]any)
			for _, row := range states {
				if cells, _ := row.([]any); path(cells[last], "state") == f.Name {
					n++
				}
			}
			got = float64(n)
		}
	case strings.HasPrefix(api, "/api/campaign"):
		switch f.Name {
		case "month":
			m, _ := path(page, "scorecard", "month").(string)
			y, _ := strconv.Atoi(m[:4])
			mo, _ := strconv.Atoi(m[5:7])
			got = float64(y*100 + mo)
		case "score", "rank":
			got = path(page, "scorecard", "units", "[code="+f.Of+"]", f.Name)
		case "unreported":
			n := 0
			units, _ := path(page, "scorecard", "units").([]any)
			for _, u := range units {
				if r, _ := u.(map[string]any)["reported"].(bool); !r {
					n++
				}
			}
			got = float64(n)
		}
	}
	g, ok := got.(float64)
	if !ok || g != f.Value {
		t.Errorf("%s: %q: %s%s = %v, but %s has %v", q, st.Text, f.Name, f.Of, f.Value, api, got)
		return
	}
	// The shown figure is the value at the precision it is shown at.
	nums := numbersIn(f.Shown)
	if len(nums) != 1 || f.Name == "month" || f.Name == "base" || f.Name == "name" {
		return
	}
	shown, _ := strconv.ParseFloat(nums[0], 64)
	v := math.Abs(f.Value)
	if f.Name == "ratio_to_nation" {
		v *= 100
	}
	decimals := 0
	if _, frac, ok := strings.Cut(nums[0], "."); ok {
		decimals = len(frac)
	}
	p := math.Pow(10, float64(decimals))
	if math.Abs(math.Round(v*p)/p-shown) > 1e-9 && math.Abs(math.Round(v*100)/100-shown) > 1e-9 && math.Abs(math.Round(v*10)/10-shown) > 1e-9 {
		t.Errorf("%s: %s shown as %q for %v", q, f.Name, f.Shown, f.Value)
	}
}

// A briefing covers a period that is over: one still under way, or to come, is refused with
// the reason, not written with the last full year's figures under its name (before,
// period=2030 gave "2030年简报" of 2024's numbers).
func TestBriefRefusesPeriodsNotOver(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	now := time.Now().In(time.FixedZone("CST", 8*3600))
	for _, period := range []string{"2030", now.Format("2006-01"), strconv.Itoa(now.Year())} {
		for _, path := range []string{"/api/brief?period=" + period, "/brief?period=" + period + "&lang=en"} {
			code, body, _ := get(t, srv.URL+path)
			want := "尚未结束（今天是"
			if strings.Contains(path, "lang=en") {
				want = "has not ended yet"
			}
			if code != http.StatusBadRequest || !strings.Contains(body, want) || strings.Contains(body, period+"年简报") {
				t.Errorf("GET %s: %d %.300s; want it refused as not over", path, code, body)
			}
		}
	}
	if code, body, _ := get(t, srv.URL+"/api/brief?period=2024"); code != http.StatusOK || !strings.Contains(body, "2024年简报") {
		t.Errorf("GET /api/brief?period=2024: %d %.300s; want the 2024 briefing", code, body)
	}
}

// A briefing of a year whose targets have no data says so: 1949's and 2015's said "every
// target stands as it did the year before and none is missed".
func TestBriefOfTargetsWithoutDataSaysSo(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	for _, tc := range []struct{ period, want, not string }{
		// Before any target is in force each says from when, not that all lack data.
		{"2015", "“农村居民收入增速高于城镇居民”自 2020 年起考核，本期不作评价", "本期各项目标均无可评价的数据"},
		{"1949&lang=en", "is assessed from 2020 on, not in this period", "No target has data for this period"},
		// Some not yet in force, the others without data: the latter are named as such.
		{"2022", "“脱贫地区农民收入增速高于全省平均”、“农村居民收入增速高于城镇居民”本期没有可评价的数据", "本期各项目标均无可评价的数据"},
		{"2024", "人均地区生产总值达到全国的55%", "无可评价的数据"},
		// Two of the four targets have no data: they are named, not passed over as "the others
		// stand as the year before".
		{"2024", "“脱贫地区农民收入增速高于全省平均”、“农村居民收入增速高于城镇居民”本期没有可评价的数据，无从判断是否达标", "其余目标状态与上年相同"},
		{"2024&lang=en", "”, “Rural income growth above urban” cannot be judged met or missed: no data for this period", "The other targets stand"},
		// A target not yet assessed says from when, not "no data" beside the value the
		// briefing quoted; first met, it says where it stood the year before.
		{"2023", "“人均地区生产总值达到全国的55%”自 2024 年起考核，本期不作评价", "55%”、"},
		{"2023&lang=en", "“Per-capita GDP at 55% of national” is assessed from 2024 on, not in this period", "55% of national”, “"},
		{"2024", "首次评估，达标，上年（尚未考核）为54.3%", "本期不作评价"},
		// A status is a word of the sentence, and a count of overdue items is not named
		// after the status 未整改, which 4 items hold (27 were overdue, 17 of them at 95%).
		{"2024&lang=en", "assessed for the first time: met, against 54.3% the year before, when it was not yet assessed", ": Met"},
		{"2024", "逾期未完成整改27项", "逾期未整改"},
	} {
		_, body, _ := get(t, srv.URL+"/brief?period="+tc.period)
		if !strings.Contains(body, tc.want) || strings.Contains(body, tc.not) {
			t.Errorf("the briefing of %s lacks %q or says %q", tc.period, tc.want, tc.not)
		}
	}
	// Without targets set, nothing is said of them (not that none is missed).
	w := etltest.Demo(t)
	if err := whtest.Exec(context.Background(), w, "TRUNCATE TABLE targets", nil); err != nil {
		t.Fatal(err)
	}
	_, body, _ := get(t, newServer(t, w).URL+"/brief?period=2024")
	if strings.Contains(body, "没有未达标的目标") || strings.Contains(body, "无可评价的数据") {
		t.Errorf("the briefing of a province without targets speaks of its targets")
	}
}

// An English briefing names the campaign's units in English (before: "临夏回族自治州 came
// first", "酒泉市 …" in English sentences), and a city's count stands apart from its name
// ("Jiuquan 4 overdue", not "Jiuquan4 overdue").
// The English briefing of 2019 read "Gansu's Per-capita disposable income … down 1 places
// on the year before".
func TestEnglishBriefWritesSentences(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	var b dashboard.Briefing
	getJSON(t, srv.URL+"/api/brief?period=2019&lang=en", &b)
	var text []string
	for _, sec := range b.Sections {
		for _, st := range sec.Sentences {
			text = append(text, st.Text)
		}
	}
	all := strings.Join(text, "\n")
	if m := regexp.MustCompile(`\b1 places\b|'s [A-Z][a-z]`).FindString(all); m != "" {
		t.Errorf("the English briefing of 2019 writes %q:\n%s", m, all)
	}
	if !strings.Contains(all, "Gansu's per-capita disposable income") || !strings.Contains(all, "down 1 place on the year before") {
		t.Errorf("the English briefing of 2019 no longer names the indicator that fell one place:\n%s", all)
	}
}

func TestEnglishBriefNamesUnitsInEnglish(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	var b dashboard.Briefing
	getJSON(t, srv.URL+"/api/brief?period=2025-02&lang=en", &b)
	han, glued := regexp.MustCompile(`\p{Han}+`), regexp.MustCompile(`[A-Za-z]\d+ overdue`)
	n := 0
	for _, sec := range b.Sections {
		for _, st := range sec.Sentences {
			if h := han.FindAllString(st.Text, -1); len(h) > 0 && strings.HasPrefix(st.Link, "/campaign") {
				t.Errorf("an English campaign sentence has Chinese %q: %s", h, st.Text)
			}
			if strings.HasPrefix(st.Link, "/campaign") {
				n++
			}
			if g := glued.FindString(st.Text); g != "" {
				t.Errorf("a name runs into its count (%q): %s", g, st.Text)
			}
		}
	}
	if n == 0 {
		t.Fatalf("the English briefing of 2025-02 has no sentence on the campaign: %+v", b.Sections)
	}
	// Scores with two decimals, as the scorecard writes them, in both languages (the
	// Chinese read 得分2 beside 得分97.84).
	for lang, re := range map[string]*regexp.Regexp{"zh": regexp.MustCompile(`得分([\d.]+)`), "en": regexp.MustCompile(`([\d.]+) points`)} {
		var lb dashboard.Briefing
		getJSON(t, srv.URL+"/api/brief?period=2025-02&lang="+lang, &lb)
		scores := 0
		for _, sec := range lb.Sections {
			for _, st := range sec.Sentences {
				for _, m := range re.FindAllStringSubmatch(st.Text, -1) {
					scores++
					if !regexp.MustCompile(`^\d+\.\d\d$`).MatchString(m[1]) {
						t.Errorf("%s: a score reads %q: %s", lang, m[1], st.Text)
					}
				}
			}
		}
		if scores == 0 {
			t.Errorf("%s: the briefing of 2025-02 gives no score", lang)
		}
	}
	// The ledger's closed tile says what closed means, in English on the English page.
	if _, body, _ := get(t, srv.URL+"/ecology?lang=en"); !strings.Contains(body, `<p class="note">rectified and verified closed</p>`) {
		t.Errorf("the English ledger page's closed tile does not say what closed means in English")
	}
}

// The briefing names a city not ranked for want of items beside first and last place: "酒泉
// 居末位（第13位）" among 14 cities read as a miscount.
func TestBriefSaysWhoIsNotRanked(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	for lang, want := range map[string]string{"zh": "嘉峪关市适用项权重合计不足三分之二，不排名", "en": "Jiayuguan not ranked, the items that apply carrying less than two thirds of the weight"} {
		var b dashboard.Briefing
		getJSON(t, srv.URL+"/api/brief?period=2025-02&lang="+lang, &b)
		var said []string
		for _, sec := range b.Sections {
			for _, st := range sec.Sentences {
				if strings.Contains(st.Text, want) && strings.Contains(st.Link, "kind=city") {
					said = append(said, st.Text)
				}
			}
		}
		if len(said) != 1 {
			t.Errorf("the %s briefing of 2025-02 says %q in %d city sentences; want one: %+v", lang, want, len(said), b.Sections)
		}
	}
}
