package warehouse_test

import (
	"context"
	"testing"

	"jinwei/etl/etltest"
)

// The scorecard ranks units of one kind on weighted items scaled 0–100, with ranks
// changing against the month before and the seven categories summed.
func TestScorecard(t *testing.T) {
	t.Parallel()
	w := etltest.SharedDemo(t)
	ctx := context.Background()
	regions, err := w.Regions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var cities []string
	for _, r := range regions {
		if r.Level == "city" && r.ParentCode == etltest.Home {
			cities = append(cities, r.Code)
		}
	}
	weights := map[string]float64{"on_time_rate": 2, "rectification_rate": 1, "study_sessions": 1}
	sc, err := w.Scorecard(ctx, "region", "", weights, cities)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Month != "2025-02-01" || len(sc.Units) != 14 {
		t.Fatalf("month %s with %d units; want the latest month (2025-02) and the 14 cities", sc.Month, len(sc.Units))
	}
	for i, u := range sc.Units {
		if u.Rank != i+1 || (i > 0 && u.Score > sc.Units[i-1].Score) || u.Score < 0 || u.Score > 100 {
			t.Errorf("unit %s: rank %d score %.1f out of order", u.Name, u.Rank, u.Score)
		}
		if u.PrevRank == 0 || u.RankChange != u.PrevRank-u.Rank {
			t.Errorf("unit %s: previous rank %d, change %d", u.Name, u.PrevRank, u.RankChange)
		}
	}
	var found float64
	for _, c := range sc.Categories {
		found += c.Found
		if c.Rectified > c.Found {
			t.Errorf("category %d: %v rectified of %v found", c.Category, c.Rectified, c.Found)
		}
	}
	if len(sc.Categories) != 7 || found == 0 {
		t.Errorf("categories %+v; want seven with problems found", sc.Categories)
	}
	depts, err := w.Scorecard(ctx, "department", "2024-06-01", weights, nil)
	if err != nil || len(depts.Units) != 8 {
		t.Fatalf("departments: %v, %d units; want 8", err, len(depts.Units))
	}
	if _, err := w.Scorecard(ctx, "region", "1999-01-01", weights, nil); err == nil {
		t.Errorf("a month without reports was scored")
	}
}
