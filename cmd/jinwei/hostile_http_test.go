package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The bounds the hostile-request corpus holds a real `jinwei serve` to, whatever a client
// sends, signed in or not.
const (
	// hostileRSSGrowth is how much the server's resident memory may grow over its warmed-up
	// size during the whole corpus (bodies of hundreds of megabytes, thousands of clients).
	hostileRSSGrowth = 128 << 20
	// hostileTempBytes is how much its temporary folders may hold at any moment.
	hostileTempBytes = 1 << 20
	// hostileAnswer is how long any one hostile request may take to be answered or cut off:
	// the server's read-header deadline (10 s) plus slack for a loaded test machine.
	hostileAnswer = 20 * time.Second
	// hostileSlowBody is the same for a client trickling its body: the read deadline (30 s).
	hostileSlowBody = 40 * time.Second
	// hostileMetricsBytes bounds /metrics after every attack.
	hostileMetricsBytes = 256 << 10
	// promptAnswer is how long an ordinary request may wait while the attacks run.
	promptAnswer = 3 * time.Second
)

// hostileServer is a running `jinwei serve` under attack, with what it is watched by.
type hostileServer struct {
	addr             string
	pid              int
	tempDirs         []string
	peakRSS, baseRSS int64
	peakTemp         int64
	stop             chan struct{}
	wg               sync.WaitGroup
}

// rss reads a process's resident set size from /proc.
func rss(t *testing.T, pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("read the server's memory: %v", err)
	}
	m := regexp.MustCompile(`VmRSS:\s+(\d+) kB`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("no VmRSS in /proc/%d/status", pid)
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return kb << 10
}

// dirBytes is what the files under dir hold.
func dirBytes(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// watch samples the server's memory and temporary folders every 50 ms until stopped.
func (h *hostileServer) watch(t *testing.T) {
	h.stop = make(chan struct{})
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			if r := rss(t, h.pid); r > atomic.LoadInt64(&h.peakRSS) {
				atomic.StoreInt64(&h.peakRSS, r)
			}
			var tmp int64
			for _, d := range h.tempDirs {
				tmp += dirBytes(d)
			}
			if tmp > atomic.LoadInt64(&h.peakTemp) {
				atomic.StoreInt64(&h.peakTemp, tmp)
			}
			select {
			case <-h.stop:
				return
			case <-tick.C:
			}
		}
	}()
}

// exchange sends head, then body bytes (as fast as the server takes them, in a goroutine,
// so a server that stops reading is not waited for), and reads the answer's status; 0 means
// the server closed the connection without one. It returns how long the answer took.
func exchange(addr, head string, body int, limit time.Duration) (int, time.Duration, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close()
	start := time.Now()
	go func() {
		if _, err := io.WriteString(conn, head); err != nil {
			return
		}
		chunk := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
		for sent := 0; sent < body; sent += len(chunk) {
			if _, err := conn.Write(chunk[:min(len(chunk), body-sent)]); err != nil {
				return
			}
		}
	}()
	_ = conn.SetReadDeadline(time.Now().Add(limit))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return 0, time.Since(start), fmt.Errorf("no answer within %v", limit)
		}
		return 0, time.Since(start), nil // closed without an answer
	}
	res.Body.Close()
	return res.StatusCode, time.Since(start), nil
}

// hostileCase is one request of the corpus: its head, how many body bytes follow, and the
// answers allowed (0: the server may close the connection instead).
type hostileCase struct {
	name string
	head string
	body int
	want []int
}

func randomToken(r *rand.Rand, n int) string {
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[r.IntN(len(letters))]
	}
	return string(b)
}

// hostileCorpus is the corpus: huge methods, lines and headers, and big bodies of every
// kind (declared, chunked, multipart, form) to every kind of route, without credentials
// and with the admin token.
func hostileCorpus(adminToken string) []hostileCase {
	r := rand.New(rand.NewPCG(14, 7))
	tooLarge := []int{http.StatusRequestHeaderFieldsTooLarge, 0}
	cases := []hostileCase{}
	for i := 0; i < 20; i++ {
		cases = append(cases, hostileCase{name: fmt.Sprintf("500 KB method %d", i),
			head: randomToken(r, 500<<10) + " / HTTP/1.1\r\nHost: jinwei\r\n\r\n", want: tooLarge})
	}
	for i := 0; i < 100; i++ {
		cases = append(cases, hostileCase{name: fmt.Sprintf("made-up method and path %d", i),
			head: randomToken(r, 32) + " /" + randomToken(r, 2000) + " HTTP/1.1\r\nHost: jinwei\r\n\r\n",
			want: []int{http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusBadRequest}}) // 400: no CSRF token
	}
	cases = append(cases,
		hostileCase{name: "1 MB header", head: "GET /healthz HTTP/1.1\r\nHost: jinwei\r\nX-Big: " + strings.Repeat("a", 1<<20) + "\r\n\r\n", want: tooLarge},
		hostileCase{name: "20,000 headers", head: "GET /healthz HTTP/1.1\r\nHost: jinwei\r\n" + strings.Repeat("X-A: b\r\n", 20000) + "\r\n", want: tooLarge},
		hostileCase{name: "1 MB URL", head: "GET /" + strings.Repeat("a", 1<<20) + " HTTP/1.1\r\nHost: jinwei\r\n\r\n", want: tooLarge},
		hostileCase{name: "1 MB cookie", head: "GET /ranking HTTP/1.1\r\nHost: jinwei\r\nCookie: jinwei_session=" + strings.Repeat("a", 1<<20) + "\r\n\r\n", want: tooLarge},
	)
	routes := []string{"POST /login", "POST /logout", "POST /api/sql", "POST /api/sql/export", "POST /api/sql/saved",
		"POST /api/admin/jobs/economy/upload", "POST /api/admin/jobs/economy/run", "POST /api/admin/backup",
		"POST /no/such/route", "GET /ranking", "GET /static/echarts.min.js", "GET /metrics", "PUT /healthz"}
	const boundary = "hostile"
	multipartStart := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n\r\n"
	for _, route := range routes {
		head := route + " HTTP/1.1\r\nHost: jinwei\r\n"
		mp := "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
		form := "Content-Type: application/x-www-form-urlencoded\r\n"
		upload := strings.HasSuffix(route, "/upload")
		cases = append(cases,
			// Declared larger than any route takes: refused before a byte is read.
			hostileCase{name: route + ": 1 GB multipart", head: head + mp + "Content-Length: 1073741824\r\n\r\n" + multipartStart, body: 64 << 20,
				want: []int{http.StatusRequestEntityTooLarge}},
			hostileCase{name: route + ": 1 GB form", head: head + form + "Content-Length: 1073741824\r\n\r\n_csrf=", body: 64 << 20,
				want: []int{http.StatusRequestEntityTooLarge}},
		)
		// Chunked, so no size is declared: multipart is refused outside uploads; an upload
		// without the admin token is refused before its body is read.
		chunked := hostileCase{name: route + ": chunked multipart", head: head + mp + "Transfer-Encoding: chunked\r\n\r\n4000000\r\n" + multipartStart,
			body: 64 << 20, want: []int{http.StatusUnsupportedMediaType}}
		if upload {
			chunked.want = []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden}
		}
		cases = append(cases, chunked)
		// A chunked form of 48 MB: read up to the 1 MiB limit by the routes that read forms,
		// or not at all by those that do not; never stored.
		cases = append(cases, hostileCase{name: route + ": chunked 48 MB form", head: head + form + "Transfer-Encoding: chunked\r\n\r\n3000000\r\n_csrf=",
			body: 48 << 20, want: []int{http.StatusRequestEntityTooLarge, http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden,
				http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusOK, http.StatusSeeOther, 0}})
	}
	// Holding the admin token changes nothing: the upload's limit holds, and multipart goes
	// nowhere but the upload.
	bearer := "Authorization: Bearer " + adminToken + "\r\n"
	cases = append(cases,
		hostileCase{name: "admin: 1 GB upload", head: "POST /api/admin/jobs/economy/upload?name=big.csv HTTP/1.1\r\nHost: jinwei\r\n" + bearer +
			"Content-Length: 1073741824\r\n\r\n", body: 64 << 20, want: []int{http.StatusRequestEntityTooLarge}},
		hostileCase{name: "admin: chunked multipart to the SQL API", head: "POST /api/sql HTTP/1.1\r\nHost: jinwei\r\n" + bearer +
			"Content-Type: multipart/form-data; boundary=" + boundary + "\r\nTransfer-Encoding: chunked\r\n\r\n4000000\r\n" + multipartStart,
			body: 64 << 20, want: []int{http.StatusUnsupportedMediaType}},
		hostileCase{name: "admin: 1 GB backup request", head: "POST /api/admin/backup?dir=b HTTP/1.1\r\nHost: jinwei\r\n" + bearer +
			"Content-Length: 1073741824\r\n\r\n", body: 64 << 20, want: []int{http.StatusRequestEntityTooLarge}},
	)
	return cases
}

// promptly fails the test unless an ordinary request is answered within promptAnswer.
func promptly(t *testing.T, addr, when string) {
	t.Helper()
	c := &http.Client{Timeout: promptAnswer}
	res, err := c.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Errorf("%s: /healthz: %v", when, err)
		return
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("%s: /healthz answered %d", when, res.StatusCode)
	}
}

// A hostile-request corpus against a real `jinwei serve` on a loopback port: huge methods,
// request lines and headers, big bodies of every kind to every kind of route, slow clients
// and many clients. Each request is answered (or cut off) in bounded time, the server's
// memory and temporary folders stay within stated bounds throughout, ordinary requests are
// answered meanwhile, and /metrics stays small.
func TestHostileRequestsStayWithinBounds(t *testing.T) {
	t.Parallel()
	sysTmp := t.TempDir()
	p := newProcEnv(t, "JINWEI_LOAD_DEMO=false", "TMPDIR="+sysTmp)
	cmd, info, _ := p.serve(t)
	h := &hostileServer{addr: info.Addr, pid: cmd.Process.Pid, tempDirs: []string{sysTmp, filepath.Join(p.dataDir, tempDirName)}}
	// Warm up: the pages, the engine and the Go heap as an ordinary visitor finds them.
	for _, path := range []string{"/healthz", "/ranking", "/api/ranking", "/login", "/metrics", "/static/echarts.min.js"} {
		if res, err := http.Get("http://" + h.addr + path); err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	}
	h.baseRSS = rss(t, h.pid)
	h.watch(t)
	corpusStart := time.Now()

	// 1. The corpus, four requests at a time.
	cases := hostileCorpus(info.Token)
	var slowest time.Duration
	var mu sync.Mutex
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, c := range cases {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			status, took, err := exchange(h.addr, c.head, c.body, hostileAnswer)
			mu.Lock()
			defer mu.Unlock()
			slowest = max(slowest, took)
			switch {
			case err != nil:
				t.Errorf("%s: %v", c.name, err)
			case !slices.Contains(c.want, status):
				t.Errorf("%s: answered %d, want one of %v", c.name, status, c.want)
			}
		}()
	}
	wg.Wait()
	promptly(t, h.addr, "after the corpus")
	t.Logf("corpus: %d requests in %v, slowest answer %v", len(cases), time.Since(corpusStart).Round(time.Millisecond), slowest.Round(time.Millisecond))

	// 2. Slow clients: 100 trickle their headers, 40 their bodies, a byte every 500 ms. Each
	// is cut off by the server's deadlines while ordinary requests are answered.
	slowStart := time.Now()
	var cut, notCut atomic.Int32
	var slowWG sync.WaitGroup
	trickle := func(head, slow string, limit time.Duration) {
		defer slowWG.Done()
		conn, err := net.Dial("tcp", h.addr)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		io.WriteString(conn, head)
		closed := make(chan struct{})
		go func() {
			_ = conn.SetReadDeadline(time.Now().Add(limit))
			_, _ = io.Copy(io.Discard, conn)
			close(closed)
		}()
		for i := 0; i < len(slow); i++ {
			select {
			case <-closed:
			case <-time.After(500 * time.Millisecond):
				if _, err := conn.Write([]byte{slow[i]}); err == nil {
					continue
				}
			}
			break
		}
		<-closed
		if time.Since(slowStart) < limit {
			cut.Add(1)
		} else {
			notCut.Add(1)
		}
	}
	for i := 0; i < 100; i++ {
		slowWG.Add(1)
		go trickle("GET /healthz HTTP/1.1\r\nHost: jinwei\r\n", "X-Slow: "+strings.Repeat("a", 200)+"\r\n\r\n", hostileAnswer)
	}
	for i := 0; i < 20; i++ {
		slowWG.Add(1)
		go trickle("POST /login HTTP/1.1\r\nHost: jinwei\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n",
			strings.Repeat("a", 200), hostileSlowBody)
	}
	// The upload route's longer deadlines are for callers allowed to upload only.
	for i := 0; i < 20; i++ {
		slowWG.Add(1)
		go trickle("POST /api/admin/jobs/economy/upload?name=x.csv HTTP/1.1\r\nHost: jinwei\r\nContent-Length: 200\r\n\r\n",
			strings.Repeat("a", 200), hostileSlowBody)
	}
	time.Sleep(time.Second)
	promptly(t, h.addr, "during 140 slow clients")
	slowWG.Wait()
	if notCut.Load() > 0 {
		t.Errorf("%d of 140 slow clients were not cut off in time", notCut.Load())
	}
	t.Logf("slow clients: %d cut off, the last after %v", cut.Load(), time.Since(slowStart).Round(time.Millisecond))

	// 3. Many clients: 2,000 connections opened and left silent, while 32 clients make 50
	// ordinary requests each.
	manyStart := time.Now()
	var idle []net.Conn
	for i := 0; i < 2000; i++ {
		conn, err := net.Dial("tcp", h.addr)
		if err != nil {
			t.Errorf("connection %d: %v", i, err)
			break
		}
		idle = append(idle, conn)
	}
	var busyWG sync.WaitGroup
	var failed atomic.Int32
	for i := 0; i < 32; i++ {
		busyWG.Add(1)
		go func() {
			defer busyWG.Done()
			c := &http.Client{Timeout: hostileAnswer}
			for j := 0; j < 50; j++ {
				res, err := c.Get("http://" + h.addr + "/login")
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					failed.Add(1)
				}
			}
		}()
	}
	busyWG.Wait()
	if failed.Load() > 0 {
		t.Errorf("%d of 1,600 ordinary requests failed beside 2,000 silent connections", failed.Load())
	}
	stillOpen := 0
	for _, conn := range idle {
		_ = conn.SetReadDeadline(time.Now().Add(hostileAnswer))
		if _, err := conn.Read(make([]byte, 1)); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				stillOpen++
			}
		}
		conn.Close()
	}
	if stillOpen > 0 {
		t.Errorf("%d silent connections were still open after %v", stillOpen, hostileAnswer)
	}
	t.Logf("many clients: 2,000 silent connections closed by the server, 1,600 requests beside them, in %v", time.Since(manyStart).Round(time.Millisecond))

	close(h.stop)
	h.wg.Wait()
	res, err := http.Get("http://" + h.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	series := regexp.MustCompile(`(?m)^jinwei_http_request_duration_seconds_count\{`).FindAll(metrics, -1)
	t.Logf("bounds: RSS %d MiB warmed up, peak %d MiB (growth %d MiB, bound %d); temporary folders peak %d bytes (bound %d); /metrics %d bytes, %d request series",
		h.baseRSS>>20, h.peakRSS>>20, (h.peakRSS-h.baseRSS)>>20, hostileRSSGrowth>>20, h.peakTemp, hostileTempBytes, len(metrics), len(series))
	if h.peakRSS-h.baseRSS > hostileRSSGrowth {
		t.Errorf("the server's memory grew by %d MiB; the bound is %d MiB", (h.peakRSS-h.baseRSS)>>20, hostileRSSGrowth>>20)
	}
	if h.peakTemp > hostileTempBytes {
		t.Errorf("the temporary folders held %d bytes; the bound is %d", h.peakTemp, hostileTempBytes)
	}
	if len(metrics) > hostileMetricsBytes || len(series) > 40 {
		t.Errorf("/metrics is %d bytes with %d request series; want at most %d bytes and 40 series", len(metrics), len(series), hostileMetricsBytes)
	}
	for _, d := range h.tempDirs {
		if n := dirBytes(d); n > 0 {
			t.Errorf("%s holds %d bytes after the attacks", d, n)
		}
	}
}
