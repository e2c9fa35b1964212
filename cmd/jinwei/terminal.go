package main

import (
	"io"
	"os"
	"sync"

	"github.com/mattn/go-isatty"
)

// terminal is standard output at a terminal, where a load's progress line is rewritten in
// place. Any other output, to standard output or through the log on standard error, first
// clears that line, so a log line never lands in the middle of it.
type terminal struct {
	mu    sync.Mutex
	out   io.Writer
	dirty bool // a progress line is on the screen
}

// clearLine is carriage return and "erase to the end of the line".
const clearLine = "\r\x1b[K"

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clearLocked()
	return t.out.Write(p)
}

// show replaces the progress line with text, leaving the cursor on it.
func (t *terminal) show(text string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.out, clearLine+text)
	t.dirty = true
}

func (t *terminal) clearLocked() {
	if t.dirty {
		_, _ = io.WriteString(t.out, clearLine)
		t.dirty = false
	}
}

// beside returns a writer for another stream that shares the screen (standard error),
// which clears the progress line before it writes.
func (t *terminal) beside(w io.Writer) io.Writer { return besideWriter{t, w} }

type besideWriter struct {
	t *terminal
	w io.Writer
}

func (b besideWriter) Write(p []byte) (int, error) {
	b.t.mu.Lock()
	defer b.t.mu.Unlock()
	b.t.clearLocked()
	return b.w.Write(p)
}

// newTerminal wraps standard output when it is a terminal; nil otherwise.
func newTerminal(f *os.File) *terminal {
	if !isatty.IsTerminal(f.Fd()) {
		return nil
	}
	return &terminal{out: f}
}
