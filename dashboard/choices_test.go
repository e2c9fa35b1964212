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
		{"/ranking?indicator=bogus&group=west12&lang=en", []string{"The link&#39;s indicator (indicator=bogus) is not one there is.", "Choose one of these instead",
			`<li><a href="/ranking?group=west12&amp;indicator=gdp&amp;lang=en">GDP</a></li>`}, []string{"retail_sales, gdp"}, "/ranking?group=west12&indicator=gdp&lang=en"},
		{"/counties?sort=x", []string{"链接中的排序（sort=x）不在可选范围内。", `<li><a href="/counties?sort=growth">按增速（比进步）</a></li>`}, nil, "/counties?sort=growth"},
		{"/campaign?kind=x", []string{"链接中的类别（kind=x）不在可选范围内。", `<li><a href="/campaign?kind=county">县市区</a></li>`}, nil, "/campaign?kind=county"},
		{"/ranking?year=1800", []string{"链接中的年份（year=1800）超出可显示的范围（1949–2100）。"}, []string{"写法不对", `id="error-choices"`}, ""},
		{"/?year=abc", []string{"链接中的年份（year=abc）写法不对，应形如 2024。"}, nil, ""},
	} {
		code, page := app.get(tc.path)
		if code != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 400", tc.path, code)
		}
		for _, w := range tc.want {
			if !strings.Contains(page, w) {
				t.Errorf("GET %s: the page lacks %q", tc.path, w)
			}
		}
		for _, l := range tc.lack {
			if strings.Contains(page, l) {
				t.Errorf("GET %s: the page shows %q", tc.path, l)
			}
		}
		if tc.follow != "" {
			if code, _ := app.get(tc.follow); code != http.StatusOK {
				t.Errorf("the choice %s offered by %s answers %d", tc.follow, tc.path, code)
			}
		}
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
		!strings.Contains(answer.Message, "人均地区生产总值（gdp_per_capita）") || !strings.Contains(answer.Error, "Choices: retail_sales, gdp, ") {
		t.Errorf("/api/ranking?indicator=bogus: %d %+v", code, answer)
	}
}
