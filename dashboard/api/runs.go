package api

import (
	"time"

	"jinwei/warehouse"
)

// Run is a load's record (warehouse.Run). Its keys were ever the Go field names, and
// clients (jinwei's own CLI among them) read them so.
type Run struct {
	ID           string    `json:"ID"`
	Job          string    `json:"Job"`
	FilePath     string    `json:"FilePath"`
	ContentHash  string    `json:"ContentHash"`
	UnchangedKey string    `json:"UnchangedKey"`
	Vintage      string    `json:"Vintage"`
	VintageEn    string    `json:"VintageEn"`
	Status       string    `json:"Status"`
	RowsRead     int       `json:"RowsRead"`
	RowsLoaded   int       `json:"RowsLoaded"`
	RowsRejected int       `json:"RowsRejected"`
	RowsNoValue  int       `json:"RowsNoValue"`
	RowsSkipped  int       `json:"RowsSkipped"`
	StartedAt    time.Time `json:"StartedAt"`
	FinishedAt   time.Time `json:"FinishedAt"`
	Message      string    `json:"Message"`
	MessageZh    string    `json:"MessageZh"`
	StartedBy    string    `json:"StartedBy"`
}

// RunOf is a run's JSON shape.
func RunOf(r warehouse.Run) Run { return Run(r) }

// Runs are runs' JSON shapes.
func Runs(in []warehouse.Run) []Run { return each(in, RunOf) }

// Reject is a row a load refused, and why (warehouse.Reject); keys as Run's.
type Reject struct {
	FilePath string `json:"FilePath"`
	Line     int    `json:"Line"`
	Location string `json:"Location"`
	Raw      string `json:"Raw"`
	Reason   string `json:"Reason"`
	ReasonZh string `json:"ReasonZh"`
	Code     string `json:"Code"`
}

// Rejects are rejects' JSON shapes.
func Rejects(in []warehouse.Reject) []Reject {
	return each(in, func(r warehouse.Reject) Reject {
		return Reject{FilePath: r.FilePath, Line: r.Line, Location: r.Location, Raw: r.Raw, Reason: r.Reason, ReasonZh: r.ReasonZh, Code: r.Code}
	})
}
