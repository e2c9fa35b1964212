package dashboard

import (
	"encoding/json"
	"strings"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/measure"
	"jinwei/warehouse/scorecard"
)

// The campaign's trend runs along the calendar: a month without reports is a gap in every
// line (ECharts' "-"), not a step straight from the month before to the month after.
func TestCampaignTrendLeavesGapsForMonthsWithoutReports(t *testing.T) {
	trend := []warehouse.TrendPoint{
		{Month: "2025-01-01", Totals: map[string]float64{campaignTrendMetrics[0]: 10}},
		{Month: "2025-02-01", Totals: map[string]float64{campaignTrendMetrics[0]: 12}},
		{Month: "2025-05-01", Totals: map[string]float64{campaignTrendMetrics[0]: 1}},
	}
	b, err := json.Marshal(campaignTrendChart(trend, langEn))
	if err != nil {
		t.Fatal(err)
	}
	var o struct {
		XAxis []struct {
			Data []string `json:"data"`
		} `json:"xAxis"`
		Series []struct {
			Data []struct {
				Value any `json:"value"`
			} `json:"data"`
		} `json:"series"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(o.XAxis[0].Data, " "); got != "2025-01 2025-02 2025-03 2025-04 2025-05" {
		t.Errorf("the axis reads %q; want every month from 2025-01 to 2025-05", got)
	}
	var values []any
	for _, d := range o.Series[0].Data {
		values = append(values, d.Value)
	}
	if b, _ := json.Marshal(values); string(b) != `[10,12,"-","-",1]` {
		t.Errorf("the first line's values are %s; want [10,12,\"-\",\"-\",1]", b)
	}
}

// A unit's blank items are listed as its page's language punctuates: "缺报：甲、乙",
// "Blank: A, B" (the English page wrote "Blank：A、B").
func TestBlankItemsListedInThePagesPunctuation(t *testing.T) {
	items := map[string]scorecard.Item{"a": {Code: "a", NameZh: "甲", NameEn: "A"}, "b": {Code: "b", NameZh: "乙", NameEn: "B"}}
	var u warehouse.UnitScore
	u.Reported, u.Missing = true, []string{"a", "b"}
	for lang, want := range map[string]string{langZh: "缺报：甲、乙", langEn: "Blank: A, B"} {
		if got := scoreRowOf(u, &warehouse.Scorecard{}, items, nil, lang).Flags; got != want {
			t.Errorf("%s: flags %q, want %q", lang, got, want)
		}
	}
}

// The ranking's card names the provinces without a value as the page's language writes a
// list in brackets: it wrote "（Tibet、…）" after an English rank, and the method page
// listed "Cities、Counties".
func TestRankCardPunctuatesInItsLanguage(t *testing.T) {
	r := &warehouse.Ranking{Year: 2024, Indicator: warehouse.Indicator{Code: "gdp", Unit: "亿元", Kind: measure.Total},
		Home:       &warehouse.HomeStanding{Row: warehouse.RankRow{Rank: 3, RankAll: 3}, GroupSize: 31, AllSize: 29, TiedAll: 2, TiedGroup: 2},
		MissingAll: []warehouse.MissingRegion{{NameZh: "西藏自治区", NameEn: "Tibet"}, {NameZh: "黑龙江省", NameEn: "Heilongjiang"}}}
	for lang, want := range map[string]string{
		langZh: "全国省份排名 3/29（2省并列；西藏自治区、黑龙江省 2024 年缺数）",
		langEn: "Rank among all provinces 3/29 (tied, 2 provinces; Tibet, Heilongjiang: no value for 2024)",
	} {
		if got := newHomeCards(r, lang).RankAll; got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
}

// The breakdown's figures keep three significant digits: 0.0856 showed as 0.09, and the
// normalised value beside it could not be worked out from what the page printed.
func TestScaleFiguresKeepThreeDigits(t *testing.T) {
	for v, want := range map[float64]string{0.0856: "0.0856", 0.356: "0.356", 0.02: "0.0200", 83.14: "83.14", 5: "5.00", 0: "0.00", -0.0123: "-0.0123"} {
		if got := scaleFigure(v); got != want {
			t.Errorf("scaleFigure(%v) = %q, want %q", v, got, want)
		}
	}
}
