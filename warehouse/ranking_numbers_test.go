package warehouse_test

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/measure"
)

const (
	gansu        = etltest.Home
	heilongjiang = "230000"
)

// Missing data is shown, never silently ranked: each case takes values away and checks
// what the ranking says.
func TestRankingWithMissingValues(t *testing.T) {
	ctx := context.Background()
	// Heilongjiang, 30th in 2024 just above Gansu, has no 2024 per-capita GDP here; Gansu
	// has no 2024 resident income; nobody has urban income (as in the real file).
	w := etltest.Provincial(t, func(year, region, indicator string) bool {
		return (year == "2024" && region == heilongjiang && indicator == "gdp_per_capita") ||
			(year == "2024" && region == gansu && indicator == "resident_income")
	})
	q := warehouse.RankingQuery{Indicator: "gdp_per_capita", Year: 2024, Group: "all31", Home: gansu}
	r, err := w.Ranking(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 30 || len(r.Missing) != 1 || r.Missing[0].Code != heilongjiang || r.Missing[0].NameZh != "黑龙江" {
		t.Fatalf("%d rows, missing %+v; want 30 ranked and 黑龙江 missing", len(r.Rows), r.Missing)
	}
	h := r.Home
	if h == nil || h.Row.Rank != 30 || h.GroupSize != 30 || r.HomeStatus != warehouse.HomeRanked {
		t.Fatalf("home %+v status %s; want 30/30", h, r.HomeStatus)
	}
	// Gansu was 31st of 31 in 2023 and is last of the 30 with values now: among the 30
	// present in both years it has not moved. Counting Heilongjiang's gap as a place
	// gained would print "进位 1".
	if h.Row.RankChange != 0 || !h.Row.HasPrev || h.Row.Change.Common != 30 || h.Row.ChangeAll.Places != 0 {
		t.Errorf("change %+v (all %+v); want 0 among the 30 present in both years", h.Row.Change, h.Row.ChangeAll)
	}

	// The home province without a value is "no value", not "not in the group".
	r, err = w.Ranking(ctx, warehouse.RankingQuery{Indicator: "resident_income", Year: 2024, Group: "west12", Home: gansu})
	if err != nil {
		t.Fatal(err)
	}
	if r.Home != nil || r.HomeStatus != warehouse.HomeNoValue || len(r.Rows) != 11 || len(r.Missing) != 1 || r.Missing[0].Code != gansu {
		t.Errorf("home %+v status %q rows %d missing %+v; want no value, 11 ranked, Gansu missing", r.Home, r.HomeStatus, len(r.Rows), r.Missing)
	}
	// The year after, Gansu's rank change is not comparable (no 2024 value) — checked on
	// 2024 itself against 2023 here: other regions' changes stay comparable.
	for _, row := range r.Rows {
		if !row.HasPrev {
			t.Errorf("%s has values in 2023 and 2024 but no rank change", row.NameZh)
		}
	}
	r, err = w.Ranking(ctx, warehouse.RankingQuery{Indicator: "resident_income", Year: 2024, Group: "yellow_river9", Home: "640000"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Home == nil || r.Home.GroupSize != 8 {
		t.Fatalf("Ningxia %+v; want ranked among 8", r.Home)
	}

	// No provincial values at all, no year asked: an answer that says what exists.
	r, err = w.Ranking(ctx, warehouse.RankingQuery{Indicator: "urban_income", Group: "all31", Home: gansu})
	if err != nil {
		t.Fatalf("urban income with no year: %v", err)
	}
	if len(r.Rows) != 0 || len(r.NationYears) != 13 || r.NationYears[0] != 2012 || r.HomeStatus != warehouse.HomeNoValue {
		t.Errorf("rows %d nation years %v status %s; want none, 2012–2024, no value", len(r.Rows), r.NationYears, r.HomeStatus)
	}
	tr, err := w.Trajectory(ctx, warehouse.RankingQuery{Indicator: "urban_income", Group: "all31", Home: gansu})
	if err != nil || len(tr.Regions) != 0 {
		t.Errorf("urban income trajectory %v, %v", tr, err)
	}
}

// Which comparisons a ranking makes follows the indicator's kind.
func TestRankingMeasuresFollowTheKind(t *testing.T) {
	ctx := context.Background()
	w := etltest.Provincial(t, nil)
	tests := []struct {
		indicator string
		ratio     bool
		gap       bool
		points    bool
		catchUp   bool
		basis     string
	}{
		{"gdp_per_capita", true, true, false, true, warehouse.GrowthNominal},
		{"gdp", false, false, false, false, warehouse.GrowthReal},
		{"population", false, false, false, false, warehouse.GrowthPlain},
		// An index on the year before is not a rate: its change is the index less 100.
		{"cpi_index", false, true, true, false, warehouse.GrowthIndex},
		{"gdp_growth", false, false, false, false, warehouse.GrowthRate},
		{"resident_income", true, true, false, true, warehouse.GrowthNominal},
	}
	for _, tc := range tests {
		t.Run(tc.indicator, func(t *testing.T) {
			q := warehouse.RankingQuery{Indicator: tc.indicator, Year: 2023, Group: "west12", Home: gansu}
			r, err := w.Ranking(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if r.Home == nil {
				t.Fatal("Gansu not ranked")
			}
			if (r.Home.RatioToNation != nil) != tc.ratio || (r.Home.GapToNation != nil) != tc.gap {
				t.Errorf("share %v gap %+v; want share %v gap %v", r.Home.RatioToNation, r.Home.GapToNation, tc.ratio, tc.gap)
			}
			if tc.gap && r.Home.GapToNation.Points != tc.points {
				t.Errorf("gap in points %v, want %v", r.Home.GapToNation.Points, tc.points)
			}
			tr, err := w.Trajectory(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if (tr.CatchUp != nil) != tc.catchUp || tr.GrowthBasis != tc.basis {
				t.Errorf("catch-up %+v basis %s; want catch-up %v basis %s", tr.CatchUp, tr.GrowthBasis, tc.catchUp, tc.basis)
			}
			// Ending at the year asked for: a page of 2019 spoke of 2021–2024.
			if tc.catchUp && (tr.CatchUp.ToYear-tr.CatchUp.FromYear != measure.CatchUpSpan || tr.CatchUp.ToYear != q.Year) {
				t.Errorf("catch-up years %d→%d", tr.CatchUp.FromYear, tr.CatchUp.ToYear)
			}
			if (tr.RatioToNation != nil) != tc.ratio {
				t.Errorf("share series %v, want %v", tr.RatioToNation != nil, tc.ratio)
			}
		})
	}
	// GDP's growth is the real series (gdp_growth), not growth of current-price GDP.
	tr, err := w.Trajectory(ctx, warehouse.RankingQuery{Indicator: "gdp", Group: "west12", Home: gansu})
	if err != nil {
		t.Fatal(err)
	}
	if tr.GrowthFrom != "gdp_growth" {
		t.Fatalf("growth from %q", tr.GrowthFrom)
	}
	for _, s := range tr.Regions {
		if s.Home {
			i := slices.Index(tr.Years, 2024)
			// SOURCES.md: revised real growth, Gansu 2024 = 5.8 %.
			if s.Growth[i] == nil || math.Abs(*s.Growth[i]-5.8) > 1e-9 {
				t.Errorf("Gansu 2024 growth %v, want real 5.8", s.Growth[i])
			}
		}
	}
	for _, g := range tr.Nation.Growth {
		if g != nil {
			t.Errorf("a national growth %v drawn though no national real series is loaded", *g)
		}
	}
}

// An independent recomputation of every ranking from data/real/province_annual.csv: for
// every indicator, built-in group and year, the values, ranks (ties shared, direction
// followed), the group's size, the gap to the place above and the share of national must
// be what plain arithmetic over the file gives.
func TestRankingRecomputedFromTheFile(t *testing.T) {
	ctx := context.Background()
	w := etltest.Provincial(t, nil)
	dir := etltest.DataDir()
	values := map[string]map[int]map[string]float64{} // indicator → year → region → value
	for _, rec := range readCSV(t, filepath.Join(dir, "real", "province_annual.csv")) {
		y, _ := strconv.Atoi(rec[0])
		v, err := strconv.ParseFloat(rec[4], 64)
		if err != nil {
			t.Fatalf("value %q: %v", rec[4], err)
		}
		if values[rec[3]] == nil {
			values[rec[3]] = map[int]map[string]float64{}
		}
		if values[rec[3]][y] == nil {
			values[rec[3]][y] = map[string]float64{}
		}
		values[rec[3]][y][rec[1]] = v
	}
	direction, kind := map[string]int{}, map[string]string{}
	// By the header's names: a column added to the file moved "kind" along.
	indicators := readCSVWithHeader(t, filepath.Join(dir, "indicators.csv"))
	col := func(name string) int { return slices.Index(indicators[0], name) }
	for _, rec := range indicators[1:] {
		direction[rec[0]], _ = strconv.Atoi(rec[col("direction")])
		kind[rec[0]] = rec[col("kind")]
	}
	groups := map[string][]string{}
	for _, rec := range readCSV(t, filepath.Join(dir, "peer_groups.csv")) {
		groups[rec[0]] = strings.Fields(strings.ReplaceAll(rec[4], "{home}", gansu))
	}
	checked := 0
	for ind, byYear := range values {
		for year, all := range byYear {
			for code, members := range groups {
				in := map[string]float64{}
				for _, m := range members {
					if v, ok := all[m]; ok && m != warehouse.NationCode {
						in[m] = v
					}
				}
				if len(in) == 0 {
					continue
				}
				r, err := w.Ranking(ctx, warehouse.RankingQuery{Indicator: ind, Year: year, Group: code, Home: gansu})
				if err != nil {
					t.Fatalf("%s %d %s: %v", ind, year, code, err)
				}
				checked++
				if len(r.Rows) != len(in) {
					t.Errorf("%s %d %s: %d rows, want %d", ind, year, code, len(r.Rows), len(in))
					continue
				}
				better := func(a, b float64) bool {
					if direction[ind] < 0 {
						return a < b
					}
					return a > b
				}
				for _, row := range r.Rows {
					want := 1
					for _, v := range in {
						if better(v, in[row.RegionCode]) {
							want++
						}
					}
					if row.Value != in[row.RegionCode] || row.Rank != want {
						t.Errorf("%s %d %s %s: value %v rank %d, want %v rank %d", ind, year, code, row.RegionCode, row.Value, row.Rank, in[row.RegionCode], want)
					}
				}
				home, ok := in[gansu]
				if !ok {
					continue
				}
				h := r.Home
				if h == nil || h.GroupSize != len(in) {
					t.Errorf("%s %d %s: home %+v, want ranked of %d", ind, year, code, h, len(in))
					continue
				}
				// The place above: the nearest strictly better value; a size (direction 0,
				// population) has none to catch up with.
				var above *float64
				for _, v := range in {
					if direction[ind] != 0 && better(v, home) && (above == nil || better(*above, v)) {
						v := v
						above = &v
					}
				}
				switch {
				case above == nil && h.NextUp != nil:
					t.Errorf("%s %d %s: Gansu is first (or the indicator a size) but has a gap %+v", ind, year, code, h.NextUp)
				case above != nil && (h.NextUp == nil || math.Abs(h.NextUp.Amount-(*above-home)) > 1e-9):
					t.Errorf("%s %d %s: gap %+v, want %v", ind, year, code, h.NextUp, *above-home)
				}
				nation, hasNation := all[warehouse.NationCode]
				wantShare := kind[ind] == "per_capita" && hasNation && nation != 0
				if (h.RatioToNation != nil) != wantShare || (wantShare && math.Abs(*h.RatioToNation-home/nation) > 1e-12) {
					t.Errorf("%s %d %s: share %v, want %v (%v)", ind, year, code, h.RatioToNation, home/nation, wantShare)
				}
			}
		}
	}
	if checked < 500 {
		t.Fatalf("only %d rankings checked", checked)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	return readCSVWithHeader(t, path)[1:]
}

// readCSVWithHeader is the file's records, its header first.
func readCSVWithHeader(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
