package warehouse

import (
	"context"
	"time"
)

// LedgerItem is one rectification item as of a day.
type LedgerItem struct {
	ItemID          string
	Source          string
	RegionCode      string
	Category        string
	Title           string
	ResponsibleUnit string
	FoundDate       string
	Deadline        string
	Status          string
	Progress        float64
	LastReport      string
	Overdue         bool
	Generated       bool
	// Unit is the reporting unit the item's 责任单位 names ('' when none is known).
	Unit string
	// RunID is the load whose report gave the item its status on the day.
	RunID string
}

// StatusEvent is one reported status of a ledger item: a ledger file's row, or a step of
// the closure loop taken on the dashboard.
type StatusEvent struct {
	Date     string
	Status   string
	Progress float64
	Note     string
	// By is the account that took the step; empty for a ledger file's row, whose load
	// RunID names the file.
	By string
	// At is when the event was recorded (UTC, to the second).
	At    string
	RunID string
}

// LedgerOn lists the items scope sees that were found by day asOf, with their status that
// day, overdue first.
func (w *Warehouse) LedgerOn(ctx context.Context, scope RowScope, asOf time.Time) ([]LedgerItem, error) {
	res, err := w.named(ctx, "ecology_status_on", scope.params(Params{"as_of": asOf.Format("2006-01-02"), "open": openStatusesParam()}))
	if err != nil {
		return nil, err
	}
	var out []LedgerItem
	err = res.each(func(rr *rowReader) {
		out = append(out, LedgerItem{
			ItemID: rr.str("item_id"), Source: rr.str("source"), RegionCode: rr.str("region_code"), Category: rr.str("category"),
			Title: rr.str("title"), ResponsibleUnit: rr.str("responsible_unit"), FoundDate: rr.str("found_date"),
			Deadline: rr.str("deadline"), Status: rr.str("status"), Progress: rr.float("progress"), LastReport: rr.str("last_report"),
			Overdue: rr.int("overdue") == 1, Generated: rr.int("generated") == 1, Unit: rr.str("unit_code"), RunID: rr.str("run_id"),
		})
	})
	return out, err
}

// ItemHistory lists one item's reported statuses in date order; none when scope does not
// see the item.
func (w *Warehouse) ItemHistory(ctx context.Context, scope RowScope, itemID string) ([]StatusEvent, error) {
	res, err := w.named(ctx, "ecology_history", scope.params(Params{"item_id": itemID}))
	if err != nil {
		return nil, err
	}
	var out []StatusEvent
	err = res.each(func(rr *rowReader) {
		ev := StatusEvent{Date: rr.str("event_date"), Status: rr.str("status"), Progress: rr.float("progress_pct"), Note: rr.str("note"),
			By: rr.str("by"), At: rr.str("at")}
		if ev.By == "" {
			ev.RunID = rr.str("run_id")
		}
		out = append(out, ev)
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
