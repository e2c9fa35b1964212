package warehouse_test

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"testing"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// oldItems are the nine items the scorecard had before it read them from data: counts and
// flow rates, scaled min–max within the month, equal weights, ties broken by code. Kept
// here only to measure the new method against.
var oldItems = []struct {
	num, den string
	dir      float64
}{
	{"study_sessions", "", 1}, {"training_hours", "", 1}, {"tasks_on_time", "tasks_assigned", 1}, {"tasks_overdue", "tasks_assigned", -1},
	{"inspections_4b2z", "", 1}, {"problems_rectified", "problems_found", 1}, {"enterprise_visits", "", 1},
	{"complaints_resolved", "complaints_received", 1}, {"poverty_assisted", "poverty_flagged", 1},
}

// oldRanks ranks units by the old method from their metrics of one month.
func oldRanks(metrics map[string]map[string]float64) map[string]int {
	type unit struct {
		code  string
		items []float64
		has   []bool
		score float64
	}
	var units []*unit
	for code, m := range metrics {
		u := &unit{code: code, items: make([]float64, len(oldItems)), has: make([]bool, len(oldItems))}
		for i, it := range oldItems {
			switch {
			case it.den == "":
				u.items[i], u.has[i] = m[it.num], true
			case m[it.den] > 0:
				u.items[i], u.has[i] = math.Min(m[it.num]/m[it.den], 1)*100, true
			}
		}
		units = append(units, u)
	}
	scaled := make([][]float64, len(units))
	for i := range scaled {
		scaled[i] = make([]float64, len(oldItems))
	}
	for k, it := range oldItems {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, u := range units {
			if u.has[k] {
				lo, hi = math.Min(lo, u.items[k]), math.Max(hi, u.items[k])
			}
		}
		for i, u := range units {
			s := 100.0
			if hi > lo {
				s = (u.items[k] - lo) / (hi - lo) * 100
			}
			if it.dir < 0 {
				s = 100 - s
			}
			scaled[i][k] = s
		}
	}
	for i, u := range units {
		var total, n float64
		for k := range oldItems {
			if u.has[k] {
				total += scaled[i][k]
				n++
			}
		}
		u.score = total / n
	}
	sort.SliceStable(units, func(a, b int) bool {
		if units[a].score != units[b].score {
			return units[a].score > units[b].score
		}
		return units[a].code < units[b].code
	})
	out := map[string]int{}
	for i, u := range units {
		out[u.code] = i + 1
	}
	return out
}

// moved is the mean and largest number of places units ranked in consecutive months moved.
func moved(series []map[string]int) (mean float64, most int) {
	var total, n int
	for i := 1; i < len(series); i++ {
		for code, r := range series[i] {
			if p, ok := series[i-1][code]; ok && p > 0 && r > 0 {
				d := r - p
				if d < 0 {
					d = -d
				}
				total += d
				n++
				most = max(most, d)
			}
		}
	}
	return float64(total) / float64(n), most
}

// BenchmarkScorecardVolatility prints how many places a county moves from month to month on
// the demo data, by the old method (min–max within the month, raw counts, flow rates) and
// by the new one (data/campaign_scoring.csv): a leader reads a move as a judgement, so it
// should follow the county's own data.
func BenchmarkScorecardVolatility(b *testing.B) {
	w := etltest.Demo(b)
	ctx := context.Background()
	for range b.N {
		for _, scope := range []string{warehouse.ScopeCounty, warehouse.ScopeCity} {
			level := scope
			res, err := whtest.Query(ctx, w, `SELECT m.unit_code, toString(m.month), m.metric_code, toString(sum(m.value))
				FROM (SELECT unit_code, month, metric_code, problem_category, argMax(value, loaded_at) AS value FROM campaign_metrics
				      WHERE run_id IN (SELECT run_id FROM committed_runs) AND unit_kind = 'region'
				      GROUP BY unit_code, month, metric_code, problem_category) AS m
				WHERE m.unit_code IN (SELECT code FROM regions FINAL WHERE level = '`+level+`' AND counted = 1)
				GROUP BY m.unit_code, m.month, m.metric_code ORDER BY 2`, nil)
			if err != nil {
				b.Fatal(err)
			}
			byMonth := map[string]map[string]map[string]float64{}
			var months []string
			for _, r := range res.Rows {
				unit, month, metric := fmt.Sprint(r[0]), fmt.Sprint(r[1]), fmt.Sprint(r[2])
				v, _ := strconv.ParseFloat(fmt.Sprint(r[3]), 64)
				if byMonth[month] == nil {
					byMonth[month] = map[string]map[string]float64{}
					months = append(months, month)
				}
				if byMonth[month][unit] == nil {
					byMonth[month][unit] = map[string]float64{}
				}
				byMonth[month][unit][metric] = v
			}
			var old, now []map[string]int
			for _, m := range months {
				old = append(old, oldRanks(byMonth[m]))
				sc, err := w.Scorecard(ctx, scope, m, nil)
				if err != nil {
					b.Fatal(err)
				}
				ranks := map[string]int{}
				for _, u := range sc.Units {
					ranks[u.Code] = u.Rank
				}
				now = append(now, ranks)
			}
			oldMean, oldMax := moved(old)
			newMean, newMax := moved(now)
			b.Logf("%s rank volatility over %d demo months (mean places moved per unit per month, largest move): old method %.2f (max %d), new method %.2f (max %d)",
				scope, len(months), oldMean, oldMax, newMean, newMax)
			b.ReportMetric(oldMean, scope+"-places-moved-old")
			b.ReportMetric(newMean, scope+"-places-moved-new")
		}
	}
}
