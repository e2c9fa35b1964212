package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"jinwei/dashboard/api"
	"jinwei/warehouse"
)

// consoleStore is the SQL console's view of the warehouse.
type consoleStore interface {
	SQL
	Schema(ctx context.Context) ([]warehouse.SchemaTable, error)
	SavedQueries(ctx context.Context) ([]warehouse.SavedQuery, error)
	SavedQuery(ctx context.Context, id string) (warehouse.SavedQuery, error)
	SavedUsage(ctx context.Context, owner string) (n, bytes int, err error)
	SaveQuery(ctx context.Context, owner, name, statement string) (warehouse.SavedQuery, error)
	DeleteSavedQuery(ctx context.Context, q warehouse.SavedQuery) error
}

func (s *Server) consoleRoutes(e *echo.Echo) {
	g := behind(e, s.require(PermRunSQL))
	g.GET("/console", s.consolePage)
	g.GET("/api/sql/schema", s.schemaAPI)
	g.GET("/api/sql/saved", s.savedAPI)
	g.POST("/api/sql/saved", s.saveAPI)
	g.DELETE("/api/sql/saved/:id", s.deleteSavedAPI)
	g.POST("/api/sql/export", s.exportAPI, s.require(PermExport), longRoute(0, exportWriteDeadline))
}

type consoleView struct {
	page
	Schema []warehouse.SchemaTable
	Limits warehouse.Limits
}

func (s *Server) consolePage(c echo.Context) error {
	cs := s.store
	schema, err := cs.Schema(c.Request().Context())
	if err != nil {
		return err
	}
	if schema, err = schemaInLang(schema, pageLang(c)); err != nil {
		return err
	}
	v := consoleView{page: newPage(c, "console", "nav_console"), Schema: schema, Limits: s.cfg.Spool.Console}
	return c.Render(http.StatusOK, "console.html", v)
}

func (s *Server) schemaAPI(c echo.Context) error {
	return consoleJSON(s, c, consoleStore.Schema, api.Schema)
}

func (s *Server) savedAPI(c echo.Context) error {
	return consoleJSON(s, c, consoleStore.SavedQueries, api.SavedQueries)
}

// consoleJSON answers with what read gives from the console's store, in its API shape.
func consoleJSON[T, J any](s *Server, c echo.Context, read func(consoleStore, context.Context) (T, error), shape func(T) J) error {
	v, err := read(s.store, c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, shape(v))
}

func (s *Server) saveAPI(c echo.Context) error {
	cs := s.store
	var req struct {
		Name      string `json:"name" form:"name"`
		Statement string `json:"statement" form:"statement"`
	}
	if err := c.Bind(&req); err != nil || req.Name == "" || req.Statement == "" || len(req.Name) > 200 || len(req.Statement) > 64<<10 {
		return echo.NewHTTPError(http.StatusBadRequest, "a saved query needs a name (200 bytes at most) and a statement (64 KiB at most)")
	}
	ctx, user := c.Request().Context(), currentSession(c).User
	// The count is checked and the query written as one step: saves sent at once each
	// passed the check before any was written.
	s.saving.Lock()
	defer s.saving.Unlock()
	n, bytes, err := cs.SavedUsage(ctx, user)
	if err != nil {
		return err
	}
	if n >= maxSavedPerAccount || bytes+len(req.Statement) > maxSavedBytesPerAccount {
		return c.JSON(http.StatusConflict, map[string]string{
			"error":   fmt.Sprintf("%s keeps %d saved queries (%d KiB); an account keeps at most %d, %d KiB in all: delete some first", user, n, bytes>>10, maxSavedPerAccount, maxSavedBytesPerAccount>>10),
			"message": fmt.Sprintf(t(pageLang(c), "console_saved_full"), n, maxSavedPerAccount, maxSavedBytesPerAccount>>10),
		})
	}
	q, err := cs.SaveQuery(ctx, user, req.Name, req.Statement)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, api.SavedQuery(q))
}

// An account keeps at most so many saved queries, of so many bytes in all: everyone's are
// listed in every console, and 800 of 64 KiB made the list 52 MB.
const (
	maxSavedPerAccount      = 100
	maxSavedBytesPerAccount = 1 << 20
)

// deleteSavedAPI lets the owner, or an admin, delete a saved query.
func (s *Server) deleteSavedAPI(c echo.Context) error {
	cs := s.store
	ctx, id, ss := c.Request().Context(), c.Param("id"), currentSession(c)
	q, err := cs.SavedQuery(ctx, id)
	if errors.Is(err, warehouse.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "no such saved query")
	}
	if err != nil {
		return err
	}
	if q.Owner != ss.User && !ss.can(PermManageSaved) {
		return echo.NewHTTPError(http.StatusForbidden, fmt.Sprintf("%s's query is theirs to delete", q.Owner))
	}
	if err := cs.DeleteSavedQuery(ctx, q); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// exportAPI runs a statement through the guard with the export limits and sends it as
// CSV (with BOM), XLSX or Parquet, as a download (see sendSpooled).
func (s *Server) exportAPI(c echo.Context) error {
	var req sqlRequest
	if err := c.Bind(&req); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "send statement and format")
	}
	if err := checkFormat(req.Format, "csv", "xlsx", "parquet"); err != nil {
		return err
	}
	err := s.sendSpooled(c, currentSession(c).User, warehouse.AuditExport, req.Format, req.Statement)
	if status, body := sqlFailure(err, pageLang(c)); status != 0 {
		// As /api/sql answers: the console reads it from the frame its export form posts to.
		return c.JSON(status, body)
	}
	return err
}
