package dashboard_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"jinwei/dashboard"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// uploadJobs is an ETL that takes uploads and notes, while it reads one, which files the
// system's temporary directory holds.
type uploadJobs struct {
	got     []byte
	name    string
	tmpSeen []string
}

func (j *uploadJobs) RunJob(context.Context, string) ([]dashboard.JobResult, error) { return nil, nil }
func (j *uploadJobs) InFlight() []warehouse.Run                                     { return nil }
func (j *uploadJobs) Schedules(time.Time) []dashboard.JobSchedule                   { return nil }
func (j *uploadJobs) Stage(context.Context, string, string, io.Reader) (dashboard.StagedUpload, error) {
	return dashboard.StagedUpload{}, errors.New("uploadJobs previews nothing")
}
func (j *uploadJobs) PreviewStaged(context.Context, string, string) (dashboard.StagedUpload, error) {
	return dashboard.StagedUpload{}, errors.New("uploadJobs stages nothing")
}
func (j *uploadJobs) LoadStaged(context.Context, string, string) (dashboard.JobResult, error) {
	return dashboard.JobResult{}, errors.New("uploadJobs stages nothing")
}
func (j *uploadJobs) Upload(_ context.Context, job, name string, body io.Reader) (dashboard.JobResult, error) {
	var err error
	j.name = name
	if j.got, err = io.ReadAll(body); err != nil {
		return dashboard.JobResult{}, err
	}
	j.tmpSeen = tempFiles(nil)
	return dashboard.JobResult{Run: warehouse.Run{ID: "run-1", Job: job, FilePath: name, Status: warehouse.RunCommitted}}, nil
}

// tempFiles lists what the (test's own) system temporary directory holds.
func tempFiles(t *testing.T) []string {
	ents, err := os.ReadDir(os.TempDir())
	if err != nil && t != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

type limitsFixture struct {
	srv     *httptest.Server
	jobs    *uploadJobs
	metrics *dashboard.Metrics
}

// newLimitsServer serves the dashboard over an empty warehouse in demo mode, with metrics,
// the admin token and an ETL that takes uploads; the system's temporary directory is the
// test's own, so that files a request leaves there are seen.
func newLimitsServer(t *testing.T) *limitsFixture {
	t.Helper()
	w := whtest.Open(t)
	t.Setenv("TMPDIR", t.TempDir())
	f := &limitsFixture{jobs: &uploadJobs{}, metrics: dashboard.NewMetrics(nil)}
	app, err := dashboard.New(dashboard.Config{HomeRegion: "620000", Metrics: f.metrics, AdminToken: "cli-token", Jobs: f.jobs},
		w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(app)
	t.Cleanup(f.srv.Close)
	return f
}

func randomWord(r *rand.Rand, n int) string {
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[r.IntN(len(letters))]
	}
	return string(b)
}

var requestSeries = regexp.MustCompile(`(?m)^jinwei_http_request_duration_seconds_count\{(.*)\} `)

// Many requests with huge random methods and random paths leave /metrics small: a method,
// route or status a client makes up is counted as "other", never kept as a label.
func TestMetricsLabelsAreAClosedSet(t *testing.T) {
	f := newLimitsServer(t)
	r := rand.New(rand.NewPCG(14, 1))
	for i := 0; i < 40; i++ {
		// 500 KB methods as in the report: under Go's default header limit, which the test
		// server keeps, so they reach the handlers.
		method := randomWord(r, 500<<10)
		if i%2 == 0 {
			method = randomWord(r, 16)
		}
		req, err := http.NewRequest(method, f.srv.URL+"/"+randomWord(r, 200)+"/"+randomWord(r, 8), nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	for _, p := range []string{"/healthz", "/healthz", "/api/ecology/items/A-1", "/api/ecology/items/B-2"} {
		get(t, f.srv.URL+p)
	}
	code, body, _ := get(t, f.srv.URL+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d", code)
	}
	if len(body) > 256<<10 {
		t.Errorf("/metrics is %d bytes after 40 made-up requests; want a bounded page", len(body))
	}
	series := requestSeries.FindAllStringSubmatch(body, -1)
	if len(series) > 6 {
		t.Errorf("%d request series; want a handful: %v", len(series), series)
	}
	for _, want := range []string{
		`method="other",route="other",status="4xx"} 40`,
		`method="GET",route="/healthz",status="2xx"} 2`,
		`method="GET",route="/api/ecology/items/:id",status="`,
	} {
		if !strings.Contains(body, "jinwei_http_request_duration_seconds_count{"+want) {
			t.Errorf("metrics lack %s; series: %v", want, series)
		}
	}
}

// rawRequest sends head and then up to bodyBytes of body (a multipart file part) on a
// plain connection without waiting for the server to read it, and returns the status the
// server answers with and the temporary files that exist while the connection is open.
func rawRequest(t *testing.T, base, head string, bodyBytes int) (int, []string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	go func() {
		// The server may stop reading (and close) at any point: errors end the sending.
		chunk := bytes.Repeat([]byte("x"), 1<<20)
		for sent := 0; sent < bodyBytes; sent += len(chunk) {
			if _, err := conn.Write(chunk); err != nil {
				return
			}
		}
	}()
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, tempFiles(t)
	}
	res.Body.Close()
	return res.StatusCode, tempFiles(t)
}

// A big multipart POST to the sign-in form, a missing route, the SQL API, a page or an upload
// without the token is refused by its declared size (413) or as multipart where no upload
// goes (415), before anything parses it: no file appears in the temporary directory while
// the connection is open.
func TestBodyLimitsAndMultipartOnlyOnUploads(t *testing.T) {
	f := newLimitsServer(t)
	const boundary = "jinweiBoundary"
	multipartHead := func(method, path string, length int64) string {
		cl := "Transfer-Encoding: chunked\r\n"
		if length >= 0 {
			cl = fmt.Sprintf("Content-Length: %d\r\n", length)
		}
		return method + " " + path + " HTTP/1.1\r\nHost: jinwei\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\n" + cl + "\r\n" +
			"--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"; filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
	}
	cases := []struct {
		name   string
		head   string
		status int
	}{
		{"200 MB to sign-in", multipartHead("POST", "/login", 200<<20), http.StatusRequestEntityTooLarge},
		{"200 MB to a missing route", multipartHead("POST", "/no/such/route", 200<<20), http.StatusRequestEntityTooLarge},
		{"200 MB to the SQL API", multipartHead("POST", "/api/sql", 200<<20), http.StatusRequestEntityTooLarge},
		{"200 MB with a page view", multipartHead("GET", "/ranking", 200<<20), http.StatusRequestEntityTooLarge},
		{"1 GB to the upload route", multipartHead("POST", "/api/admin/jobs/economy/upload", 1<<30), http.StatusRequestEntityTooLarge},
		{"chunked multipart to sign-in", multipartHead("POST", "/login", -1), http.StatusUnsupportedMediaType},
		{"chunked multipart to a missing route", multipartHead("POST", "/no/such/route", -1), http.StatusUnsupportedMediaType},
	}
	for _, c := range cases {
		status, tmp := rawRequest(t, f.srv.URL, c.head, 48<<20)
		if status != c.status {
			t.Errorf("%s: status %d, want %d", c.name, status, c.status)
		}
		if len(tmp) > 0 {
			t.Errorf("%s: the temporary directory holds %v while the connection is open", c.name, tmp)
		}
	}

	// A chunked form body passing the limit is cut at it: 413, whoever read it.
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/login", io.MultiReader(strings.NewReader("user=a&password="), strings.NewReader(strings.Repeat("p", 3<<20))))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.ContentLength = -1
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("3 MB chunked sign-in form: %d, want 413", res.StatusCode)
	}
}

// The upload route takes a multipart file as a stream of parts: a 40 MB file (above the
// 32 MB that Go's form parser keeps in memory) reaches the ETL whole, and no temporary file
// holds it meanwhile.
func TestUploadStreamsMultipartWithoutTemporaryFiles(t *testing.T) {
	f := newLimitsServer(t)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "gdp.csv")
	if err != nil {
		t.Fatal(err)
	}
	content := bytes.Repeat([]byte("620000,2024,gdp,12345.6\n"), (40<<20)/24)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/api/admin/jobs/economy/upload", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer cli-token")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("upload: %d %s", res.StatusCode, out)
	}
	if f.jobs.name != "gdp.csv" || !bytes.Equal(f.jobs.got, content) {
		t.Errorf("the ETL got %q, %d bytes; want gdp.csv, %d bytes", f.jobs.name, len(f.jobs.got), len(content))
	}
	if len(f.jobs.tmpSeen) > 0 {
		t.Errorf("the temporary directory held %v during the upload", f.jobs.tmpSeen)
	}
}

// A slowloris client trickling its headers, or its body, is cut off by the server's
// deadlines; one that sends its request at once is answered.
func TestSlowClientsAreCutOff(t *testing.T) {
	w := whtest.Open(t)
	app, err := dashboard.New(dashboard.Config{HomeRegion: "620000"}, w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := dashboard.NewHTTPServer(app, dashboard.Timeouts{ReadHeader: 500 * time.Millisecond, Read: time.Second, Write: 5 * time.Second, Idle: time.Second}, context.Background())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	addr := ln.Addr().String()

	trickle := func(name, head, slow string) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		io.WriteString(conn, head)
		start := time.Now()
		for i := 0; i < len(slow); i++ {
			if _, err := conn.Write([]byte{slow[i]}); err != nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
			if time.Since(start) > 20*time.Second {
				t.Fatalf("%s: still connected after 20 s", name)
			}
		}
		// Whatever the server answered (nothing, or 408), it then closes the connection.
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.Copy(io.Discard, conn); err != nil {
			t.Errorf("%s: the server did not close the connection: %v", name, err)
		}
	}
	trickle("slow headers", "GET /healthz HTTP/1.1\r\nHost: jinwei\r\n", "X-Slow: "+strings.Repeat("a", 300)+"\r\n\r\n")
	trickle("slow body", "POST /login HTTP/1.1\r\nHost: jinwei\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 300\r\n\r\n", strings.Repeat("a", 300))

	res, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("a prompt client: %d", res.StatusCode)
	}
}

// Routes that take longer than the server's write deadline (exports, uploads, job runs)
// extend their own, but only for a caller allowed the route: with a server deadline already
// past, the job run's answer arrives for the admin token, and is lost for a caller without
// it, as an ordinary route's is.
func TestLongRoutesExtendTheirWriteDeadlineForAllowedCallers(t *testing.T) {
	w := whtest.Open(t)
	app, err := dashboard.New(dashboard.Config{HomeRegion: "620000", AdminToken: "cli-token", Jobs: &uploadJobs{}}, w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := dashboard.NewHTTPServer(app, dashboard.Timeouts{ReadHeader: 5 * time.Second, Read: 5 * time.Second, Write: time.Nanosecond, Idle: time.Second}, context.Background())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	base := "http://" + ln.Addr().String()
	run := func(token string) (*http.Response, error) {
		req, _ := http.NewRequest(http.MethodPost, base+"/api/admin/jobs/economy/run", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return http.DefaultClient.Do(req)
	}
	if res, err := http.Get(base + "/healthz"); err == nil {
		res.Body.Close()
		t.Errorf("/healthz answered %d past the server's write deadline", res.StatusCode)
	}
	if res, err := run(""); err == nil {
		res.Body.Close()
		t.Errorf("a job run without the token was answered %d past the server's write deadline", res.StatusCode)
	}
	res, err := run("cli-token")
	if err != nil {
		t.Fatalf("the admin's job run lost its answer: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("the admin's job run: %d", res.StatusCode)
	}
}
