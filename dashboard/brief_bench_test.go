package dashboard_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"jinwei/dashboard"
	"jinwei/etl/etltest"
)

// BenchmarkBriefing times a briefing of the demo data (the year 2024) with the query
// cache emptied before each: as the HTML page, without Chromium (goal < 2 s), and as a PDF
// printed by headless Chromium (goal < 10 s). `make bench` runs it; each line shows the
// seconds beside the goal.
func BenchmarkBriefing(b *testing.B) {
	w := etltest.Demo(b)
	srv := newServer(&testing.T{}, w)
	defer srv.Close()
	b.Run("html", func(b *testing.B) {
		var took time.Duration
		for b.Loop() {
			w.ForgetCachedResults()
			start := time.Now()
			res, err := http.Get(srv.URL + "/brief?period=2024")
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			took += time.Since(start)
			if res.StatusCode != http.StatusOK {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
		b.ReportMetric(took.Seconds()/float64(b.N), "s/briefing")
		b.ReportMetric(2, "goal_s")
	})
	b.Run("pdf_chromium", func(b *testing.B) {
		br, err := dashboard.NewBriefer(dashboard.Config{HomeRegion: etltest.Home}, w, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			b.Fatal(err)
		}
		var took time.Duration
		for b.Loop() {
			w.ForgetCachedResults()
			start := time.Now()
			r, err := br.Render(context.Background(), "2024", "zh")
			took += time.Since(start)
			if err != nil || len(r.PDF) == 0 {
				b.Fatalf("no PDF: %v %s", err, r.NoPDF)
			}
		}
		b.ReportMetric(took.Seconds()/float64(b.N), "s/briefing")
		b.ReportMetric(10, "goal_s")
	})
}
