package warehouse

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Report actions, as report_events spells them.
const (
	ReportSubmitted = "submitted"
	ReportReturned  = "returned"
)

// Report channels: how a submission's values arrived.
const (
	ChannelForm = "form"
	ChannelFile = "file"
)

// Errors of report steps a caller shows as they are.
var (
	// ErrOutOfScope is a unit's rows asked for by a caller who may not see them. Pages
	// answer it as 404, so a unit learns nothing of another's reports.
	ErrOutOfScope = errors.New("not within the caller's scope")
	// ErrNothingToReturn is a return of a report that is not submitted (never, or returned).
	ErrNothingToReturn = errors.New("the report is not in the submitted state")
)

// ReportCell is one value of a unit's monthly report.
type ReportCell struct {
	Metric   string
	Category int
	Value    float64
}

// Submission is a unit's report of a month, checked by the rules (warehouse/rules) already.
type Submission struct {
	Unit    Unit
	Month   string // 2024-05
	By      string
	Channel string
	// File and FileSHA256 name the unit's file the values came from (channel file).
	File, FileSHA256 string
	Cells            []ReportCell
	// At is when it was submitted; zero: now.
	At time.Time
}

// ReportFileRow is one value of a unit's own file in the monthly report's layout, as the
// ETL's campaign reader read it: whose, which month and cell, the value as written, and
// Problem, why a load would reject the row (ProblemZh, in Chinese where it is worded so).
type ReportFileRow struct {
	Line     int
	Location string
	UnitCode string
	UnitName string
	Month    string // 2024-05
	Metric   string
	Category int
	Value    string
	Problem  string
	// ProblemZh is Problem in Chinese; empty where the reason has no Chinese wording.
	ProblemZh string
}

// ReportEvent is one step of a unit's report of a month.
type ReportEvent struct {
	Unit     string
	Month    string
	Revision int
	Action   string
	RunID    string
	Channel  string
	By       string
	At       time.Time
	Comment  string
}

// reportsMu orders the steps of reports written by this process, so two submissions of
// one unit and month at once get revisions n and n+1, not n twice.
var reportsMu sync.Mutex

// SubmitReport writes a unit's report of a month as a new revision: its values as a
// committed campaign run (what the scorecard reads), the step in report_events, and the
// draft removed. It returns the revision. The data version grows, so every page's cache
// sees it at once.
func (w *Warehouse) SubmitReport(ctx context.Context, scope RowScope, s Submission) (int, error) {
	if !scope.Sees(s.Unit.Code) {
		return 0, fmt.Errorf("submit %s for %s: %w", s.Month, s.Unit.Code, ErrOutOfScope)
	}
	if len(s.Cells) == 0 {
		return 0, errors.New("a report needs at least one value")
	}
	reportsMu.Lock()
	defer reportsMu.Unlock()
	events, err := w.ReportEvents(ctx, scope, s.Unit.Code, []string{s.Month})
	if err != nil {
		return 0, err
	}
	revision := 1
	for _, e := range events {
		if e.Action == ReportSubmitted && e.Revision >= revision {
			revision = e.Revision + 1
		}
	}
	// The same figures sent again (a double click, a form sent twice) change nothing: no
	// revision, no run, no new data version. After a return they are a resubmission.
	if n := len(events); n > 0 && events[n-1].Action == ReportSubmitted {
		last := events[n-1]
		had, err := w.RevisionValues(ctx, scope, s.Unit.Code, last.RunID)
		if err != nil {
			return 0, err
		}
		if sameCells(had, s.Cells) {
			return last.Revision, w.putDraft(ctx, s.Unit.Code, s.Month, "", s.By, true)
		}
	}
	if s.At.IsZero() {
		s.At = time.Now()
	}
	if err := w.change(ctx, func() error { return w.writeSubmission(ctx, s, revision) }); err != nil {
		return 0, err
	}
	return revision, nil
}

// sameCells says whether two reports give the same value to each cell, in any order.
func sameCells(a, b []ReportCell) bool {
	if len(a) != len(b) {
		return false
	}
	key := func(c ReportCell) string { return c.Metric + ":" + strconv.Itoa(c.Category) }
	values := make(map[string]float64, len(a))
	for _, c := range a {
		values[key(c)] = c.Value
	}
	for _, c := range b {
		if v, ok := values[key(c)]; !ok || v != c.Value {
			return false
		}
	}
	return len(values) == len(b)
}

// writeSubmission writes a submission as revision, a change of several statements: the run,
// its values, the step and the draft's removal.
func (w *Warehouse) writeSubmission(ctx context.Context, s Submission, revision int) error {
	run := Run{ID: uuid.NewString(), Job: JobCampaign, FilePath: fmt.Sprintf(reportRunPath, s.Unit.Code, s.Month, revision),
		Status: RunRunning, RowsRead: len(s.Cells), StartedAt: s.At, StartedBy: StartedByReport + ":" + s.By}
	run.ContentHash = run.FilePath
	comment := ""
	if s.File != "" {
		run.FilePath += "/" + s.File
		run.ContentHash = s.FileSHA256
		comment = s.File + " (sha256 " + s.FileSHA256 + ")"
	}
	if err := w.RecordRun(ctx, run); err != nil {
		return err
	}
	metrics, cats, vals := make([]string, len(s.Cells)), make([]string, len(s.Cells)), make([]string, len(s.Cells))
	for i, c := range s.Cells {
		metrics[i], cats[i], vals[i] = c.Metric, strconv.Itoa(c.Category), strconv.FormatFloat(c.Value, 'g', -1, 64)
	}
	kind := "region"
	if s.Unit.Kind == UnitDepartment {
		kind = "department"
	}
	if err := w.execNamed(ctx, "report_values_put", Params{"unit_kind": kind, "unit_code": s.Unit.Code, "unit_name": s.Unit.NameZh,
		"month": s.Month + "-01", "metrics": arrayParam(metrics), "categories": "[" + strings.Join(cats, ",") + "]",
		"vals": "[" + strings.Join(vals, ",") + "]", "run_id": run.ID}); err != nil {
		run.Status, run.Message, run.FinishedAt = RunFailed, err.Error(), time.Now()
		return errors.Join(fmt.Errorf("write the report of %s for %s: %w", s.Unit.Code, s.Month, err), w.RecordRun(ctx, run))
	}
	run.Status, run.RowsLoaded, run.FinishedAt = RunCommitted, len(s.Cells), time.Now()
	if err := w.RecordRun(ctx, run); err != nil {
		return err
	}
	if err := w.putReportEvent(ctx, ReportEvent{Unit: s.Unit.Code, Month: s.Month, Revision: revision, Action: ReportSubmitted,
		RunID: run.ID, Channel: s.Channel, By: s.By, At: s.At, Comment: comment}); err != nil {
		return err
	}
	return w.putDraft(ctx, s.Unit.Code, s.Month, "", s.By, true)
}

// ReturnReport sends a unit's submitted report of a month back with a comment: the unit
// sees why and submits a corrected revision. Only the province returns reports.
func (w *Warehouse) ReturnReport(ctx context.Context, unit, month, by, comment string) error {
	reportsMu.Lock()
	defer reportsMu.Unlock()
	events, err := w.ReportEvents(ctx, ProvinceScope(), unit, []string{month})
	if err != nil {
		return err
	}
	if len(events) == 0 || events[len(events)-1].Action != ReportSubmitted {
		return fmt.Errorf("return %s of %s: %w", month, unit, ErrNothingToReturn)
	}
	last := events[len(events)-1]
	return w.change(ctx, func() error {
		return w.putReportEvent(ctx, ReportEvent{Unit: unit, Month: month, Revision: last.Revision, Action: ReportReturned,
			By: by, At: time.Now(), Comment: comment})
	})
}

// ReportEvents lists the steps of reports in months, oldest first: of one unit, or of every
// unit the scope sees when unit is "". Read past the cache: a revision is numbered from it.
func (w *Warehouse) ReportEvents(ctx context.Context, scope RowScope, unit string, months []string) ([]ReportEvent, error) {
	dates := make([]string, len(months))
	for i, m := range months {
		dates[i] = m + "-01"
	}
	res, err := w.accountQuery(ctx, "report_events", scope.params(Params{"unit_code": unit, "months": arrayParam(dates)}))
	if err != nil {
		return nil, err
	}
	out := []ReportEvent{}
	err = res.each(func(rr *rowReader) {
		out = append(out, ReportEvent{Unit: rr.str("unit_code"), Month: rr.str("month_text")[:7], Revision: rr.int("revision"),
			Action: rr.str("action_text"), RunID: rr.str("run_id"), Channel: rr.str("channel"), By: rr.str("by"),
			At: fromMillis(rr.float("at_ms")), Comment: rr.str("comment")})
	})
	return out, err
}

// ReportValues are a unit's campaign values of a month as they stand (from its submission
// or from a loaded file), within the scope.
func (w *Warehouse) ReportValues(ctx context.Context, scope RowScope, unit, month string) ([]ReportCell, error) {
	res, err := w.named(ctx, "report_values", scope.params(Params{"unit_code": unit, "month": month + "-01"}))
	if err != nil {
		return nil, err
	}
	return reportCells(res)
}

// RevisionValues are the values one submission (its run) gave.
func (w *Warehouse) RevisionValues(ctx context.Context, scope RowScope, unit, runID string) ([]ReportCell, error) {
	if _, err := uuid.Parse(runID); err != nil {
		return nil, fmt.Errorf("run %q: %w", runID, ErrOutOfScope)
	}
	res, err := w.named(ctx, "report_run_values", scope.params(Params{"unit_code": unit, "run_id": runID}))
	if err != nil {
		return nil, err
	}
	return reportCells(res)
}

func reportCells(res *Result) ([]ReportCell, error) {
	out := []ReportCell{}
	err := res.each(func(rr *rowReader) {
		out = append(out, ReportCell{Metric: rr.str("metric_code"), Category: rr.int("problem_category"), Value: rr.float("value")})
	})
	return out, err
}

// Draft is a unit's unsubmitted report as typed: field → text.
type Draft struct {
	Body    string
	SavedBy string
	SavedAt time.Time
}

// maxDraft bounds a draft's JSON: a month's form is 25 numbers.
const maxDraft = 64 << 10

// SaveDraft keeps a unit's draft of a month (the form's fields as JSON).
func (w *Warehouse) SaveDraft(ctx context.Context, scope RowScope, unit, month, body, by string) error {
	if !scope.Sees(unit) {
		return fmt.Errorf("save the draft of %s for %s: %w", month, unit, ErrOutOfScope)
	}
	if len(body) > maxDraft {
		return fmt.Errorf("a draft of %d bytes is larger than %d", len(body), maxDraft)
	}
	return w.putDraft(ctx, unit, month, body, by, false)
}

// ReportDraft reads a unit's draft of a month; ok is false when there is none.
func (w *Warehouse) ReportDraft(ctx context.Context, scope RowScope, unit, month string) (d Draft, ok bool, err error) {
	res, err := w.accountQuery(ctx, "report_draft", scope.params(Params{"unit_code": unit, "month": month + "-01"}))
	if err != nil {
		return d, false, err
	}
	err = res.each(func(rr *rowReader) {
		d, ok = Draft{Body: rr.str("body"), SavedBy: rr.str("saved_by"), SavedAt: fromMillis(rr.float("saved_ms"))}, true
	})
	return d, ok, err
}

func (w *Warehouse) putDraft(ctx context.Context, unit, month, body, by string, removed bool) error {
	return w.writeAccountRow(ctx, "report_draft_put", "write the draft of "+unit+" "+month, Params{"unit_code": unit, "month": month + "-01",
		"body": body, "saved_by": by, "removed": boolParam(removed)})
}

func (w *Warehouse) putReportEvent(ctx context.Context, e ReportEvent) error {
	return w.execNamed(ctx, "report_event_put", Params{"unit_code": e.Unit, "month": e.Month + "-01", "revision": strconv.Itoa(e.Revision),
		"action": e.Action, "run_id": e.RunID, "channel": e.Channel, "by": e.By, "at_ms": millisParam(e.At), "comment": e.Comment})
}

// execNamed runs a named statement that writes, as one of the statements of a change (see
// change), which starts the data version once its statements have run.
func (w *Warehouse) execNamed(ctx context.Context, name string, params Params) error {
	text, err := namedQuery(name)
	if err != nil {
		return err
	}
	if err := w.eng.exec(ctx, text, params); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
