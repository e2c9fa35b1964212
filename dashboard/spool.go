package dashboard

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// sendSpooled runs a guarded statement into an encoder of the named file format that writes
// a temporary file in the warehouse's spool folder, then sends that file and deletes it. The
// engine thus produces the rows at its own pace, not the client's: the embedded engine has
// one connection for the whole process, and a slow download must not hold it while every
// page waits. Neither the result nor the file sits in memory.
//
// The audit entry is written when the engine is done (rows, outcome); a client that goes
// away during the download afterwards is not recorded there.
func (s *Server) sendSpooled(c echo.Context, sq SQL, user, action, format, stmt string) error {
	select {
	case s.spools <- struct{}{}:
		defer func() { <-s.spools }()
	default:
		c.Response().Header().Set("Retry-After", "30")
		return echo.NewHTTPError(http.StatusServiceUnavailable, fmt.Sprintf("%d downloads are being prepared or sent; try again shortly", maxSpooled))
	}
	ff := fileFormats[format]
	f, err := os.CreateTemp(sq.SpoolDir(), "result-*."+ff.ext)
	if err != nil {
		return fmt.Errorf("spool the result: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	buf := bufio.NewWriterSize(f, 1<<20)
	enc := ff.encoder(buf)
	defer enc.Discard() // a failed or cancelled statement never reaches Close
	lim := ExportLimits()
	if ff.maxRows != nil {
		lim.MaxRows = min(lim.MaxRows, ff.maxRows())
	}
	res, err := sq.AuditedStream(c.Request().Context(), user, action, format, stmt, lim, enc)
	if err != nil {
		return err
	}
	if err := enc.Close(res.Truncated); err != nil {
		return fmt.Errorf("spool the result: %w", err)
	}
	if err := buf.Flush(); err != nil {
		return fmt.Errorf("spool the result: %w", err)
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		return fmt.Errorf("spool the result: %w", err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, ff.contentType)
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="jinwei.%s"`, ff.ext))
	h.Set(echo.HeaderContentLength, strconv.FormatInt(size, 10))
	h.Set("X-Jinwei-Rows", strconv.Itoa(res.Rows))
	h.Set("X-Jinwei-Truncated", strconv.FormatBool(res.Truncated))
	c.Response().WriteHeader(http.StatusOK)
	_, err = io.Copy(c.Response(), f)
	return err
}

// maxSpooled is how many downloads may be staged at once. Each may take up to the export
// limit's 4 GiB on the warehouse's disk until its client has it all, so a few slow
// downloads must not be able to fill the disk the engine writes to.
const maxSpooled = 4

// ExportLimits are the guard's limits for exports and the SQL API's CSV and Arrow answers,
// which stream to disk: far more rows than the console shows (XLSX: what one sheet holds),
// and time to write them, with the same memory limit for the engine. max_result_bytes
// bounds the spool file too.
func ExportLimits() warehouse.Limits {
	l := warehouse.DefaultLimits()
	l.MaxRows = 10_000_000
	l.MaxResultBytes = 4 << 30
	l.MaxTime *= 4
	return l
}
