package dashboard_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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
	} {
		code, body := call(t, tc.c, http.MethodGet, f.srv.URL+"/metrics", tc.header, nil)
		if code != tc.want || (code == http.StatusOK) != strings.Contains(body, "jinwei_http_request_duration_seconds") {
			t.Errorf("%s: /metrics answered %d %.120q; want %d", tc.who, code, body, tc.want)
		}
	}
}
