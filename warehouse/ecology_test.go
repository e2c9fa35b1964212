package warehouse_test

import (
	"context"
	"testing"
	"time"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// The ledger as of a day: items found by then, each with its last reported status, and
// overdue meaning the deadline passed while the item was still open.
func TestLedgerOnDayAndItemHistory(t *testing.T) {
	t.Parallel()
	w := etltest.SharedDemo(t)
	ctx := context.Background()
	day := time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	items, err := w.LedgerOn(ctx, warehouse.ProvinceScope(), day)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 300 {
		t.Fatalf("%d items found by %s, want the demo's 300", len(items), day.Format("2006-01-02"))
	}
	overdue, film := 0, 0
	for i, it := range items {
		open := it.Status == "未整改" || it.Status == "整改中"
		if it.Overdue != (open && it.Deadline < "2024-12-31") {
			t.Errorf("%s: overdue %v with status %s and deadline %s", it.ItemID, it.Overdue, it.Status, it.Deadline)
		}
		if it.Overdue {
			overdue++
			if i > 0 && !items[i-1].Overdue {
				t.Errorf("overdue item %s listed after one that is not", it.ItemID)
			}
		}
		if it.Source == "示例·专项排查" {
			film++
		}
		if !it.Generated {
			t.Errorf("%s is not labelled generated", it.ItemID)
		}
	}
	if overdue == 0 || film != 15 {
		t.Errorf("%d overdue and %d special-survey items; want some overdue and the survey's 15", overdue, film)
	}
	early, err := w.LedgerOn(ctx, warehouse.ProvinceScope(), time.Date(2023, 3, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(early) >= len(items) || len(early) == 0 {
		t.Errorf("%d items on 2023-03-31, want fewer than %d", len(early), len(items))
	}
	history, err := w.ItemHistory(ctx, warehouse.ProvinceScope(), "GS-EC-0001")
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 8 {
		t.Fatalf("GS-EC-0001 has %d reports, want one per quarterly ledger (8)", len(history))
	}
	rank := map[string]int{"未整改": 1, "整改中": 2, "已整改": 3, "已销号": 4}
	for i := 1; i < len(history); i++ {
		if history[i].Date <= history[i-1].Date || rank[history[i].Status] < rank[history[i-1].Status] {
			t.Errorf("history goes backwards: %+v then %+v", history[i-1], history[i])
		}
	}
}
