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
