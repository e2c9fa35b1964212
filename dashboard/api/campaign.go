package api

import (
	"jinwei/warehouse"
	"jinwei/warehouse/scorecard"
)

// UnitScore is a campaign unit's scorecard row with its rank change (warehouse.UnitScore).
type UnitScore struct {
	scorecard.Unit
	Population float64         `json:"population,omitempty"`
	PrevRank   int             `json:"prev_rank"`
	RankChange int             `json:"rank_change"`
	HasChange  bool            `json:"has_change"`
	Hint       *scorecard.Hint `json:"hint,omitempty"`
}

// CategoryCount is a category's problems found and rectified (warehouse.CategoryCount).
type CategoryCount struct {
	Category   int     `json:"category"`
	Found      float64 `json:"found"`
	Rectified  float64 `json:"rectified"`
	RectifyPct float64 `json:"rectify_pct"`
}

// Publication is when and by whom a month's ranking was published (warehouse.Publication).
type Publication struct {
	Month string `json:"month"`
	At    string `json:"at"`
	By    string `json:"by"`
}

// Scorecard is a month's campaign scorecard of one scope (warehouse.Scorecard).
type Scorecard struct {
	Month               string                         `json:"month"`
	Months              []string                       `json:"months"`
	Kind                string                         `json:"kind"`
	Items               []scorecard.Item               `json:"items"`
	Weights             map[string]float64             `json:"weights"`
	Yardsticks          map[string]scorecard.Yardstick `json:"yardsticks"`
	Units               []UnitScore                    `json:"units"`
	Categories          []CategoryCount                `json:"categories"`
	Baseline            string                         `json:"baseline"`
	PrevMonth           string                         `json:"prev_month,omitempty"`
	BaselinePublication *Publication                   `json:"baseline_publication,omitempty"`
	Published           *Publication                   `json:"published,omitempty"`
}

// TrendPoint is a month's province-wide totals (warehouse.TrendPoint).
type TrendPoint struct {
	Month  string             `json:"month"`
	Totals map[string]float64 `json:"totals"`
}

func unitScore(u warehouse.UnitScore) UnitScore { return UnitScore(u) }

func publication(p warehouse.Publication) Publication { return Publication(p) }

// ScorecardOf is a scorecard's JSON shape; nil stays nil.
func ScorecardOf(sc *warehouse.Scorecard) *Scorecard {
	return ptr(sc, func(sc warehouse.Scorecard) Scorecard {
		return Scorecard{Month: sc.Month, Months: sc.Months, Kind: sc.Kind, Items: sc.Items, Weights: sc.Weights,
			Yardsticks: sc.Yardsticks, Units: each(sc.Units, unitScore),
			Categories: each(sc.Categories, func(c warehouse.CategoryCount) CategoryCount { return CategoryCount(c) }),
			Baseline:   sc.Baseline, PrevMonth: sc.PrevMonth, BaselinePublication: ptr(sc.BaselinePublication, publication),
			Published: ptr(sc.Published, publication)}
	})
}

// Trend is the trend's JSON shape.
func Trend(in []warehouse.TrendPoint) []TrendPoint {
	return each(in, func(p warehouse.TrendPoint) TrendPoint { return TrendPoint(p) })
}
