package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/labstack/echo/v4"

	"jinwei/dashboard/api"
	"jinwei/warehouse"
)

// JobResult is one file's load. The CLI reads the server's answer (jobAnswer) into it.
type JobResult struct {
	Run     warehouse.Run      `json:"run"`
	Rejects []warehouse.Reject `json:"rejects"`
	Error   string             `json:"error,omitempty"`
	// ErrorZh is Error in Chinese; empty where it has no Chinese wording.
	ErrorZh string `json:"error_zh,omitempty"`
}

// RejectsListed is how many refused values its rejects list: a preview lists a line's
// values refused for one reason once (warehouse.Reject.Values).
func (r JobResult) RejectsListed() int {
	n := 0
	for _, rj := range r.Rejects {
		n += max(rj.Values, 1)
	}
	return n
}

// jobAnswer is a load as the admin API answers it.
type jobAnswer struct {
	Run     api.Run      `json:"run"`
	Rejects []api.Reject `json:"rejects"`
	Error   string       `json:"error,omitempty"`
	ErrorZh string       `json:"error_zh,omitempty"`
}

func (r JobResult) answer() jobAnswer {
	return jobAnswer{Run: api.RunOf(r.Run), Rejects: api.Rejects(r.Rejects), Error: r.Error, ErrorZh: r.ErrorZh}
}

// Runs is what the admin endpoints read about past loads.
type Runs interface {
	RecentLoads(ctx context.Context, limit int, changedOnly bool) ([]warehouse.Run, error)
}

// maxUpload bounds one uploaded file.
const maxUpload = 512 << 20

func (s *Server) adminRoutes(e *echo.Echo) {
	g := e.Group("/api/admin", s.require(PermAdminLoads))
	g.GET("/runs", s.adminRuns)
	g.GET("/runs/:id/rejects", s.adminRejects)
	g.POST("/jobs/:job/run", s.adminRunJob, longRoute(0, jobWriteDeadline))
	g.POST("/jobs/:job/upload", s.adminUpload, longRoute(uploadReadDeadline, uploadWriteDeadline))
	g.POST("/backup", s.adminBackup, longRoute(0, backupWriteDeadline))
	g.POST("/campaign/publish", s.adminPublishCampaign)
	g.GET("/inflight", func(c echo.Context) error {
		if s.jobs == nil {
			return c.JSON(http.StatusOK, []api.Run{})
		}
		return c.JSON(http.StatusOK, api.Runs(s.jobs.InFlight()))
	})
}

// Backuper makes consistent backups of the warehouse while it serves.
type Backuper interface {
	Backup(ctx context.Context, dir string) error
}

// adminBackup writes a backup into a new folder inside the configured backups folder:
// ?dir= is a name relative to it, never a path elsewhere, so the admin API cannot write
// wherever the process may.
func (s *Server) adminBackup(c echo.Context) error {
	if s.cfg.BackupsDir == "" {
		return echo.NewHTTPError(http.StatusNotImplemented, "this server makes no backups (no backups folder is configured)")
	}
	if err := os.MkdirAll(s.cfg.BackupsDir, 0o700); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	dir, err := backupPath(s.cfg.BackupsDir, c.QueryParam("dir"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	if err := s.store.Backup(c.Request().Context(), dir); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	return c.JSON(http.StatusOK, map[string]string{"dir": dir})
}

// backupPath is the folder a backup named name goes to: inside root, or an error. Its
// parent folders are made here, through an os.Root, so a symbolic link inside root (say
// backups/old -> /etc) cannot carry the backup out of it: "old/x" names a folder outside
// though the name itself is local. The folder itself must not be a link either.
func backupPath(root, name string) (string, error) {
	if name == "" || !filepath.IsLocal(name) {
		return "", fmt.Errorf("name the backup folder (?dir=NAME) relative to the backups folder %s; %q is not such a name", root, name)
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return "", fmt.Errorf("backup: open the backups folder: %w", err)
	}
	defer r.Close()
	if parent := filepath.Dir(name); parent != "." {
		if err := r.MkdirAll(parent, 0o700); err != nil {
			return "", fmt.Errorf("backup folder %q is not inside the backups folder %s: %w", name, root, err)
		}
	}
	if fi, err := r.Lstat(name); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return "", fmt.Errorf("backup folder %q in %s is a symbolic link; name a new folder", name, root)
	}
	return filepath.Join(root, name), nil
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
	// changed=1 leaves out the loads that found their file already loaded, as the command
	// line's `etl runs` does unless asked for --all.
	runs, err := s.runs.RecentLoads(c.Request().Context(), limit, c.QueryParam("changed") == "1")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.Runs(runs))
}

// adminRejects sends every reject of a run as one JSON array, read and written a page at a
// time: 300,000 rejects were 120 MB of JSON held whole, and the server grew by 840 MB. An
// id that names no run is 404, as on the run's page (it was a 500, or an empty list).
func (s *Server) adminRejects(c echo.Context) error {
	ctx := c.Request().Context()
	run, err := findRun(ctx, s.store, c.Param("id"))
	if err != nil {
		return err
	}
	res := c.Response()
	enc := json.NewEncoder(res)
	sep := ""
	// The first page is read before the answer starts, so a failure then is still an error.
	err = s.store.EachRejectsPage(ctx, warehouse.RejectsQuery{RunID: run.ID, Limit: exportPageSize}, func(rows []warehouse.Reject) (bool, error) {
		if sep == "" {
			res.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
			res.WriteHeader(http.StatusOK)
			sep = "["
		}
		for _, r := range api.Rejects(rows) {
			if _, err := io.WriteString(res, sep); err != nil {
				return false, err
			}
			sep = ","
			if err := enc.Encode(r); err != nil {
				return false, err
			}
		}
		return true, nil
	})
	switch {
	case err != nil && sep == "":
		return pageError(err)
	case err != nil:
		// The answer has begun: it ends short of its closing bracket, which a client
		// reads as the error it is.
		s.log.Error("list rejects", "run", run.ID, "err", err)
		return nil
	}
	end := "]"
	if sep == "[" {
		end = "[]"
	}
	_, _ = io.WriteString(res, end)
	return nil
}

func (s *Server) adminRunJob(c echo.Context) error {
	if s.jobs == nil {
		return echo.NewHTTPError(http.StatusNotFound, "no ETL jobs are configured")
	}
	ctx, done := startedBy(c, warehouse.StartedByRunNow)
	defer done()
	results, err := s.jobs.RunJob(ctx, c.Param("job"))
	if err != nil && len(results) == 0 {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	var out []jobAnswer // nil stays null
	if results != nil {
		out = make([]jobAnswer, len(results))
	}
	for i, r := range results {
		out[i] = r.answer()
	}
	return c.JSON(http.StatusOK, out)
}

// adminUpload takes the file as the raw body with ?name=, or as the multipart field "file".
func (s *Server) adminUpload(c echo.Context) error {
	if s.jobs == nil {
		return echo.NewHTTPError(http.StatusNotFound, "no ETL jobs are configured")
	}
	// limitRequests has bounded the body by maxUpload, and taken a multipart one as a
	// stream of parts: the file goes to the inbox as it arrives, never to a temporary file.
	req := c.Request()
	name, body := c.QueryParam("name"), io.Reader(req.Body)
	if isMultipart(req) {
		fname, part, err := uploadedFile(c, "file")
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "multipart upload needs a file field: "+err.Error())
		}
		name, body = fname, part
	}
	if name == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "name the uploaded file (?name=…)")
	}
	ctx, done := startedBy(c, warehouse.StartedByUpload)
	defer done()
	res, err := s.jobs.Upload(ctx, c.Param("job"), name, body)
	if err != nil && res.Run.ID == "" {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	status := http.StatusOK
	if res.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	return c.JSON(status, res.answer())
}
