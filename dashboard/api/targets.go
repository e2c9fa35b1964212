package api

import "jinwei/warehouse"

// TargetStatus is a target of the home province and how it stands (warehouse.TargetStatus).
type TargetStatus struct {
	Code           string     `json:"code"`
	NameZh         string     `json:"name_zh"`
	NameEn         string     `json:"name_en"`
	Year           int        `json:"year"`
	Actual         *float64   `json:"actual"`
	Goal           *float64   `json:"goal"`
	Status         string     `json:"status"`
	Measure        string     `json:"measure"`
	Note           string     `json:"note"`
	NoteEn         string     `json:"note_en"`
	Unit           string     `json:"unit"`
	Decimals       int        `json:"decimals"`
	Indicator      string     `json:"indicator"`
	NoProvinceData bool       `json:"no_province_data"`
	Inputs         []ValueRef `json:"inputs,omitempty"`
	// From is the target's first year; Before its value the year before Year.
	From   int      `json:"from"`
	Before *float64 `json:"before"`
}

// ValueRef names a loaded value a target is computed from (warehouse.ValueRef).
type ValueRef struct {
	Indicator string `json:"indicator"`
	Region    string `json:"region"`
	Year      int    `json:"year"`
}

// Targets are targets' JSON shapes.
func Targets(in []warehouse.TargetStatus) []TargetStatus {
	return each(in, func(t warehouse.TargetStatus) TargetStatus {
		out := TargetStatus{Code: t.Code, NameZh: t.NameZh, NameEn: t.NameEn, Year: t.Year, Actual: t.Actual, Goal: t.Goal,
			Status: t.Status, Measure: t.Measure, Note: t.Note, NoteEn: t.NoteEn, Unit: t.Unit, Decimals: t.Decimals, Indicator: t.Indicator,
			NoProvinceData: t.NoProvinceData, From: t.From, Before: t.Before}
		out.Inputs = each(t.Inputs, func(v warehouse.ValueRef) ValueRef { return ValueRef(v) })
		return out
	})
}
