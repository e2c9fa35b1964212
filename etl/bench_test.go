package etl_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jinwei/warehouse"
)

// benchIndicators is enough made-up indicators for 5 M distinct values: 31 provinces × 200
// indicators × 12 months × the years since 1950.
const benchIndicators = 200

// writeBenchCSV writes a long-format economy file of n valid rows, every one a distinct
// province, indicator and month.
func writeBenchCSV(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), fmt.Sprintf("bench_%d.csv", n))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "period,region_code,indicator,value,unit")
	provinces := []string{"110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000", "310000", "320000", "330000",
		"340000", "350000", "360000", "370000", "410000", "420000", "430000", "440000", "450000", "460000", "500000", "510000",
		"520000", "530000", "540000", "610000", "620000", "630000", "640000", "650000"}
	indicators := make([]string, benchIndicators)
	for i := range indicators {
		indicators[i] = fmt.Sprintf("bench_%03d", i)
	}
	written := 0
	for year := 1950; written < n; year++ {
		for m := 1; m <= 12 && written < n; m++ {
			for _, ind := range indicators {
				for i, p := range provinces {
					if written == n {
						break
					}
					if year > 2025 {
						b.Fatalf("%d rows need periods past 2025", n)
					}
					fmt.Fprintf(w, "%d-%02d,%s,%s,%d.%d,亿元\n", year, m, p, ind, 1000+i*37+m, written%10)
					written++
				}
			}
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path
}

// peakHeap samples the Go heap while fn runs and returns the highest value seen.
func peakHeap(fn func()) uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return peak.Load()
}

// BenchmarkETLAgainstEngineIngest loads the same generated long-format CSV through the
// full ETL path (parse, validate, Arrow, insert, commit) and through the engine's own CSV
// ingest, and reports both rates, their ratio and the ETL's peak Go heap. The issue's
// goal: the ETL at ≥ 50 % of the engine's rate, with peak memory flat from 1 M to 5 M rows.
func BenchmarkETLAgainstEngineIngest(b *testing.B) {
	for _, n := range []int{1_000_000, 5_000_000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			w, l := benchWarehouse(b)
			indicators := "code,name_zh,unit,direction,frequency\n"
			for i := 0; i < benchIndicators; i++ {
				indicators += fmt.Sprintf("bench_%03d,基准指标%d,亿元,1,month\n", i, i)
			}
			ipath := filepath.Join(b.TempDir(), "bench_indicators.csv")
			if err := os.WriteFile(ipath, []byte(indicators), 0o600); err != nil {
				b.Fatal(err)
			}
			if _, err := l.LoadIndicators(context.Background(), ipath); err != nil {
				b.Fatal(err)
			}
			path := writeBenchCSV(b, n)
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				var etlTime time.Duration
				runtime.GC()
				peak := peakHeap(func() {
					start := time.Now()
					rep, err := l.LoadEconomy(ctx, path)
					etlTime = time.Since(start)
					if err != nil || rep.Run.RowsLoaded != n {
						b.Fatalf("ETL load: %v", err)
					}
				})
				start := time.Now()
				err := w.Exec(ctx, `INSERT INTO indicator_values (indicator_code, region_code, period_kind, year, period_no, value, source_unit, run_id, source_line, loaded_at)
					SELECT indicator, region_code, 'month', toUInt16(substring(period, 1, 4)), toUInt8(substring(period, 6, 2)), value, unit,
					       generateUUIDv4(), 0, now64(3)
					FROM file({path:String}, 'CSVWithNames', 'period String, region_code String, indicator String, value Float64, unit String')`,
					warehouse.Params{"path": path})
				engineTime := time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				etlRate, engineRate := float64(n)/etlTime.Seconds(), float64(n)/engineTime.Seconds()
				b.ReportMetric(etlRate, "etl_rows/s")
				b.ReportMetric(engineRate, "engine_rows/s")
				b.ReportMetric(etlRate/engineRate, "etl/engine")
				b.ReportMetric(float64(peak)/(1<<20), "etl_peak_heap_MiB")
			}
		})
	}
}
