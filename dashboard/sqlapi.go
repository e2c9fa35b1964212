package dashboard

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"jinwei/dashboard/api"
	"jinwei/warehouse"
)

// SQL is what the analysts' endpoints need from the warehouse: guarded, audited queries,
// whole or streamed, and a place on disk to stage large results.
type SQL interface {
	AuditedQuery(ctx context.Context, user, action, format, stmt string, lim warehouse.Limits) (*warehouse.GuardedResult, error)
	AuditedStream(ctx context.Context, user, action, format, stmt string, lim warehouse.Limits, sink warehouse.RowSink) (*warehouse.Streamed, error)
	AuditLog(ctx context.Context, user string, limit int) ([]warehouse.AuditEntry, error)
	SpoolDir() string
}

func (s *Server) sqlRoutes(e *echo.Echo) {
	g := e.Group("/api/sql", s.require(PermRunSQL))
	g.POST("", s.sqlAPI, longRoute(0, exportWriteDeadline))
	g.GET("/history", s.sqlHistory)
	e.GET("/api/admin/audit", s.auditAPI, s.require(PermReadAudit))
}

type sqlRequest struct {
	Statement string `json:"statement" form:"statement"`
	Format    string `json:"format" form:"format"`
}

// sqlAPI runs one read-only statement through the guard and answers JSON (the console's
// run: at most the console's rows and bytes, see jsonRows), or CSV (UTF-8 with a BOM, so
// Excel shows Chinese) or an Arrow IPC stream with the export limits. Every answer is
// staged in a spool file and sent once the statement has finished: the engine's ad hoc
// statements run one at a time, and one client reading its answer slowly held every other
// analyst's statement for as long as it took.
func (s *Server) sqlAPI(c echo.Context) error {
	sq := s.store
	var req sqlRequest
	if err := c.Bind(&req); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "send {\"statement\": \"SELECT …\", \"format\": \"json|csv|arrow\"}")
	}
	if req.Format == "" {
		req.Format = "json"
	}
	if err := checkFormat(req.Format, "json", "csv", "arrow"); err != nil {
		return err
	}
	user := currentSession(c).User
	if req.Format != "json" {
		err := s.sendSpooled(c, user, warehouse.AuditAdHoc, req.Format, req.Statement)
		if status, body := sqlFailure(err, pageLang(c)); status != 0 {
			return c.JSON(status, body)
		}
		return err
	}
	f, err := os.CreateTemp(sq.SpoolDir(), "answer-*.json")
	if err != nil {
		return fmt.Errorf("spool the answer: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	// The guard counts a result's bytes as the engine gives them; written as JSON they grow
	// (a NULL is "null", a "<" is "\u003c"), up to about six times. The file is bounded at
	// eight, so that the guard's limit is the one an answer meets, and the disk all staged
	// answers and downloads share (TotalBytes) still bounds them together.
	counted := &spoolWriter{w: f, max: s.cfg.Spool.Console.MaxResultBytes * 8, budget: s.spooled, what: "the answer"}
	defer counted.release()
	out := &jsonRows{w: bufio.NewWriterSize(counted, 256<<10)}
	res, err := s.stream(c, user, warehouse.AuditAdHoc, req.Format, req.Statement, s.cfg.Spool.Console, out)
	return out.finish(c, f, res, err)
}

// stream runs user's statement through the guard into sink, one statement of an account
// at a time: ad hoc statements wait for the engine one by one, and one analyst's three
// heavy ones held every other's for a minute and a half. Another of the account's, while
// one runs or waits, is refused (errOneStatement); the mark goes when the statement ends,
// before its answer is sent.
func (s *Server) stream(c echo.Context, user, action, format, stmt string, lim warehouse.Limits, sink warehouse.RowSink) (*warehouse.Streamed, error) {
	s.statementsMu.Lock()
	if s.statements[user] {
		s.statementsMu.Unlock()
		c.Response().Header().Set("Retry-After", "5")
		return nil, errOneStatement
	}
	s.statements[user] = true
	s.statementsMu.Unlock()
	defer func() {
		s.statementsMu.Lock()
		delete(s.statements, user)
		s.statementsMu.Unlock()
	}()
	return s.store.AuditedStream(c.Request().Context(), user, action, format, stmt, lim, sink)
}

// errOneStatement refuses an account's statement while another of its own runs or waits.
var errOneStatement = errors.New("the account's previous statement is still running or waiting; wait for it to end (or cancel it) first")

// jsonRows is the SQL API's JSON answer, written to its spool file as the rows arrive so
// that no more than a chunk of them is held: {"columns": […], "rows": [[…], …],
// "truncated": b, "statement": "…"}. A refusal or an engine error before the first rows is
// answered with its status; a failure after them (the statement stopped at a limit) ends
// the same object with "error" and "limit".
type jsonRows struct {
	w       *bufio.Writer
	started bool
	rows    int
}

func (j *jsonRows) Columns(cols []warehouse.Column) error {
	if cols == nil {
		cols = []warehouse.Column{}
	}
	head, err := json.Marshal(api.Columns(cols))
	if err != nil {
		return err
	}
	j.started = true
	_, err = fmt.Fprintf(j.w, `{"columns":%s,"rows":[`, head)
	return err
}

func (j *jsonRows) Rows(rows [][]any) error {
	for _, row := range rows {
		if j.rows > 0 {
			if err := j.w.WriteByte(','); err != nil {
				return err
			}
		}
		line, err := json.Marshal(row)
		if err != nil {
			return err
		}
		if _, err := j.w.Write(line); err != nil {
			return err
		}
		j.rows++
	}
	return nil
}

// finish ends the answer, as a whole JSON error when no rows came, else with the object's
// tail, and sends the spool file f.
func (j *jsonRows) finish(c echo.Context, f *os.File, res *warehouse.Streamed, err error) error {
	if !j.started {
		if status, body := sqlFailure(err, pageLang(c)); status != 0 {
			return c.JSON(status, body)
		}
		if err != nil {
			return err
		}
		if err := j.Columns(res.Columns); err != nil {
			return err
		}
	}
	tail := map[string]any{"truncated": false}
	if err != nil {
		status, body := sqlFailure(err, pageLang(c))
		if status == 0 {
			body = map[string]any{"error": "the statement failed after its first rows were read"}
		}
		for k, v := range body {
			tail[k] = v
		}
	} else {
		tail["truncated"], tail["statement"] = res.Truncated, res.Statement
	}
	b, err := json.Marshal(tail)
	if err != nil {
		return err
	}
	if _, err = fmt.Fprintf(j.w, "],%s", b[1:]); err == nil {
		err = j.w.Flush()
	}
	if err != nil {
		// Nothing is sent yet: a file refused at its bound or at the shared disk budget is
		// answered as the limit it met, whole.
		if status, body := sqlFailure(err, pageLang(c)); status != 0 {
			return c.JSON(status, body)
		}
		return fmt.Errorf("spool the answer: %w", err)
	}
	return sendStaged(c, f, echo.MIMEApplicationJSON, tail["truncated"] == true)
}

// sqlFailure says how to answer a guarded statement's error: its status and a JSON body, or
// status 0 for errors that are not the statement's nor a busy download's (those go to the
// error handler). The body's error is the English, for scripts and logs; its message says a
// refusal, a limit, a busy server or the engine's error in the language of the page that
// asked (?lang=); an engine's error keeps its own words, and where it stopped reading.
func sqlFailure(err error, lang string) (int, map[string]any) {
	var (
		refused *warehouse.RefusedError
		limited *warehouse.LimitError
		engine  *warehouse.EngineError
		busy    *spoolsBusyError
	)
	switch {
	case errors.Is(err, errOneStatement):
		return http.StatusTooManyRequests, map[string]any{"error": err.Error(), "message": t(lang, "console_one_at_a_time")}
	case errors.As(err, &busy):
		return http.StatusServiceUnavailable, map[string]any{"error": err.Error(), "message": fmt.Sprintf(t(lang, "downloads_busy"), busy.slots)}
	case errors.As(err, &refused):
		return http.StatusBadRequest, map[string]any{"error": err.Error(), "refused": true, "message": refusalMessage(lang, refused)}
	case errors.As(err, &limited):
		return http.StatusUnprocessableEntity, map[string]any{"error": err.Error(), "limit": limited.Limit, "message": limitMessage(lang, limited)}
	case errors.As(err, &engine):
		msg, line, col := engineMessage(lang, engine)
		body := map[string]any{"error": err.Error(), "message": msg, "engine": engine.Message}
		if line > 0 {
			body["line"], body["col"] = line, col
		}
		return http.StatusBadRequest, body
	}
	return 0, nil
}

// engineErrors are the kinds of the engine's errors an analyst meets most, by the engine's
// codes for them; the page says each in its language, with the engine's own words below.
var engineErrors = map[int]string{
	62: "syntax", 47: "unknown_name", 16: "unknown_name", 60: "unknown_table", 81: "unknown_table", 46: "unknown_function",
	42: "arguments", 43: "types", 53: "types", 70: "types", 386: "types", 215: "aggregate", 184: "aggregate",
}

// engineErrorKinds are engineErrors' kinds and "other", for every other error.
var engineErrorKinds = append(slices.Compact(slices.Sorted(maps.Values(engineErrors))), "other")

// engineMessage says in lang what kind of error the engine found in a statement and, when
// it says, on which line; line and col are where (from 1, the column in bytes of UTF-8, as
// the engine counts; 0 when it does not say), for the console to put its cursor there.
func engineMessage(lang string, e *warehouse.EngineError) (msg string, line, col int) {
	kind, ok := engineErrors[e.Code()]
	if !ok {
		kind = "other"
	}
	msg = t(lang, "engine_"+kind)
	if line, col = e.Place(); line > 0 {
		msg += fmt.Sprintf(t(lang, "console_error_place"), line)
	}
	return msg, line, col
}

// refusalMessage says why the guard refused a statement in lang: the guard's own English,
// or the Chinese of its kind with the same arguments.
func refusalMessage(lang string, e *warehouse.RefusedError) string {
	if lang == langEn {
		return e.Error()
	}
	why := t(lang, "refused_"+e.Kind)
	if strings.Contains(why, "%") {
		// A kind whose arguments vary (an unreadable parse tree) is said without them.
		why = fmt.Sprintf(why, e.Args...)
	}
	return t(lang, "refused_lead") + why
}

// limitMessage says which limit stopped a statement in lang, with the engine's report.
func limitMessage(lang string, e *warehouse.LimitError) string {
	if lang == langEn {
		return e.Error()
	}
	return fmt.Sprintf(t(lang, "limit_stopped"), t(lang, "limit_"+e.Limit), e.Err)
}

// sqlHistory is the signed-in analyst's own recent statements.
func (s *Server) sqlHistory(c echo.Context) error {
	sq := s.store
	entries, err := sq.AuditLog(c.Request().Context(), currentSession(c).User, 100)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.AuditEntries(entries))
}

// auditAPI is every user's recent queries and exports, for admins.
func (s *Server) auditAPI(c echo.Context) error {
	sq := s.store
	entries, err := sq.AuditLog(c.Request().Context(), c.QueryParam("user"), 500)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.AuditEntries(entries))
}
