package warehouse

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// startedByKey carries who or what started a load through the context, from the path that
// starts it (schedule, upload, URL, CLI, run now) down to the run it records.
type startedByKey struct{}

// WithStartedBy marks ctx's loads as started by who ("schedule", "upload:alice" …), unless
// an outer path marked it already: the first path to start a load names it.
func WithStartedBy(ctx context.Context, who string) context.Context {
	if StartedBy(ctx) != "" {
		return ctx
	}
	return context.WithValue(ctx, startedByKey{}, who)
}

// OverrideStartedBy marks ctx's loads as started by who, whatever an outer path said: a
// file a job fetched from its URL is the URL's, whoever ran the job.
func OverrideStartedBy(ctx context.Context, who string) context.Context {
	return context.WithValue(ctx, startedByKey{}, who)
}

// StartedBy is ctx's mark from WithStartedBy, or "".
func StartedBy(ctx context.Context) string {
	s, _ := ctx.Value(startedByKey{}).(string)
	return s
}

// farFuture ends a load or audit range nobody bounded.
var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// LoadsQuery picks a page of runs for the operator's loads page.
type LoadsQuery struct {
	// RunID, when set, picks one run.
	RunID, Job, Status string
	// From and To bound the start time, [From, To); zero is unbounded.
	From, To time.Time
	// Before is the cursor of the previous page's last row (see Run.Cursor); "" the first page.
	Before string
	Limit  int
}

// Cursor is where the loads page after this run starts: its start time and id.
func (r Run) Cursor() string {
	return strconv.FormatInt(r.StartedAt.UnixMilli(), 10) + "_" + r.ID
}

// Loads returns one page of runs, newest first, and the cursor of the next page ("" after
// the last one). Paged by keyset, so it stays fast however many runs there are.
func (w *Warehouse) Loads(ctx context.Context, q LoadsQuery) ([]Run, string, error) {
	text, err := namedQuery("loads_page")
	if err != nil {
		return nil, "", err
	}
	p := Params{"run_id": q.RunID, "job": q.Job, "status": q.Status, "from_ms": "0", "to_ms": strconv.FormatInt(farFuture.UnixMilli(), 10),
		"before_ms": "0", "before_id": "", "limit": strconv.Itoa(q.Limit + 1)}
	if !q.From.IsZero() {
		p["from_ms"] = strconv.FormatInt(q.From.UnixMilli(), 10)
	}
	if !q.To.IsZero() {
		p["to_ms"] = strconv.FormatInt(q.To.UnixMilli(), 10)
	}
	if q.Before != "" {
		ms, id, ok := strings.Cut(q.Before, "_")
		if _, err := strconv.ParseInt(ms, 10, 64); !ok || err != nil || id == "" {
			return nil, "", fmt.Errorf("%w: loads cursor %q is not START_ID", ErrBadCursor, q.Before)
		}
		p["before_ms"], p["before_id"] = ms, id
	}
	// Not cached: the page is for watching loads as they happen.
	res, err := w.eng.query(ctx, text, p)
	if err != nil {
		return nil, "", fmt.Errorf("read loads: %w", err)
	}
	runs, err := readRuns(res)
	if err != nil {
		return nil, "", err
	}
	return pageOf(runs, q.Limit, Run.Cursor)
}

// ErrBadCursor is a page cursor this package did not hand out.
var ErrBadCursor = fmt.Errorf("bad page cursor")

// pageOf cuts one extra row read past the limit into the next page's cursor.
func pageOf[T any](rows []T, limit int, cursor func(T) string) ([]T, string, error) {
	if len(rows) <= limit {
		return rows, "", nil
	}
	rows = rows[:limit]
	return rows, cursor(rows[len(rows)-1]), nil
}

// RejectsQuery picks a page of one run's rejects.
type RejectsQuery struct {
	RunID string
	// Code keeps only rejects of this reason code; Search only those whose place, raw row or
	// reason contains it (case-insensitive).
	Code, Search string
	// After is the cursor of the previous page's last reject; "" the first page.
	After string
	Limit int
}

// EachRejectsPage hands fn each page of q's rejects (of q.Limit or a little more) in file
// order, from the first, until the last, an error, or fn says it wants no more. fn is
// called at least once, with an empty page when nothing matches, and only after the first
// page is read: a caller answering a request can still fail it whole, and none holds more
// than a page however many rows a load rejected.
func (w *Warehouse) EachRejectsPage(ctx context.Context, q RejectsQuery, fn func([]Reject) (more bool, err error)) error {
	for {
		rows, next, err := w.RejectsPage(ctx, q)
		if err != nil {
			return err
		}
		more, err := fn(rows)
		if err != nil || !more || next == "" {
			return err
		}
		q.After = next
	}
}

// RejectsPage returns one page of a run's rejects in file order and the next page's cursor
// ("" after the last page). A page holds at least Limit rejects, and every reject of its
// last line.
func (w *Warehouse) RejectsPage(ctx context.Context, q RejectsQuery) ([]Reject, string, error) {
	text, err := namedQuery("rejects_page")
	if err != nil {
		return nil, "", err
	}
	p := Params{"run_id": q.RunID, "code": q.Code, "search": q.Search, "after_line": "0", "limit": strconv.Itoa(q.Limit)}
	if q.After != "" {
		if _, err := strconv.ParseUint(q.After, 10, 32); err != nil {
			return nil, "", fmt.Errorf("%w: rejects cursor %q is not a line number", ErrBadCursor, q.After)
		}
		p["after_line"] = q.After
	}
	res, err := w.eng.query(ctx, text, p)
	if err != nil {
		return nil, "", fmt.Errorf("read rejects of run %s: %w", q.RunID, err)
	}
	var out []Reject
	err = res.each(func(rr *rowReader) {
		out = append(out, readReject(rr))
	})
	if err != nil || len(out) < q.Limit {
		return out, "", err
	}
	return out, strconv.Itoa(out[len(out)-1].Line), nil
}

// ReasonCount is how many of a run's rejects have one reason code, with an example text
// in English and, where it has one, in Chinese.
type ReasonCount struct {
	Code, Example, ExampleZh string
	Count                    int
}

// RejectReasons groups a run's rejects by reason code, the most frequent first.
func (w *Warehouse) RejectReasons(ctx context.Context, runID string) ([]ReasonCount, error) {
	text, err := namedQuery("reject_reasons")
	if err != nil {
		return nil, err
	}
	res, err := w.eng.query(ctx, text, Params{"run_id": runID})
	if err != nil {
		return nil, fmt.Errorf("group rejects of run %s: %w", runID, err)
	}
	var out []ReasonCount
	err = res.each(func(rr *rowReader) {
		out = append(out, ReasonCount{Code: rr.str("reason_code"), Example: rr.str("example"), ExampleZh: rr.str("example_zh"), Count: rr.int("n")})
	})
	return out, err
}

// JobSummary is a job's newest run and last success, for the schedules page.
type JobSummary struct {
	Job, LastStatus, LastMessage, LastMessageZh string
	LastRun, LastSuccess                        time.Time
}

// JobSummaries lists every job that ever ran with its newest run and last success.
func (w *Warehouse) JobSummaries(ctx context.Context) ([]JobSummary, error) {
	text, err := namedQuery("job_runs_summary")
	if err != nil {
		return nil, err
	}
	res, err := w.eng.query(ctx, text, nil)
	if err != nil {
		return nil, fmt.Errorf("summarise job runs: %w", err)
	}
	var out []JobSummary
	err = res.each(func(rr *rowReader) {
		js := JobSummary{Job: rr.str("job"), LastStatus: rr.str("last_status"), LastMessage: rr.str("last_message"), LastMessageZh: rr.str("last_message_zh"),
			LastRun: time.UnixMilli(int64(rr.float("last_ms"))).UTC()}
		// maxIf over no committed run is the epoch: no success yet.
		if ms := int64(rr.float("success_ms")); ms > 0 {
			js.LastSuccess = time.UnixMilli(ms).UTC()
		}
		out = append(out, js)
	})
	return out, err
}

// AuditQuery searches the audit log.
type AuditQuery struct {
	User, Action string
	From, To     time.Time
	Limit        int
}

// SearchAudit lists the audit entries matching q, newest first.
func (w *Warehouse) SearchAudit(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	text, err := namedQuery("audit_search")
	if err != nil {
		return nil, err
	}
	p := Params{"user": q.User, "action": q.Action, "from_ms": "0", "to_ms": strconv.FormatInt(farFuture.UnixMilli(), 10),
		"limit": strconv.Itoa(q.Limit)}
	if !q.From.IsZero() {
		p["from_ms"] = strconv.FormatInt(q.From.UnixMilli(), 10)
	}
	if !q.To.IsZero() {
		p["to_ms"] = strconv.FormatInt(q.To.UnixMilli(), 10)
	}
	res, err := w.eng.query(ctx, text, p)
	if err != nil {
		return nil, fmt.Errorf("search audit log: %w", err)
	}
	out := []AuditEntry{}
	err = res.each(func(rr *rowReader) {
		out = append(out, AuditEntry{At: rr.str("at_text"), User: rr.str("user"), Action: rr.str("action"), Statement: rr.str("statement"),
			Format: rr.str("format"), Rows: rr.int("rows"), Duration: rr.int("duration_ms"), Outcome: rr.str("outcome_text"), Message: rr.str("message")})
	})
	return out, err
}
