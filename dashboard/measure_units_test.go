package dashboard_test

import (
	"regexp"
	"strings"
	"testing"

	"jinwei/etl/etltest"
)

// An English page names the units of measure in English: the files write them in Chinese
// (元, 亿元, 万人), and "GDP per capita（元）" was what an English reader saw. GDP is GDP beside
// GDP per capita and GDP growth (it was "Gross regional product" on the same tiles).
func TestEnglishPagesNameUnitsInEnglish(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	// A unit in Chinese after a number or in brackets, as the pages wrote them.
	chinese := regexp.MustCompile(`[0-9]\s*(元|亿元|万人)|[（(](元|亿元|万人)[）)]`)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/ranking?lang=en", []string{"GDP per capita (yuan), 2024", "GDP (100 million yuan)", "Growth: Nominal"}},
		{"/ranking?lang=en&indicator=population", []string{"(10,000 persons)"}},
		{"/?lang=en", []string{"yuan"}},
		{"/counties?lang=en", []string{"yuan"}},
		{"/brief?lang=en", []string{" yuan"}},
		{"/ranking", []string{"人均地区生产总值（元）2024年", "增速：名义"}},
	} {
		status, body, _ := get(t, srv.URL+tc.path)
		if status != 200 {
			t.Errorf("%s: %d", tc.path, status)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", tc.path, w)
			}
		}
		if strings.Contains(tc.path, "lang=en") {
			if m := chinese.FindString(body); m != "" {
				t.Errorf("%s shows a unit in Chinese: %q", tc.path, m)
			}
		}
	}
}
