package dashboard_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// BenchmarkExportPeakHeap measures the issue's yardstick, "a large export does not sit in
// memory": the peak Go heap of the whole process (server and the test's client, which
// discards the body) while an analyst exports 1 M and then 3 M rows as CSV, Parquet and
// XLSX (cut at one sheet's 1,048,575 rows), side by side with the same statements' results
// held whole in memory (as the console's run holds its capped result, and as exports did
// before they streamed). The streamed rows should stay flat; the held one grows with the
// rows. Run with `make bench`; the table is printed, and each figure is reported as a
// metric too.
func BenchmarkExportPeakHeap(b *testing.B) {
	sizes := []int{1_000_000, 3_000_000}
	f := newAuthServer(b)
	whtest.NumbersTable(b, f.w, "big", sizes[len(sizes)-1])
	base := f.srv.URL
	analyst := f.client(b)
	signIn(b, analyst, base, "analyst", "analyst-pw")
	token := csrfToken(b, analyst, base)
	ctx := context.Background()
	held := warehouse.Limits{MaxRows: 10_000_000, MaxResultBytes: 4 << 30}
	for b.Loop() {
		var table strings.Builder
		fmt.Fprintf(&table, "\npeak Go heap (MiB) while exporting   %10s %10s\n", "1M rows", "3M rows")
		row := func(name string, run func(stmt string)) {
			fmt.Fprintf(&table, "%-36s", name)
			for _, n := range sizes {
				stmt := fmt.Sprintf("SELECT n, label FROM big WHERE n < %d ORDER BY n", n)
				mib := float64(whtest.PeakHeap(func() { run(stmt) })) / (1 << 20)
				fmt.Fprintf(&table, " %10.1f", mib)
				b.ReportMetric(mib, fmt.Sprintf("%s_%dM_MiB", strings.Fields(name)[0], n/1_000_000))
			}
			table.WriteString("\n")
		}
		for _, format := range []string{"csv", "parquet", "xlsx"} {
			label := format + " export (streamed)"
			if format == "xlsx" {
				label = "xlsx export (streamed, one sheet)"
			}
			row(label, func(stmt string) {
				res := downloadTo(b, io.Discard, analyst, base, "/api/sql/export", token, stmt, format)
				if format != "xlsx" && res.Header.Get("X-Jinwei-Truncated") != "false" {
					b.Fatalf("%s export was cut at %s rows", format, res.Header.Get("X-Jinwei-Rows"))
				}
			})
		}
		row("held whole in memory (GuardedQuery)", func(stmt string) {
			if _, err := f.w.GuardedQuery(ctx, stmt, held); err != nil {
				b.Fatal(err)
			}
		})
		b.Log(table.String())
	}
}
