package warehouse

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// ProvinceTime is the zone deadlines are kept in: a deadline day ends at midnight in
// Beijing time, wherever the server runs.
var ProvinceTime = time.FixedZone("CST", 8*3600)

// Deadlines say by when each month's report is due: a configured date for a month, or
// else the default day of the following month (the 5th when Day is 0).
type Deadlines struct {
	Day    int
	Months map[string]string // "2024-05" → "2024-06-10"
}

// For is the end of the deadline day of month ("2024-05"): a report at or after it is late.
func (d Deadlines) For(month string) (time.Time, error) {
	m, err := time.ParseInLocation("2006-01", month, ProvinceTime)
	if err != nil {
		return time.Time{}, fmt.Errorf("month %q is not YYYY-MM", month)
	}
	if s, ok := d.Months[month]; ok {
		day, err := time.ParseInLocation("2006-01-02", s, ProvinceTime)
		if err != nil {
			return time.Time{}, fmt.Errorf("deadline of %s: %q is not YYYY-MM-DD", month, s)
		}
		return day.AddDate(0, 0, 1), nil
	}
	day := d.Day
	if day <= 0 {
		day = 5
	}
	return m.AddDate(0, 1, day), nil
}

// maxDueLookBack bounds how many months LastDue looks back from the month it is given.
const maxDueLookBack = 36

// LastDue is the latest month ("2024-12"), not after last, whose deadline has passed at
// now: the latest month whose reports can be missing. "" when none within three years.
func (d Deadlines) LastDue(last string, now time.Time) (string, error) {
	m, err := time.ParseInLocation("2006-01", last, ProvinceTime)
	if err != nil {
		return "", fmt.Errorf("month %q is not YYYY-MM", last)
	}
	for range maxDueLookBack {
		month := m.Format("2006-01")
		due, err := d.For(month)
		if err != nil {
			return "", err
		}
		if !now.Before(due) {
			return month, nil
		}
		m = m.AddDate(0, -1, 0)
	}
	return "", nil
}

// MonthsDue are the months of months (2006-01-02) whose reports are due by due (2006-01),
// the latest last when months are: before its deadline a month would rank the units that
// reported early and count the others missing while they are still pending.
func MonthsDue(months []string, due string) []string {
	return slices.DeleteFunc(slices.Clone(months), func(m string) bool { return m[:7] > due })
}

// MonthsBetween counts the months from one month (2006-01) to another: 2025-02 to 2026-10
// is 20. Either unreadable counts 0.
func MonthsBetween(from, to string) int {
	f, err1 := time.Parse("2006-01", from)
	t, err2 := time.Parse("2006-01", to)
	if err1 != nil || err2 != nil {
		return 0
	}
	return (t.Year()-f.Year())*12 + int(t.Month()-f.Month())
}

// Check says whether every configured deadline reads.
func (d Deadlines) Check() error {
	if d.Day < 0 || d.Day > 28 {
		return fmt.Errorf("the default deadline day %d is not 1-28", d.Day)
	}
	for m := range d.Months {
		if _, err := d.For(m); err != nil {
			return err
		}
	}
	return nil
}

// Report states of a unit and month.
const (
	StateOnTime   = "on_time"  // submitted by the deadline (its first submission)
	StateLate     = "late"     // first submitted after the deadline
	StateReturned = "returned" // returned by the province, not submitted again yet
	StateMissing  = "missing"  // nothing submitted and the deadline passed
	StatePending  = "pending"  // nothing submitted, the deadline still ahead
	// StateLoaded: nothing submitted here, and the month's values came with a file the
	// province loaded (its monthly report of every unit): reported, though not through the
	// form, so neither on time nor late.
	StateLoaded = "loaded"
)

// ReportState is one cell of the completeness matrix.
type ReportState struct {
	State    string
	Revision int
	At       time.Time
	// Comment is the province's reason when the report was returned.
	Comment string
}

// Completeness is units × months: who reported, on time or late, who was returned, who
// is missing.
type Completeness struct {
	Months    []string
	Deadlines []time.Time
	Units     []Unit
	// States[i][j] is Units[i]'s report of Months[j].
	States [][]ReportState
}

// Completeness judges each unit the scope sees in each month at now. Lateness is the first
// submission's: a correction after a return does not make an on-time report late.
func (w *Warehouse) Completeness(ctx context.Context, scope RowScope, months []string, d Deadlines, now time.Time) (*Completeness, error) {
	all, err := w.Units(ctx)
	if err != nil {
		return nil, err
	}
	c := &Completeness{Months: months, Units: []Unit{}}
	for _, m := range months {
		due, err := d.For(m)
		if err != nil {
			return nil, err
		}
		c.Deadlines = append(c.Deadlines, due)
	}
	events, err := w.ReportEvents(ctx, scope, "", months)
	if err != nil {
		return nil, err
	}
	byKey := map[string][]ReportEvent{}
	for _, e := range events {
		byKey[e.Unit+"|"+e.Month] = append(byKey[e.Unit+"|"+e.Month], e)
	}
	loaded, err := w.loadedReports(ctx, scope, months)
	if err != nil {
		return nil, err
	}
	for _, u := range all {
		if !scope.Sees(u.Code) || u.Retired {
			continue
		}
		row := make([]ReportState, len(months))
		for j, m := range months {
			row[j] = judge(byKey[u.Code+"|"+m], loaded[u.Code+"|"+m], c.Deadlines[j], now)
		}
		c.Units = append(c.Units, u)
		c.States = append(c.States, row)
	}
	return c, nil
}

// judge is the state of one unit's report of one month from its steps, oldest first, and
// whether a loaded file gave the month's values.
func judge(steps []ReportEvent, loaded bool, due, now time.Time) ReportState {
	if len(steps) == 0 {
		if loaded {
			return ReportState{State: StateLoaded}
		}
		if now.Before(due) {
			return ReportState{State: StatePending}
		}
		return ReportState{State: StateMissing}
	}
	last := steps[len(steps)-1]
	st := ReportState{Revision: last.Revision, At: last.At}
	switch {
	case last.Action == ReportReturned:
		st.State, st.Comment = StateReturned, last.Comment
	case steps[0].At.Before(due):
		st.State = StateOnTime
	default:
		st.State = StateLate
	}
	return st
}

// loadedReports are the unit|month keys ("620100|2024-12") with campaign values from
// committed loads in months, within the scope.
func (w *Warehouse) loadedReports(ctx context.Context, scope RowScope, months []string) (map[string]bool, error) {
	dates := make([]string, len(months))
	for i, m := range months {
		dates[i] = m + "-01"
	}
	res, err := w.named(ctx, "report_loaded", scope.params(Params{"months": arrayParam(dates)}))
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	err = res.each(func(rr *rowReader) { out[rr.str("unit_code")+"|"+rr.str("month_text")[:7]] = true })
	return out, err
}

// LateOrMissing lists the units whose report of month is missing past its deadline, late,
// or returned and not yet corrected, at now: the state reminders are sent from.
func (w *Warehouse) LateOrMissing(ctx context.Context, month string, d Deadlines, now time.Time) ([]Unit, []ReportState, error) {
	c, err := w.Completeness(ctx, ProvinceScope(), []string{month}, d, now)
	if err != nil {
		return nil, nil, err
	}
	var units []Unit
	var states []ReportState
	for i, u := range c.Units {
		if s := c.States[i][0]; s.State == StateMissing || s.State == StateLate || s.State == StateReturned {
			units, states = append(units, u), append(states, s)
		}
	}
	return units, states, nil
}

// ReportsByForm says whether units reported month ("2024-12") through the form: some unit
// has submitted its report of that month. Where none has, every unit is missing by the
// deadlines, and who did not report is read from the campaign's figures (loaded by file)
// instead. It is the month's: a province that starts using the form keeps the months it
// loaded by file (before, one submission of any month judged every month by the form, and
// the briefing of a month loaded by file named all 108 units missing).
func (w *Warehouse) ReportsByForm(ctx context.Context, month string) (bool, error) {
	if _, err := time.Parse("2006-01", month); err != nil {
		return false, fmt.Errorf("month %q is not YYYY-MM", month)
	}
	res, err := w.named(ctx, "reports_by_form", Params{"month": month})
	if err != nil {
		return false, err
	}
	by := false
	err = res.each(func(rr *rowReader) { by = rr.int("by_form") != 0 })
	return by, err
}
