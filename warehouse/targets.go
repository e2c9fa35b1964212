package warehouse

import (
	"context"
	"fmt"

	"jinwei/warehouse/measure"
)

// Target statuses, as a leadership dashboard colours them.
const (
	TargetGreen  = "green"
	TargetAmber  = "amber"
	TargetRed    = "red"
	TargetNoData = "no_data"
)

// TargetStatus is one target checked in one year.
type TargetStatus struct {
	Code    string
	NameZh  string
	NameEn  string
	Year    int
	Actual  *float64
	Goal    *float64
	Status  string
	Measure string
	// Note says where the target comes from (the speech's words), in Chinese and English;
	// NoteEn is empty when the file gave none.
	Note, NoteEn string
	// Unit and Decimals are how Actual and Goal are shown, and the precision they are
	// compared at: a ratio to another series is in % (55.2 against 55, as the cockpit's
	// tile shows the share), growth in % to one decimal.
	Unit     string
	Decimals int
	// Indicator is what the target measures; NoProvinceData says the region has no value
	// of it at all (e.g. urban/rural income is published nationally only), so the page can
	// say why there is no status rather than just "no data".
	Indicator      string
	NoProvinceData bool
	// From is the first year the target applies to; BeforeStart says the year asked for
	// is before it (2023's cockpit said the target had "no comparable values").
	From        int
	BeforeStart bool
	// Before is the measured value the year before Year, assessed or not (the target's
	// first year then shows where it stood: 54.3% before the 55% first met).
	Before *float64
	// Inputs are the loaded values Actual and Goal are computed from, so each leads to its
	// source.
	Inputs []ValueRef
}

// ValueRef names one loaded yearly value.
type ValueRef struct {
	Indicator string
	Region    string
	Year      int
}

type target struct {
	code, nameZh, nameEn, indicator, measure, comparison string
	threshold                                            *float64
	compareIndicator, compareRegion, note, noteEn        string
	from, to                                             int
}

// Targets checks the region's targets in the latest year each has data for. A level
// target compares the value (or its ratio to another series when one is named) with the
// threshold; a growth target compares growth on the year before with a threshold or with
// another series' growth.
func (w *Warehouse) Targets(ctx context.Context, region string) ([]TargetStatus, error) {
	return w.TargetsIn(ctx, region, 0)
}

// TargetsIn checks the region's targets as they stood in a year: each in the latest year
// up to upTo it has data for (0: no limit), so a briefing can say which changed colour.
func (w *Warehouse) TargetsIn(ctx context.Context, region string, upTo int) ([]TargetStatus, error) {
	res, err := w.named(ctx, "targets", Params{"region": region})
	if err != nil {
		return nil, err
	}
	var ts []target
	err = res.each(func(rr *rowReader) {
		t := target{code: rr.str("target_code"), nameZh: rr.str("name_zh"), nameEn: rr.str("name_en"), indicator: rr.str("indicator_code"),
			measure: rr.str("measure"), comparison: rr.str("comparison"), compareIndicator: rr.str("compare_indicator_code"),
			compareRegion: rr.str("compare_region_code"), note: rr.str("note"), noteEn: rr.str("note_en"), from: rr.int("year_from"), to: rr.int("year_to")}
		if rr.value("threshold") != nil {
			v := rr.float("threshold")
			t.threshold = &v
		}
		ts = append(ts, t)
	})
	if err != nil {
		return nil, err
	}
	out := make([]TargetStatus, 0, len(ts))
	for _, t := range ts {
		st, err := w.checkTarget(ctx, region, t, upTo)
		if err != nil {
			return nil, fmt.Errorf("target %s: %w", t.code, err)
		}
		out = append(out, st)
	}
	return out, nil
}

func (w *Warehouse) checkTarget(ctx context.Context, region string, t target, upTo int) (TargetStatus, error) {
	st := TargetStatus{Code: t.code, NameZh: t.nameZh, NameEn: t.nameEn, Measure: t.measure, Note: t.note, NoteEn: t.noteEn, Status: TargetNoData,
		Indicator: t.indicator, Unit: "%", Decimals: 1, From: t.from, BeforeStart: upTo > 0 && upTo < t.from}
	own, err := w.series(ctx, t.indicator, region)
	if err != nil {
		return st, err
	}
	st.NoProvinceData = len(own) == 0
	ratio := t.compareIndicator != "" && t.threshold != nil
	if t.measure != "growth" && !ratio {
		ind, err := w.indicator(ctx, t.indicator)
		if err != nil {
			return st, err
		}
		st.Unit = ind.Unit
		if ind.Unit != "%" {
			st.Decimals = 0
		}
	}
	other := map[int]float64{}
	cr := t.compareRegion
	if cr == "" {
		cr = region
	}
	if t.compareIndicator != "" {
		if other, err = w.series(ctx, t.compareIndicator, cr); err != nil {
			return st, err
		}
	}
	last := min(t.to, maxYear(own))
	if upTo > 0 {
		last = min(last, upTo)
	}
	for y := last; y >= t.from; y-- {
		actual, goal, ok := targetValues(t, own, other, y)
		if !ok {
			continue
		}
		if ratio {
			actual, goal = actual*100, goal*100
		}
		st.Year, st.Actual, st.Goal = y, &actual, &goal
		if before, _, ok := targetValues(t, own, other, y-1); ok {
			if ratio {
				before *= 100
			}
			st.Before = &before
		}
		st.Status = measure.TargetColour(t.comparison, actual, goal, st.Decimals)
		st.Inputs = targetInputs(t, region, cr, y, ratio)
		break
	}
	return st, nil
}

// targetValues gives the year's measured value and the goal it is compared with.
func targetValues(t target, own, other map[int]float64, y int) (actual, goal float64, ok bool) {
	value := func(s map[int]float64) (float64, bool) {
		if t.measure != "growth" {
			v, ok := s[y]
			return v, ok
		}
		v, ok1 := s[y]
		p, ok2 := s[y-1]
		if !ok1 || !ok2 || p == 0 {
			return 0, false
		}
		return (v/p - 1) * 100, true
	}
	actual, ok = value(own)
	if !ok {
		return 0, 0, false
	}
	switch {
	case t.compareIndicator != "" && t.threshold != nil: // a ratio to the other series
		o, ok := other[y]
		if !ok || o == 0 {
			return 0, 0, false
		}
		return own[y] / o, *t.threshold, true
	case t.compareIndicator != "":
		g, ok := value(other)
		return actual, g, ok
	case t.threshold != nil:
		return actual, *t.threshold, true
	}
	return 0, 0, false
}

// targetInputs are the values targetValues used for year y: the year's own value, the year
// before's for growth, and the same of the series compared with.
func targetInputs(t target, region, compareRegion string, y int, ratio bool) []ValueRef {
	years := []int{y}
	if t.measure == "growth" {
		years = append(years, y-1)
	}
	var refs []ValueRef
	for _, yy := range years {
		refs = append(refs, ValueRef{t.indicator, region, yy})
	}
	switch {
	case ratio:
		refs = append(refs, ValueRef{t.compareIndicator, compareRegion, y})
	case t.compareIndicator != "":
		for _, yy := range years {
			refs = append(refs, ValueRef{t.compareIndicator, compareRegion, yy})
		}
	}
	return refs
}

func maxYear(s map[int]float64) int {
	m := 0
	for y := range s {
		m = max(m, y)
	}
	return m
}

// series is one region's yearly values of an indicator.
func (w *Warehouse) series(ctx context.Context, indicator, region string) (map[int]float64, error) {
	res, err := w.named(ctx, "indicator_series", Params{"indicator": indicator, "regions": arrayParam([]string{region})})
	if err != nil {
		return nil, err
	}
	out := map[int]float64{}
	err = res.each(func(rr *rowReader) { out[rr.int("year")] = rr.float("value") })
	return out, err
}
