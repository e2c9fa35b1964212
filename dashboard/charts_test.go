package dashboard

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
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
