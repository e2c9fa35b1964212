package dashboard_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"jinwei/etl/etltest"
)

// A link whose value names nothing answered 200 and listed codes ("可选：retail_sales,
// gdp, …"), and year=1800 was "not in the right form". It answers 400, names the parameter
// in words, links each value there is by its name (the same address with that value), and
// calls a year outside the years shown out of range; the JSON keeps the codes.
func TestABadLinkOffersWhatThereIsByName(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	for _, tc := range []struct {
		path       string
		want, lack []string
		follow     string
	}{
		// Offered are the indicators the picker offers: rural income has no provincial values,
		// and its link led to an empty page telling a leader to run a command.
		{"/ranking?indicator=bogus&group=west12&lang=en", []string{"The link&#39;s indicator (indicator=bogus) is not one of the choices.", "Choose one of those below instead.",
			`<li><a href="/ranking?group=west12&amp;indicator=gdp&amp;lang=en">GDP</a></li>`}, []string{"retail_sales, gdp", "indicator=rural_income"}, "/ranking?group=west12&indicator=gdp&lang=en"},
		{"/counties?sort=x", []string{"链接中的排序（sort=x）不在可选范围内。", `<li><a href="/counties?sort=growth">按增速（比进步）</a></li>`}, nil, "/counties?sort=growth"},
		{"/campaign?kind=x", []string{"链接中的类别（kind=x）不在可选范围内。", `<li><a href="/campaign?kind=county">县市区</a></li>`}, nil, "/campaign?kind=county"},
		// A year out of range is offered the indicator's years with values.
		{"/ranking?year=1800", []string{"链接中的年份（year=1800）超出可显示的范围（1949–2100）。", `<li><a href="/ranking?year=2024">2024</a></li>`}, []string{"写法不对"}, "/ranking?year=2024"},
		// A wall screen's links keep it a wall screen: home too.
		{"/ranking?indicator=bogus&screen=wall&rotate=30", []string{`<a href="/?screen=wall">回到首页</a>`, `<a href="/ranking?indicator=gdp&amp;rotate=30&amp;screen=wall">`}, nil, ""},
		// A kind of period is said, not linked: a quarter needs its number too (its link
		// led to "2024 quarter 0: never loaded").
		{"/lineage?indicator=gdp&region=620000&year=2024&kind=w", []string{"链接中的类别（kind=w）写法不对，应形如 year, quarter, month, ytd。"}, []string{`id="error-choices"`}, ""},
		// A custom group's member that is not a province answers with the provinces by
		// name, in the page's language: it was a 404 "页面不存在" over an English error.
		{"/ranking?group=custom&members=620000,990000", []string{"链接中的组内省份（members=990000）不在可选范围内。", `<li><a href="/ranking?group=custom&amp;members=630000">青海</a></li>`}, []string{"not a province"}, "/ranking?group=custom&members=630000"},
		{"/?year=abc", []string{"链接中的年份（year=abc）写法不对，应形如 2024。"}, nil, ""},
		{"/counties?year=1800", []string{"链接中的年份（year=1800）超出可显示的范围（1949–2100）。"}, nil, ""},
	} {
		code, page := app.get(tc.path)
		if code != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 400", tc.path, code)
		}
		shows(t, "GET "+tc.path, page, tc.want, tc.lack)
		if tc.follow != "" {
			if code, _ := app.get(tc.follow); code != http.StatusOK {
				t.Errorf("the choice %s offered by %s answers %d", tc.follow, tc.path, code)
			}
		}
	}
	// Each link keeps of the address only what a page reads, a short value each: a 60 KB
	// parameter was repeated in every link, a 1 MB answer to a 60 KB request. (The
	// language switch keeps the address whole, once.)
	long := strings.Repeat("a", 60_000)
	if code, page := app.get("/ranking?indicator=bogus&p=" + long); code != http.StatusBadRequest || len(page) > 128<<10 || strings.Count(page, long) > 1 {
		t.Errorf("a bad link with a 60 KB parameter: %d, %d bytes, the parameter %d times", code, len(page), strings.Count(page, long))
	}
	// An address with more parameters than can be read was answered as if it had none.
	// Its page keeps the language it can read.
	if code, page := app.get("/ranking?lang=en&indicator=bogus" + strings.Repeat("&a", 11_000)); code != http.StatusBadRequest || !strings.Contains(page, "cannot be read") || !strings.Contains(page, `<html lang="en">`) {
		t.Errorf("an address of 11,000 parameters: %d %s; want 400 saying its query cannot be read", code, between(page, `id="error-message"`, "</p>"))
	}
	code, body := app.get("/api/ranking?indicator=bogus")
	var answer struct {
		Error, Message, Param string
		Choices               []string
	}
	if err := json.Unmarshal([]byte(body), &answer); err != nil {
		t.Fatalf("/api/ranking?indicator=bogus: %v: %s", err, body)
	}
	if code != http.StatusBadRequest || answer.Param != "indicator" || !strings.Contains(strings.Join(answer.Choices, " "), "gdp_per_capita") ||
		!strings.Contains(answer.Message, "人均地区生产总值（gdp_per_capita）") || !strings.Contains(answer.Error, "Choices: gdp, gdp_growth, ") {
		t.Errorf("/api/ranking?indicator=bogus: %d %+v", code, answer)
	}
}

// shows checks that a page holds each of want and none of lack, naming it by what.
func shows(t *testing.T, what, page string, want, lack []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("%s: the page lacks %q", what, w)
		}
	}
	for _, l := range lack {
		if strings.Contains(page, l) {
			t.Errorf("%s: the page shows %q", what, l)
		}
	}
}

// A custom group is written as one list as well as member by member (the README's
// members=…): a list in one parameter was taken for one code and refused.
func TestACustomGroupIsWrittenAsAList(t *testing.T) {
	t.Parallel()
	app := newApp(t, etltest.SharedDemo(t), etltest.Home)
	for _, members := range []string{"members=510000&members=630000", "members=510000,630000", "members=510000%EF%BC%8C630000", "members=510000%E3%80%81%20630000"} {
		code, body := app.get("/api/ranking?indicator=gdp&year=2024&group=custom&" + members)
		var got struct {
			Group struct{ Members []string } `json:"group"`
		}
		if err := json.Unmarshal([]byte(body), &got); code != http.StatusOK || err != nil || strings.Join(got.Group.Members, " ") != "510000 620000 630000" {
			t.Errorf("%s: %d, members %v (%v); want 510000 620000 630000 (home added)", members, code, got.Group.Members, err)
		}
	}
}
