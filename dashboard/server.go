// Package dashboard serves jinwei's pages and their JSON: Echo routes, handlers, go-echarts
// chart builders, templates and the embedded static assets. It asks the warehouse for typed
// results and never builds SQL.
package dashboard

import (
	"context"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// Store is what the pages need from the warehouse.
type Store interface {
	Ranking(ctx context.Context, q warehouse.RankingQuery) (*warehouse.Ranking, error)
	Indicators(ctx context.Context) ([]warehouse.Indicator, error)
	PeerGroups(ctx context.Context) ([]warehouse.PeerGroup, error)
}

var _ Warehouse = (*warehouse.Warehouse)(nil)

// Config sets what the pages show by default.
type Config struct {
	// HomeRegion is the province the pages are about (GB/T 2260 code).
	HomeRegion       string
	DefaultIndicator string
	DefaultGroup     string
	// AdminToken opens the admin API (runs, rejects, job runs, uploads); empty closes it.
	AdminToken string
	// Jobs runs ETL jobs for the admin API; nil when none are configured.
	Jobs Jobs
}

// Server holds the routes' dependencies.
type Server struct {
	cfg   Config
	store Store
	runs  Runs
	jobs  Jobs
	log   *slog.Logger
	tmpl  *template.Template
}

// Warehouse is everything the dashboard reads: the pages' store and the run log.
type Warehouse interface {
	Store
	Runs
}

// New returns the Echo application serving the dashboard.
func New(cfg Config, store Warehouse, log *slog.Logger) (*echo.Echo, error) {
	if cfg.DefaultIndicator == "" {
		cfg.DefaultIndicator = "gdp_per_capita"
	}
	if cfg.DefaultGroup == "" {
		cfg.DefaultGroup = "all31"
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	if err := checkVendorAssets(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, store: store, runs: store, jobs: cfg.Jobs, log: log, tmpl: tmpl}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Renderer = s
	e.HTTPErrorHandler = s.handleError
	e.Use(s.logRequests)
	e.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusFound, "/ranking") })
	e.GET("/ranking", s.rankingPage)
	e.GET("/api/ranking", s.rankingAPI)
	e.GET("/static/*", echo.WrapHandler(staticHandler()))
	s.adminRoutes(e)
	return e, nil
}

// Render implements echo.Renderer over the embedded templates.
func (s *Server) Render(w io.Writer, name string, data any, _ echo.Context) error {
	return s.tmpl.ExecuteTemplate(w, name, data)
}

// logRequests writes one line per request once it is answered.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req, res := c.Request(), c.Response()
		s.log.Info("request", "method", req.Method, "path", req.URL.Path, "status", res.Status, "bytes", res.Size)
		return nil
	}
}

// handleError maps errors to statuses in one place: bad input is 400, unknown things 404,
// everything else 500 and logged. Pages get an HTML answer, the API JSON.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, "internal error"
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		status, msg = he.Code, stringOf(he.Message)
	case errors.Is(err, warehouse.ErrNotFound):
		status, msg = http.StatusNotFound, err.Error()
	default:
		s.log.Error("request failed", "path", c.Request().URL.Path, "err", err)
	}
	if isAPI(c) {
		_ = c.JSON(status, map[string]string{"error": msg})
		return
	}
	lang := pageLang(c)
	_ = c.Render(status, "error.html", map[string]any{"Lang": lang, "Status": status, "Message": msg,
		"L": labels[lang], "Path": c.Request().URL.Path})
}

func stringOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if e, ok := v.(error); ok {
		return e.Error()
	}
	return http.StatusText(http.StatusInternalServerError)
}

func isAPI(c echo.Context) bool {
	p := c.Request().URL.Path
	return len(p) >= 5 && p[:5] == "/api/"
}

// pageLang is the language the request asks for: ?lang=en, else Chinese.
func pageLang(c echo.Context) string {
	if c.QueryParam("lang") == langEn {
		return langEn
	}
	return langZh
}
