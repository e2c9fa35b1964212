package chdb

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"jinwei/warehouse/ch"
)

// adhocGuard runs guarded statements of an embedded warehouse in a worker process (see
// adhoc_worker.go). The server's own engine still parses each statement (the formatter, the
// parse tree, the table list: a few milliseconds each, between dashboard queries); the
// worker runs it, on a snapshot of the data as of the data version it was started at, and
// is started again on a new snapshot once the data has changed. One statement runs on the
// worker at a time; others wait for it, not the dashboards.
type adhocGuard struct {
	e       *Engine // the server's engine: the parser and the catalogue
	exe     string  // the program a worker runs (the binary itself)
	libs    []string
	version func() uint64 // the warehouse's data version

	turn chan struct{} // held by the statement on the worker

	mu     sync.Mutex // guards w and closed
	w      *adhocWorker
	closed bool
}

var _ ch.GuardEngine = (*adhocGuard)(nil)

// NewWorkerGuard runs guarded statements of e's database in a worker process of their own
// (the program exe, whose main calls RunWorker when IsWorker), on a snapshot of the data taken
// at the data version version returns.
func NewWorkerGuard(e *Engine, exe string, libs []string, version func() uint64) ch.GuardEngine {
	// The worker runs in its snapshot's folder: a library named relative to this process's
	// folder must be named whole.
	libs = slices.Clone(libs)
	for i, l := range libs {
		if a, err := filepath.Abs(l); err == nil && l != "" {
			libs[i] = a
		}
	}
	return &adhocGuard{e: e, exe: exe, libs: libs, version: version, turn: make(chan struct{}, 1)}
}

// hardStop is when a statement's worker is ended, counted from the statement's start, if
// the engine has not stopped it at its own time limit: a quarter as long again, so a
// statement ends within twice its limit whatever it computes, also on a busy machine. (A
// worker is started again at once after that, in the background, so the next statement
// seldom waits for one.)
func hardStop(limit time.Duration) time.Duration { return limit + limit/4 }

func (g *adhocGuard) Guarded(ctx context.Context, fn func(s ch.Session) error) error {
	select {
	case g.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-g.turn }()
	begun := time.Now()
	parse := func(stmt string, params ch.Params) (*ch.Result, error) { return g.e.Query(ctx, stmt, params) }
	// The guard tells the limits (Session.Limits) before it runs anything on the worker.
	var limit time.Duration
	var maxBytes int64
	s := ch.Session{
		Parse: parse, Tables: parse,
		Limits: func(d time.Duration, b int64) { limit, maxBytes = d, b },
		Run: func(stmt string, _ ch.Params) (*ch.Result, error) {
			var res *ch.Result
			err := g.onWorker(ctx, workerRequest{Stmt: stmt, Whole: true, MaxBytes: maxBytes}, begun, hardStop(limit), func(kind byte, payload []byte) error {
				var err error
				res, err = ch.DecodeJSONCompact(payload)
				return err
			})
			return res, err
		},
		Stream: func(stmt string, each ch.ChunkFunc) error {
			return g.onWorker(ctx, workerRequest{Stmt: stmt, MaxBytes: maxBytes}, begun, hardStop(limit), func(_ byte, payload []byte) error {
				cols, rows, err := ch.DecodeRowsChunk(payload)
				if err != nil {
					return err
				}
				return each(cols, rows)
			})
		},
	}
	return fn(s)
}

// onWorker runs stmt on a worker of the current data version and hands each chunk (or the
// whole result) to each. The worker is ended when ctx ends, when each fails, or at stop;
// when each has what it needs (ch.ErrStopStream) the rest of the answer is read and dropped
// (the guard's LIMIT keeps it short) so the worker can serve the next statement.
func (g *adhocGuard) onWorker(ctx context.Context, req workerRequest, begun time.Time, stop time.Duration, each func(kind byte, payload []byte) error) error {
	starting := time.Now()
	w, err := g.worker(ctx)
	if err != nil {
		return err
	}
	// The statement's time runs from when it was handed to the guard (its checks on the
	// server's engine count), less the time a worker took to start.
	deadline := begun.Add(stop + time.Since(starting))
	var timedOut atomic.Bool
	timer := time.AfterFunc(time.Until(deadline), func() { timedOut.Store(true); w.kill() })
	defer timer.Stop()
	err = w.run(ctx, req, each)
	switch {
	case err == nil || errors.Is(err, ch.ErrStopStream):
		return nil
	case timedOut.Load():
		g.drop(w)
		// Named as the engine names its own time-out, so the guard reads it as the time limit.
		return &ch.EngineError{Message: "the statement ran on past its time limit and was stopped (TIMEOUT_EXCEEDED)"}
	case w.killed.Load() || errors.Is(err, errWorkerBroken):
		g.drop(w) // ended, or its answers can no longer be trusted to line up
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// errWorkerBroken marks a worker that can serve no further statement.
var errWorkerBroken = errors.New("the ad hoc SQL worker is gone")

// stopGrace is how long a worker told to stop a statement has to do so before it is ended:
// one producing rows stops at its next chunk; one that produces none (an aggregation)
// cannot stop before its end, and its worker is ended.
const stopGrace = time.Second

// worker returns a worker on a snapshot of the current data, starting one when there is
// none or the data has changed since it started.
func (g *adhocGuard) worker(ctx context.Context) (*adhocWorker, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return nil, fmt.Errorf("embedded warehouse is closed")
	}
	v := g.version()
	if g.w != nil && g.w.version == v && !g.w.dead.Load() {
		return g.w, nil
	}
	if g.w != nil {
		g.w.close()
		g.w = nil
	}
	w, err := g.start(ctx, v)
	if err != nil {
		return nil, err
	}
	g.w = w
	return w, nil
}

// drop ends w and forgets it, and starts another in the background for the next statement.
func (g *adhocGuard) drop(w *adhocWorker) {
	g.mu.Lock()
	w.close()
	if g.w == w {
		g.w = nil
	}
	g.mu.Unlock()
	go func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.closed || g.w != nil {
			return
		}
		v := g.version()
		if w, err := g.start(context.Background(), v); err == nil {
			g.w = w
		} // else the next statement tries again, and reports why it cannot
	}()
}

// start snapshots the data directory, holding the server's connection meanwhile, and starts
// a worker on the snapshot.
func (g *adhocGuard) start(ctx context.Context, version uint64) (*adhocWorker, error) {
	c := g.e.c
	if c == nil {
		return nil, fmt.Errorf("embedded warehouse is closed")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	dir := filepath.Join(c.path, adhocDir, fmt.Sprintf("v%d-%s", version, hex.EncodeToString(b[:])))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("snapshot the warehouse for ad hoc SQL: %w", err)
	}
	c.mu.Lock()
	err := c.snapshotLocked(dir, g.e.db)
	c.mu.Unlock()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	w, err := startWorker(ctx, g.exe, g.libs, dir, g.e.db)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	w.version = version
	return w, nil
}

func (g *adhocGuard) CloseGuard() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	if g.w != nil {
		g.w.close()
		g.w = nil
	}
	return nil
}

// adhocWorker is one worker process and its snapshot.
type adhocWorker struct {
	cmd     *exec.Cmd
	dir     string
	version uint64
	req     io.WriteCloser
	stops   io.WriteCloser // request numbers to stop, a line each
	seq     uint64         // the number of the latest request
	killed  atomic.Bool
	ansFile *os.File // the answers' pipe, closed to stop a read at once
	ans     *bufio.Reader
	stderr  *tailBuffer
	dead    atomic.Bool
	once    sync.Once
}

// workerStart bounds how long a worker may take to open its snapshot.
const workerStart = time.Minute

func startWorker(ctx context.Context, exe string, libs []string, dir, db string) (*adhocWorker, error) {
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("start the ad hoc SQL worker: %w", err)
	}
	stopR, stopW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return nil, fmt.Errorf("start the ad hoc SQL worker: %w", err)
	}
	ansR, ansW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return nil, fmt.Errorf("start the ad hoc SQL worker: %w", err)
	}
	w := &adhocWorker{dir: dir, req: reqW, stops: stopW, ansFile: ansR, ans: bufio.NewReaderSize(ansR, 1<<20), stderr: &tailBuffer{max: 8 << 10}}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), workerEnv+"="+dir, workerLibEnv+"="+strings.Join(libs, string(filepath.ListSeparator)), workerDBEnv+"="+db)
	cmd.ExtraFiles = []*os.File{reqR, ansW, stopR}
	cmd.Stdout, cmd.Stderr = w.stderr, w.stderr
	cmd.Dir = dir
	cmd.SysProcAttr = workerProcAttr()
	w.cmd = cmd
	err = cmd.Start()
	reqR.Close()
	ansW.Close()
	stopR.Close()
	if err != nil {
		reqW.Close()
		stopW.Close()
		ansR.Close()
		return nil, fmt.Errorf("start the ad hoc SQL worker %s: %w", exe, err)
	}
	go func() {
		_ = cmd.Wait()
		w.dead.Store(true)
		ansR.Close()
	}()
	ready := make(chan error, 1)
	go func() {
		kind, payload, err := w.frame()
		switch {
		case err != nil:
			ready <- err
		case kind != frameReady:
			ready <- fmt.Errorf("%s", payload)
		default:
			ready <- nil
		}
	}()
	select {
	case err = <-ready:
	case <-time.After(workerStart):
		err = fmt.Errorf("it did not open its snapshot within %v", workerStart)
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		w.close()
		return nil, fmt.Errorf("start the ad hoc SQL worker: %w%s", err, w.stderr.note())
	}
	return w, nil
}

// run sends req and reads its answer into each, to the end. When ctx ends or each fails,
// the worker is told to stop the statement and the rest of its answer is read and dropped;
// a worker that has not answered within stopGrace is ended. ch.ErrStopStream from each (the
// row cap) only drops the rest: the guard's LIMIT keeps it short.
func (w *adhocWorker) run(ctx context.Context, req workerRequest, each func(kind byte, payload []byte) error) error {
	line, err := json.Marshal(req)
	if err != nil {
		return err
	}
	w.seq++
	seq := w.seq
	if _, err := w.req.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("%w: %v%s", errWorkerBroken, err, w.stderr.note())
	}
	var finished atomic.Bool
	defer finished.Store(true)
	var once sync.Once
	stopIt := func() {
		once.Do(func() {
			if _, err := fmt.Fprintf(w.stops, "%d\n", seq); err != nil {
				w.kill()
				return
			}
			time.AfterFunc(stopGrace, func() {
				if !finished.Load() {
					w.kill()
				}
			})
		})
	}
	unwatch := context.AfterFunc(ctx, stopIt)
	defer unwatch()
	var stopped error // why the rest of the answer is dropped
	for {
		kind, payload, err := w.frame()
		if err != nil {
			return fmt.Errorf("%w: %v%s", errWorkerBroken, err, w.stderr.note())
		}
		switch kind {
		case frameChunk, frameWhole:
			if stopped != nil || ctx.Err() != nil {
				continue
			}
			if err := each(kind, payload); errors.Is(err, ch.ErrStopStream) {
				stopped = err
			} else if err != nil {
				stopped = err
				stopIt()
			}
			if kind == frameWhole {
				return stopped
			}
		case frameDone:
			return stopped
		case frameError:
			if stopped != nil {
				return stopped
			}
			return &ch.EngineError{Message: string(payload)}
		case frameFail:
			if stopped != nil {
				return stopped
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("ad hoc SQL worker: %s", payload)
		default:
			return fmt.Errorf("%w: a frame of kind %q", errWorkerBroken, kind)
		}
	}
}

// frame reads one frame.
func (w *adhocWorker) frame() (byte, []byte, error) {
	var head [5]byte
	if _, err := io.ReadFull(w.ans, head[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(head[1:])
	if n > maxFrame {
		return 0, nil, fmt.Errorf("a frame of %d bytes", n)
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(w.ans, payload); err != nil {
		return 0, nil, err
	}
	return head[0], payload, nil
}

// kill ends the worker's process at once (its engine holds nothing the server needs) and
// closes its answers, so a read waiting for them returns now, not once the process is gone.
func (w *adhocWorker) kill() {
	w.killed.Store(true)
	if w.cmd.Process != nil {
		_ = w.cmd.Process.Kill()
	}
	_ = w.ansFile.Close()
}

// close ends the worker and removes its snapshot.
func (w *adhocWorker) close() {
	w.once.Do(func() {
		_ = w.req.Close()
		_ = w.stops.Close()
		w.kill()
		for i := 0; i < 100 && !w.dead.Load(); i++ {
			time.Sleep(10 * time.Millisecond)
		}
		_ = os.RemoveAll(w.dir)
	})
}

// tailBuffer keeps the last max bytes written to it: a worker's own messages, for errors.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

// note is the buffer's last line, as an addition to an error message.
func (t *tailBuffer) note() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimSpace(string(t.b))
	if s == "" {
		return ""
	}
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return " (the worker said: " + s + ")"
}
