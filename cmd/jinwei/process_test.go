package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// procEnv is a test's setting for running jinwei as separate processes: the binary, a work
// folder, a data directory in it, and an environment pointing at the demo data. Nothing in
// it is shared, so the tests that use it run side by side (t.Parallel): most of their time
// is spent waiting on a process (a slow client cut off after 30 s, a kill and a restart).
type procEnv struct {
	bin, dir, dataDir string
	env               []string
}

func newProcEnv(t *testing.T, extraEnv ...string) *procEnv {
	t.Helper()
	dir := t.TempDir()
	demo, _ := filepath.Abs(filepath.Join("..", "..", "data"))
	env := append(os.Environ(), runAsJinwei, "JINWEI_DEMO_DIR="+demo, "JINWEI_SOURCES_DIR="+filepath.Join(demo, "sources"))
	return &procEnv{bin: testBinary(t), dir: dir, dataDir: filepath.Join(dir, "wh"), env: append(env, extraEnv...)}
}

// path is a path as jinwei sees it from its working folder, p.dir.
func (p *procEnv) path(name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(p.dir, name)
}

// command is jinwei with args and the data directory, ready to start.
func (p *procEnv) command(args ...string) *exec.Cmd {
	c := exec.Command(p.bin, append(args, "--data-dir", p.dataDir)...)
	c.Dir, c.Env = p.dir, p.env
	return c
}

// run runs a jinwei command to its end, failing the test if it fails.
func (p *procEnv) run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := p.command(args...).CombinedOutput()
	if err != nil {
		t.Fatalf("jinwei %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// serve starts `jinwei serve` and waits until it has written its serve info; the returned
// channel gets its exit. It is stopped with SIGTERM when the test ends, and waited for.
func (p *procEnv) serve(t *testing.T, args ...string) (*exec.Cmd, serveInfo, <-chan error) {
	t.Helper()
	return p.serveTo(t, nil, args...)
}

// serveTo is serve with the process's output (stdout and stderr) written to out.
func (p *procEnv) serveTo(t *testing.T, out io.Writer, args ...string) (*exec.Cmd, serveInfo, <-chan error) {
	t.Helper()
	c := p.command(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	// The end of its output says why, if serve stops before it answers.
	last := &tail{}
	var w io.Writer = last
	if out != nil {
		w = io.MultiWriter(out, last)
	}
	// One writer for both, so that exec copies them through one pipe, in order.
	c.Stdout, c.Stderr = w, w
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	exited, done := make(chan error, 1), make(chan struct{})
	go func() { exited <- c.Wait(); close(done) }()
	// The process must be gone before the test's temporary folder is removed: an engine
	// still merging parts there fails that removal ("directory not empty").
	t.Cleanup(func() {
		_ = c.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(time.Minute):
			_ = c.Process.Kill()
			<-done
		}
	})
	// serve migrates and loads the demo before it answers: minutes on a busy 2-core machine.
	deadline := time.Now().Add(5 * time.Minute)
	for {
		info, err := readServeInfo(p.path(p.dataDir))
		if err == nil {
			return c, info, exited
		}
		select {
		case <-done:
			// Waiting out the deadline for a process that is gone only hides why.
			t.Fatalf("serve stopped before it answered (%v):\n%s", c.ProcessState, last)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve never started: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// tail keeps the last 4 KB or so written to it, from a line's start.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (w *tail) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, b...)
	if over := len(w.buf) - 4096; over > 0 {
		// Cut at a line's end, not inside a line (or a character).
		if nl := bytes.IndexByte(w.buf[over:], '\n'); nl >= 0 {
			over += nl + 1
		}
		w.buf = append(w.buf[:0], w.buf[over:]...)
	}
	return len(b), nil
}

func (w *tail) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.buf)
}

// waitForBatches returns once the warehouse's spool has seen n insert files come and go:
// the load is then inserting.
func (p *procEnv) waitForBatches(t *testing.T, n int) {
	t.Helper()
	spool := filepath.Join(p.path(p.dataDir), "jinwei_spool")
	seen := map[string]bool{}
	deadline := time.Now().Add(3 * time.Minute) // generous for a busy machine
	for len(seen) < n && time.Now().Before(deadline) {
		entries, _ := os.ReadDir(spool)
		for _, e := range entries {
			seen[e.Name()] = true
		}
		time.Sleep(time.Millisecond)
	}
	if len(seen) < n {
		t.Fatalf("the load never inserted %d batches", n)
	}
}

// runMeasured runs c to its end and returns its output and the most memory it held, in MB:
// the high-water mark of its own memory (VmHWM), read while it runs. The rusage of a child
// counts its parent's too: os/exec starts it sharing the parent's memory until the exec,
// and Linux keeps that mark (a command of 30 MB read as 533 in a test process grown so).
func runMeasured(c *exec.Cmd) (out []byte, peakMB int64, err error) {
	var b bytes.Buffer
	c.Stdout, c.Stderr = &b, &b
	if err := c.Start(); err != nil {
		return nil, 0, err
	}
	var peakKB atomic.Int64
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		status := fmt.Sprintf("/proc/%d/status", c.Process.Pid)
		for {
			if data, err := os.ReadFile(status); err == nil {
				if _, rest, ok := bytes.Cut(data, []byte("VmHWM:")); ok {
					if kb, err := strconv.ParseInt(string(bytes.Fields(rest)[0]), 10, 64); err == nil && kb > peakKB.Load() {
						peakKB.Store(kb)
					}
				}
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	err = c.Wait()
	close(done)
	<-stopped
	return b.Bytes(), peakKB.Load() >> 10, err
}
