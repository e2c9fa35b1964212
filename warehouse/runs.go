package warehouse

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Run statuses, as etl_runs spells them.
const (
	RunRunning   = "running"
	RunCommitted = "committed"
	RunFailed    = "failed"
	RunUnchanged = "unchanged"
	RunAbandoned = "abandoned"
)

// What starts a load, as etl_runs.started_by says it (with ":user" when someone did): the
// one list the loader, the operator pages and their labels use.
const (
	StartedBySchedule = "schedule"
	StartedByUpload   = "upload"
	StartedByURL      = "url"
	StartedByCLI      = "cli"
	StartedByRunNow   = "run-now"
	// StartedByReport marks the run a unit's report (填报) is written as.
	StartedByReport = "report"
)

// StartedByKinds are the kinds above, in the operator pages' order.
var StartedByKinds = []string{StartedBySchedule, StartedByUpload, StartedByURL, StartedByCLI, StartedByRunNow, StartedByReport}

// Run is one load of one file by one ETL job.
type Run struct {
	ID       string
	Job      string
	FilePath string
	// ContentHash is the file's plain SHA-256, what sha256sum prints, so anyone can check
	// a file against it.
	ContentHash string
	// UnchangedKey is the SHA-256 of the file and the job's configuration: a load with the
	// same key changes nothing. Empty means ContentHash.
	UnchangedKey string
	// Vintage is the file's vintage note from the SOURCES.md beside it ("" when none), in
	// Chinese and in English.
	Vintage, VintageEn string
	Status             string
	RowsRead           int
	RowsLoaded         int
	RowsRejected       int
	// RowsNoValue counts rows whose value is empty or a missing mark (—, …, -, x): read,
	// not loaded, and not rejects.
	RowsNoValue int
	// RowsSkipped counts total (合计) and sub-item (其中) rows the mapping leaves out.
	RowsSkipped int
	StartedAt   time.Time
	FinishedAt  time.Time
	Message     string
	// MessageZh is Message in Chinese; empty where it has no Chinese wording (a run
	// recorded before there was one, or a message quoting another program's error).
	MessageZh string
	// StartedBy says who or what started the run: schedule, upload, url, cli or run-now,
	// with the user after a colon when one did ("upload:alice"); see WithStartedBy.
	StartedBy string
}

// Duration is how long the run took, or zero while it runs.
func (r Run) Duration() time.Duration {
	if r.FinishedAt.IsZero() {
		return 0
	}
	return r.FinishedAt.Sub(r.StartedAt)
}

// The kinds of fault a reject's reason code names first (etl writes the codes: a kind, then
// the field at fault, "unknown_region"; row_shape and duplicate are whole codes).
const (
	RejectRowShape  = "row_shape"
	RejectDuplicate = "duplicate"
	RejectUnknown   = "unknown"
	RejectMissing   = "missing"
	RejectFuture    = "future"
	RejectConflict  = "conflict"
	RejectBad       = "bad"
)

// RejectKinds lists every kind of fault.
var RejectKinds = []string{RejectRowShape, RejectDuplicate, RejectUnknown, RejectMissing, RejectFuture, RejectConflict, RejectBad}

// RejectKindOf is the kind of fault a reason code names; "" for a code of none of them.
func RejectKindOf(code string) string {
	for _, k := range RejectKinds {
		if code == k || strings.HasPrefix(code, k+"_") {
			return k
		}
	}
	return ""
}

// Reject is one row a load refused, with where it was and why.
type Reject struct {
	FilePath string
	Line     int
	Location string
	Raw      string
	Reason   string
	// ReasonZh is the reason in Chinese; empty where it has no Chinese wording (a reject
	// stored before there was one, or a reason quoting another program's error).
	ReasonZh string
	// Code is the reason as a code of one vocabulary (etl's reason codes), for grouping.
	Code string
	// Values, in an upload's preview, is how many of the line's values the reason refused
	// (a wide row of an unknown region is one reject of its 25 values there); 0 elsewhere,
	// where each value's reject is kept.
	Values int
}

// RecordRun writes the run's current state; the newest state of a run wins. A run that
// found its file already loaded (unchanged) changed no data, so it starts no new data
// version: a restart that finds every file loaded neither redraws the wall screens nor drops
// the caches. Whatever lists such runs (the loads page, the schedules, RecentLoads) reads
// etl_runs uncached, so it is seen at once all the same.
func (w *Warehouse) RecordRun(ctx context.Context, r Run) error {
	text, err := namedQuery("run_record")
	if err != nil {
		return err
	}
	finished := r.FinishedAt
	if finished.IsZero() {
		finished = r.StartedAt
	}
	write := w.exec
	if r.Status == RunUnchanged {
		write = w.eng.exec
	}
	err = write(ctx, text, Params{
		"run_id":        r.ID,
		"job":           r.Job,
		"file_path":     r.FilePath,
		"content_hash":  r.ContentHash,
		"unchanged_key": cmpOr(r.UnchangedKey, r.ContentHash),
		"vintage":       r.Vintage,
		"vintage_en":    r.VintageEn,
		"status":        r.Status,
		"rows_read":     strconv.Itoa(r.RowsRead),
		"rows_loaded":   strconv.Itoa(r.RowsLoaded),
		"rows_rejected": strconv.Itoa(r.RowsRejected),
		"rows_no_value": strconv.Itoa(r.RowsNoValue),
		"rows_skipped":  strconv.Itoa(r.RowsSkipped),
		"started_ms":    strconv.FormatInt(r.StartedAt.UnixMilli(), 10),
		"finished_ms":   strconv.FormatInt(finished.UnixMilli(), 10),
		"message":       r.Message,
		"message_zh":    r.MessageZh,
		"started_by":    r.StartedBy,
		// Each state change of a run is written later than the one before; nanoseconds
		// order them even when two land in the same millisecond.
		"version": strconv.FormatInt(time.Now().UnixNano(), 10),
	})
	if err != nil {
		return fmt.Errorf("record run %s as %s: %w", r.ID, r.Status, err)
	}
	return nil
}

// CommittedRunByHash finds the committed run of job that loaded content with this
// unchanged key (the file's hash mixed with the job's configuration).
func (w *Warehouse) CommittedRunByHash(ctx context.Context, job, key string) (*Run, bool, error) {
	res, err := w.named(ctx, "run_committed_by_hash", Params{"job": job, "unchanged_key": key})
	if err != nil {
		return nil, false, err
	}
	runs, err := readRuns(res)
	if err != nil || len(runs) == 0 {
		return nil, false, err
	}
	return &runs[0], true, nil
}

// RecentRuns lists the newest runs first.
func (w *Warehouse) RecentRuns(ctx context.Context, limit int) ([]Run, error) {
	return w.RecentLoads(ctx, limit, false)
}

// RecentLoads lists the newest runs first; with changedOnly, not those that found their
// file already loaded ("unchanged").
func (w *Warehouse) RecentLoads(ctx context.Context, limit int, changedOnly bool) ([]Run, error) {
	only := "0"
	if changedOnly {
		only = "1"
	}
	text, err := namedQuery("runs_recent")
	if err != nil {
		return nil, err
	}
	// Not cached: an unchanged run starts no data version (see RecordRun), and a cached
	// answer would hide it.
	res, err := w.eng.query(ctx, text, Params{"limit": strconv.Itoa(limit), "changed_only": only})
	if err != nil {
		return nil, fmt.Errorf("read recent runs: %w", err)
	}
	return readRuns(res)
}

// AbandonStaleRuns marks runs still 'running' as abandoned. Only the process that owns the
// warehouse may call it, at start-up, when no run of its own is in flight. With none left
// running it writes nothing, so an ordinary start starts no new data version.
func (w *Warehouse) AbandonStaleRuns(ctx context.Context) error {
	count, err := namedQuery("runs_running")
	if err != nil {
		return err
	}
	res, err := w.eng.query(ctx, count, nil)
	if err != nil {
		return fmt.Errorf("count stale runs: %w", err)
	}
	if len(res.Rows) == 1 && res.Uint(0, 0) == 0 {
		return nil
	}
	text, err := namedQuery("runs_abandon")
	if err != nil {
		return err
	}
	if err := w.exec(ctx, text, nil); err != nil {
		return fmt.Errorf("abandon stale runs: %w", err)
	}
	return nil
}

// readReject is a reject as rejects_page gives it.
func readReject(rr *rowReader) Reject {
	return Reject{FilePath: rr.str("file_path"), Line: rr.int("line"), Location: rr.str("location"), Raw: rr.str("raw"),
		Reason: rr.str("reason"), ReasonZh: rr.str("reason_zh"), Code: rr.str("reason_code")}
}

func readRuns(res *Result) ([]Run, error) {
	var out []Run
	err := res.each(func(rr *rowReader) {
		out = append(out, Run{
			ID:           rr.str("run_id"),
			Job:          rr.str("job"),
			FilePath:     rr.str("file_path"),
			ContentHash:  rr.str("content_hash"),
			UnchangedKey: rr.str("unchanged_key"),
			Vintage:      rr.str("vintage"),
			VintageEn:    rr.str("vintage_en"),
			Status:       rr.str("status"),
			RowsRead:     rr.int("rows_read"),
			RowsLoaded:   rr.int("rows_loaded"),
			RowsRejected: rr.int("rows_rejected"),
			RowsNoValue:  rr.int("rows_no_value"),
			RowsSkipped:  rr.int("rows_skipped"),
			StartedAt:    time.UnixMilli(int64(rr.float("started_ms"))).UTC(),
			FinishedAt:   time.UnixMilli(int64(rr.float("finished_ms"))).UTC(),
			Message:      rr.str("message"),
			MessageZh:    rr.str("message_zh"),
			StartedBy:    rr.str("started_by"),
		})
	})
	return out, err
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Superseding is a later run that holds the current value of keys an earlier run loaded.
type Superseding struct {
	RunID, FilePath string
	// Keys is how many of the earlier run's keys it holds; 0 when a dimension cannot say.
	Keys int
}

// SupersededBy lists the later committed runs that replaced values run loaded, newest
// first; none means run's values are still the current ones. A dimension's rows carry no
// run, so for a dimension job any later load of other content counts.
func (w *Warehouse) SupersededBy(ctx context.Context, run Run, dimension bool) ([]Superseding, error) {
	name, params := "run_superseded", Params{"run_id": run.ID, "job": run.Job}
	if dimension {
		name, params = "run_superseded_dimension", Params{"job": run.Job, "unchanged_key": cmpOr(run.UnchangedKey, run.ContentHash),
			"finished_ms": strconv.FormatInt(run.FinishedAt.UnixMilli(), 10)}
	}
	res, err := w.named(ctx, name, params)
	if err != nil {
		return nil, fmt.Errorf("runs that replaced run %s: %w", run.ID, err)
	}
	var out []Superseding
	err = res.each(func(rr *rowReader) {
		out = append(out, Superseding{RunID: rr.str("by_run"), FilePath: rr.str("file_path"), Keys: rr.int("keys")})
	})
	return out, err
}
