package warehouse_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// A briefing kept in the archive comes back byte for byte, its PDF's bytes too (every byte
// value, as a PDF holds them), on the embedded engine and on a ClickHouse server: hosts
// sharing a server share the archive.
func TestBriefArchiveRoundTrip(t *testing.T) {
	pdf := make([]byte, 0, 512)
	for i := range 512 {
		pdf = append(pdf, byte(i))
	}
	for _, e := range []struct {
		name string
		open func(testing.TB) *warehouse.Warehouse
	}{{"embedded", func(tb testing.TB) *warehouse.Warehouse { return whtest.Open(tb) }}, {"server", whtest.OpenServer}} {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			w := e.open(t)
			before, err := w.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			in := warehouse.ArchivedBrief{Period: "2024-Q4", Lang: "zh", MadeBy: "ops", DataVersion: 42,
				Headline: "2024年我省人均地区生产总值52825元。", HTML: "<p>它's \\ \"quoted\"</p>", PDF: pdf}
			id, err := w.ArchiveBrief(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			list, err := w.Briefs(ctx)
			if err != nil || len(list) != 1 || list[0].ID != id || list[0].PDFBytes != len(pdf) || list[0].DataVersion != 42 || list[0].Headline != in.Headline {
				t.Fatalf("listed %+v (%v)", list, err)
			}
			got, err := w.Brief(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if got.HTML != in.HTML || !bytes.Equal(got.PDF, pdf) || got.Period != "2024-Q4" || got.MadeBy != "ops" {
				t.Errorf("read back %q, %d PDF bytes (equal %v)", got.HTML, len(got.PDF), bytes.Equal(got.PDF, pdf))
			}
			if _, err := w.Brief(ctx, "nope"); !errors.Is(err, warehouse.ErrNotFound) {
				t.Errorf("unknown id: %v", err)
			}
			// The archive is not data: keeping a briefing starts no data version.
			if after, err := w.DataVersion(ctx); err != nil || after != before {
				t.Errorf("data version %d → %d (%v)", before, after, err)
			}
		})
	}
}
