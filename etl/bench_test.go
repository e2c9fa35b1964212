package etl_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"jinwei/etl"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// benchIndicators is enough made-up indicators for 5 M distinct values: 31 provinces × 200
// indicators × 12 months × the years since 1950.
const benchIndicators = 200

// writeBenchCSV writes a long-format economy file of n valid rows, every one a distinct
// province, indicator and month; a copy with another copyNo has other values.
func writeBenchCSV(b testing.TB, n, copyNo int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), fmt.Sprintf("bench_%d_%d.csv", n, copyNo))
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
					fmt.Fprintf(w, "%d-%02d,%s,%s,%d.%d,亿元\n", year, m, p, ind, 1000+i*37+m+copyNo, written%10)
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

// BenchmarkETLAgainstEngineIngest loads the same generated long-format CSV through the
// full ETL path (parse, validate, Arrow, insert, commit) and through the engine's own CSV
// ingest, and reports both rates, their ratio and the ETL's peak Go heap. The issue's
// goal: the ETL at ≥ 50 % of the engine's rate, with peak memory flat from 1 M to 5 M rows.
// The pair runs three times, alternating, each load into an emptied fact table, and the
// medians are reported: on a shared machine one pair alone can be off by half.
func BenchmarkETLAgainstEngineIngest(b *testing.B) {
	const pairs = 3
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
			if _, err := l.LoadReference(context.Background(), etl.JobIndicators, ipath, ""); err != nil {
				b.Fatal(err)
			}
			// Each pair loads its own copy: the ETL skips content it has loaded before.
			paths := make([]string, pairs)
			for i := range paths {
				paths[i] = writeBenchCSV(b, n, i)
			}
			b.ResetTimer()
			for b.Loop() {
				var etlRates, engineRates, ratios, etlCPU, engineCPU []float64
				var peak uint64
				for _, path := range paths {
					emptyValues(b, w)
					cpu := processCPU()
					etlTime, p := timeETL(b, l, path, n)
					etlCPU = append(etlCPU, (processCPU()-cpu).Seconds()*1e6/float64(n))
					peak = max(peak, p)
					emptyValues(b, w)
					cpu = processCPU()
					engineTime := timeEngineIngest(b, w, path)
					engineCPU = append(engineCPU, (processCPU()-cpu).Seconds()*1e6/float64(n))
					etlRates = append(etlRates, float64(n)/etlTime.Seconds())
					engineRates = append(engineRates, float64(n)/engineTime.Seconds())
					ratios = append(ratios, engineTime.Seconds()/etlTime.Seconds())
				}
				b.ReportMetric(median(etlRates), "etl_rows/s")
				b.ReportMetric(median(engineRates), "engine_rows/s")
				b.ReportMetric(median(ratios), "etl/engine")
				b.ReportMetric(float64(peak)/(1<<20), "etl_peak_heap_MiB")
				fmt.Fprintf(os.Stderr, "%d rows, %d pairs: ETL/engine %s (ETL rows/s %s; engine rows/s %s; CPU µs/row ETL %s, engine %s)\n", n, pairs,
					figures(ratios, "%.2f"), figures(etlRates, "%.0f"), figures(engineRates, "%.0f"), figures(etlCPU, "%.2f"), figures(engineCPU, "%.2f"))
			}
		})
	}
}

// emptyValues empties the fact table before a timed load, so that neither loader's time
// includes the engine merging the parts the one before it wrote.
func emptyValues(b *testing.B, w *warehouse.Warehouse) {
	if err := whtest.Exec(context.Background(), w, "TRUNCATE TABLE indicator_values", nil); err != nil {
		b.Fatal(err)
	}
}

func timeETL(b *testing.B, l *etl.Loader, path string, n int) (time.Duration, uint64) {
	var took time.Duration
	peak := whtest.PeakHeap(func() {
		start := time.Now()
		rep, err := l.LoadEconomy(context.Background(), path)
		took = time.Since(start)
		if err != nil || rep.Run.RowsLoaded != n {
			b.Fatalf("ETL load: %v", err)
		}
	})
	return took, peak
}

func timeEngineIngest(b *testing.B, w *warehouse.Warehouse, path string) time.Duration {
	start := time.Now()
	err := whtest.Exec(context.Background(), w, `INSERT INTO indicator_values (indicator_code, region_code, period_kind, year, period_no, value, source_unit, run_id, source_line, loaded_at)
		SELECT indicator, region_code, 'month', toUInt16(substring(period, 1, 4)), toUInt8(substring(period, 6, 2)), value, unit,
		       generateUUIDv4(), 0, now64(3)
		FROM file({path:String}, 'CSVWithNames', 'period String, region_code String, indicator String, value Float64, unit String')`,
		warehouse.Params{"path": path})
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// processCPU is the CPU time the process has used, the engine's threads included.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func figures(xs []float64, format string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf(format, x)
	}
	return strings.Join(parts, " ")
}
