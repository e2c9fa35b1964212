package etl

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
)

// stagedDir is the folder inside a job's inbox where uploads wait between their preview and
// their load. RunJob loads only the inbox's own files, so a staged file is never loaded
// behind the operator's back.
const stagedDir = ".staged"

// Staged is an uploaded file waiting for the operator's go: what inspect and a dry run made
// of it. ID names it for LoadStaged.
type Staged struct {
	ID   string
	Name string
	// Inspection is the file's shape and proposed mapping (fact jobs only; nil for reference
	// jobs, which have no inspect).
	Inspection *Inspection
	// DryRun is the load (read as Reading says, for a fact job) that wrote nothing; a
	// dimension file's says what it would change. DryRunError says why it would be refused,
	// and DryRunErrorZh in Chinese where the refusal is worded so.
	DryRun        *Report
	DryRunError   string
	DryRunErrorZh string
	// Refused says the load would refuse the file itself (not a fault of the moment, a
	// query that failed or a request cut off).
	Refused bool
	// Reading is how the dry run read the file, and its load will (warehouse.Readings);
	// Mapping names the configured mapping it used, and MappingMatch the glob of it that
	// the file's name matched.
	Reading, Mapping, MappingMatch string
}

// uploadMapping is the mapping a staged upload of job sent as name is read with, and how
// (warehouse.Readings). A file sent by a person, who sees its preview before its load,
// with no mapping configured for its name, is read as inspect read it when inspect told
// every field of a wide table (a yearbook's: regions down, years across, the indicator in
// its title); otherwise by its column names. A file put in the inbox or sent through the
// API is never read by inspect's guess: no one saw what it made of the file. inspect tells
// what inspect makes of it, asked only when the reading depends on it; its error is the
// upload's.
func (r *Runner) uploadMapping(job, name string, inspect func() (*Inspection, error)) (*Mapping, string, error) {
	if m, ok := FindMapping(r.mappings, job, name); ok {
		return m, warehouse.ReadConfigured, nil
	}
	if job != JobEconomy {
		return nil, warehouse.ReadByColumnNames, nil
	}
	in, err := inspect()
	if err != nil {
		return nil, "", err
	}
	// A long table (one value per row) is read by its column names as it always was: inspect's
	// mapping of one keeps only the sheets laid out as the first, and a workbook of a sheet per
	// year with a column more in one lost that sheet.
	if in.Complete() && len(in.Sheets) > 0 && in.Sheets[0].Layout != "" && in.Sheets[0].Layout != warehouse.LayoutLong {
		m := *in.Mapping
		// Named for how it was made, not for the file: the name goes into the key that
		// tells a file sent again, unchanged.
		m.Name, m.Match = warehouse.ReadInspected, nil
		return &m, warehouse.ReadInspected, nil
	}
	return nil, warehouse.ReadByColumnNames, nil
}

// stagedID is a staged file's name: a random prefix, then the uploaded file's base name.
var stagedID = regexp.MustCompile(`^[0-9a-f]{16}-[^/\\]+$`)

// stagedName is the name a staged file was sent as.
func stagedName(id string) string { return id[17:] }

// StageUpload saves an uploaded file beside the job's inbox (not in it), inspects it and
// dry-runs it with the mapping a load would use, writing nothing to the warehouse.
func (r *Runner) StageUpload(ctx context.Context, job, name string, body io.Reader) (*Staged, error) {
	j, ok := r.jobs[job]
	if !ok {
		return nil, fmt.Errorf("upload: no job %q in the config", job)
	}
	base := filepath.Base(filepath.Clean("/" + name))
	if base == "/" || base == "." || strings.HasPrefix(base, ".") {
		return nil, fmt.Errorf("upload: %q is not a file name", name)
	}
	dir := filepath.Join(j.Inbox, stagedDir)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("upload %s: %w", base, err)
	}
	purgeStaged(dir, time.Now().Add(-stagedLife))
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	id := hex.EncodeToString(rnd[:]) + "-" + base
	path, err := writeAtomically(dir, id, body)
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", base, err)
	}
	keepStaged(dir, id)
	return r.previewCached(ctx, job, id, path), nil
}

// PreviewStaged is a staged upload's preview as StageUpload made it, made anew when the
// data changed since: its preview in the other language, or opened again later.
func (r *Runner) PreviewStaged(ctx context.Context, job, id string) (*Staged, error) {
	path, err := r.stagedPath(job, id)
	if err != nil {
		return nil, reasons.New("preview upload: %w", "预览上传：%w", err)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, reasons.New("preview upload %s: %w", "预览上传 %s：%w", stagedName(id), errNoLongerWaiting)
	} else if err != nil {
		return nil, fmt.Errorf("preview upload %s: %w", stagedName(id), err)
	}
	return r.previewCached(ctx, job, id, path), nil
}

// previewCached is the preview of the staged upload id of job at path (preview), made
// once per data version.
func (r *Runner) previewCached(ctx context.Context, job, id, path string) *Staged {
	return r.previews.get(ctx, r.l.wh, job+"/"+id, func() *Staged { return r.preview(ctx, job, id, path) })
}

// previewCache keeps each staged upload's preview with the data version it was made at:
// opening it again (in the other language, or later) read and checked the whole file anew,
// seconds of a core for a large file at every visit. A write to the warehouse since (a
// regions file, say) makes it anew, as what the file would do may have changed.
type previewCache struct {
	mu sync.Mutex
	m  map[string]cachedPreview
}

type cachedPreview struct {
	version uint64
	st      *Staged
}

// maxCachedPreviews bounds the cache: uploads wait stagedKeep per job at most, so it is
// emptied only when many jobs' uploads wait at once.
const maxCachedPreviews = 64

// get returns key's preview at the current data version, made by build when there is none;
// the answer is shared, and callers must not modify it. Without a version (the warehouse
// unreadable) it is made each time; one cut short by its request's end (a browser or proxy
// giving up on a large file) is not kept, or reopening it showed the half-read preview.
func (c *previewCache) get(ctx context.Context, w *warehouse.Warehouse, key string, build func() *Staged) *Staged {
	v, err := w.DataVersion(ctx)
	if err != nil {
		return build()
	}
	c.mu.Lock()
	if p, ok := c.m[key]; ok && p.version == v {
		c.mu.Unlock()
		return p.st
	}
	c.mu.Unlock()
	st := build()
	if ctx.Err() != nil {
		return st
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedPreviews {
		c.m = map[string]cachedPreview{}
	}
	c.m[key] = cachedPreview{v, st}
	return st
}

// errNoLongerWaiting is a staged upload loaded or removed since.
var errNoLongerWaiting = reasons.New("it is no longer waiting (uploads wait a day, %d per job at most); upload it again", "它已不在等待载入（上传的文件保留一天，每个任务至多 %d 个）：请重新上传", stagedKeep)

// stagedPath is where the staged upload id of job waits, when id names one.
func (r *Runner) stagedPath(job, id string) (string, error) {
	j, ok := r.jobs[job]
	if !ok {
		return "", reasons.New("no job %q in the config", "配置中没有任务 %q", job)
	}
	if !stagedID.MatchString(id) || filepath.Base(id) != id {
		return "", reasons.New("%q is not a staged upload", "%q 不是等待载入的上传文件", id)
	}
	return filepath.Join(j.Inbox, stagedDir, id), nil
}

// preview is what inspect and a dry run make of the staged upload id at path.
func (r *Runner) preview(ctx context.Context, job, id, path string) *Staged {
	base := stagedName(id)
	st := &Staged{ID: id, Name: base}
	if IsReferenceJob(job) {
		// A dimension file is checked as its load would check it, and says what it
		// would change in its table.
		rep, err := r.l.LoadReference(context.WithValue(ctx, dryRunKey{}, true), job, path, r.home)
		st.DryRun = rep
		st.failed(err, path, id)
		return st
	}
	in, ierr := r.l.inspect(ctx, job, path)
	if ierr == nil {
		st.Inspection = in
	} else {
		st.failed(ierr, path, id)
	}
	// The mapping of the name it was sent as: the staged name's prefix matches no glob, and
	// the preview refused a file that loads.
	mapping, reading, err := r.uploadMapping(job, base, func() (*Inspection, error) { return in, ierr })
	if err != nil {
		// Its load would stop where inspect did.
		st.Refused = errors.Is(err, errFileRejected)
		return st
	}
	st.Reading = reading
	if reading == warehouse.ReadConfigured {
		st.Mapping, st.MappingMatch = mapping.Name, mapping.Matching(base)
	}
	rep, err := r.l.DryRun(ctx, job, path, mapping)
	st.DryRun = rep
	st.failed(err, path, id)
	return st
}

// failed says why the preview of the staged upload id at path failed, if err says it did:
// in both languages, naming the file as it was sent.
func (st *Staged) failed(err error, path, id string) {
	if err == nil {
		return
	}
	why := reasons.Of(err)
	st.DryRunError, st.DryRunErrorZh = asSent(why.En, path, id), asSent(why.Zh, path, id)
	st.Refused = errors.Is(err, errFileRejected)
}

// asSent is text with the staged file named as it was sent: the operator sent a file by
// its name, where the server keeps it (path) and under what (id) are not theirs.
func asSent(text, path, id string) string {
	return strings.ReplaceAll(strings.ReplaceAll(text, path, stagedName(id)), id, stagedName(id))
}

// stagedLife is how long an upload previewed and never loaded is kept: each preview kept
// its file for ever (117 MB after one afternoon's, up to 512 MB each).
const stagedLife = 24 * time.Hour

// A job keeps at most stagedKeep uploads waiting, of stagedBytes together: previews
// never loaded filled the disk (each upload may be 512 MB, and each was kept a day). The
// count spares what was staged in the last stagedSitting (one request of 25 files removed
// its own first previews, still shown with their load buttons); the bytes spare nothing.
const (
	stagedKeep    = 20
	stagedBytes   = 2 << 30
	stagedSitting = 10 * time.Minute
)

// keepStaged removes the oldest waiting uploads, never the one just staged (kept), past
// stagedKeep files or stagedBytes together. Loading a removed one says it no longer waits.
func keepStaged(dir, kept string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type file struct {
		name string
		size int64
		at   time.Time
	}
	var others []file
	n, total := 1, int64(0)
	for _, e := range entries {
		info, err := e.Info()
		switch {
		case err != nil || !info.Mode().IsRegular():
		case e.Name() == kept:
			total += info.Size()
		default:
			others = append(others, file{e.Name(), info.Size(), info.ModTime()})
		}
	}
	slices.SortFunc(others, func(a, b file) int { return b.at.Compare(a.at) }) // newest first
	recent := time.Now().Add(-stagedSitting)
	for _, f := range others {
		n, total = n+1, total+f.size
		if (n > stagedKeep && f.at.Before(recent)) || total > stagedBytes {
			_ = os.Remove(filepath.Join(dir, f.name))
		}
	}
}

// purgeStaged removes the staged uploads last written before cutoff. What it cannot remove
// waits for the next upload's purge.
func purgeStaged(dir string, cutoff time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() && info.ModTime().Before(cutoff) {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// LoadStaged moves a staged upload into the job's inbox and loads it, as an upload.
func (r *Runner) LoadStaged(ctx context.Context, job, id string) (*Report, error) {
	from, err := r.stagedPath(job, id)
	if err != nil {
		return nil, reasons.New("load upload: %w", "载入上传：%w", err)
	}
	j := r.jobs[job]
	name := stagedName(id)
	if _, err := os.Stat(from); errors.Is(err, fs.ErrNotExist) {
		return nil, reasons.New("load upload %s: %w", "载入上传 %s：%w", name, errNoLongerWaiting)
	}
	// Read as its preview was, decided before the file enters the inbox (where a scheduled
	// run would load it as it finds it): inspected again when that is how (the file is the
	// same; the regions and indicators inspect matches it against may have changed since,
	// as they may for any load), and refused where inspect fails.
	mapping, _, err := r.uploadMapping(job, name, func() (*Inspection, error) { return r.l.inspect(ctx, job, from) })
	if err != nil {
		why := reasons.Of(err)
		return nil, reasons.New("load upload %s: %v", "载入上传 %s：%v", name, reasons.Text{En: asSent(why.En, from, id), Zh: asSent(why.Zh, from, id)})
	}
	to := filepath.Join(j.Inbox, name)
	if _, err := os.Stat(to); err == nil {
		// Beside a file of its name still waiting, it is named as moveInto names one: the
		// time before the extension, so that its mapping's glob (三抓三促月报*.csv) matches.
		ext := filepath.Ext(name)
		to = filepath.Join(j.Inbox, strings.TrimSuffix(name, ext)+time.Now().UTC().Format(".20060102T150405.000")+ext)
	}
	if err := os.Rename(from, to); errors.Is(err, fs.ErrNotExist) {
		return nil, reasons.New("load upload %s: %w", "载入上传 %s：%w", name, errNoLongerWaiting)
	} else if err != nil {
		return nil, fmt.Errorf("load upload %s: %w", name, err)
	}
	return r.loadInboxFile(warehouse.WithStartedBy(ctx, warehouse.StartedByUpload), j, to, mapping)
}

// JobSchedule is a job's configuration with when its schedule next runs it.
type JobSchedule struct {
	JobConfig
	// Next is the schedule's next time after now; zero for a job run on demand only.
	Next time.Time
	// Error says why the schedule does not parse.
	Error string
}

// Schedules lists the configured jobs with their next scheduled run after now.
func (r *Runner) Schedules(now time.Time) []JobSchedule {
	var out []JobSchedule
	for _, j := range r.Jobs() {
		js := JobSchedule{JobConfig: j}
		if j.Schedule != "" {
			if s, err := cronParser.Parse(j.Schedule); err != nil {
				js.Error = err.Error()
			} else {
				js.Next = s.Next(now)
			}
		}
		out = append(out, js)
	}
	return out
}
