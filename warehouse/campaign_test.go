package warehouse_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"jinwei/etl"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/scorecard"
	"jinwei/warehouse/whtest"
)

// The scorecard ranks the units of a scope on the items of data/campaign_scoring.csv, with
// their default weights unless the config overrides them.
func TestScorecard(t *testing.T) {
	t.Parallel()
	w := etltest.SharedDemo(t)
	ctx := context.Background()
	sc, err := w.Scorecard(ctx, warehouse.ScopeCity, "", map[string]float64{"on_time_rate": 3})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Month != "2025-02-01" || len(sc.Units) != 14 {
		t.Fatalf("month %s with %d units; want the latest month (2025-02) and the 14 cities", sc.Month, len(sc.Units))
	}
	file, err := scorecard.ReadItems(filepath.Join(etltest.DataDir(), "campaign_scoring.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var dims []string
	for _, it := range sc.Items {
		if len(dims) == 0 || dims[len(dims)-1] != it.Dimension {
			dims = append(dims, it.Dimension)
		}
	}
	if !slices.Equal(dims, []string{"study", "execution", "efficiency"}) {
		t.Errorf("items by dimension %v; want 学习, 执行, 效能 in that order", dims)
	}
	if len(sc.Items) != len(file) || sc.Weights["on_time_rate"] != 3 || sc.Weights["problems_closed_in_time"] != 2 {
		t.Errorf("items %d (file %d), weights %v; want the file's items and weights, on_time_rate overridden", len(sc.Items), len(file), sc.Weights)
	}
	for i, u := range sc.Units {
		// 嘉峪关, without a population, is scored on its rates alone (7 of 12 in weight):
		// listed last, unranked.
		if u.Partial != (u.Population == 0) || u.Partial && (u.Rank != 0 || u.HasChange || i != len(sc.Units)-1) {
			t.Errorf("unit %s (population %v): partial %v rank %d change %v at %d", u.Name, u.Population, u.Partial, u.Rank, u.HasChange, i)
		}
		if !u.Partial && (!u.Reported || u.Rank < 1 || (i > 0 && (u.Score > sc.Units[i-1].Score || u.Rank < sc.Units[i-1].Rank)) || u.Score < 0 || u.Score > 100) {
			t.Errorf("unit %s: rank %d score %.2f out of order", u.Name, u.Rank, u.Score)
		}
		if !u.Partial && (u.PrevRank == 0 || !u.HasChange) {
			t.Errorf("unit %s: previous rank %d, change %v", u.Name, u.PrevRank, u.HasChange)
		}
		// 嘉峪关 has no counties and so no population in the demo: its counts per head are
		// not applicable, never divided by nothing.
		for _, it := range u.Items {
			if perHead := strings.HasSuffix(it.Code, "_pc"); perHead && (u.Population > 0) != (it.Status != scorecard.NotApplicable) {
				t.Errorf("unit %s (population %v): item %s is %s", u.Name, u.Population, it.Code, it.Status)
			}
		}
		if len(u.Items) != len(file) {
			t.Errorf("unit %s: %d items scored; want %d", u.Name, len(u.Items), len(file))
		}
	}
	if sc.Baseline != warehouse.BaselineRescored || sc.PrevMonth != "2025-01-01" {
		t.Errorf("baseline %q %s; want the re-scored 2025-01 when nothing was published", sc.Baseline, sc.PrevMonth)
	}
	var found float64
	for _, c := range sc.Categories {
		found += c.Found
	}
	if len(sc.Categories) != 7 || found == 0 {
		t.Errorf("categories %+v; want seven with problems found", sc.Categories)
	}
	depts, err := w.Scorecard(ctx, warehouse.ScopeDepartment, "2024-06-01", nil)
	if err != nil || len(depts.Units) != 8 {
		t.Fatalf("departments: %v, %d units; want 8", err, len(depts.Units))
	}
	for _, it := range depts.Items {
		if it.Formula == scorecard.PerSize {
			t.Errorf("departments scored on %s, a count per head: departments have no population", it.Code)
		}
	}
	// A month without reports is an empty scorecard that says which months have them.
	if none, err := w.Scorecard(ctx, warehouse.ScopeCounty, "1999-01-01", nil); err != nil || none.Month != "" || len(none.Units) != 0 || len(none.Months) != 24 {
		t.Errorf("a month without reports: %+v, %v; want no units and the 24 months with reports", none, err)
	}
	if _, err := w.PublishScorecard(ctx, warehouse.ScopeCounty, "1999-01-01", nil, "t"); !errors.Is(err, warehouse.ErrNotFound) {
		t.Errorf("publishing a month without reports: %v", err)
	}
	if _, err := w.Scorecard(ctx, warehouse.ScopeCounty, "", map[string]float64{"overdue_rate": 1}); err == nil || !strings.Contains(err.Error(), "overdue_rate") {
		t.Errorf("a weight for an item not in the data: %v", err)
	}
}

// Without its items the scorecard says what to load rather than scoring everyone 0.
func TestScorecardWithoutItems(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	ctx := context.Background()
	if err := whtest.Exec(ctx, w, "TRUNCATE TABLE campaign_score_items", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Scorecard(ctx, warehouse.ScopeCounty, "", nil); err == nil || !strings.Contains(err.Error(), "campaign_scoring.csv") {
		t.Errorf("no score items: %v", err)
	}
}

// loadMonth loads the 2025-02 demo report again as 2025-03, changed by edit (rows of
// cells, header first), through the demo's mapping.
func loadMonth(t *testing.T, w *warehouse.Warehouse, edit func(rows [][]string) [][]string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(etltest.DataDir(), "generated", "三抓三促月报_2025-02.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := etltest.ReadGBKCSV(t, raw)
	for _, r := range rows[1:] {
		r[3] = "2025年3月"
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if err := cw.WriteAll(edit(rows)); err != nil {
		t.Fatal(err)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "三抓三促月报_2025-03.csv")
	if err := os.WriteFile(path, gbk, 0o600); err != nil {
		t.Fatal(err)
	}
	mappings, err := etl.LoadMappings(filepath.Join(etltest.DataDir(), "sources"))
	if err != nil {
		t.Fatal(err)
	}
	l := etl.NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, err := l.Load(context.Background(), etl.JobCampaign, path, etltest.Home, nil, mappings); err != nil {
		t.Fatal(err)
	}
}

// A blank cell is 缺报 for its item and scores 0; a county without a report is listed 未报
// at the bottom, unranked, without a rank change.
func TestScorecardMissingReports(t *testing.T) {
	w := etltest.Demo(t)
	ctx := context.Background()
	const absent, blank = "620321", "620123" // 永昌县, 榆中县
	loadMonth(t, w, func(rows [][]string) [][]string {
		col := slices.Index(rows[0], "按期办结任务数")
		var out [][]string
		for _, r := range rows {
			if r[1] == absent {
				continue
			}
			if r[1] == blank {
				r[col] = ""
			}
			out = append(out, r)
		}
		return out
	})
	sc, err := w.Scorecard(ctx, warehouse.ScopeCounty, "2025-03-01", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Units) != 86 {
		t.Fatalf("%d counties; want all 86, the absent one too", len(sc.Units))
	}
	last := sc.Units[85]
	if last.Code != absent || last.Reported || last.Rank != 0 || last.HasChange {
		t.Errorf("last row %+v; want %s listed 未报, unranked, without a rank change", last.Unit, absent)
	}
	for _, u := range sc.Units[:85] {
		if !u.Reported || u.Rank == 0 {
			t.Errorf("county %s reported but is not ranked", u.Name)
		}
		if u.Code != blank {
			continue
		}
		if !slices.Equal(u.Missing, []string{"on_time_rate"}) {
			t.Errorf("county %s: missing %v; want on_time_rate (缺报)", u.Name, u.Missing)
		}
		for _, it := range u.Items {
			if it.Code == "on_time_rate" && (it.Status != scorecard.Missing || it.Points != 0) {
				t.Errorf("county %s: on-time item %+v; want 缺报 at 0 points", u.Name, it)
			}
		}
	}
}

// Rank change is against the previous month's published ranking once there is one, not
// against that month scored again with today's weights.
func TestScorecardPublishedBaseline(t *testing.T) {
	w := etltest.Demo(t)
	ctx := context.Background()
	odd := map[string]float64{"on_time_rate": 20}
	pub, err := w.PublishScorecard(ctx, warehouse.ScopeCounty, "2025-01-01", odd, "admin")
	if err != nil {
		t.Fatal(err)
	}
	if pub.Published == nil || pub.Published.By != "admin" {
		t.Fatalf("published %+v; want the stamp", pub.Published)
	}
	published := map[string]int{}
	for _, u := range pub.Units {
		published[u.Code] = u.Rank
	}
	sc, err := w.Scorecard(ctx, warehouse.ScopeCounty, "2025-02-01", nil)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Baseline != warehouse.BaselinePublished || sc.BaselinePublication == nil {
		t.Fatalf("baseline %q; want the published 2025-01", sc.Baseline)
	}
	rescored, err := w.Scorecard(ctx, warehouse.ScopeCounty, "2025-01-01", nil)
	if err != nil {
		t.Fatal(err)
	}
	differ := 0
	for _, u := range rescored.Units {
		if published[u.Code] != u.Rank {
			differ++
		}
	}
	for _, u := range sc.Units {
		if u.PrevRank != published[u.Code] {
			t.Errorf("county %s: previous rank %d; published %d", u.Name, u.PrevRank, published[u.Code])
		}
	}
	if differ == 0 {
		t.Errorf("the published ranking equals today's re-scoring: the test shows nothing")
	}
	if other, _ := w.Scorecard(ctx, warehouse.ScopeCity, "2025-02-01", nil); other.Baseline != warehouse.BaselineRescored {
		t.Errorf("cities' baseline %q: a county publication is not the cities'", other.Baseline)
	}
}

// On the demo data: one county's outlier (enterprise visits 10 → 310 times its own) changes
// no other county's score that month, and another county reporting ten more problems found
// does not fall.
func TestScorecardGamingOnDemo(t *testing.T) {
	w := etltest.Demo(t)
	ctx := context.Background()
	const outlier, honest = "620102", "620421" // 城关区, 靖远县
	col := func(rows [][]string, name string) int { return slices.Index(rows[0], name) }
	loadMonth(t, w, func(rows [][]string) [][]string { return rows })
	before, err := w.Scorecard(ctx, warehouse.ScopeCounty, "2025-03-01", nil)
	if err != nil {
		t.Fatal(err)
	}
	loadMonth(t, w, func(rows [][]string) [][]string {
		for _, r := range rows {
			switch r[1] {
			case outlier:
				r[col(rows, "六必访走访企业数")] = "9999"
			case honest:
				c := col(rows, "发现问题（麻木僵化不思为）")
				n, _ := strconv.Atoi(r[c])
				r[c] = strconv.Itoa(n + 10)
			}
		}
		return rows
	})
	after, err := w.Scorecard(ctx, warehouse.ScopeCounty, "2025-03-01", nil)
	if err != nil {
		t.Fatal(err)
	}
	was := map[string]warehouse.UnitScore{}
	for _, u := range before.Units {
		was[u.Code] = u
	}
	for _, u := range after.Units {
		b := was[u.Code]
		switch u.Code {
		case outlier:
			if u.Score <= b.Score {
				t.Errorf("the outlier's own score did not rise: %.2f → %.2f", b.Score, u.Score)
			}
		case honest:
			if u.Score < b.Score || u.Rank > b.Rank {
				t.Errorf("%s reported ten more problems and fell: %.2f (%d) → %.2f (%d)", u.Name, b.Score, b.Rank, u.Score, u.Rank)
			}
		default:
			if u.Score != b.Score {
				t.Errorf("%s: score %.4f → %.4f because of another county's report", u.Name, b.Score, u.Score)
			}
		}
	}
}

// A month reported after months without reports (a unit's form in 2026-11, the files ending
// 2025-02) is scored on its own: no "previous month" 20 months back, no rank changes, and
// yardsticks from the month itself, not from the twelve months before the gap.
func TestScorecardAfterAGapComparesWithTheCalendar(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	ctx := context.Background()
	etltest.SubmitForm(t, w, "620102", "2026-11", time.Time{}, warehouse.ReportCell{Metric: "study_sessions", Value: 4},
		warehouse.ReportCell{Metric: "tasks_assigned", Value: 10}, warehouse.ReportCell{Metric: "tasks_on_time", Value: 9})
	sc, err := w.Scorecard(ctx, warehouse.ScopeCounty, "2026-11-01", nil)
	if err != nil {
		t.Fatal(err)
	}
	if sc.PrevMonth != "" || sc.Baseline != "" {
		t.Errorf("previous month %q (baseline %q); want none: 2026-10 had no reports", sc.PrevMonth, sc.Baseline)
	}
	for _, u := range sc.Units {
		if u.HasChange {
			t.Errorf("%s has a rank change against a month without reports", u.Code)
		}
	}
	if y := sc.Yardsticks["on_time_rate"]; y.N != 1 || y.Median != 90 {
		t.Errorf("on-time rate yardstick: median %v of %d values; want the month's own 90 of 1", y.Median, y.N)
	}
	// The demo's months keep theirs: 2025-02 against 2025-01.
	if sc, err = w.Scorecard(ctx, warehouse.ScopeCounty, "2025-02-01", nil); err != nil || sc.PrevMonth != "2025-01-01" {
		t.Errorf("2025-02: previous month %q, %v; want 2025-01-01", sc.PrevMonth, err)
	}
}
