package etl_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"jinwei/etl"
	"jinwei/etl/demogen"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/scorecard"
)

const gansu = "620000"

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// demoCopy is a writable copy of the demo with a loader on it: for tests that load more
// files on top of the demo, without paying for a whole load of their own.
func demoCopy(t *testing.T) (*warehouse.Warehouse, *etl.Loader) {
	t.Helper()
	w := etltest.Demo(t)
	return w, etl.NewLoader(w, quietLogger())
}

func TestDemoLoadMatchesPublishedRanks(t *testing.T) {
	// The shared demo is loaded by the loader's LoadDemo, as `jinwei demo load` does.
	w := etltest.SharedDemo(t)
	ctx := context.Background()
	// SOURCES.md: Gansu's per-capita GDP is last of 31 in every year 2019–2024, and its
	// ratio to the national figure was 0.552 in 2024 and 0.531 in 2022.
	for _, tc := range []struct {
		year  int
		ratio float64
	}{{2024, 0.552}, {2022, 0.531}, {2019, 0.504}} {
		r, err := w.Ranking(ctx, warehouse.RankingQuery{Indicator: "gdp_per_capita", Year: tc.year, Group: "all31", Home: gansu})
		if err != nil {
			t.Fatalf("ranking %d: %v", tc.year, err)
		}
		if r.Home == nil {
			t.Fatalf("%d: no home standing", tc.year)
		}
		if r.Home.Row.Rank != 31 || r.Home.GroupSize != 31 {
			t.Errorf("%d: Gansu per-capita GDP rank %d/%d, want 31/31", tc.year, r.Home.Row.Rank, r.Home.GroupSize)
		}
		if r.Rows[0].RegionCode != "110000" || r.Rows[1].RegionCode != "310000" {
			t.Errorf("%d: first two are %s, %s; want Beijing, Shanghai", tc.year, r.Rows[0].NameZh, r.Rows[1].NameZh)
		}
		if r.Home.RatioToNation == nil || math.Abs(*r.Home.RatioToNation-tc.ratio) > 0.0005 {
			t.Errorf("%d: ratio to national %v, want %.3f", tc.year, r.Home.RatioToNation, tc.ratio)
		}
		if r.Home.NextUp == nil || r.Home.NextUp.To.Rank != 30 || r.Home.NextUp.Amount <= 0 {
			t.Errorf("%d: next place up %+v, want rank 30 with a positive gap", tc.year, r.Home.NextUp)
		}
	}
}

// Loading the demo again (what every `jinwei serve` start does) finds every file already
// loaded: the runs are recorded as unchanged and seen at once, but no new data version
// starts, so wall screens do not redraw and caches are kept. A file with new content still
// starts one.
func TestReloadingTheDemoStartsNoDataVersion(t *testing.T) {
	w := etltest.Demo(t)
	ctx := context.Background()
	// Read the runs once first, so a cached answer would show here.
	if _, err := w.RecentRuns(ctx, 500); err != nil {
		t.Fatal(err)
	}
	before, err := w.DataVersionNow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// What serve does at every start: abandon what a dead process left running (nothing).
	if err := w.AbandonStaleRuns(ctx); err != nil {
		t.Fatal(err)
	}
	reports, err := etl.NewLoader(w, quietLogger()).LoadDemo(ctx, etltest.DataDir(), etltest.Home)
	if err != nil {
		t.Fatal(err)
	}
	unchanged := map[string]bool{}
	for _, r := range reports {
		if !r.Unchanged {
			t.Errorf("second load of %s: %s, want unchanged", r.Run.FilePath, r.Run.Status)
		}
		unchanged[r.Run.ID] = true
	}
	after, err := w.DataVersionNow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("loading the demo again moved the data version from %d to %d (%d unchanged runs)", before, after, len(reports))
	}
	runs, err := w.RecentRuns(ctx, 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		delete(unchanged, r.ID)
	}
	if len(unchanged) != 0 || len(reports) < 20 {
		t.Errorf("%d of %d unchanged runs are not listed among the recent runs", len(unchanged), len(reports))
	}
	etltest.LoadCSV(t, w, etl.JobEconomy, "new.csv", header+"2025,620000,甘肃省,gdp,100,亿元\n")
	if changed, err := w.DataVersionNow(ctx); err != nil || changed <= after {
		t.Errorf("a load of new data left the data version at %d (was %d): %v", changed, after, err)
	}
}

// The demo's stock items (problems and flagged households closed within their deadline,
// first in first out) tell the cities apart, as the campaign's are meant to: the demo's
// monthly files are what the generator makes, and in a year's month and in the last no
// more than two of the 14 cities stand at 0 % and the rest spread over several values. The
// set before closed a share of each month's own cases only; its backlogs grew without end
// and 11 cities stood at 0 %, scored 50 beside "624 of 870 rectified".
func TestGeneratedStocksTellCitiesApart(t *testing.T) {
	data, dir := etltest.DataDir(), t.TempDir()
	for _, in := range []string{"real", "gansu_county_names_en.csv"} {
		if err := os.Symlink(filepath.Join(data, in), filepath.Join(dir, in)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := demogen.Generate(dir, gansu, demogen.DefaultSeed); err != nil {
		t.Fatal(err)
	}
	items, err := scorecard.ReadItems(filepath.Join(data, "campaign_scoring.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// The monthly file's columns each stock item counts (a category's columns add up).
	columns := map[string]string{"发现问题": "problems_found", "整改问题": "problems_rectified", "一键报贫预警户数": "poverty_flagged", "一键报贫帮扶户数": "poverty_assisted"}
	counted := slices.Collect(maps.Values(columns))
	var stocks []scorecard.Item
	for _, it := range items {
		if it.Formula == scorecard.Stock {
			if !slices.Contains(counted, it.Num) || !slices.Contains(counted, it.Den) {
				t.Fatalf("stock item %s counts %s of %s, which this test does not read from the files", it.Code, it.Num, it.Den)
			}
			stocks = append(stocks, it)
		}
	}
	months, err := filepath.Glob(filepath.Join(dir, "generated", "三抓三促月报_*.csv"))
	if err != nil || len(months) != 24 || len(stocks) == 0 {
		t.Fatalf("%d monthly reports (%v), %d stock items; want 24 and some", len(months), err, len(stocks))
	}
	cities := map[string][]scorecard.Report{}
	for _, path := range months { // in month order: the names end in YYYY-MM
		made, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if shipped, err := os.ReadFile(filepath.Join(data, "generated", filepath.Base(path))); err != nil || !bytes.Equal(made, shipped) {
			t.Fatalf("data/generated/%s is not what `jinwei demo generate` makes (%v): run it again", filepath.Base(path), err)
		}
		rows := etltest.ReadGBKCSV(t, made)
		for _, r := range rows[1:] {
			if r[0] != "地区" || !strings.HasSuffix(r[1], "00") {
				continue
			}
			rep := scorecard.Report{}
			for j, h := range rows[0] {
				if code, ok := columns[strings.SplitN(h, "（", 2)[0]]; ok {
					v, err := strconv.ParseFloat(r[j], 64)
					if err != nil {
						t.Fatalf("%s, %s, %s: %v", path, r[2], h, err)
					}
					rep[code] += v
				}
			}
			cities[r[1]] = append(cities[r[1]], rep)
		}
	}
	if len(cities) != 14 {
		t.Fatalf("%d cities in the reports, want 14", len(cities))
	}
	for _, month := range []int{11, 23} {
		for _, it := range stocks {
			var zero int
			distinct := map[float64]bool{}
			for _, reports := range cities {
				v := scorecard.Values([]scorecard.Item{it}, reports, 0)[month][it.Code]
				if v.Status != scorecard.OK {
					continue
				}
				distinct[math.Round(v.Value)] = true
				if v.Value == 0 {
					zero++
				}
			}
			if zero > 2 || len(distinct) < 5 {
				t.Errorf("%s in %s: %d of 14 cities at 0 %%, %d distinct values (%v); want at most 2 at 0 and at least 5 values",
					it.Code, filepath.Base(months[month]), zero, len(distinct), slices.Sorted(maps.Keys(distinct)))
			}
		}
	}
}
