package dashboard_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"jinwei/dashboard"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

func TestHealthReadinessAndMetrics(t *testing.T) {
	t.Parallel()
	w := etltest.SharedDemo(t)
	metrics := dashboard.NewMetrics(w)
	stop := w.ObserveQueries(metrics.ObserveQuery)
	defer stop()
	app, err := dashboard.New(dashboard.Config{HomeRegion: etltest.Home, Metrics: metrics}, w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app)
	defer srv.Close()
	for _, path := range []string{"/healthz", "/readyz"} {
		if code, body, _ := get(t, srv.URL+path); code != http.StatusOK || body != "ok\n" {
			t.Errorf("%s: %d %q", path, code, body)
		}
	}
	for i := 0; i < 2; i++ {
		get(t, srv.URL+"/ranking")
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/ranking", nil)
	req.Header.Set("X-Request-ID", "trace-123")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.Header.Get("X-Request-ID") != "trace-123" {
		t.Fatalf("request id not echoed: %v %v", err, res.Header)
	}
	res.Body.Close()
	metrics.RecordRun(finishedRun("economy", "committed", 42))
	_, body, _ := get(t, srv.URL+"/metrics")
	for _, want := range []string{
		`jinwei_http_request_duration_seconds_count{method="GET",route="/ranking",status="2xx"} 2`,
		"jinwei_query_cache_hits_total",
		`jinwei_engine_query_duration_seconds_count{outcome="ok"}`,
		`jinwei_etl_runs_total{job="economy",status="committed"} 1`,
		`jinwei_etl_rows_loaded_total{job="economy"} 42`,
		`jinwei_etl_last_success_timestamp_seconds{job="economy"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func finishedRun(job, status string, loaded int) warehouse.Run {
	return warehouse.Run{Job: job, Status: status, RowsLoaded: loaded, FinishedAt: time.Now()}
}

// /metrics names the routes, the jobs and their loads: anyone who reached the port read
// it. It answers a scraper on this machine and an admin (session or API token); others,
// as the trusted proxy tells their address, are refused.
func TestMetricsAreForThisMachineAndAdmins(t *testing.T) {
	t.Parallel()
	f := newAccountsServer(t, true, func(c *dashboard.Config) {
		c.TrustedProxies = []string{"127.0.0.1/32"}
		c.Metrics = dashboard.NewMetrics(nil)
	})
	leader, _ := signedInHere(t, f, "leader")
	ops, _ := signedInHere(t, f, "ops")
	from := map[string]string{"X-Forwarded-For": "203.0.113.9"}
	for _, tc := range []struct {
		who    string
		c      *http.Client
		header map[string]string
		want   int
	}{
		{"this machine", f.client(t), nil, http.StatusOK},
		{"a stranger", f.client(t), from, http.StatusUnauthorized},
		{"a viewer", leader, from, http.StatusForbidden},
		{"an admin", ops, from, http.StatusOK},
		{"an admin's token", f.client(t), map[string]string{"X-Forwarded-For": "203.0.113.9", "Authorization": "Bearer cli-token"}, http.StatusOK},
		// A proxy on this machine that says nothing of its client is not this machine.
		{"a proxy's X-Real-IP", f.client(t), map[string]string{"X-Real-IP": "203.0.113.9"}, http.StatusUnauthorized},
	} {
		code, body := call(t, tc.c, http.MethodGet, f.srv.URL+"/metrics", tc.header, nil)
		if code != tc.want || (code == http.StatusOK) != strings.Contains(body, "jinwei_http_request_duration_seconds") {
			t.Errorf("%s: /metrics answered %d %.120q; want %d", tc.who, code, body, tc.want)
		}
	}
	// Prometheus with an admin's personal token: read, and not written to the audit log each
	// time (5,760 rows a day at 15 s would bury what people did).
	scraper := addToken(t, f, "ops", dashboard.RoleAdmin, "")
	for range 3 {
		if code, _ := call(t, f.client(t), http.MethodGet, f.srv.URL+"/metrics", map[string]string{"X-Forwarded-For": "203.0.113.9", "Authorization": "Bearer " + scraper.Token}, nil); code != http.StatusOK {
			t.Errorf("a scrape with an admin's token: %d", code)
		}
	}
	if entries, err := f.w.AuditLog(context.Background(), "ops", 100); err != nil || slices.ContainsFunc(entries, func(e warehouse.AuditEntry) bool { return strings.Contains(e.Statement, "/metrics") }) {
		t.Errorf("scrapes audited (%v): %+v", err, entries)
	}
	// Without trusted proxies (the default) a same-host proxy's visitors came from loopback,
	// and read it.
	open := newAccountsServer(t, false, func(c *dashboard.Config) { c.Metrics = dashboard.NewMetrics(nil) })
	if code, _ := call(t, open.client(t), http.MethodGet, open.srv.URL+"/metrics", from, nil); code != http.StatusUnauthorized {
		t.Errorf("a visitor through a same-host proxy, no trusted proxies set: %d, want 401", code)
	}
}
