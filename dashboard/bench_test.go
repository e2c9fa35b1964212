package dashboard_test

import (
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// recordedQuery is one engine statement a page ran.
type recordedQuery struct {
	stmt   string
	params warehouse.Params
}

// pageQueries returns the engine statements one uncached request of path runs.
func pageQueries(b *testing.B, w *warehouse.Warehouse, url string) []recordedQuery {
	var got []recordedQuery
	w.ForgetCachedResults()
	stop := w.ObserveQueries(func(stmt string, params warehouse.Params, _ time.Duration, _ error) {
		got = append(got, recordedQuery{stmt, params})
	})
	res, err := http.Get(url)
	stop()
	if err != nil || res.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %v %v", url, err, res)
	}
	res.Body.Close()
	return got
}

// BenchmarkPages compares, for the ranking page and the cockpit, the server's time for a
// request (from the query cache, and with the cache emptied before each request) with the
// bare engine time of the very statements that request runs, replayed one after another —
// the yardstick the issue names (goal: uncached ≤ 1.3 × bare engine). Run with `make bench`
// and compare ns/op of each page's sub-benchmarks.
func BenchmarkPages(b *testing.B) {
	w := etltest.Demo(b)
	srv := newServer(&testing.T{}, w)
	defer srv.Close()
	for _, p := range []struct{ name, path string }{
		{"ranking", "/ranking?indicator=gdp_per_capita&year=2024&group=all31"},
		{"cockpit", "/?group=west12"},
	} {
		url := srv.URL + p.path
		get := func(b *testing.B) {
			res, err := http.Get(url)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
		b.Run(p.name+"/server_cached", func(b *testing.B) {
			get(b)
			for b.Loop() {
				get(b)
			}
		})
		b.Run(p.name+"/server_uncached", func(b *testing.B) {
			for b.Loop() {
				w.ForgetCachedResults()
				get(b)
			}
		})
		queries := pageQueries(b, w, url)
		b.Run(p.name+"/bare_engine_same_queries", func(b *testing.B) {
			b.ReportMetric(float64(len(queries)), "queries")
			for b.Loop() {
				for _, q := range queries {
					if _, err := whtest.Query(context.Background(), w, q.stmt, q.params); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkConcurrentClients runs 64 clients against the pages and their JSON for 20 s
// (cached, as a wall screen and its viewers see them) and reports requests per second and
// errors; the goal is no errors. Run with -benchtime 1x.
func BenchmarkConcurrentClients(b *testing.B) {
	w := etltest.Demo(b)
	srv := newServer(&testing.T{}, w)
	defer srv.Close()
	paths := []string{"/", "/ranking", "/api/ranking?indicator=gdp&group=west12", "/counties", "/ecology", "/campaign", "/api/cockpit", "/ranking?lang=en"}
	const clients = 64
	duration := 20 * time.Second
	for b.Loop() {
		var ok, failed atomic.Int64
		deadline := time.Now().Add(duration)
		var wg sync.WaitGroup
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
		for c := 0; c < clients; c++ {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				for i := c; time.Now().Before(deadline); i++ {
					res, err := client.Get(srv.URL + paths[i%len(paths)])
					if err != nil {
						failed.Add(1)
						continue
					}
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						failed.Add(1)
						continue
					}
					ok.Add(1)
				}
			}(c)
		}
		wg.Wait()
		b.ReportMetric(float64(ok.Load())/duration.Seconds(), "requests/s")
		b.ReportMetric(float64(failed.Load()), "errors")
	}
}
