package warehouse_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// A kept file comes back byte for byte (binary, several chunks); it is kept once however
// often it is loaded; files older than the policy's days, and the oldest beyond its byte
// budget, are purged but stay noted; a file larger than the budget is noted, not stored.
func TestOriginalsKeptPurgedAndBounded(t *testing.T) {
	t.Parallel()
	w := whtest.Open(t)
	ctx := context.Background()
	day := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	pol := warehouse.OriginalsPolicy{Keep: 90 * 24 * time.Hour, MaxBytes: 6 << 20}
	big := make([]byte, 2<<20+12345)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range big {
		big[i] = byte(rng.UintN(256))
	}
	keep := func(hash, name string, b []byte, at time.Time) {
		t.Helper()
		if err := w.KeepOriginal(ctx, hash, name, int64(len(b)), bytes.NewReader(b), at, pol); err != nil {
			t.Fatal(err)
		}
	}
	stored := func(hash string) warehouse.Original {
		t.Helper()
		o, err := w.Original(ctx, hash)
		if err != nil {
			t.Fatalf("%s: %v", hash, err)
		}
		return o
	}
	keep("h-big", "县域经济 2024.xlsx", big, day)
	keep("h-big", "县域经济 2024.xlsx", big, day.Add(time.Hour)) // loaded again: kept once
	var got bytes.Buffer
	if err := w.WriteOriginal(ctx, "h-big", &got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), big) {
		t.Fatalf("kept file comes back as %d bytes, want the %d sent, unchanged", got.Len(), len(big))
	}
	if o := stored("h-big"); !o.Stored || o.Name != "县域经济 2024.xlsx" || o.Size != int64(len(big)) {
		t.Errorf("kept file: %+v", o)
	}
	if _, err := w.Original(ctx, "h-never"); !errors.Is(err, warehouse.ErrNoOriginal) {
		t.Errorf("a file never kept: %v, want ErrNoOriginal", err)
	}

	// Two more files of 2 MiB fill the 6 MiB budget past the first: it goes, they stay.
	keep("h-2", "b.csv", big[:2<<20], day.AddDate(0, 0, 1))
	keep("h-3", "c.csv", big[:2<<20], day.AddDate(0, 0, 2))
	keep("h-4", "d.csv", []byte("small"), day.AddDate(0, 0, 3))
	if o := stored("h-big"); o.Stored {
		t.Errorf("the oldest file beyond the byte budget is still stored")
	}
	if !stored("h-2").Stored || !stored("h-3").Stored || !stored("h-4").Stored {
		t.Errorf("newer files within the budget were purged")
	}

	// After 90 days the older ones go by age; what was kept stays noted with its name.
	if err := w.PurgeOriginals(ctx, day.AddDate(0, 0, 92), pol); err != nil {
		t.Fatal(err)
	}
	if o := stored("h-2"); o.Stored || o.Name != "b.csv" {
		t.Errorf("a file past its 90 days: %+v, want noted and not stored", o)
	}
	if !stored("h-4").Stored {
		t.Errorf("a file within its 90 days was purged")
	}

	// A file larger than the whole budget is noted as such.
	huge := warehouse.OriginalsPolicy{Keep: pol.Keep, MaxBytes: 1000}
	if err := w.KeepOriginal(ctx, "h-huge", "huge.csv", int64(len(big)), bytes.NewReader(big), day, huge); err != nil {
		t.Fatal(err)
	}
	if o := stored("h-huge"); o.Stored || !o.TooLarge {
		t.Errorf("a file beyond the budget: %+v, want too large and not stored", o)
	}
}
