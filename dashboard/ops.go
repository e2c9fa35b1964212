package dashboard

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"jinwei/warehouse"
)

// Metrics are what an operator's Prometheus scrapes at /metrics.
type Metrics struct {
	registry    *prometheus.Registry
	requests    *prometheus.HistogramVec
	queries     *prometheus.HistogramVec
	runs        *prometheus.CounterVec
	rowsLoaded  *prometheus.CounterVec
	rowsRejects *prometheus.CounterVec
	lastSuccess *prometheus.GaugeVec
}

// CacheStatser reports the warehouse's query cache counters.
type CacheStatser interface {
	CacheStats() warehouse.CacheStats
}

// NewMetrics registers jinwei's metrics; cache, when not nil, is read at each scrape.
func NewMetrics(cache CacheStatser) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "jinwei_http_request_duration_seconds",
			Help: "HTTP requests by route template, method and status class (unknown ones: other).", Buckets: prometheus.DefBuckets}, []string{"route", "method", "status"}),
		queries: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "jinwei_engine_query_duration_seconds",
			Help: "Statements run by the ClickHouse engine, by outcome.", Buckets: prometheus.DefBuckets}, []string{"outcome"}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jinwei_etl_runs_total",
			Help: "ETL runs by job and final status."}, []string{"job", "status"}),
		rowsLoaded: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jinwei_etl_rows_loaded_total",
			Help: "Rows loaded by committed ETL runs."}, []string{"job"}),
		rowsRejects: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jinwei_etl_rows_rejected_total",
			Help: "Rows rejected by ETL runs."}, []string{"job"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "jinwei_etl_last_success_timestamp_seconds",
			Help: "When each job last committed a load (Unix time)."}, []string{"job"}),
	}
	m.registry.MustRegister(m.requests, m.queries, m.runs, m.rowsLoaded, m.rowsRejects, m.lastSuccess,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if cache != nil {
		m.registry.MustRegister(
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "jinwei_query_cache_hits_total", Help: "Page queries answered from the cache."},
				func() float64 { return float64(cache.CacheStats().Hits) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "jinwei_query_cache_misses_total", Help: "Page queries that ran in the engine."},
				func() float64 { return float64(cache.CacheStats().Misses) }),
		)
	}
	return m
}

// ObserveQuery records one engine statement; pass it to Warehouse.ObserveQueries.
func (m *Metrics) ObserveQuery(_ string, _ warehouse.Params, took time.Duration, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.queries.WithLabelValues(outcome).Observe(took.Seconds())
}

// RecordRun records a finished ETL run.
func (m *Metrics) RecordRun(r warehouse.Run) {
	m.runs.WithLabelValues(r.Job, r.Status).Inc()
	m.rowsRejects.WithLabelValues(r.Job).Add(float64(r.RowsRejected))
	if r.Status == warehouse.RunCommitted {
		m.rowsLoaded.WithLabelValues(r.Job).Add(float64(r.RowsLoaded))
		m.lastSuccess.WithLabelValues(r.Job).Set(float64(r.FinishedAt.Unix()))
	}
}

// Ready is what /readyz asks of the warehouse.
type Ready interface {
	PendingMigrations(ctx context.Context) ([]string, error)
}

func (s *Server) opsRoutes(e *echo.Echo) {
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	e.GET("/readyz", s.readyz)
	if s.cfg.Metrics != nil {
		e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(s.cfg.Metrics.registry, promhttp.HandlerOpts{})), s.metricsReaders)
	}
}

// metricsReaders admits to /metrics a scraper on this machine (it connects from loopback
// and through no proxy) and an account that may run the operator pages (an admin's
// session, or its API token sent as a bearer token, as Prometheus sends one); anyone else
// who reached the port read the routes, the jobs and their loads. A proxy on this machine
// connects from loopback too: what it forwards says so, and needs the token.
func (s *Server) metricsReaders(next echo.HandlerFunc) echo.HandlerFunc {
	admins := s.require(PermAdminLoads)(next)
	return func(c echo.Context) error {
		if onThisMachine(c.Request()) {
			return next(c)
		}
		if ss := currentSession(c); ss == nil || ss.Demo {
			// A scraper is told to send a token, not led to the sign-in page.
			return echo.NewHTTPError(http.StatusUnauthorized, "metrics: send an admin's API token (Authorization: Bearer), or scrape from this machine")
		}
		return admins(c)
	}
}

// readyz answers 200 when the warehouse answers and its schema is current.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 5*time.Second)
	defer cancel()
	pending, err := s.store.PendingMigrations(ctx)
	switch {
	case err != nil:
		return c.String(http.StatusServiceUnavailable, "warehouse unreachable: "+err.Error()+"\n")
	case len(pending) > 0:
		return c.String(http.StatusServiceUnavailable, "migrations pending: "+strconv.Itoa(len(pending))+"\n")
	}
	return c.String(http.StatusOK, "ok\n")
}

// requestID keeps a caller's X-Request-ID when it is sane, or makes one.
func requestID(c echo.Context) string {
	id := c.Request().Header.Get(echo.HeaderXRequestID)
	if id == "" || len(id) > 64 {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Response().Header().Set(echo.HeaderXRequestID, id)
	return id
}

// onThisMachine says a request came from this machine itself: from loopback, forwarded
// by no proxy.
func onThisMachine(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	if err != nil || ip == nil || !ip.IsLoopback() {
		return false
	}
	for _, h := range []string{"X-Forwarded-For", "Forwarded", "X-Real-IP"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	return true
}
