package dashboard

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// spoolsBusyError says every place for a download is taken: the client is to try again
// shortly (503, with Retry-After).
type spoolsBusyError struct{ slots int }

func (e *spoolsBusyError) Error() string {
	return fmt.Sprintf("%d downloads are being prepared or sent; try again shortly", e.slots)
}

// sendSpooled runs a guarded statement into an encoder of the named file format that writes
// a temporary file in the warehouse's spool folder, then sends that file and deletes it. The
// engine thus produces the rows at its own pace, not the client's: the embedded engine has
// one connection for the whole process, and a slow download must not hold it while every
// page waits. Neither the result nor the file sits in memory.
//
// The audit entry is written when the engine is done (rows, outcome); a client that goes
// away during the download afterwards is not recorded there.
func (s *Server) sendSpooled(c echo.Context, user, action, format, stmt string) error {
	select {
	case s.spools <- struct{}{}:
		defer func() { <-s.spools }()
	default:
		c.Response().Header().Set("Retry-After", "30")
		return &spoolsBusyError{slots: cap(s.spools)}
	}
	ff := fileFormats[format]
	f, err := os.CreateTemp(s.store.SpoolDir(), "result-*."+ff.ext)
	if err != nil {
		return fmt.Errorf("spool the result: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	lim := s.cfg.Spool.Export
	// The file's bytes are counted as the encoder writes them, against the export's limit
	// and the space all staged downloads share; past either the statement fails, which
	// stops the engine, and the file is removed.
	counted := &spoolWriter{w: f, max: lim.MaxResultBytes, budget: s.spooled}
	defer counted.release()
	buf := bufio.NewWriterSize(counted, 1<<20)
	enc := ff.encoder(buf)
	defer enc.Discard() // a failed or cancelled statement never reaches Close
	if ff.maxRows != nil {
		lim.MaxRows = min(lim.MaxRows, ff.maxRows())
	}
	res, err := s.stream(c, user, action, format, stmt, lim, enc)
	if err != nil {
		return err
	}
	if err := enc.Close(res.Truncated); err != nil {
		return fmt.Errorf("spool the result: %w", err)
	}
	if err := buf.Flush(); err != nil {
		return fmt.Errorf("spool the result: %w", err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="jinwei.%s"`, ff.ext))
	h.Set("X-Jinwei-Rows", strconv.Itoa(res.Rows))
	return sendStaged(c, f, ff.contentType, res.Truncated)
}

// sendStaged answers with the spool file f, written to its end: its type and length, and
// whether its rows were cut (X-Jinwei-Truncated).
func sendStaged(c echo.Context, f *os.File, contentType string, truncated bool) error {
	size, err := f.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		return fmt.Errorf("spool the answer: %w", err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, contentType)
	h.Set(echo.HeaderContentLength, strconv.FormatInt(size, 10))
	h.Set("X-Jinwei-Truncated", strconv.FormatBool(truncated))
	c.Response().WriteHeader(http.StatusOK)
	_, err = io.Copy(c.Response(), f)
	return err
}

// SpoolConfig bounds ad hoc SQL's answers: the console's and the SQL API's JSON (Console),
// the downloads staged on disk (Export), how many of those at once (Files) and the space
// they and the staged JSON answers share (TotalBytes). A zero field takes DefaultSpool's
// value.
type SpoolConfig struct {
	Console    warehouse.Limits
	Export     warehouse.Limits
	Files      int
	TotalBytes int64
}

// DefaultSpool: the guard's default limits for the console; exports of up to 4 GiB, four
// at once in at most 8 GiB, so slow downloads cannot fill the disk the engine writes to.
func DefaultSpool() SpoolConfig {
	return SpoolConfig{Console: warehouse.DefaultLimits(), Export: ExportLimits(), Files: 4, TotalBytes: 8 << 30}
}

func (c SpoolConfig) orDefaults() SpoolConfig {
	d := DefaultSpool()
	c.Console = c.Console.Or(d.Console)
	c.Export = c.Export.Or(d.Export)
	if c.Files <= 0 {
		c.Files = d.Files
	}
	if c.TotalBytes <= 0 {
		c.TotalBytes = d.TotalBytes
	}
	return c
}

// ExportLimits are the guard's limits for exports and the SQL API's CSV and Arrow answers,
// which stream to disk: far more rows than the console shows (XLSX: what one sheet holds),
// and time to write them, with the same memory limit for the engine. MaxResultBytes bounds
// the result as it passes and the spool file as it is written (spoolWriter).
func ExportLimits() warehouse.Limits {
	l := warehouse.DefaultLimits()
	l.MaxRows = 10_000_000
	l.MaxResultBytes = 4 << 30
	l.MaxTime *= 4
	return l
}

// spoolBudget is the space the staged downloads share.
type spoolBudget struct {
	used atomic.Int64
	max  int64
}

// spoolWriter counts a staged download's bytes as they are written, refusing a write that
// would take the file past max or the staged downloads past their budget.
type spoolWriter struct {
	w      io.Writer
	n      int64
	max    int64
	budget *spoolBudget
	what   string // what a refusal names: "the download" when empty
}

func (sw *spoolWriter) Write(p []byte) (int, error) {
	size := int64(len(p))
	if sw.n+size > sw.max {
		what := sw.what
		if what == "" {
			what = "the download"
		}
		return 0, warehouse.ResultTooLarge(sw.max, what)
	}
	if used := sw.budget.used.Add(size); used > sw.budget.max {
		sw.budget.used.Add(-size)
		return 0, warehouse.ResultTooLarge(sw.budget.max, "the downloads being prepared together")
	}
	sw.n += size
	n, err := sw.w.Write(p)
	if n < len(p) {
		sw.budget.used.Add(int64(n - len(p)))
		sw.n -= int64(len(p) - n)
	}
	return n, err
}

// release gives the file's bytes back to the budget once it is removed.
func (sw *spoolWriter) release() { sw.budget.used.Add(-sw.n) }
