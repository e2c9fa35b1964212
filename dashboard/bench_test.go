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
)

// BenchmarkRanking compares the ranking request's time in the server (parse, the warehouse
// queries, JSON), from the query cache and with the cache emptied before each request, with
// the bare engine time of the ranking query itself, the yardstick the slice's issue names.
// Run with `make bench`; compare ns/op of the sub-benchmarks.
func BenchmarkRanking(b *testing.B) {
	w := etltest.Demo(b)
	srv := newServer(&testing.T{}, w)
	defer srv.Close()
	url := srv.URL + "/api/ranking?indicator=gdp_per_capita&year=2024&group=all31"
	b.Run("server_GET_api_ranking", func(b *testing.B) {
		for b.Loop() {
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
	})
	b.Run("server_GET_api_ranking_uncached", func(b *testing.B) {
		for b.Loop() {
			w.ForgetCachedResults()
			res, err := http.Get(url)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	})
	b.Run("page_GET_ranking", func(b *testing.B) {
		for b.Loop() {
			res, err := http.Get(srv.URL + "/ranking?indicator=gdp_per_capita&year=2024&group=all31")
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	})
	text, err := warehouse.NamedQueryText("ranking")
	if err != nil {
		b.Fatal(err)
	}
	params := warehouse.Params{"indicator": "gdp_per_capita", "year": "2024", "group": "all31"}
	b.Run("engine_ranking_sql", func(b *testing.B) {
		for b.Loop() {
			if _, err := w.Query(context.Background(), text, params); err != nil {
				b.Fatal(err)
			}
		}
	})
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
