package api

import (
	"jinwei/warehouse"
	"jinwei/warehouse/scorecard"
)

// UnitScore is a campaign unit's scorecard row with its rank change (warehouse.UnitScore).
type UnitScore struct {
	ScoredUnit
	// NameEn is the unit's English name (Name is its Chinese one).
	NameEn     string  `json:"name_en"`
	Population float64 `json:"population,omitempty"`
	PrevRank   int     `json:"prev_rank"`
	RankChange int     `json:"rank_change"`
	HasChange  bool    `json:"has_change"`
	Hint       *Hint   `json:"hint,omitempty"`
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
	Month               string               `json:"month"`
	Months              []string             `json:"months"`
	Kind                string               `json:"kind"`
	Items               []ScorecardItem      `json:"items"`
	Weights             map[string]float64   `json:"weights"`
	Yardsticks          map[string]Yardstick `json:"yardsticks"`
	Units               []UnitScore          `json:"units"`
	Categories          []CategoryCount      `json:"categories"`
	Baseline            string               `json:"baseline"`
	PrevMonth           string               `json:"prev_month,omitempty"`
	BaselinePublication *Publication         `json:"baseline_publication,omitempty"`
	Published           *Publication         `json:"published,omitempty"`
}

// TrendPoint is a month's province-wide totals (warehouse.TrendPoint).
type TrendPoint struct {
	Month  string             `json:"month"`
	Totals map[string]float64 `json:"totals"`
}

func unitScore(u warehouse.UnitScore) UnitScore {
	return UnitScore{ScoredUnit: scoredUnit(u.Unit), Population: u.Population, PrevRank: u.PrevRank, RankChange: u.RankChange,
		HasChange: u.HasChange, Hint: ptr(u.Hint, func(h scorecard.Hint) Hint { return Hint(h) })}
}

func yardsticks(in map[string]scorecard.Yardstick) map[string]Yardstick {
	if in == nil {
		return nil
	}
	out := make(map[string]Yardstick, len(in))
	for k, y := range in {
		out[k] = Yardstick(y)
	}
	return out
}

func publication(p warehouse.Publication) Publication { return Publication(p) }

// ScorecardOf is a scorecard's JSON shape; nil stays nil.
func ScorecardOf(sc *warehouse.Scorecard) *Scorecard {
	return ptr(sc, func(sc warehouse.Scorecard) Scorecard {
		return Scorecard{Month: sc.Month, Months: sc.Months, Kind: sc.Kind, Weights: sc.Weights,
			Items:      each(sc.Items, func(it scorecard.Item) ScorecardItem { return ScorecardItem(it) }),
			Yardsticks: yardsticks(sc.Yardsticks), Units: each(sc.Units, unitScore),
			Categories: each(sc.Categories, func(c warehouse.CategoryCount) CategoryCount { return CategoryCount(c) }),
			Baseline:   sc.Baseline, PrevMonth: sc.PrevMonth, BaselinePublication: ptr(sc.BaselinePublication, publication),
			Published: ptr(sc.Published, publication)}
	})
}

// Trend is the trend's JSON shape.
func Trend(in []warehouse.TrendPoint) []TrendPoint {
	return each(in, func(p warehouse.TrendPoint) TrendPoint { return TrendPoint(p) })
}
