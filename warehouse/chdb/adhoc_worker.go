package chdb

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"jinwei/warehouse/ch"
)

// Ad hoc SQL on the embedded engine runs in a worker: a child process with an engine of its
// own on a snapshot of the data directory (see adhocGuard). chDB serialises every statement
// of a process on one connection, so a statement that runs for half a minute in the
// server's process holds every dashboard's query behind it for as long; in a worker it holds
// only other ad hoc statements, and the server can end it by ending the process, which the
// engine's own time limit cannot always do (it is checked between blocks, and a block of
// rows that are each expensive, editDistance of long strings, outlives it).
//
// The worker is the jinwei binary itself (or a test binary) started with workerEnv set: its
// main calls RunWorker before anything else. It reads requests, one JSON object a line, on
// file descriptor 3, and answers in frames on descriptor 4: a byte that says what the frame
// is, the payload's length (4 bytes, big-endian) and the payload. Its standard output and
// error are the engine's, and are not read as answers.

const (
	// workerEnv names the snapshot directory a worker opens; set, the process is a worker.
	workerEnv = "JINWEI_SQL_WORKER"
	// workerLibEnv lists where libchdb.so may be (filepath.SplitList), as the server has it.
	workerLibEnv = "JINWEI_SQL_WORKER_LIB"
	// workerDBEnv is the warehouse's database.
	workerDBEnv = "JINWEI_SQL_WORKER_DB"
)

// Frame kinds.
const (
	frameReady = 'R' // the engine is open; empty
	frameChunk = 'C' // one chunk of a streamed statement's rows, in streamFormat
	frameWhole = 'W' // a whole result, JSONCompact
	frameDone  = 'D' // the statement ended cleanly; empty
	frameError = 'E' // the engine's error message
	frameFail  = 'F' // any other failure, as text
)

// workerNice is the worker's nice value: below the server's, for the dashboards.
const workerNice = 10

// maxFrame bounds one frame a worker sends: a chunk is a block of rows, which the engine
// keeps far below this unless its rows are huge, and then the result-size limit ends the
// statement first.
const maxFrame = 1 << 30

// workerRequest is one statement for the worker; its JSON is what the server writes to the
// worker process, not an API shape.
type workerRequest struct {
	Stmt string `json:"stmt"`
	// Whole asks for the result at once (SHOW, DESCRIBE, EXPLAIN, which chDB cannot stream).
	Whole bool `json:"whole,omitempty"`
	// MaxBytes bounds the result's text: past it the worker stops the statement and sends
	// no more of it, so a huge result never reaches the server's memory.
	MaxBytes int64 `json:"max_bytes,omitempty"`
}

// tooLarge is the engine's wording of a result past its size limit, which asLimitError
// reads as the "result size" limit.
const tooLarge = "the result passed the limit of %d bytes before it was sent (TOO_MANY_ROWS_OR_BYTES)"

// IsWorker says whether this process was started as an ad hoc SQL worker; its main must
// then call RunWorker and exit with its code.
func IsWorker() bool { return os.Getenv(workerEnv) != "" }

// RunWorker serves ad hoc statements on the snapshot named by the environment until its
// requests end, and returns the process's exit code.
func RunWorker() int {
	in, out, stops := os.NewFile(3, "requests"), os.NewFile(4, "answers"), os.NewFile(5, "stops")
	if in == nil || out == nil || stops == nil {
		fmt.Fprintln(os.Stderr, "jinwei: an ad hoc SQL worker needs its request, answer and stop pipes (descriptors 3, 4 and 5)")
		return 2
	}
	cur := &currentRequest{}
	go cur.watch(stops)
	lowerWorkerPriority()
	w := bufio.NewWriterSize(out, 1<<20)
	send := func(kind byte, payload []byte) error {
		var head [5]byte
		head[0] = kind
		binary.BigEndian.PutUint32(head[1:], uint32(len(payload)))
		if _, err := w.Write(head[:]); err != nil {
			return err
		}
		if _, err := w.Write(payload); err != nil {
			return err
		}
		if kind == frameChunk {
			return nil // flushed as the buffer fills, and at the end
		}
		return w.Flush()
	}
	e, err := Open(filepath.SplitList(os.Getenv(workerLibEnv)), os.Getenv(workerEnv), os.Getenv(workerDBEnv))
	if err != nil {
		_ = send(frameFail, []byte(err.Error()))
		return 1
	}
	defer e.Close()
	// Every statement runs in the warehouse's database.
	if err := e.c.runIn(e.db, "SELECT 1", "Null", nil, nil); err != nil {
		_ = send(frameFail, []byte(err.Error()))
		return 1
	}
	if err := send(frameReady, nil); err != nil {
		return 1
	}
	dec := json.NewDecoder(bufio.NewReader(in))
	for {
		ctx := cur.next()
		var req workerRequest
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return 0
			}
			_ = send(frameFail, []byte("read request: "+err.Error()))
			return 1
		}
		if err := e.serveRequest(ctx, req, send); err != nil {
			return 1 // the server has gone: nobody reads the answers
		}
	}
}

// serveRequest runs one statement and sends its answer; an error is a failure to send.
func (e *Engine) serveRequest(ctx context.Context, req workerRequest, send func(byte, []byte) error) error {
	var err error
	var sendErr error
	if req.Whole {
		var out []byte
		if err = e.c.runIn(e.db, req.Stmt, "JSONCompact", nil, &out); err == nil && (req.MaxBytes <= 0 || int64(len(out)) <= req.MaxBytes) {
			return send(frameWhole, out)
		}
		if req.MaxBytes > 0 && int64(len(out)) > req.MaxBytes {
			return send(frameError, []byte(fmt.Sprintf(tooLarge, req.MaxBytes)))
		}
	} else {
		var sent int64
		e.c.mu.Lock()
		err = e.c.streamRawLocked(ctx, req.Stmt, func(raw []byte) error {
			if sent += int64(len(raw)); req.MaxBytes > 0 && sent > req.MaxBytes {
				return &ch.EngineError{Message: fmt.Sprintf(tooLarge, req.MaxBytes)}
			}
			if sendErr = send(frameChunk, raw); sendErr != nil {
				return sendErr
			}
			return nil
		})
		e.c.mu.Unlock()
		if sendErr != nil {
			return sendErr
		}
		if err == nil {
			return send(frameDone, nil)
		}
	}
	var ee *ch.EngineError
	if errors.As(err, &ee) {
		return send(frameError, []byte(ee.Message))
	}
	return send(frameFail, []byte(err.Error()))
}

// currentRequest is the number of the request the worker serves and how to stop it: the
// server writes the number of a request to stop on the stop pipe, and a number that is not
// the current request's (one that has ended meanwhile) is ignored.
type currentRequest struct {
	mu     sync.Mutex
	seq    uint64
	cancel context.CancelFunc
}

// next starts the next request and returns its context.
func (c *currentRequest) next() context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancel != nil {
		c.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.seq++
	c.cancel = cancel
	return ctx
}

// watch reads request numbers to stop until the pipe closes.
func (c *currentRequest) watch(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		n, err := strconv.ParseUint(strings.TrimSpace(sc.Text()), 10, 64)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if n == c.seq && c.cancel != nil {
			c.cancel()
		}
		c.mu.Unlock()
	}
}
