package etl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"jinwei/warehouse"
	"jinwei/weburl"
)

// JobConfig says where one scheduled job finds its files and when it looks.
type JobConfig struct {
	// Name is the job: economy, ecology, campaign or one of the reference jobs.
	Name string `toml:"name"`
	// Inbox is a folder the job loads every file from; loaded files move to inbox/done,
	// refused ones to inbox/failed.
	Inbox string `toml:"inbox"`
	// Schedule is a cron expression (five fields, or @hourly, @every 10m …); empty means
	// on demand only.
	Schedule string `toml:"schedule"`
	// URL, when set, is fetched into the inbox at the start of every run.
	URL string `toml:"url"`
}

// Runner runs configured jobs: on demand, from uploads, and on their schedules.
type Runner struct {
	l        *Loader
	home     string
	mappings []*Mapping
	jobs     map[string]JobConfig
	client   *http.Client
	// Originals is how long and how much of the files loaded from inboxes and uploads the
	// warehouse keeps for download; the zero policy keeps none.
	Originals warehouse.OriginalsPolicy
	previews  previewCache
}

// NewRunner returns a runner of the configured jobs, reading fact files with mappings.
func NewRunner(l *Loader, home string, mappings []*Mapping, jobs []JobConfig) (*Runner, error) {
	r := &Runner{l: l, home: home, mappings: mappings, jobs: map[string]JobConfig{}, client: &http.Client{Timeout: 5 * time.Minute}}
	for _, j := range jobs {
		if !IsReferenceJob(j.Name) && families[j.Name] == nil {
			return nil, fmt.Errorf("job %q: not one of %s", j.Name, strings.Join(JobNames(), ", "))
		}
		if j.Inbox == "" {
			return nil, fmt.Errorf("job %s: no inbox folder", j.Name)
		}
		if j.URL != "" {
			if err := weburl.Check("job "+j.Name+": url", j.URL); err != nil {
				return nil, err
			}
		}
		if _, dup := r.jobs[j.Name]; dup {
			return nil, fmt.Errorf("job %s is configured twice", j.Name)
		}
		r.jobs[j.Name] = j
	}
	return r, nil
}

// Jobs lists the configured jobs.
func (r *Runner) Jobs() []JobConfig {
	out := make([]JobConfig, 0, len(r.jobs))
	for _, j := range r.jobs {
		out = append(out, j)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out
}

// RunJob fetches the job's URL if it has one, then loads every file in its inbox in name
// order. One file's failure does not stop the others; the error lists them.
func (r *Runner) RunJob(ctx context.Context, name string) ([]*Report, error) {
	j, ok := r.jobs[name]
	if !ok {
		return nil, fmt.Errorf("run job %s: no such job in the config", name)
	}
	if err := os.MkdirAll(j.Inbox, 0o750); err != nil {
		return nil, fmt.Errorf("run job %s: %w", name, err)
	}
	fetched := ""
	if j.URL != "" {
		var err error
		if fetched, err = r.Fetch(ctx, j.URL, j.Inbox); err != nil {
			return nil, fmt.Errorf("run job %s: %w", name, err)
		}
	}
	entries, err := os.ReadDir(j.Inbox)
	if err != nil {
		return nil, fmt.Errorf("run job %s: %w", name, err)
	}
	var reports []*Report
	var failed []string
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || strings.HasSuffix(e.Name(), ".part") {
			continue
		}
		file, fctx := filepath.Join(j.Inbox, e.Name()), ctx
		if file == fetched {
			fctx = warehouse.OverrideStartedBy(ctx, warehouse.StartedByURL)
		}
		rep, err := r.loadInboxFile(fctx, j, file, nil)
		if rep != nil {
			reports = append(reports, rep)
		}
		if err != nil {
			failed = append(failed, err.Error())
		}
	}
	if len(failed) > 0 {
		return reports, fmt.Errorf("run job %s: %d files failed: %s", name, len(failed), strings.Join(failed, "; "))
	}
	return reports, nil
}

// loadInboxFile loads one inbox file with mapping (nil: the one configured for its name),
// keeps its original, and moves it to done/ or failed/.
func (r *Runner) loadInboxFile(ctx context.Context, j JobConfig, file string, mapping *Mapping) (*Report, error) {
	rep, err := r.l.Load(ctx, j.Name, file, r.home, mapping, r.mappings)
	if ctx.Err() != nil {
		return rep, err // abandoned: leave the file for the next run
	}
	if rep != nil && rep.Run.ContentHash != "" {
		// A file that cannot be kept is still loaded: the loss is a download, not data.
		if kerr := r.keepOriginal(ctx, file, rep.Run); kerr != nil {
			r.l.log.Warn("keep original file", "file", file, "run", rep.Run.ID, "error", kerr)
		}
	}
	dest := "done"
	if err != nil {
		dest = "failed"
	}
	if mvErr := moveInto(file, filepath.Join(j.Inbox, dest)); mvErr != nil && err == nil {
		err = mvErr
	}
	return rep, err
}

// moveInto moves file into dir, adding a timestamp when a file of that name is there.
func moveInto(file, dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	dest := filepath.Join(dir, filepath.Base(file))
	if _, err := os.Stat(dest); err == nil {
		ext := filepath.Ext(dest)
		dest = strings.TrimSuffix(dest, ext) + time.Now().UTC().Format(".20060102T150405.000") + ext
	}
	return os.Rename(file, dest)
}

// SaveUpload writes an uploaded file into the job's inbox under its base name (never a
// path the uploader chose) and loads it at once.
func (r *Runner) SaveUpload(ctx context.Context, job, name string, body io.Reader) (*Report, error) {
	j, ok := r.jobs[job]
	if !ok {
		return nil, fmt.Errorf("upload: no job %q in the config", job)
	}
	base := filepath.Base(filepath.Clean("/" + name))
	if base == "/" || base == "." || strings.HasPrefix(base, ".") {
		return nil, fmt.Errorf("upload: %q is not a file name", name)
	}
	if err := os.MkdirAll(j.Inbox, 0o750); err != nil {
		return nil, err
	}
	path, err := writeAtomically(j.Inbox, base, body)
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", base, err)
	}
	return r.loadInboxFile(warehouse.WithStartedBy(ctx, warehouse.StartedByUpload), j, path, nil)
}

// maxFetchBytes bounds what a URL source may send.
const maxFetchBytes = 1 << 30

// Fetch downloads a CSV, XLSX or JSON file from an http(s) URL into dir and returns its path.
func (r *Runner) Fetch(ctx context.Context, rawURL, dir string) (string, error) {
	if err := weburl.Check("url", rawURL); err != nil {
		return "", fmt.Errorf("fetch: %w", err)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("fetch: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return "", fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	res, err := r.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("fetch %s: the server answered %s", rawURL, res.Status)
	}
	name := path.Base(u.Path)
	if name == "/" || name == "." || name == "" {
		name = "download.csv"
	}
	p, err := writeAtomically(dir, name, &limitedReader{r: res.Body, left: maxFetchBytes})
	if err != nil {
		return "", fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	return p, nil
}

// RemovePartials deletes the .part files that writeAtomically leaves in dir when its
// process is killed mid-write, if untouched for at least idle (0: all of them); a scan
// skips them, so without this they would hold their disk space for good. It returns the
// paths it removed.
func RemovePartials(dir string, idle time.Duration) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("clean partial files in %s: %w", dir, err)
	}
	var removed []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasPrefix(e.Name(), ".") || !strings.HasSuffix(e.Name(), ".part") {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < idle {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("clean partial files in %s: %w", dir, err)
		}
		removed = append(removed, p)
	}
	return removed, nil
}

// writeAtomically writes body to dir/name through a .part file, so a scan never sees half
// a file.
func writeAtomically(dir, name string, body io.Reader) (string, error) {
	tmp, err := os.CreateTemp(dir, "."+name+".*.part")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, body); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	dest := filepath.Join(dir, name)
	return dest, os.Rename(tmp.Name(), dest)
}

type limitedReader struct {
	r    io.Reader
	left int64
}

var errTooLarge = errors.New("the download is larger than 1 GiB")

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// keepOriginal keeps the file a run loaded in the warehouse, for the operator to download.
func (r *Runner) keepOriginal(ctx context.Context, file string, run warehouse.Run) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	return r.l.wh.KeepOriginal(context.WithoutCancel(ctx), run.ContentHash, filepath.Base(file), fi.Size(), f, time.Now().UTC(), r.Originals)
}
