package dashboard

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// SQL is what the analysts' endpoints need from the warehouse: guarded, audited queries.
type SQL interface {
	AuditedQuery(ctx context.Context, user, action, format, stmt string, lim warehouse.Limits) (*warehouse.GuardedResult, error)
	AuditLog(ctx context.Context, user string, limit int) ([]warehouse.AuditEntry, error)
}

func (s *Server) sqlRoutes(e *echo.Echo) {
	g := e.Group("/api/sql", s.require(RoleAnalyst))
	g.POST("", s.sqlAPI)
	g.GET("/history", s.sqlHistory)
	e.GET("/api/admin/audit", s.auditAPI, s.requireAdminToken)
}

type sqlRequest struct {
	Statement string `json:"statement" form:"statement"`
	Format    string `json:"format" form:"format"`
}

// sqlAPI runs one read-only statement through the guard and answers JSON, CSV (UTF-8 with
// a BOM, so Excel shows Chinese) or an Arrow IPC stream.
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
	if req.Format != "json" && req.Format != "csv" && req.Format != "arrow" {
		return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("format %q is not json, csv or arrow", req.Format))
	}
	user := currentSession(c).User
	res, err := sq.AuditedQuery(c.Request().Context(), user, "query", req.Format, req.Statement, warehouse.DefaultLimits())
	var refused *warehouse.RefusedError
	var limited *warehouse.LimitError
	switch {
	case errors.As(err, &refused):
		return c.JSON(http.StatusBadRequest, map[string]any{"error": err.Error(), "refused": true})
	case errors.As(err, &limited):
		return c.JSON(http.StatusUnprocessableEntity, map[string]any{"error": err.Error(), "limit": limited.Limit})
	case err != nil:
		return c.JSON(http.StatusBadRequest, map[string]any{"error": err.Error()})
	}
	c.Response().Header().Set("X-Jinwei-Truncated", fmt.Sprint(res.Truncated))
	switch req.Format {
	case "csv":
		return writeCSV(c, res.Result)
	case "arrow":
		return writeArrow(c, res.Result)
	}
	return c.JSON(http.StatusOK, map[string]any{"columns": res.Columns, "rows": res.Rows, "truncated": res.Truncated, "statement": res.Statement})
}

func writeCSV(c echo.Context, res *warehouse.Result) error {
	attachment(c, "text/csv; charset=utf-8", "csv")
	if _, err := c.Response().Write([]byte("\ufeff")); err != nil {
		return err
	}
	w := csv.NewWriter(c.Response())
	header := make([]string, len(res.Columns))
	for i, col := range res.Columns {
		header[i] = col.Name
	}
	_ = w.Write(header)
	rec := make([]string, len(res.Columns))
	for _, row := range res.Rows {
		for i, v := range row {
			rec[i] = cellString(v)
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return w.Error()
}

func cellString(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// writeArrow answers the result as an Arrow IPC stream.
func writeArrow(c echo.Context, res *warehouse.Result) error {
	rec := resultRecord(res)
	defer rec.Release()
	c.Response().Header().Set(echo.HeaderContentType, "application/vnd.apache.arrow.stream")
	c.Response().WriteHeader(http.StatusOK)
	w := ipc.NewWriter(c.Response(), ipc.WithSchema(rec.Schema()))
	if err := w.Write(rec); err != nil {
		return err
	}
	return w.Close()
}

// resultRecord turns a result into one Arrow record: integer and float columns keep their
// type, everything else is text.
func resultRecord(res *warehouse.Result) arrow.RecordBatch {
	fields := make([]arrow.Field, len(res.Columns))
	for i, col := range res.Columns {
		t := strings.TrimSuffix(strings.TrimPrefix(col.Type, "Nullable("), ")")
		switch {
		case strings.HasPrefix(t, "Float"), strings.HasPrefix(t, "Decimal"):
			fields[i] = arrow.Field{Name: col.Name, Type: arrow.PrimitiveTypes.Float64, Nullable: true}
		case strings.HasPrefix(t, "Int"), strings.HasPrefix(t, "UInt"):
			fields[i] = arrow.Field{Name: col.Name, Type: arrow.PrimitiveTypes.Int64, Nullable: true}
		default:
			fields[i] = arrow.Field{Name: col.Name, Type: arrow.BinaryTypes.String, Nullable: true}
		}
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
	defer b.Release()
	for _, row := range res.Rows {
		for i, v := range row {
			switch fb := b.Field(i).(type) {
			case *array.Float64Builder:
				if f, ok := toFloat(v); ok {
					fb.Append(f)
				} else {
					fb.AppendNull()
				}
			case *array.Int64Builder:
				if f, ok := toFloat(v); ok {
					fb.Append(int64(f))
				} else {
					fb.AppendNull()
				}
			case *array.StringBuilder:
				if v == nil {
					fb.AppendNull()
				} else {
					fb.Append(cellString(v))
				}
			}
		}
	}
	return b.NewRecordBatch()
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
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
