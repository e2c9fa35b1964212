package dashboard_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"jinwei/dashboard"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// Sizes the operator pages must stay fast at (issue 19): 100,000 runs, and one run with
// 1,000,000 rejects.
const (
	benchRuns    = 100_000
	benchRejects = 1_000_000
	// operatorPageGoal is the quality bar every loads and rejects page is held to.
	operatorPageGoal = 500 * time.Millisecond
)

var benchTS = &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}

// benchRunsRecord is n runs of etl_runs, one a minute, the last one benchRunID.
func benchRunsRecord(n int) arrow.RecordBatch {
	s := arrow.NewSchema([]arrow.Field{
		{Name: "run_id", Type: arrow.BinaryTypes.String}, {Name: "job", Type: arrow.BinaryTypes.String},
		{Name: "file_path", Type: arrow.BinaryTypes.String}, {Name: "status", Type: arrow.BinaryTypes.String},
		{Name: "rows_read", Type: arrow.PrimitiveTypes.Uint64}, {Name: "rows_rejected", Type: arrow.PrimitiveTypes.Uint64},
		{Name: "started_at", Type: benchTS}, {Name: "finished_at", Type: benchTS},
		{Name: "started_by", Type: arrow.BinaryTypes.String}, {Name: "version", Type: arrow.PrimitiveTypes.Uint64},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, s)
	defer b.Release()
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	jobs := []string{"economy", "ecology", "campaign", "regions"}
	for i := range n {
		at := start.Add(time.Duration(i) * time.Minute)
		b.Field(0).(*array.StringBuilder).Append(fmt.Sprintf("00000000-0000-7000-8000-%012d", i+1))
		b.Field(1).(*array.StringBuilder).Append(jobs[i%len(jobs)])
		b.Field(2).(*array.StringBuilder).Append(fmt.Sprintf("/var/inbox/f%d.csv", i))
		status := "committed"
		if i%7 == 0 {
			status = "failed"
		}
		b.Field(3).(*array.StringBuilder).Append(status)
		b.Field(4).(*array.Uint64Builder).Append(1000)
		b.Field(5).(*array.Uint64Builder).Append(uint64(i % 10))
		b.Field(6).(*array.TimestampBuilder).Append(arrow.Timestamp(at.UnixMilli()))
		b.Field(7).(*array.TimestampBuilder).Append(arrow.Timestamp(at.Add(2 * time.Second).UnixMilli()))
		b.Field(8).(*array.StringBuilder).Append("schedule")
		b.Field(9).(*array.Uint64Builder).Append(uint64(i + 1))
	}
	return b.NewRecordBatch()
}

// benchRareCode is a reason code one reject in 100,000 has: a filter by it must read past
// almost every reject of the run to fill a page.
const benchRareCode = "missing_region"

// benchRejectsRecord is n rejects of one run, a few common reason codes and a rare one, as
// the ETL writes them.
func benchRejectsRecord(runID string, from, n int) arrow.RecordBatch {
	s := arrow.NewSchema([]arrow.Field{
		{Name: "run_id", Type: arrow.BinaryTypes.String}, {Name: "file_path", Type: arrow.BinaryTypes.String},
		{Name: "line", Type: arrow.PrimitiveTypes.Uint32}, {Name: "location", Type: arrow.BinaryTypes.String},
		{Name: "raw", Type: arrow.BinaryTypes.String}, {Name: "reason", Type: arrow.BinaryTypes.String},
		{Name: "reason_code", Type: arrow.BinaryTypes.String}, {Name: "created_at", Type: benchTS},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, s)
	defer b.Release()
	codes := []string{"unknown_region", "bad_value", "future_period", "duplicate"}
	for i := from; i < from+n; i++ {
		b.Field(0).(*array.StringBuilder).Append(runID)
		b.Field(1).(*array.StringBuilder).Append("/var/inbox/big.csv")
		b.Field(2).(*array.Uint32Builder).Append(uint32(i + 2))
		b.Field(3).(*array.StringBuilder).Append("column 地区")
		b.Field(4).(*array.StringBuilder).Append(fmt.Sprintf("2019,县%d,gdp,%d", i, i))
		code := codes[i%len(codes)]
		if i%100_000 == 50_000 {
			code = benchRareCode
		}
		b.Field(5).(*array.StringBuilder).Append(fmt.Sprintf("%s: 县%d", strings.ReplaceAll(code, "_", " "), i))
		b.Field(6).(*array.StringBuilder).Append(code)
		b.Field(7).(*array.TimestampBuilder).Append(arrow.Timestamp(time.Now().UnixMilli()))
	}
	return b.NewRecordBatch()
}

// BenchmarkOperatorScale times the loads page and a run's rejects page (its reason groups
// and one page of rejects) over 100,000 runs and 1,000,000 rejects written through the
// warehouse's insert path, first pages and pages deep in by keyset cursor. Run with
// `make bench`; the goal is under 500 ms a rejects page.
func BenchmarkOperatorScale(b *testing.B) {
	ctx := context.Background()
	w := whtest.Open(b)
	runs := benchRunsRecord(benchRuns)
	defer runs.Release()
	if err := w.Insert(ctx, "etl_runs", runs); err != nil {
		b.Fatal(err)
	}
	runID := fmt.Sprintf("00000000-0000-7000-8000-%012d", benchRuns)
	for from := 0; from < benchRejects; from += 250_000 {
		rec := benchRejectsRecord(runID, from, 250_000)
		err := w.Insert(ctx, "etl_rejects", rec)
		rec.Release()
		if err != nil {
			b.Fatal(err)
		}
	}
	h, err := dashboard.HashPassword("ops-pw")
	if err != nil {
		b.Fatal(err)
	}
	app, err := dashboard.New(dashboard.Config{HomeRegion: etltest.Home, Users: []dashboard.User{{Name: "ops", Role: dashboard.RoleAdmin, PasswordHash: h}},
		SessionKey: []byte(strings.Repeat("k", 32)), SessionTTL: time.Hour}, w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	f := &authFixture{srv: httptest.NewTLSServer(app), w: w}
	defer f.srv.Close()
	c := f.client(b)
	signIn(b, c, f.srv.URL, "ops", "ops-pw")
	get := func(b *testing.B, u string) string {
		res, err := c.Get(f.srv.URL + u)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d %.300s", u, res.StatusCode, body)
		}
		return string(body)
	}
	// Cursors deep in: the loads page after 90,000 runs, the rejects after 900,000.
	deepRun := fmt.Sprintf("00000000-0000-7000-8000-%012d", benchRuns-90_000)
	deepAt := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(benchRuns-90_001) * time.Minute)
	pagesToTime := []struct{ name, path string }{
		{"loads-first", "/admin/loads"},
		{"loads-deep", "/admin/loads?before=" + url.QueryEscape(fmt.Sprintf("%d_%s", deepAt.UnixMilli(), deepRun))},
		{"loads-filtered", "/admin/loads?job=ecology&status=failed&from=2020-02-01&to=2020-02-28"},
		{"rejects-first", "/admin/loads/" + runID},
		{"rejects-deep", "/admin/loads/" + runID + "?after=900000"},
		{"rejects-code", "/admin/loads/" + runID + "?code=future_period"},
		{"rejects-rare-code", "/admin/loads/" + runID + "?code=" + benchRareCode},
		{"rejects-search", "/admin/loads/" + runID + "?q=" + url.QueryEscape("县99999")},
	}
	for _, p := range pagesToTime {
		if body := get(b, p.path); !strings.Contains(body, `data-run=`) && !strings.Contains(body, `class="reject"`) {
			b.Fatalf("%s shows no rows: %.500s", p.name, html.UnescapeString(body))
		}
	}
	took := map[string]time.Duration{}
	for _, p := range pagesToTime {
		b.Run(p.name, func(b *testing.B) {
			for range b.N {
				get(b, p.path)
			}
			took[p.name] = b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(float64(took[p.name].Milliseconds()), "ms/page")
		})
	}
	// The statements behind a rejects page, one by one.
	for _, q := range []struct {
		name string
		run  func() error
	}{
		{"stmt-find-run", func() error { _, _, err := w.Loads(ctx, warehouse.LoadsQuery{RunID: runID, Limit: 1}); return err }},
		{"stmt-reasons", func() error { _, err := w.RejectReasons(ctx, runID); return err }},
		{"stmt-rejects-first", func() error {
			_, _, err := w.RejectsPage(ctx, warehouse.RejectsQuery{RunID: runID, Limit: 100})
			return err
		}},
		{"stmt-rejects-rare", func() error {
			_, _, err := w.RejectsPage(ctx, warehouse.RejectsQuery{RunID: runID, Code: benchRareCode, Limit: 100})
			return err
		}},
	} {
		b.Run(q.name, func(b *testing.B) {
			for range b.N {
				if err := q.run(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((b.Elapsed() / time.Duration(b.N)).Milliseconds()), "ms/stmt")
		})
	}
	var line []string
	for _, p := range pagesToTime {
		verdict := "within"
		if took[p.name] >= operatorPageGoal {
			verdict = "OVER"
		}
		line = append(line, fmt.Sprintf("  %-18s %4d ms (goal %d ms: %s)", p.name, took[p.name].Milliseconds(), operatorPageGoal.Milliseconds(), verdict))
	}
	fmt.Fprintf(os.Stderr, "operator pages over %d runs and %d rejects of one run:\n%s\n", benchRuns, benchRejects, strings.Join(line, "\n"))
}
