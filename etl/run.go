// Package etl loads statistics files, ledgers and campaign reports into the warehouse:
// readers turn files into Arrow records, validation keeps every rejected row with its
// place and reason, and each file is loaded whole or not at all, once.
package etl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/google/uuid"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
)

// Loader runs ETL jobs against a warehouse.
type Loader struct {
	wh  *warehouse.Warehouse
	log *slog.Logger
	// BatchRows is the rows per insert statement.
	BatchRows int
	// MaxRejectShare refuses a whole file when more than this share of its rows is rejected
	// (0 refuses a file with any rejected row; 1 never refuses for rejects alone).
	MaxRejectShare float64
	// Clock tells the time for "in the future" checks; nil is the system clock.
	Clock func() time.Time
	// Progress, when set, is told about a run's counts while it loads, at most a few
	// times a second.
	Progress func(warehouse.Run)
	// OnRun, when set, is told about every run once it has finished (for metrics).
	OnRun func(warehouse.Run)

	locks sync.Map // job name -> *sync.Mutex: two runs of one job never overlap

	// maxRows stops reading a file after this many rows (0: no limit): see ReadCampaignFile.
	maxRows int
}

// DefaultMaxRejectShare refuses a file when more than a fifth of its rows are bad: such a
// file is more likely the wrong file, or the wrong mapping, than a few bad rows.
const DefaultMaxRejectShare = 0.2

// DefaultBatchRows is the rows per insert statement, as many as the engine's own ingest
// puts in one block: large inserts leave the engine few parts to merge (see
// warehouse.Appender, which stages them on disk for the embedded engine and caps them for
// a server).
const DefaultBatchRows = 1_000_000

// NewLoader returns a loader writing to wh.
func NewLoader(wh *warehouse.Warehouse, log *slog.Logger) *Loader {
	return &Loader{wh: wh, log: log, BatchRows: DefaultBatchRows, MaxRejectShare: DefaultMaxRejectShare}
}

// Report says what one file's load did.
type Report struct {
	Run     warehouse.Run
	Rejects []warehouse.Reject
	// Unchanged is true when the same content had been loaded before and nothing was done.
	Unchanged bool
	// DryRun is true for a load that read and checked everything and wrote nothing; its
	// Preview holds the first rows it would have loaded.
	DryRun  bool
	Preview []PreviewRow
	// Changes, for a dimension file's dry run, are what it would change in its table.
	Changes *Changes
	// UncheckedFrom, for a dry run, is the line from which it stopped looking for values
	// given twice (it remembers maxSeenKeys of them); 0 when it looked at every line.
	UncheckedFrom int
}

// PreviewRow is one row a load would write, as the warehouse would hold it.
type PreviewRow struct {
	Line              int
	Indicator, Region string // codes
	RegionZh          string // the region's name, for the command line's lines
	Period            Period
	Value             float64
	Unit              string // the indicator's, after conversion
}

// previewRows is how many rows a dry run shows.
const previewRows = 10

// errFileRejected wraps reasons that refuse a whole file.
var errFileRejected = reasons.New("file rejected", "文件被拒收")

// runState is what a job sees while it loads one file: where to put rows and rejects.
type runState struct {
	ctx context.Context
	wh  *warehouse.Warehouse
	run *warehouse.Run
	// rejects are the first rejected values, which the report lists (a preview's grouped by
	// line, see keepRejects); unwritten, of a load, are those not yet in the warehouse.
	rejects      []warehouse.Reject
	unwritten    []warehouse.Reject
	loadedAt     time.Time
	lastProgress time.Time
	// mapping is the layout the file is read with; never nil for a fact family's run.
	mapping *Mapping
	// dry runs everything but the writes: records are dropped, not inserted.
	dry bool
	// keepRejects, when above 0, is how many rejects are kept (all are counted): a
	// preview's. A unit's report file, read dry too, keeps every row with its reason.
	keepRejects int
	preview     []PreviewRow
	// uncheckedFrom is Report.UncheckedFrom.
	uncheckedFrom int
	// changes, for a dimension file's dry run, are counted against what is stored.
	changes *Changes
	// line is the file's line the run has read to, in the workbook's sheet when it has one.
	line  int
	sheet string
	// source counts the file's bytes read, when the reader counts them (CSV), for an
	// estimate of the rows left.
	source sourceProgress
	// said holds one copy of each reason the run gave (up to maxSaid): a column of one
	// unknown region gives the same reason on every line, and a load keeps every reject.
	said map[reasons.Text]reasons.Text
}

// maxSaid bounds the distinct reasons a run keeps one copy of.
const maxSaid = 10_000

// sourceProgress is a file's size and the bytes of it not yet read; the reader's buffers
// count as read.
type sourceProgress struct {
	size, left atomic.Int64
}

// rowsLeft estimates the rows still to come from the bytes not yet read, at the rate of
// rows per byte so far; -1 when it cannot tell.
func (s *runState) rowsLeft() int {
	size, left := s.source.size.Load(), s.source.left.Load()
	read := size - left
	if size <= 0 || read <= 0 || s.run.RowsRead == 0 {
		return -1
	}
	return int(float64(left) * float64(s.run.RowsRead) / float64(read))
}

func (s *runState) insert(table string, rec arrow.RecordBatch) error {
	defer rec.Release()
	if s.dry {
		s.run.RowsLoaded += int(rec.NumRows())
		return nil
	}
	if err := s.wh.Insert(s.ctx, table, rec); err != nil {
		return err
	}
	s.run.RowsLoaded += int(rec.NumRows())
	return nil
}

// rejectDuplicate records a row found to repeat an earlier one after it was inserted.
func (s *runState) rejectDuplicate(line int, location string, reason reasons.Text) {
	s.reject(line, "", location, "", reason)
}

// reject records a rejected row; field names the field at fault ("" for the whole row),
// which with the reason gives the reject's reason code.
func (s *runState) reject(line int, field, location, raw string, reason reasons.Text) {
	s.run.RowsRejected++
	if kept, ok := s.said[reason]; ok {
		reason = kept
	} else if len(s.said) < maxSaid {
		if s.said == nil {
			s.said = map[reasons.Text]reasons.Text{}
		}
		s.said[reason] = reason
	}
	code := reasonCode(field, reason.En)
	if s.keepRejects > 0 {
		// A preview lists a line's values refused for one reason once: its 1,000 rejects
		// were 40 lines of a wide file, each said 25 times.
		if n := len(s.rejects); n > 0 {
			if last := &s.rejects[n-1]; last.Line == line && last.Location == location && last.Code == code && last.Reason == reason.En {
				last.Values++
				return
			}
		}
		if len(s.rejects) >= s.keepRejects {
			return // counted; a preview lists the first ones only
		}
		s.rejects = append(s.rejects, warehouse.Reject{FilePath: s.run.FilePath, Line: line, Location: location, Raw: raw, Reason: reason.En, ReasonZh: reason.Zh, Code: code, Values: 1})
		return
	}
	rj := warehouse.Reject{FilePath: s.run.FilePath, Line: line, Location: location, Raw: raw, Reason: reason.En, ReasonZh: reason.Zh, Code: code}
	if s.dry {
		// A unit's report file, read to be checked (bounded by its row cap), keeps every
		// value refused with its reason.
		s.rejects = append(s.rejects, rj)
		return
	}
	s.unwritten = append(s.unwritten, rj)
	if len(s.rejects) < reportedRejects {
		s.rejects = append(s.rejects, rj)
	}
}

// reportedRejects is how many rejected values a load's report lists; the warehouse keeps
// every one, written rejectBatch at a time as the load goes. A load held them all until it
// ended: a file of 4 million rows with one in six bad (under the refusal share) kept
// 666,667 in memory, and the report listed them all.
const (
	reportedRejects = MaxPreviewRejects
	rejectBatch     = 10_000
)

// MaxPreviewRejects is how many rejected rows a dry run (an upload's preview) keeps: a
// file of 4 million rows with one in six bad (under the refusal share) made a preview of
// its 666,667 rejects, an 80 MB page, and took the server from 559 MB to 1 GB. The load
// itself keeps every one.
const MaxPreviewRejects = 1000

// loadFunc reads one file and writes its rows through s.
type loadFunc func(s *runState) error

// checkRejectShare refuses the file once enough rows have been read to tell that too many
// are bad, so a wrong file stops early instead of filling the reject table.
func (s *runState) checkRejectShare(limit float64) error {
	const sample = 1000
	if s.run.RowsRead < sample {
		return nil
	}
	if err := s.rejectShareError(limit); err != nil {
		// The counts are of what was read before it stopped, not of the file.
		if s.sheet != "" {
			return reasons.New("%w (reading stopped at line %d of sheet %q)", "%w（读到工作表 %[3]q 第 %[2]d 行时停止）", err, s.line, s.sheet)
		}
		return reasons.New("%w (reading stopped at line %d)", "%w（读到第 %d 行时停止）", err, s.line)
	}
	return nil
}

func (s *runState) rejectShareError(limit float64) error {
	// Rows with no value and left-out totals are part of the table, not evidence of a wrong
	// file: the share is of the rows that hold something to load.
	held := s.run.RowsRead - s.run.RowsNoValue - s.run.RowsSkipped
	if held <= 0 || s.run.RowsRejected == 0 {
		return nil
	}
	share := float64(s.run.RowsRejected) / float64(held)
	if share > limit {
		// Said of values, as the pages count them: "1 of 2 rows" beside 读取 3 条 did not add
		// up (a value left empty is not counted here).
		first := s.rejects[0]
		at := reasons.New("line %d", "第 %d 行", first.Line)
		if first.Location != "" {
			at = reasons.New("line %d %v", "第 %d 行 %v", first.Line, warehouse.LocationText(first.Location))
		}
		above, allowed := percentsApart(share, limit)
		return reasons.New("%w: %d of the %d values with a number rejected (%s%%), more than the allowed %s%%; the first: %v: %v",
			"%w：%[3]d 条中有 %[2]d 条被拒收（%[4]s%%），超过允许的 %[5]s%%；第一条：%[6]v：%[7]v",
			errFileRejected, s.run.RowsRejected, held, above, allowed, at, reasons.Text{En: first.Reason, Zh: first.ReasonZh})
	}
	return nil
}

// percentsApart writes a share above its limit, and the limit, as percentages with as few
// decimals as tell them apart: 41 of 204 rejected against 20 % read "(20%), more than the
// allowed 20%".
func percentsApart(share, limit float64) (above, allowed string) {
	// A limit of 0.07 is 7.000000000000001 per cent in floating point.
	limitPct := math.Round(limit*100*1e4) / 1e4
	allowed = strconv.FormatFloat(limitPct, 'f', -1, 64)
	for d := 0; d < 6; d++ {
		above = strconv.FormatFloat(share*100, 'f', d, 64)
		if shown, _ := strconv.ParseFloat(above, 64); shown > limitPct {
			return above, allowed
		}
	}
	return strconv.FormatFloat(share*100, 'f', -1, 64), allowed
}

// progress reports a running run's counts, a few times a second at most.
func (l *Loader) progress(s *runState) {
	if l.Progress == nil || time.Since(s.lastProgress) < 200*time.Millisecond {
		return
	}
	s.lastProgress = time.Now()
	l.Progress(*s.run)
}

// lockJob keeps two runs of one job from overlapping in this process.
func (l *Loader) lockJob(job string) func() {
	m, _ := l.locks.LoadOrStore(job, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// regionMatcher matches regions by code, name or alias as the warehouse knows them now.
func (l *Loader) regionMatcher(ctx context.Context) (*regionMatcher, error) {
	regions, err := l.wh.Regions(ctx)
	if err != nil {
		return nil, err
	}
	aliases, err := l.wh.RegionAliases(ctx)
	if err != nil {
		return nil, err
	}
	return newRegionMatcher(regions, aliases), nil
}

// hashFile returns the plain sha256 of path's content (what sha256sum prints, stored so
// anyone can check the file against it) and the unchanged key: the sha256 of the content
// followed by salt (configuration a job's result depends on, such as the home province).
func hashFile(path, salt string) (plain, key string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", "", err
	}
	plain = hex.EncodeToString(h.Sum(nil))
	h.Write([]byte(salt))
	return plain, hex.EncodeToString(h.Sum(nil)), nil
}

// runFile loads one file as one run of job: skipped when the same content is already
// committed; otherwise rows are inserted under a new run id and become visible only when
// the run is committed at the end. Any failure leaves the run failed and its rows invisible.
func (l *Loader) runFile(ctx context.Context, job, path, salt string, load loadFunc) (*Report, error) {
	if dry, _ := ctx.Value(dryRunKey{}).(bool); dry {
		return l.dryRun(ctx, job, path, load)
	}
	defer l.lockJob(job)()
	hash, key, err := hashFile(path, salt)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	run := warehouse.Run{ID: uuid.Must(uuid.NewV7()).String(), Job: job, FilePath: path, ContentHash: hash, UnchangedKey: key,
		StartedAt: time.Now().UTC(), StartedBy: startedBy(ctx)}
	run.Vintage, run.VintageEn = vintageOf(path)
	prev, found, err := l.wh.CommittedRunByHash(ctx, job, key)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	// The demo repeating its files at each start (marked as from the command line) does not
	// ask what replaced them since (40 questions, a second of every start): it keeps
	// whatever did, and its runs do not say so.
	var later []warehouse.Superseding
	if repeat, _ := ctx.Value(repeatKey{}).(bool); found && !repeat {
		if later, err = l.wh.SupersededBy(ctx, *prev, IsReferenceJob(job)); err != nil {
			return nil, fmt.Errorf("load %s: %w", path, err)
		}
	}
	if found && len(later) > 0 && resent(run.StartedBy) {
		// Someone sent this file again after a later file replaced its values: they want
		// its values back, so it loads as a new run.
		setMessage(&run, reasons.New("same content as run %s (%s), %s: loaded again", "与批次 %s（%s）内容相同，%s：再次载入", prev.ID, prev.FilePath, replacedBy(later)))
		found = false
	}
	if found {
		if prev.Vintage != run.Vintage || prev.VintageEn != run.VintageEn {
			// The figures are the same, what the SOURCES.md beside them says of them is
			// not (a vintage given in English since): the footnotes citing the committed
			// run say it now.
			prev.Vintage, prev.VintageEn = run.Vintage, run.VintageEn
			if err := l.wh.RecordRun(ctx, *prev); err != nil {
				return nil, fmt.Errorf("load %s: %w", path, err)
			}
		}
		run.Status, run.FinishedAt = warehouse.RunUnchanged, time.Now().UTC()
		msg := reasons.New("same content as run %s (%s), already loaded", "与批次 %s（%s）内容相同，已经载入", prev.ID, prev.FilePath)
		if len(later) > 0 {
			msg = reasons.New("%v; %v, and they stay: upload the file to load it again", "%v；%v，这些数值仍以后者为准：如需恢复，请重新上传此文件", msg, replacedBy(later))
		}
		setMessage(&run, msg)
		if err := l.wh.RecordRun(ctx, run); err != nil {
			return nil, fmt.Errorf("load %s: %w", path, err)
		}
		return &Report{Run: run, Unchanged: true}, nil
	}
	run.Status = warehouse.RunRunning
	if err := l.wh.RecordRun(ctx, run); err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	s := &runState{ctx: ctx, wh: l.wh, run: &run, loadedAt: run.StartedAt}
	loadErr := load(s)
	if loadErr == nil {
		loadErr = s.rejectShareError(l.MaxRejectShare)
	}
	if loadErr == nil && run.RowsLoaded == 0 {
		loadErr = reasons.New("%w: no row could be loaded", "%w：没有一行可以载入", errFileRejected)
	}
	if err := s.writeRejects(); err != nil && loadErr == nil {
		loadErr = err
	}
	run.FinishedAt = time.Now().UTC()
	run.Status = warehouse.RunCommitted
	attrs := []any{"job", job, "file", path, "run", run.ID, "rows_read", run.RowsRead, "rows_loaded", run.RowsLoaded,
		"rows_rejected", run.RowsRejected, "duration", run.FinishedAt.Sub(run.StartedAt).Round(time.Millisecond)}
	if loadErr != nil {
		l.log.Warn("etl run failed", append(attrs, "error", loadErr)...)
	} else {
		l.log.Info("etl run", attrs...)
	}
	if loadErr != nil {
		run.Status, run.RowsLoaded = warehouse.RunFailed, 0
		setMessage(&run, loadErr)
	}
	// The committed row is what makes the run's rows visible, so it is written last and with
	// a context that outlives a cancelled load.
	if err := l.wh.RecordRun(context.WithoutCancel(ctx), run); err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	if l.OnRun != nil {
		l.OnRun(run)
	}
	rep := &Report{Run: run, Rejects: s.rejects}
	if loadErr != nil {
		return rep, reasons.New("load %s: %w", "载入 %s：%w", path, loadErr)
	}
	return rep, nil
}

// resent says whether a load started by by is a person sending a file again (an upload,
// or a file named on the command line), whose values they want current afterwards. A scan
// of an inbox (the schedule, run now) is not: a folder synced from elsewhere drops every
// old file back in, and reloading them, in name order, would undo what came since; nor is
// a URL feed repeating itself.
func resent(by string) bool {
	kind, _, _ := strings.Cut(by, ":")
	return kind == warehouse.StartedByUpload || kind == warehouse.StartedByCLI
}

// repeatKey marks a context that loads a fixed set of files each time it runs (the demo).
type repeatKey struct{}

// replacedBy says which later runs hold values of an earlier one, newest first.
func replacedBy(later []warehouse.Superseding) reasons.Text {
	keys := 0
	for _, s := range later {
		keys += s.Keys
	}
	var more reasons.Text
	if len(later) > 1 {
		more = reasons.New(" and %d run(s) before it", "及其之前的 %d 个批次", len(later)-1).Text
	}
	if keys == 0 {
		// A dimension's rows carry no run: which of them a later load rewrote is not known.
		return reasons.New("its rows may since have been replaced by run %s (%s)%v", "其数据行此后可能已被批次 %s（%s）%v替换", later[0].RunID, later[0].FilePath, more).Text
	}
	return reasons.New("%d of its values since replaced by run %s (%s)%v", "其中 %d 个数值此后已被批次 %s（%s）%v替换", keys, later[0].RunID, later[0].FilePath, more).Text
}

// setMessage says why in the run's message, in English and, where err is worded so, in
// Chinese.
func setMessage(run *warehouse.Run, err error) {
	t := reasons.Of(err)
	run.Message, run.MessageZh = t.En, t.Zh
}

// writeRejectsDue writes the rejected values held once there are rejectBatch of them.
func (s *runState) writeRejectsDue() error {
	if len(s.unwritten) < rejectBatch {
		return nil
	}
	return s.writeRejects()
}

// writeRejects keeps the rejected values not yet written; they are written even when the
// run fails (or was cancelled), so the operator can see why.
func (s *runState) writeRejects() error {
	if len(s.unwritten) == 0 {
		return nil
	}
	rec := rejectsRecord(s.run.ID, s.unwritten, s.loadedAt)
	defer rec.Release()
	s.unwritten = s.unwritten[:0]
	return s.wh.Insert(context.WithoutCancel(s.ctx), warehouse.ETLRejects.Name, rec)
}

// startedBy is who or what started ctx's load (warehouse.WithStartedBy); a load nobody
// marked was started from the command line, the one path that calls the loader directly.
func startedBy(ctx context.Context) string {
	if s := warehouse.StartedBy(ctx); s != "" {
		return s
	}
	return warehouse.StartedByCLI
}

// dryRunKey marks a context whose load writes nothing (see DryRun).
type dryRunKey struct{}

// DryRun reads and checks a file of a fact family as LoadFile would, and writes nothing:
// the report says what would be loaded, left out and rejected, with a preview of the first
// rows. Duplicates within the file are refused at the end of its reading, as the load
// refuses them after its insert.
func (l *Loader) DryRun(ctx context.Context, job, path string, m *Mapping) (*Report, error) {
	return l.LoadFile(context.WithValue(ctx, dryRunKey{}, true), job, path, m)
}

func (l *Loader) dryRun(ctx context.Context, job, path string, load loadFunc) (*Report, error) {
	run := warehouse.Run{ID: "dry-run", Job: job, FilePath: path, StartedAt: time.Now().UTC(), Status: "dry-run"}
	s := &runState{ctx: ctx, wh: l.wh, run: &run, loadedAt: run.StartedAt, dry: true, keepRejects: MaxPreviewRejects}
	err := load(s)
	if err == nil {
		err = s.rejectShareError(l.MaxRejectShare)
	}
	if err == nil && run.RowsLoaded == 0 {
		err = reasons.New("%w: no row could be loaded", "%w：没有一行可以载入", errFileRejected)
	}
	run.FinishedAt = time.Now().UTC()
	if err != nil {
		setMessage(&run, err)
	}
	rep := &Report{Run: run, Rejects: s.rejects, DryRun: true, Preview: s.preview, Changes: s.changes, UncheckedFrom: s.uncheckedFrom}
	if err != nil {
		return rep, reasons.New("dry run %s: %w", "试载入 %s：%w", path, err)
	}
	return rep, nil
}
