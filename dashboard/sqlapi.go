package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

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
// run: at most the console's row cap, held in memory), or CSV (UTF-8 with a BOM, so Excel
// shows Chinese) or an Arrow IPC stream, both streamed through a spool file with the
// export limits.
func (s *Server) sqlAPI(c echo.Context) error {
	sq, ok := s.store.(SQL)
	if !ok {
		return echo.NewHTTPError(http.StatusNotImplemented, "ad hoc SQL is not available")
	}
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
		err := s.sendSpooled(c, sq, user, "query", req.Format, req.Statement)
		if status, body := sqlFailure(err); status != 0 {
			return c.JSON(status, body)
		}
		return err
	}
	res, err := sq.AuditedQuery(c.Request().Context(), user, "query", req.Format, req.Statement, warehouse.DefaultLimits())
	if status, body := sqlFailure(err); status != 0 {
		return c.JSON(status, body)
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("X-Jinwei-Truncated", fmt.Sprint(res.Truncated))
	return c.JSON(http.StatusOK, map[string]any{"columns": res.Columns, "rows": res.Rows, "truncated": res.Truncated, "statement": res.Statement})
}

// sqlFailure says how to answer a guarded statement's error: its status and a JSON body, or
// status 0 for errors that are not the statement's (those go to the error handler).
func sqlFailure(err error) (int, map[string]any) {
	var (
		refused *warehouse.RefusedError
		limited *warehouse.LimitError
		engine  *warehouse.EngineError
	)
	switch {
	case errors.As(err, &refused):
		return http.StatusBadRequest, map[string]any{"error": err.Error(), "refused": true}
	case errors.As(err, &limited):
		return http.StatusUnprocessableEntity, map[string]any{"error": err.Error(), "limit": limited.Limit}
	case errors.As(err, &engine):
		return http.StatusBadRequest, map[string]any{"error": err.Error()}
	}
	return 0, nil
}

// sqlHistory is the signed-in analyst's own recent statements.
func (s *Server) sqlHistory(c echo.Context) error {
	sq, ok := s.store.(SQL)
	if !ok {
		return echo.NewHTTPError(http.StatusNotImplemented, "ad hoc SQL is not available")
	}
	entries, err := sq.AuditLog(c.Request().Context(), currentSession(c).User, 100)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, entries)
}

// auditAPI is every user's recent queries and exports, for admins.
func (s *Server) auditAPI(c echo.Context) error {
	sq, ok := s.store.(SQL)
	if !ok {
		return echo.NewHTTPError(http.StatusNotImplemented, "ad hoc SQL is not available")
	}
	entries, err := sq.AuditLog(c.Request().Context(), c.QueryParam("user"), 500)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, entries)
}
