package dashboard_test

import (
	"context"
	"io"
	"net/http"
	"testing"

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
