package warehouse_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// nationalRows is a national-scale monthly county table: about 2,850 counties × 300
// indicators × 120 months.
const nationalRows = 2850 * 300 * 120

// BenchmarkNationalScaleRanking fills indicator_values with a generated national-scale
// county table (102.6 M rows) beside the demo's provincial data, then times the ranking
// query the pages run (uncached) and a ranking of all counties on one indicator in one
// month. Run with -benchtime 1x or a few x; the insert is done once.
func BenchmarkNationalScaleRanking(b *testing.B) {
	w := etltest.Demo(b)
	ctx := context.Background()
	run := warehouse.Run{ID: uuid.NewString(), Job: "economy", FilePath: "generated national county table", ContentHash: "national",
		Status: warehouse.RunCommitted, StartedAt: time.Now().UTC(), FinishedAt: time.Now().UTC(), RowsLoaded: nationalRows}
	start := time.Now()
	err := whtest.Exec(ctx, w, `INSERT INTO indicator_values (indicator_code, region_code, period_kind, year, period_no, value, source_unit, run_id, source_line, loaded_at)
		SELECT concat('county_ind_', toString(number % 300)), toString(700000 + intDiv(number, 300) % 2850), 'month',
		       2015 + intDiv(intDiv(number, 855000), 12), 1 + intDiv(number, 855000) % 12, (number % 9973) * 1.5, '',
		       toUUID({run:String}), 0, now64(3)
		FROM numbers({n:UInt64})`, warehouse.Params{"run": run.ID, "n": "102600000"})
	if err != nil {
		b.Fatal(err)
	}
	err = whtest.Exec(ctx, w, `INSERT INTO indicator_coverage SELECT DISTINCT indicator_code, period_kind, year, 0, run_id
		FROM indicator_values WHERE run_id = toUUID({run:String})`, warehouse.Params{"run": run.ID})
	if err != nil {
		b.Fatal(err)
	}
	if err := w.RecordRun(ctx, run); err != nil {
		b.Fatal(err)
	}
	b.Logf("inserted %d rows in %s", nationalRows, time.Since(start).Round(time.Millisecond))
	q := warehouse.RankingQuery{Indicator: "gdp_per_capita", Year: 2024, Group: "all31", Home: etltest.Home}
	b.Run("ranking_page_query_uncached", func(b *testing.B) {
		for b.Loop() {
			w.ForgetCachedResults()
			r, err := w.Ranking(ctx, q)
			if err != nil || r.Home == nil || r.Home.Row.Rank != 31 {
				b.Fatalf("ranking: %v %+v", err, r)
			}
		}
	})
	b.Run("rank_2850_counties_one_indicator_month", func(b *testing.B) {
		for b.Loop() {
			res, err := whtest.Query(ctx, w, `SELECT region_code, value, rank() OVER (ORDER BY value DESC) AS r
				FROM indicator_values_current
				WHERE indicator_code = 'county_ind_42' AND period_kind = 'month' AND year = 2024 AND period_no = 6`, nil)
			if err != nil || len(res.Rows) != 2850 {
				b.Fatalf("county ranking: %v, %d rows", err, len(res.Rows))
			}
		}
	})
}
