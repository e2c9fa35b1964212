package warehouse_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// A unit's submission is campaign data at once (the scorecard's query reads it), a
// correction is a new revision with the old kept, a return is a step with its reason, and
// the completeness matrix judges each against the month's deadline.
func TestReportSubmissionsRevisionsReturnsAndCompleteness(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	ctx := context.Background()
	unit, err := w.Unit(ctx, "620102")
	if err != nil {
		t.Fatal(err)
	}
	const month = "2024-05" // the demo's reports of May 2024 are loaded from a file
	before, err := w.ReportValues(ctx, warehouse.ProvinceScope(), unit.Code, month)
	if err != nil || len(before) != 25 {
		t.Fatalf("the file's values of %s: %d (%v), want 25", unit.Code, len(before), err)
	}
	v0, _ := w.DataVersion(ctx)
	// Submitted late: the default deadline is 5 June, Beijing time.
	at := time.Date(2024, 6, 6, 9, 0, 0, 0, warehouse.ProvinceTime)
	sub := warehouse.Submission{Unit: unit, Month: month, By: "clerk", Channel: warehouse.ChannelForm, At: at,
		Cells: []warehouse.ReportCell{{Metric: "study_sessions", Value: 99}, {Metric: "problems_found", Category: 3, Value: 7}}}
	if _, err := w.SubmitReport(ctx, warehouse.UnitScope("620103"), sub); !errors.Is(err, warehouse.ErrOutOfScope) {
		t.Fatalf("another unit's scope submitted for 620102: %v", err)
	}
	rev, err := w.SubmitReport(ctx, warehouse.UnitScope(unit.Code), sub)
	if err != nil || rev != 1 {
		t.Fatalf("submit: r%d %v", rev, err)
	}
	v1, _ := w.DataVersion(ctx)
	if v1 <= v0 {
		t.Errorf("the data version did not grow with a submission: %d then %d", v0, v1)
	}
	// The same figures sent again, in another order (a double click): the same revision, no
	// new run, the same data version (before: revisions 2 and 3, each a run).
	again := sub
	again.Cells = []warehouse.ReportCell{sub.Cells[1], sub.Cells[0]}
	if rev, err := w.SubmitReport(ctx, warehouse.UnitScope(unit.Code), again); err != nil || rev != 1 {
		t.Errorf("the same figures again: r%d %v; want r1 kept", rev, err)
	}
	if v2, _ := w.DataVersion(ctx); v2 != v1 {
		t.Errorf("the same figures again moved the data version: %d then %d", v1, v2)
	}
	now := valuesOf(t, w, warehouse.ProvinceScope(), unit.Code, month)
	if now["study_sessions"] != 99 || now["problems_found:3"] != 7 || len(now) != 25 {
		t.Errorf("after the submission the values are %v", now)
	}
	if got := valuesOf(t, w, warehouse.UnitScope("620103"), unit.Code, month); len(got) != 0 {
		t.Errorf("another unit's scope reads %d of 620102's values", len(got))
	}
	sc, err := w.Scorecard(ctx, warehouse.ScopeCounty, month+"-01", nil)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, u := range sc.Units {
		found = found || (u.Code == unit.Code && u.Reported)
	}
	if !found {
		t.Errorf("the scorecard of %s does not score 620102", month)
	}
	// The unit sees its own score, and others' ranks only once the month is published.
	st, err := w.UnitStanding(ctx, warehouse.UnitScope(unit.Code), unit, month, nil)
	if err != nil || st.Own == nil || st.Own.Code != unit.Code || st.Own.Rank != 0 || len(st.Ranks) != 0 || st.Published != nil {
		t.Fatalf("standing before publication: %+v %v", st, err)
	}
	if _, err := w.UnitStanding(ctx, warehouse.UnitScope("620103"), unit, month, nil); !errors.Is(err, warehouse.ErrOutOfScope) {
		t.Errorf("another unit's scope read 620102's standing: %v", err)
	}
	if _, err := w.PublishScorecard(ctx, warehouse.ScopeCounty, month+"-01", nil, "province"); err != nil {
		t.Fatal(err)
	}
	st, err = w.UnitStanding(ctx, warehouse.UnitScope(unit.Code), unit, month, nil)
	if err != nil || st.Published == nil || len(st.Ranks) != 86 || st.Own == nil || st.Own.Rank == 0 {
		t.Fatalf("standing after publication: own %+v, %d ranks, %v", st.Own, len(st.Ranks), err)
	}

	d := warehouse.Deadlines{}
	judge := func(when time.Time) string {
		c, err := w.Completeness(ctx, warehouse.ProvinceScope(), []string{month, "2024-06"}, d, when)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Units) != 108 {
			t.Fatalf("%d units in the matrix", len(c.Units))
		}
		for i, u := range c.Units {
			if u.Code == unit.Code {
				// June's values came with the province's file too, deadline or not.
				if c.States[i][1].State != warehouse.StateLoaded {
					t.Errorf("June, loaded from a file: %v", c.States[i][1])
				}
				return c.States[i][0].State
			}
		}
		t.Fatal("620102 is not in the matrix")
		return ""
	}
	late := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	if got := judge(late); got != warehouse.StateLate {
		t.Errorf("submitted on 6 June: %s, want late", got)
	}
	if err := w.ReturnReport(ctx, unit.Code, month, "province", "学习次数与台账不符"); err != nil {
		t.Fatal(err)
	}
	if err := w.ReturnReport(ctx, unit.Code, month, "province", "again"); !errors.Is(err, warehouse.ErrNothingToReturn) {
		t.Errorf("returned twice: %v", err)
	}
	if got := judge(late); got != warehouse.StateReturned {
		t.Errorf("after the return: %s", got)
	}
	// The other units sent nothing through the form, but the province loaded May's values
	// from its monthly file: they reported (loaded from file), and are neither missing nor
	// reminded; 620102 is returned, with its reason.
	units, states, err := w.LateOrMissing(ctx, month, d, late)
	if err != nil || len(units) != 1 || units[0].Code != unit.Code || states[0].State != warehouse.StateReturned {
		t.Fatalf("late or missing in %s: %v %v, %v; want 620102 returned alone", month, units, states, err)
	}
	if states[0].Comment != "学习次数与台账不符" {
		t.Errorf("the return's reason: %q", states[0].Comment)
	}
	c, err := w.Completeness(ctx, warehouse.ProvinceScope(), []string{month}, d, late)
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range c.Units {
		if st := c.States[i][0].State; u.Code != unit.Code && st != warehouse.StateLoaded {
			t.Errorf("%s in %s, whose values the province's file gave: %s, want loaded", u.Code, month, st)
		}
	}
	// A month neither a file nor a form gave is missing for every unit past its deadline.
	if units, _, err := w.LateOrMissing(ctx, "2025-06", d, time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)); err != nil || len(units) != 108 {
		t.Errorf("late or missing in 2025-06: %d units, %v; want 108", len(units), err)
	}
	sub.Cells[0].Value, sub.At = 12, time.Time{}
	if rev, err := w.SubmitReport(ctx, warehouse.UnitScope(unit.Code), sub); err != nil || rev != 2 {
		t.Fatalf("correction: r%d %v", rev, err)
	}
	if got := judge(late.AddDate(0, 2, 0)); got != warehouse.StateLate {
		t.Errorf("after the correction: %s, want late (the first submission's time)", got)
	}
	events, err := w.ReportEvents(ctx, warehouse.UnitScope(unit.Code), unit.Code, []string{month})
	if err != nil || len(events) != 3 || events[0].Revision != 1 || events[1].Action != warehouse.ReportReturned || events[2].Revision != 2 {
		t.Fatalf("history: %+v %v", events, err)
	}
	old, err := w.RevisionValues(ctx, warehouse.UnitScope(unit.Code), unit.Code, events[0].RunID)
	if err != nil || len(old) != 2 || old[1].Value != 99 && old[0].Value != 99 {
		t.Errorf("revision 1's values: %v %v", old, err)
	}
	if got := valuesOf(t, w, warehouse.ProvinceScope(), unit.Code, month); got["study_sessions"] != 12 {
		t.Errorf("after the correction study_sessions is %v", got["study_sessions"])
	}
	if other, err := w.ReportEvents(ctx, warehouse.UnitScope("620103"), unit.Code, []string{month}); err != nil || len(other) != 0 {
		t.Errorf("another unit's scope reads %d steps of 620102 (%v)", len(other), err)
	}
	if _, err := w.RevisionValues(ctx, warehouse.UnitScope("620103"), "620103", events[0].RunID); err != nil {
		t.Fatal(err)
	} else if vals, _ := w.RevisionValues(ctx, warehouse.UnitScope("620103"), unit.Code, events[0].RunID); len(vals) != 0 {
		t.Errorf("another unit's scope reads revision 1's values")
	}

	if err := w.SaveDraft(ctx, warehouse.UnitScope("620103"), unit.Code, month, `{}`, "x"); !errors.Is(err, warehouse.ErrOutOfScope) {
		t.Errorf("a draft saved for another unit: %v", err)
	}
	if err := w.SaveDraft(ctx, warehouse.UnitScope(unit.Code), unit.Code, "2024-06", `{"study_sessions":"3"}`, "clerk"); err != nil {
		t.Fatal(err)
	}
	if dr, ok, err := w.ReportDraft(ctx, warehouse.UnitScope(unit.Code), unit.Code, "2024-06"); err != nil || !ok || dr.Body != `{"study_sessions":"3"}` {
		t.Errorf("draft: %+v %v %v", dr, ok, err)
	}
	if _, ok, _ := w.ReportDraft(ctx, warehouse.UnitScope("620103"), unit.Code, "2024-06"); ok {
		t.Errorf("another unit's scope reads 620102's draft")
	}
}

func valuesOf(t *testing.T, w *warehouse.Warehouse, scope warehouse.RowScope, unit, month string) map[string]float64 {
	t.Helper()
	cells, err := w.ReportValues(context.Background(), scope, unit, month)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, c := range cells {
		k := c.Metric
		if c.Category > 0 {
			k += ":" + string(rune('0'+c.Category))
		}
		out[k] = c.Value
	}
	return out
}

// Deadlines: the 5th of the next month by default, a configured day or date otherwise,
// each ending at midnight Beijing time.
func TestReportDeadlines(t *testing.T) {
	d := warehouse.Deadlines{Months: map[string]string{"2024-02": "2024-03-12"}}
	for month, want := range map[string]string{"2024-05": "2024-06-06T00:00:00+08:00", "2024-12": "2025-01-06T00:00:00+08:00", "2024-02": "2024-03-13T00:00:00+08:00"} {
		got, err := d.For(month)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("deadline of %s: %v %v, want the end of %s", month, got, err, want)
		}
	}
	if got, _ := (warehouse.Deadlines{Day: 10}).For("2024-05"); got.Format("2006-01-02") != "2024-06-11" {
		t.Errorf("deadline day 10: %v", got)
	}
	// The latest month whose deadline has passed: the moment it ends, not before.
	for at, want := range map[string]string{"2025-01-05T23:59:59+08:00": "2024-11", "2025-01-06T00:00:00+08:00": "2024-12", "2024-03-12T12:00:00+08:00": "2024-01"} {
		now, _ := time.Parse(time.RFC3339, at)
		if got, err := d.LastDue(now.Format("2006-01"), now); err != nil || got != want {
			t.Errorf("last month due at %s: %q %v, want %s", at, got, err, want)
		}
	}
	for _, tc := range []struct {
		from, to string
		want     int
	}{{"2025-02", "2026-10", 20}, {"2026-10", "2026-10", 0}, {"2024-12", "2025-01", 1}, {"", "2025-01", 0}} {
		if got := warehouse.MonthsBetween(tc.from, tc.to); got != tc.want {
			t.Errorf("months from %q to %q: %d, want %d", tc.from, tc.to, got, tc.want)
		}
	}
	// The months a page offers and an alert watches: those due, in their order.
	months := []string{"2024-11-01", "2024-12-01", "2025-01-01"}
	for due, want := range map[string][]string{"2024-12": months[:2], "2025-01": months, "2024-10": {}, "": {}} {
		if got := warehouse.MonthsDue(months, due); !slices.Equal(got, want) {
			t.Errorf("months due by %q: %v, want %v", due, got, want)
		}
	}
	for _, bad := range []warehouse.Deadlines{{Day: 31}, {Months: map[string]string{"2024-13": "2025-01-01"}}, {Months: map[string]string{"2024-05": "soon"}}} {
		if bad.Check() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// A published ranking keeps why a unit has no place: 嘉峪关 scored on too few items
// (partial, with its score) apart from a city that sent no report (neither, no score), and
// lists them in that order after the ranked; it kept rank 0 alone for both.
func TestAPublishedRankingSaysWhoHadNoReport(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	ctx := context.Background()
	if err := whtest.Exec(ctx, w, "ALTER TABLE campaign_metrics DELETE WHERE unit_code = '620300' AND month = '2024-05-01' SETTINGS mutations_sync = 2", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.PublishScorecard(ctx, warehouse.ScopeCity, "2024-05-01", nil, "province"); err != nil {
		t.Fatal(err)
	}
	unit, err := w.Unit(ctx, "620200")
	if err != nil {
		t.Fatal(err)
	}
	st, err := w.UnitStanding(ctx, warehouse.UnitScope(unit.Code), unit, "2024-05", nil)
	if err != nil || len(st.Ranks) != 14 {
		t.Fatalf("standing: %+v, %v; want 14 cities", st, err)
	}
	var got []string
	for _, r := range st.Ranks {
		switch {
		case r.Rank > 0 && !r.Partial && r.Reported():
			got = append(got, "ranked")
		case r.Rank == 0 && r.Partial && r.Reported():
			got = append(got, r.Unit+" partial")
		case r.Rank == 0 && !r.Partial && !r.Reported():
			got = append(got, r.Unit+" no report")
		default:
			got = append(got, fmt.Sprintf("%+v", r))
		}
	}
	if want := append(slices.Repeat([]string{"ranked"}, 12), "620200 partial", "620300 no report"); !slices.Equal(got, want) {
		t.Errorf("published rows %q; want %q", got, want)
	}
}
