package dashboard

import (
	"context"
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// Jobs is what the admin endpoints need from the ETL; cmd wires it, so the dashboard never
// imports the etl package.
type Jobs interface {
	// RunJob loads what is waiting in the job's inbox (and its URL) now.
	RunJob(ctx context.Context, job string) ([]JobResult, error)
	// Upload saves a file into the job's inbox and loads it.
	Upload(ctx context.Context, job, name string, body io.Reader) (JobResult, error)
	// InFlight lists the loads running now, with their counts so far.
	InFlight() []warehouse.Run
}

// JobResult is one file's load.
type JobResult struct {
	Run     warehouse.Run      `json:"run"`
	Rejects []warehouse.Reject `json:"rejects"`
	Error   string             `json:"error,omitempty"`
}

// Runs is what the admin endpoints read about past loads.
type Runs interface {
	RecentRuns(ctx context.Context, limit int) ([]warehouse.Run, error)
	Rejects(ctx context.Context, runID string) ([]warehouse.Reject, error)
}

// maxUpload bounds one uploaded file.
const maxUpload = 512 << 20

func (s *Server) adminRoutes(e *echo.Echo) {
	g := e.Group("/api/admin", s.requireAdminToken)
	g.GET("/runs", s.adminRuns)
	g.GET("/runs/:id/rejects", s.adminRejects)
	g.POST("/jobs/:job/run", s.adminRunJob)
	g.POST("/jobs/:job/upload", s.adminUpload)
	g.POST("/backup", s.adminBackup)
	g.POST("/campaign/publish", s.adminPublishCampaign)
	g.GET("/inflight", func(c echo.Context) error {
		if s.jobs == nil {
			return c.JSON(http.StatusOK, []warehouse.Run{})
		}
		return c.JSON(http.StatusOK, s.jobs.InFlight())
	})
}

// Backuper makes consistent backups of the warehouse while it serves.
type Backuper interface {
	Backup(ctx context.Context, dir string) error
}

func (s *Server) adminBackup(c echo.Context) error {
	b, ok := s.store.(Backuper)
	dir := c.QueryParam("dir")
	if !ok || dir == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "name the backup folder (?dir=…)")
	}
	if err := b.Backup(c.Request().Context(), dir); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	return c.JSON(http.StatusOK, map[string]string{"dir": dir})
}

// requireAdminToken admits requests carrying the token that `serve` writes beside the
// warehouse for the local CLI, and signed-in admins; nobody else, demo mode or not.
func (s *Server) requireAdminToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		got, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
		if ok && s.cfg.AdminToken != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.AdminToken)) == 1 {
			return next(c)
		}
		if ss := currentSession(c); ss != nil && !ss.Demo && ss.Role == RoleAdmin {
			return next(c)
		}
		if ss := currentSession(c); ss != nil && !ss.Demo {
			return echo.NewHTTPError(http.StatusForbidden, fmt.Sprintf("%s may not do this; it needs the admin role", ss.User))
		}
		return echo.NewHTTPError(http.StatusUnauthorized, "admin token or an admin sign-in required")
	}
}

func (s *Server) adminRuns(c echo.Context) error {
	limit := 50
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("limit %q is not between 1 and 1000", v))
		}
		limit = n
	}
	runs, err := s.runs.RecentRuns(c.Request().Context(), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, runs)
}

func (s *Server) adminRejects(c echo.Context) error {
	rejects, err := s.runs.Rejects(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rejects)
}

func (s *Server) adminRunJob(c echo.Context) error {
	if s.jobs == nil {
		return echo.NewHTTPError(http.StatusNotFound, "no ETL jobs are configured")
	}
	results, err := s.jobs.RunJob(c.Request().Context(), c.Param("job"))
	if err != nil && len(results) == 0 {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	return c.JSON(http.StatusOK, results)
}

// adminUpload takes the file as the raw body with ?name=, or as the multipart field "file".
func (s *Server) adminUpload(c echo.Context) error {
	if s.jobs == nil {
		return echo.NewHTTPError(http.StatusNotFound, "no ETL jobs are configured")
	}
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, maxUpload)
	name, body := c.QueryParam("name"), io.Reader(req.Body)
	if strings.HasPrefix(req.Header.Get("Content-Type"), "multipart/form-data") {
		fh, err := c.FormFile("file")
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "multipart upload needs a file field: "+err.Error())
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		name, body = fh.Filename, f
	}
	if name == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "name the uploaded file (?name=…)")
	}
	res, err := s.jobs.Upload(req.Context(), c.Param("job"), name, body)
	if err != nil && res.Run.ID == "" {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	status := http.StatusOK
	if res.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	return c.JSON(status, res)
}
