package dashboard

import (
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"jinwei/warehouse"
)

var update = flag.Bool("update", false, "rewrite golden files")

func sampleRanking() *warehouse.Ranking {
	nation := 95749.0
	return &warehouse.Ranking{
		Indicator: warehouse.Indicator{Code: "gdp_per_capita", NameZh: "人均地区生产总值", NameEn: "GDP per capita", Unit: "元", Direction: 1},
		Group:     warehouse.PeerGroup{Code: "benchmarks", NameZh: "讲话对标省份", NameEn: "The speech's benchmarks"},
		Year:      2024,
		Nation:    &nation,
		Rows: []warehouse.RankRow{
			{RegionCode: "500000", NameZh: "重庆市", ShortZh: "重庆", NameEn: "Chongqing", Value: 100903, Rank: 1},
			{RegionCode: "340000", NameZh: "安徽省", ShortZh: "安徽", NameEn: "Anhui", Value: 82694, Rank: 2},
			{RegionCode: "510000", NameZh: "四川省", ShortZh: "四川", NameEn: "Sichuan", Value: 77333, Rank: 3},
			{RegionCode: "520000", NameZh: "贵州省", ShortZh: "贵州", NameEn: "Guizhou", Value: 58685, Rank: 4},
			{RegionCode: "620000", NameZh: "甘肃省", ShortZh: "甘肃", NameEn: "Gansu", Value: 52825, Rank: 5, Home: true},
		},
	}
}

// The chart option is compared with a golden file; run `go test ./dashboard -update` after
// an intended change and review the diff.
func TestRankingChartGolden(t *testing.T) {
	for _, lang := range []string{langZh, langEn} {
		got, err := json.MarshalIndent(rankingChart(sampleRanking(), lang), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", "ranking_chart_"+lang+".golden.json")
		if *update {
			if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if string(want) != string(got)+"\n" {
			t.Errorf("chart option for %s differs from %s:\n%s", lang, path, got)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	tests := map[float64]string{0: "0", 46381: "46,381", 12345.67: "12,345.67", 3.3: "3.3", -1277.5: "-1,277.5", 1e6: "1,000,000", 0.004: "0", 999.999: "1,000"}
	for v, want := range tests {
		if got := formatNumber(v); got != want {
			t.Errorf("formatNumber(%v) = %q, want %q", v, got, want)
		}
	}
}

// An upload's preview shows each value as it will be stored, digit for digit.
func TestExactNumberKeepsEveryDigitWithoutExponent(t *testing.T) {
	tests := map[float64]string{0: "0", 1349083.5: "1,349,083.5", 1e6: "1,000,000", 0.00012345: "0.00012345", -1277.125: "-1,277.125",
		12345678901234: "12,345,678,901,234", 999.999: "999.999"}
	// A unit's conversion as the loader makes it, at run time (a constant expression would
	// be exact): 1234.14 亿元 in 万元 is 12341400.000000002, 0.07 亿元 700.0000000000001.
	yi, wan := 1e8, 1e4
	tests[1234.14*yi/wan], tests[0.07*yi/wan] = "12,341,400", "700"
	for v, want := range tests {
		if got := exactNumber(v); got != want {
			t.Errorf("exactNumber(%v) = %q, want %q", v, got, want)
		}
	}
}

// trajectoryOf is a group of n members ranked 1..n every year, the home province at homeRank.
func trajectoryOf(n, homeRank int) *warehouse.Trajectory {
	tr := &warehouse.Trajectory{Years: []int{2022, 2023, 2024}}
	for i := 1; i <= n; i++ {
		code := fmt.Sprintf("%02d0000", i)
		tr.Group.Members = append(tr.Group.Members, code)
		tr.Regions = append(tr.Regions, warehouse.RegionSeries{Code: code, Short: code, Home: i == homeRank, Ranks: []int{i, i, i}})
	}
	return tr
}

// The rank history colours the home province and its neighbours (all members of a small
// group), greys the rest, names only the coloured lines in the legend and at their ends,
// and pages a long legend.
func TestRankHistoryHighlightsHomeAndNeighbours(t *testing.T) {
	for _, tc := range []struct {
		name        string
		n, home     int
		wantColours []string
		wantMarks   []float64
	}{
		{"all 31, home last", 31, 31, []string{"290000", "300000", "310000"}, []float64{1, 5, 10, 15, 20, 25, 31}},
		{"all 31, home in the middle", 31, 15, []string{"130000", "140000", "150000", "160000", "170000"}, []float64{1, 5, 10, 15, 20, 25, 31}},
		{"small group", 5, 5, []string{"010000", "020000", "030000", "040000", "050000"}, []float64{1, 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := rankHistoryChart(trajectoryOf(tc.n, tc.home), langZh, false)
			b, _ := json.Marshal(opt)
			var o struct {
				Legend struct {
					Type string
					Data []string
				}
				Grid  []struct{ Top, Bottom string }
				YAxis []struct {
					Min, Max  float64
					AxisLabel struct{ CustomValues []float64 } `json:"axisLabel"`
				} `json:"yAxis"`
				Series []struct {
					Name        string
					Z           int
					EndLabel    *struct{ Show bool }          `json:"endLabel"`
					LabelLayout *struct{ MoveOverlap string } `json:"labelLayout"`
					LineStyle   struct{ Color string }        `json:"lineStyle"`
				}
			}
			if err := json.Unmarshal(b, &o); err != nil {
				t.Fatal(err)
			}
			// The first and last places lie half a place inside the chart: the last was drawn
			// on the year axis.
			if len(o.YAxis) != 1 || o.YAxis[0].Min != 0.5 || o.YAxis[0].Max != float64(tc.n)+0.5 || !slices.Equal(o.YAxis[0].AxisLabel.CustomValues, tc.wantMarks) {
				t.Errorf("rank axis %+v, want 0.5 to %d.5 marked at %v", o.YAxis, tc.n, tc.wantMarks)
			}
			// Each place has room for a name at a line's end (places 29–31 printed over each
			// other and across the year axis, 9 px apart).
			if len(o.Grid) != 1 {
				t.Fatalf("grid %+v", o.Grid)
			}
			top, _ := strconv.Atoi(o.Grid[0].Top)
			bottom, _ := strconv.Atoi(o.Grid[0].Bottom)
			if place := float64(rankHistoryHeight(tc.n)-top-bottom) / (o.YAxis[0].Max - o.YAxis[0].Min); place < 15 {
				t.Errorf("a place is %.1f px high on the rank axis; a name needs 15", place)
			}
			if o.Legend.Type != "scroll" || !slices.Equal(o.Legend.Data, tc.wantColours) {
				t.Errorf("legend %+v, want a scrolling legend of %v", o.Legend, tc.wantColours)
			}
			var coloured []string
			for _, s := range o.Series {
				lit := s.LineStyle.Color != colorMuted
				if lit {
					coloured = append(coloured, s.Name)
				}
				if lit != (s.EndLabel != nil && s.EndLabel.Show) || lit != (s.Z > 1) {
					t.Errorf("%s: colour %s, end label %v, z %d: a coloured line is labelled and on top, a grey one neither", s.Name, s.LineStyle.Color, s.EndLabel, s.Z)
				}
				if lit && (s.LabelLayout == nil || s.LabelLayout.MoveOverlap != "shiftY") {
					t.Errorf("%s: end labels of lines a place apart overlap unless moved apart (labelLayout %+v)", s.Name, s.LabelLayout)
				}
				if home := fmt.Sprintf("%02d0000", tc.home); s.Name == home && (s.LineStyle.Color != colorHome || s.Z != 3) {
					t.Errorf("home line colour %s z %d, want %s on top", s.LineStyle.Color, s.Z, colorHome)
				}
			}
			if !slices.Equal(coloured, tc.wantColours) {
				t.Errorf("coloured lines %v, want %v", coloured, tc.wantColours)
			}
		})
	}
}

// On a wall screen a large group's rank history draws the home province and its neighbours
// alone, on the places they pass through: 31 lines in a third of a screen were a tangle.
// A small group is drawn whole, as on a desk.
func TestRankHistoryOnAWallDrawsTheHomeAndItsNeighboursAlone(t *testing.T) {
	for _, tc := range []struct {
		name      string
		n, home   int
		want      []string
		min, max  float64
		wantMarks []float64
	}{
		{"all 31, home last", 31, 31, []string{"290000", "300000", "310000"}, 28.5, 31.5, []float64{29, 31}},
		{"all 31, home in the middle", 31, 15, []string{"130000", "140000", "150000", "160000", "170000"}, 12.5, 17.5, []float64{13, 17}},
		{"small group", 5, 5, []string{"010000", "020000", "030000", "040000", "050000"}, 0.5, 5.5, []float64{1, 5}},
		// A group without the home province (a custom one) has nothing to focus on: every
		// line is drawn, as on a desk (the wall's chart was empty).
		{"all 31, no home", 31, 0, nil, 0.5, 31.5, []float64{1, 5, 10, 15, 20, 25, 31}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == nil {
				for i := 1; i <= tc.n; i++ {
					tc.want = append(tc.want, fmt.Sprintf("%02d0000", i))
				}
			}
			b, _ := json.Marshal(rankHistoryChart(trajectoryOf(tc.n, tc.home), langZh, true))
			var o struct {
				YAxis []struct {
					Min, Max  float64
					AxisLabel struct{ CustomValues []float64 } `json:"axisLabel"`
				} `json:"yAxis"`
				Series []struct{ Name string }
			}
			if err := json.Unmarshal(b, &o); err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range o.Series {
				names = append(names, s.Name)
			}
			if !slices.Equal(names, tc.want) {
				t.Errorf("lines %v, want %v", names, tc.want)
			}
			if len(o.YAxis) != 1 || o.YAxis[0].Min != tc.min || o.YAxis[0].Max != tc.max || !slices.Equal(o.YAxis[0].AxisLabel.CustomValues, tc.wantMarks) {
				t.Errorf("rank axis %+v, want %v to %v marked at %v", o.YAxis, tc.min, tc.max, tc.wantMarks)
			}
		})
	}
}

// County bars carry their values at their ends and in the hover tooltip.
func TestCountyChartShowsValues(t *testing.T) {
	r := &warehouse.CountyRanking{Indicator: warehouse.Indicator{NameZh: "农村居民人均可支配收入", Unit: "元"}, Year: 2024,
		Rows: []warehouse.CountyRow{{Code: "620102", NameZh: "城关区", Value: 12345}}}
	b, _ := json.Marshal(countyChart(r, "value", langZh))
	var o struct {
		Tooltip struct{ Show bool } `json:"tooltip"`
		Series  []struct {
			Label struct{ Show bool } `json:"label"`
		}
	}
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatal(err)
	}
	if !o.Tooltip.Show || len(o.Series) != 1 || !o.Series[0].Label.Show {
		t.Errorf("county chart: tooltip %v, series %+v: want values on hover and on the bars", o.Tooltip.Show, o.Series)
	}
}

// The China map names its shapes in the page's language: on an English page the provinces
// (and the shapes that are no province of the rankings) go by their English names, the
// data with them, and the home province is outlined under its English name (before:
// 甘肃, 北京 … on the English cockpit's map).
func TestChinaMapNamesShapesInThePagesLanguage(t *testing.T) {
	rows := []warehouse.RankRow{{RegionCode: "620000", ShortZh: "甘肃", NameEn: "Gansu", Value: 1}, {RegionCode: "110000", ShortZh: "北京", NameEn: "Beijing", Value: 2}}
	r := &warehouse.Ranking{Indicator: warehouse.Indicator{Code: "gdp", NameZh: "地区生产总值", NameEn: "GDP"}, Year: 2024, Rows: rows,
		Home: &warehouse.HomeStanding{Row: rows[0]}}
	for _, tc := range []struct {
		lang, home, noValue string
		nameMap             map[string]string
	}{
		{langZh, "甘肃", "灰色：无数值（含港澳台）", nil},
		{langEn, "Gansu", "Grey: no value (Hong Kong, Macao and Taiwan among them)", map[string]string{"甘肃": "Gansu", "北京": "Beijing", "台湾": "Taiwan", "香港": "Hong Kong", "澳门": "Macao", "南海诸岛": "South China Sea Islands"}},
	} {
		b, _ := json.Marshal(chinaMapChart(r, tc.lang))
		var o struct {
			Title struct {
				Subtext string `json:"subtext"`
			} `json:"title"`
			Series []struct {
				NameMap   map[string]string `json:"nameMap"`
				ItemStyle struct {
					AreaColor string `json:"areaColor"`
				} `json:"itemStyle"`
				Data []struct {
					Name      string
					ItemStyle *struct{ BorderColor string } `json:"itemStyle"`
				}
			}
		}
		if err := json.Unmarshal(b, &o); err != nil || len(o.Series) != 1 {
			t.Fatalf("%s: %v %s", tc.lang, err, b)
		}
		s := o.Series[0]
		// A shape without a value is grey, off the blue scale, and the chart says so: Taiwan
		// was drawn in the lowest value's near-white.
		if s.ItemStyle.AreaColor != colorNoValue || o.Title.Subtext != tc.noValue {
			t.Errorf("%s: shapes without a value filled %q, the chart saying %q; want %s, said", tc.lang, s.ItemStyle.AreaColor, o.Title.Subtext, colorNoValue)
		}
		if !maps.Equal(s.NameMap, tc.nameMap) {
			t.Errorf("%s: nameMap %v, want %v", tc.lang, s.NameMap, tc.nameMap)
		}
		var home []string
		for _, d := range s.Data {
			if d.ItemStyle != nil && d.ItemStyle.BorderColor == colorHome {
				home = append(home, d.Name)
			}
		}
		if !slices.Equal(home, []string{tc.home}) {
			t.Errorf("%s: outlined %v, want %s", tc.lang, home, tc.home)
		}
	}
}

// Text given in two languages: the English on an English page when there is English, and
// the Chinese otherwise, marked as Chinese only where an English page shows it.
func TestTextInThePagesLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang, zh, en, want string
		zhOnly             bool
	}{
		{"zh", "2023 年版", "2023 edition", "2023 年版", false},
		{"en", "2023 年版", "2023 edition", "2023 edition", false},
		{"en", "2023 年版", "", "2023 年版", true},
		{"zh", "2023 年版", "", "2023 年版", false},
		{"en", "", "", "", false},
	} {
		if got, only := inLang(tc.lang, tc.zh, tc.en), zhOnly(tc.lang, tc.zh, tc.en); got != tc.want || only != tc.zhOnly {
			t.Errorf("%s page, %q / %q: %q (Chinese only %v), want %q (%v)", tc.lang, tc.zh, tc.en, got, only, tc.want, tc.zhOnly)
		}
	}
}

// The ledger's city chart labels its axis with short names: "Linxia Hui Autonomous
// Prefecture" at 30° ran into the legend, and the full Chinese names printed over each
// other on a phone.
func TestCityAxisUsesShortNames(t *testing.T) {
	regions := map[string]warehouse.Region{
		"620100": {Code: "620100", NameZh: "兰州市", ShortZh: "兰州", NameEn: "Lanzhou", Level: "city"},
		"622900": {Code: "622900", NameZh: "临夏回族自治州", ShortZh: "临夏", NameEn: "Linxia Hui Autonomous Prefecture", Level: "city"},
		"150000": {Code: "150000", NameZh: "内蒙古自治区", ShortZh: "内蒙古", NameEn: "Inner Mongolia", Level: "province"},
	}
	by := map[string]map[string]int{"620100": {warehouse.StatusClosed: 3}, "622900": {warehouse.StatusClosed: 2}}
	for lang, want := range map[string][]string{langZh: {"兰州", "临夏"}, langEn: {"Lanzhou", "Linxia"}} {
		b, _ := json.Marshal(cityStatusChart(by, regions, lang))
		var o struct {
			XAxis []struct{ Data []string } `json:"xAxis"`
		}
		if err := json.Unmarshal(b, &o); err != nil || len(o.XAxis) != 1 || !slices.Equal(o.XAxis[0].Data, want) {
			t.Errorf("%s: city axis %+v, want %v", lang, o.XAxis, want)
		}
	}
	// A province's English name is not cut: only a city's starts with its own name.
	if got := axisName(regions["150000"], langEn); got != "Inner Mongolia" {
		t.Errorf("axis name of Inner Mongolia: %q", got)
	}
}

// The seven categories are named down the side of their chart: along the bottom their
// seven-character names were cut and printed over each other on a phone.
func TestCategoriesNamedDownTheSide(t *testing.T) {
	sc := &warehouse.Scorecard{Month: "2025-02-01", Kind: "city"}
	for c := 1; c <= 7; c++ {
		sc.Categories = append(sc.Categories, warehouse.CategoryCount{Category: c, Found: float64(10 * c), Rectified: float64(5 * c)})
	}
	b, _ := json.Marshal(categoriesChart(sc, langZh))
	var o struct {
		YAxis []struct {
			Type string
			Data []string
		} `json:"yAxis"`
		Title struct{ Subtext string } `json:"title"`
	}
	if err := json.Unmarshal(b, &o); err != nil || len(o.YAxis) != 1 || o.YAxis[0].Type != "category" || len(o.YAxis[0].Data) != 7 || o.YAxis[0].Data[0] != "麻木僵化不思为" {
		t.Errorf("categories axis %+v, want the seven names down the side", o.YAxis)
	}
	// The scorecard's subtitle gives its colours first: a phone cuts the rest.
	b, _ = json.Marshal(scorecardChart(sc, langZh))
	var sco struct {
		Title struct{ Subtext string } `json:"title"`
	}
	if err := json.Unmarshal(b, &sco); err != nil || !strings.HasPrefix(sco.Title.Subtext, "绿色进位，红色退位，蓝色持平或无可比名次") {
		t.Errorf("scorecard subtitle %q, want all three colours first (blue was not explained)", sco.Title.Subtext)
	}
	// It says whose problems it counts (those of the kind of unit shown), that they are the
	// month's, and why rectified may pass found (336 rectified of 319 found read as an error).
	if want := "2025-02 · 市州 · 当月个数，整改可含往月发现的问题"; o.Title.Subtext != want {
		t.Errorf("categories chart subtitle %+v, want %s", o.Title, want)
	}
}

// The growth chart draws the nation's line only where it has a value: for a rate loaded
// for the provinces only, its legend listed 全国 with no line drawn.
func TestGrowthChartListsOnlyLinesItDraws(t *testing.T) {
	v := func(x float64) *float64 { return &x }
	tr := &warehouse.Trajectory{
		Indicator: warehouse.Indicator{Code: "gdp_growth", NameZh: "地区生产总值增速", NameEn: "GDP growth", Unit: "%", Direction: 1},
		Years:     []int{2023, 2024}, GrowthBasis: "rate",
		Regions:           []warehouse.RegionSeries{{Code: "620000", NameZh: "甘肃省", Short: "甘肃", NameEn: "Gansu", Home: true, Growth: []*float64{v(6.4), v(5.8)}}},
		Nation:            warehouse.RegionSeries{Code: "100000", Growth: []*float64{nil, nil}},
		GroupMedianGrowth: []*float64{v(5.1), v(5.3)},
	}
	names := func() []string {
		var out []string
		for _, s := range growthChart(tr, langZh)["series"].([]any) {
			out = append(out, s.(map[string]any)["name"].(string))
		}
		return out
	}
	if got := names(); slices.Contains(got, "全国") || len(got) != 2 {
		t.Errorf("without a national value the chart draws %q; want Gansu and the median only", got)
	}
	tr.Nation.Growth[1] = v(5.0)
	if got := names(); !slices.Contains(got, "全国") {
		t.Errorf("with a national value the chart draws %q; want 全国 too", got)
	}
}
