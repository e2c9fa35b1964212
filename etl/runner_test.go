package etl

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// fakeClock moves only when the test says; After fires once the clock passes its time.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
	waiting chan struct{}
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock(t time.Time) *fakeClock {
	return &fakeClock{now: t, waiting: make(chan struct{}, 100)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, fakeWaiter{at: c.now.Add(d), ch: ch})
	c.waiting <- struct{}{}
	return ch
}

// advance moves the clock and fires the timers it passes.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

func runnerFixture(t *testing.T, jobs []JobConfig) (*Runner, *warehouse.Warehouse) {
	t.Helper()
	w := whtest.Open(t)
	l := NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	for _, f := range []struct{ job, file string }{{JobRegions, "regions.csv"}, {JobIndicators, "indicators.csv"}} {
		if _, err := l.LoadReference(ctx, f.job, filepath.Join("..", "data", f.file), "620000"); err != nil {
			t.Fatal(err)
		}
	}
	r, err := NewRunner(l, "620000", nil, jobs)
	if err != nil {
		t.Fatal(err)
	}
	return r, w
}

func countValues(t *testing.T, w *warehouse.Warehouse, year int) int64 {
	t.Helper()
	res, err := whtest.Query(context.Background(), w, "SELECT count() FROM indicator_values_current WHERE year = {y:UInt16}", warehouse.Params{"y": strconv.Itoa(year)})
	if err != nil {
		t.Fatal(err)
	}
	return res.Rows[0][0].(int64)
}

// The scheduler runs a job when its cron time comes, not before, loads the inbox, and
// moves loaded files to done/ and refused ones to failed/.
func TestScheduleRunsJobsOnTheirCronTimes(t *testing.T) {
	inbox := t.TempDir()
	r, w := runnerFixture(t, []JobConfig{{Name: JobEconomy, Inbox: inbox, Schedule: "*/10 * * * *"}})
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(inbox, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("good.csv", "year,region_code,indicator,value\n2025,620000,gdp,1\n2025,610000,gdp,2\n")
	write("bad.csv", "nonsense\n")
	clock := newFakeClock(time.Date(2026, 11, 26, 9, 3, 0, 0, time.UTC))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Schedule(ctx, clock) }()
	<-clock.waiting // the scheduler waits for 09:10
	clock.advance(6 * time.Minute)
	if n := countValues(t, w, 2025); n != 0 {
		t.Fatalf("%d values loaded at 09:09, before the job's time", n)
	}
	clock.advance(time.Minute)
	<-clock.waiting // the job ran and the scheduler waits for 09:20
	if n := countValues(t, w, 2025); n != 2 {
		t.Fatalf("%d values after the 09:10 run, want 2", n)
	}
	for _, f := range []string{"done/good.csv", "failed/bad.csv"} {
		if _, err := os.Stat(filepath.Join(inbox, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestScheduleRefusesABadCronExpression(t *testing.T) {
	r, _ := runnerFixture(t, []JobConfig{{Name: JobEconomy, Inbox: t.TempDir(), Schedule: "every tuesday"}})
	err := r.Schedule(context.Background(), newFakeClock(time.Now()))
	if err == nil || !strings.Contains(err.Error(), `schedule "every tuesday"`) {
		t.Fatalf("error %v; want the bad schedule named", err)
	}
}

// A job with a URL fetches the file from a local test server into its inbox and loads it;
// a failing server is reported.
func TestJobWithURLSourceFetchesAndLoads(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/stats/gdp.csv" {
			http.NotFound(w, req)
			return
		}
		io.WriteString(w, "year,region_code,indicator,value\n2025,620000,gdp,13800\n")
	}))
	defer srv.Close()
	inbox := t.TempDir()
	r, w := runnerFixture(t, []JobConfig{
		{Name: JobEconomy, Inbox: inbox, URL: srv.URL + "/stats/gdp.csv"},
		{Name: JobEcology, Inbox: t.TempDir(), URL: srv.URL + "/missing.csv"},
	})
	reports, err := r.RunJob(context.Background(), JobEconomy)
	if err != nil || len(reports) != 1 || reports[0].Run.Status != warehouse.RunCommitted {
		t.Fatalf("run: %v %+v", err, reports)
	}
	if n := countValues(t, w, 2025); n != 1 {
		t.Errorf("%d values after fetching, want 1", n)
	}
	if _, err := r.RunJob(context.Background(), JobEcology); err == nil || !strings.Contains(err.Error(), "404 Not Found") {
		t.Errorf("missing URL: %v; want the server's answer", err)
	}
	if _, err := r.Fetch(context.Background(), "file:///etc/passwd", t.TempDir()); err == nil {
		t.Errorf("a file:// URL was fetched")
	}
}

// An upload lands under its base name only, whatever path it claims.
func TestUploadKeepsToTheInbox(t *testing.T) {
	inbox := t.TempDir()
	r, w := runnerFixture(t, []JobConfig{{Name: JobEconomy, Inbox: inbox}})
	rep, err := r.SaveUpload(context.Background(), JobEconomy, "../../etc/evil.csv", strings.NewReader("year,region_code,indicator,value\n2025,620000,gdp,1\n"))
	if err != nil || rep.Run.Status != warehouse.RunCommitted {
		t.Fatalf("upload: %v %+v", err, rep)
	}
	if _, err := os.Stat(filepath.Join(inbox, "done", "evil.csv")); err != nil {
		t.Errorf("upload not kept in the inbox: %v", err)
	}
	if n := countValues(t, w, 2025); n != 1 {
		t.Errorf("%d values after upload, want 1", n)
	}
	if _, err := r.SaveUpload(context.Background(), JobEconomy, "..", strings.NewReader("x")); err == nil {
		t.Errorf("an upload named .. was accepted")
	}
}

// A job whose URL source is no http(s) address is refused when the runner is made (at
// serve's start), not found out at its first scheduled fetch.
func TestRunnerRefusesAJobURLItCannotFetch(t *testing.T) {
	l := NewLoader(whtest.Open(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	for url, want := range map[string]string{
		"https://stats.example.test/gdp.csv": "",
		"htps://stats.example.test/gdp.csv":  `job economy: url: scheme "htps" is not http or https`,
		"https:///gdp.csv":                   "job economy: url has no host",
	} {
		_, err := NewRunner(l, "620000", nil, []JobConfig{{Name: JobEconomy, Inbox: t.TempDir(), URL: url}})
		switch {
		case want == "" && err != nil:
			t.Errorf("%s refused: %v", url, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s: %v, want an error saying %s", url, err, want)
		}
	}
}
