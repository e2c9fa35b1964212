package api

import (
	"time"

	"jinwei/warehouse"
	"jinwei/warehouse/scorecard"
)

// Unit is a campaign reporting unit (warehouse.Unit).
type Unit struct {
	Code    string `json:"code"`
	NameZh  string `json:"name_zh"`
	NameEn  string `json:"name_en"`
	Kind    string `json:"kind"`
	Parent  string `json:"parent,omitempty"`
	Retired bool   `json:"retired,omitempty"`
}

// UnitOf is a unit's JSON shape.
func UnitOf(u warehouse.Unit) Unit { return Unit(u) }

// ReportState is where a unit's report of a month stands (warehouse.ReportState).
type ReportState struct {
	State    string    `json:"state"`
	Revision int       `json:"revision,omitempty"`
	At       time.Time `json:"at,omitzero"`
	Comment  string    `json:"comment,omitempty"`
}

// ReportStateOf is a report state's JSON shape.
func ReportStateOf(s warehouse.ReportState) ReportState { return ReportState(s) }

// ReportEvent is a step in a report's history: saved, submitted, returned
// (warehouse.ReportEvent).
type ReportEvent struct {
	Unit     string    `json:"unit"`
	Month    string    `json:"month"`
	Revision int       `json:"revision"`
	Action   string    `json:"action"`
	RunID    string    `json:"run_id,omitempty"`
	Channel  string    `json:"channel,omitempty"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Comment  string    `json:"comment,omitempty"`
}

// ReportEventOf is a report event's JSON shape.
func ReportEventOf(e warehouse.ReportEvent) ReportEvent { return ReportEvent(e) }

// ReportEvents are report events' JSON shapes.
func ReportEvents(in []warehouse.ReportEvent) []ReportEvent { return each(in, ReportEventOf) }

// ReportCell is one value a report gave (warehouse.ReportCell).
type ReportCell struct {
	Metric   string  `json:"metric"`
	Category int     `json:"category,omitempty"`
	Value    float64 `json:"value"`
}

// ReportCells are values' JSON shapes.
func ReportCells(in []warehouse.ReportCell) []ReportCell {
	return each(in, func(c warehouse.ReportCell) ReportCell { return ReportCell(c) })
}

// Draft is a unit's unsubmitted report (warehouse.Draft).
type Draft struct {
	Body    string    `json:"body"`
	SavedBy string    `json:"saved_by"`
	SavedAt time.Time `json:"saved_at"`
}

// DraftOf is a draft's JSON shape; nil stays nil.
func DraftOf(d *warehouse.Draft) *Draft {
	return ptr(d, func(d warehouse.Draft) Draft { return Draft(d) })
}

// Completeness is which units reported which months (warehouse.Completeness).
type Completeness struct {
	Months    []string        `json:"months"`
	Deadlines []time.Time     `json:"deadlines"`
	Units     []Unit          `json:"units"`
	States    [][]ReportState `json:"states"`
}

// CompletenessOf is the completeness grid's JSON shape; nil stays nil.
func CompletenessOf(c *warehouse.Completeness) *Completeness {
	return ptr(c, func(c warehouse.Completeness) Completeness {
		return Completeness{Months: c.Months, Deadlines: c.Deadlines, Units: each(c.Units, UnitOf),
			States: each(c.States, func(row []warehouse.ReportState) []ReportState { return each(row, ReportStateOf) })}
	})
}

// ReportCheck is a figure of a submitted report its unit is asked to look at again: a
// rate's numerator above its denominator (scorecard.Excess), metrics by code.
type ReportCheck struct {
	Item             string  `json:"item"`
	Numerator        string  `json:"numerator"`
	NumeratorValue   float64 `json:"numerator_value"`
	Denominator      string  `json:"denominator"`
	DenominatorValue float64 `json:"denominator_value"`
}

// ReportChecks are the checks' JSON shapes; none is an empty list.
func ReportChecks(es []scorecard.Excess) []ReportCheck {
	out := []ReportCheck{}
	for _, e := range es {
		out = append(out, ReportCheck{Item: e.Item.Code, Numerator: e.Item.Num, NumeratorValue: e.Num, Denominator: e.Item.Den, DenominatorValue: e.Den})
	}
	return out
}
