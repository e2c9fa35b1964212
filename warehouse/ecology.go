package warehouse

import (
	"context"
	"time"
)

// LedgerItem is one rectification item as of a day.
type LedgerItem struct {
	ItemID          string  `json:"item_id"`
	Source          string  `json:"source"`
	RegionCode      string  `json:"region_code"`
	Category        string  `json:"category"`
	Title           string  `json:"title"`
	ResponsibleUnit string  `json:"responsible_unit"`
	FoundDate       string  `json:"found_date"`
	Deadline        string  `json:"deadline"`
	Status          string  `json:"status"`
	Progress        float64 `json:"progress"`
	LastReport      string  `json:"last_report"`
	Overdue         bool    `json:"overdue"`
	Generated       bool    `json:"generated"`
	// RunID is the load whose report gave the item its status on the day.
	RunID string `json:"run_id"`
}

// StatusEvent is one reported status of a ledger item.
type StatusEvent struct {
	Date     string  `json:"date"`
	Status   string  `json:"status"`
	Progress float64 `json:"progress"`
	Note     string  `json:"note"`
	// RunID is the load that reported it.
	RunID string `json:"run_id"`
}

// LedgerOn lists the items found by day asOf with their status that day, overdue first.
func (w *Warehouse) LedgerOn(ctx context.Context, asOf time.Time) ([]LedgerItem, error) {
	res, err := w.named(ctx, "ecology_status_on", Params{"as_of": asOf.Format("2006-01-02")})
	if err != nil {
		return nil, err
	}
	var out []LedgerItem
	err = res.each(func(rr *rowReader) {
		out = append(out, LedgerItem{
			ItemID: rr.str("item_id"), Source: rr.str("source"), RegionCode: rr.str("region_code"), Category: rr.str("category"),
			Title: rr.str("title"), ResponsibleUnit: rr.str("responsible_unit"), FoundDate: rr.str("found_date"),
			Deadline: rr.str("deadline"), Status: rr.str("status"), Progress: rr.float("progress"), LastReport: rr.str("last_report"),
			Overdue: rr.int("overdue") == 1, Generated: rr.int("generated") == 1, RunID: rr.str("run_id"),
		})
	})
	return out, err
}

// ItemHistory lists one item's reported statuses in date order.
func (w *Warehouse) ItemHistory(ctx context.Context, itemID string) ([]StatusEvent, error) {
	res, err := w.named(ctx, "ecology_history", Params{"item_id": itemID})
	if err != nil {
		return nil, err
	}
	var out []StatusEvent
	err = res.each(func(rr *rowReader) {
		out = append(out, StatusEvent{Date: rr.str("event_date"), Status: rr.str("status"), Progress: rr.float("progress_pct"), Note: rr.str("note"), RunID: rr.str("run")})
	})
	return out, err
}

// LedgerDates lists the days the ledger was reported on, oldest first.
func (w *Warehouse) LedgerDates(ctx context.Context) ([]time.Time, error) {
	res, err := w.named(ctx, "ecology_report_dates", nil)
	if err != nil {
		return nil, err
	}
	var out []time.Time
	err = res.each(func(rr *rowReader) {
		if d, err := time.Parse("2006-01-02", rr.str("day")); err == nil {
			out = append(out, d)
		}
	})
	return out, err
}
