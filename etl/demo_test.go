package etl_test

import (
	"context"
	"io"
	"log/slog"
	"math"
	"testing"

	"jinwei/etl"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
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
