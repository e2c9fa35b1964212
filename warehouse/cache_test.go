package warehouse_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// A repeated view is answered from the cache; a load makes the next view go to the engine
// again and see the new data.
func TestRankingCacheServesRepeatsAndInvalidatesOnLoad(t *testing.T) {
	w := etltest.Demo(t)
	ctx := context.Background()
	q := warehouse.RankingQuery{Indicator: "gdp", Year: 2024, Group: "benchmarks", Home: etltest.Home}
	first, err := w.Ranking(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	before := w.CacheStats()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := w.Ranking(ctx, q); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	after := w.CacheStats()
	if after.Misses != before.Misses {
		t.Errorf("repeated views ran %d engine queries, want 0", after.Misses-before.Misses)
	}
	etltest.LoadCSV(t, w, "economy", "revised.csv", "year,region_code,indicator,value\n2024,620000,gdp,99999\n")
	second, err := w.Ranking(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if w.CacheStats().Misses == after.Misses {
		t.Errorf("the view after a load was answered from the cache")
	}
	if first.Home.Row.Value == 99999 || second.Home.Row.Value != 99999 || second.Home.Row.Rank != 1 {
		t.Errorf("before the load Gansu had %v, after %v at rank %d; want the revised 99999 at rank 1", first.Home.Row.Value, second.Home.Row.Value, second.Home.Row.Rank)
	}
}

// An abandoned request stops before its next engine query, and neither its error nor a
// partial answer is kept for the next viewer. Not parallel: it counts the engine queries of
// the shared demo's cache, which every test's handle on it shares.
func TestAbandonedRequestCancelsAndLeavesNothingCached(t *testing.T) {
	w := etltest.SharedDemo(t)
	q := warehouse.RankingQuery{Indicator: "gdp_growth", Year: 2024, Group: "west12", Home: etltest.Home}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before := w.CacheStats()
	if _, err := w.Ranking(ctx, q); !errors.Is(err, context.Canceled) {
		t.Fatalf("abandoned ranking: %v; want context.Canceled", err)
	}
	if w.CacheStats().Misses-before.Misses > 1 {
		t.Errorf("an abandoned request went on to run %d engine queries", w.CacheStats().Misses-before.Misses)
	}
	r, err := w.Ranking(context.Background(), q)
	if err != nil || r.Home == nil {
		t.Fatalf("the next request: %v", err)
	}
}
