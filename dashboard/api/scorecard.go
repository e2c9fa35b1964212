package api

import "jinwei/warehouse/scorecard"

// ScorecardItem is an item of the campaign's scoring method (scorecard.Item).
type ScorecardItem struct {
	Code      string            `json:"code"`
	NameZh    string            `json:"name_zh"`
	NameEn    string            `json:"name_en"`
	Dimension string            `json:"dimension"`
	Formula   scorecard.Formula `json:"formula"`
	Num       string            `json:"num"`
	Den       string            `json:"den,omitempty"`
	Direction int               `json:"direction"`
	Weight    float64           `json:"weight"`
	Kinds     []string          `json:"kinds"`
	Deadline  int               `json:"deadline,omitempty"`
	Pool      int               `json:"pool,omitempty"`
	MinSpread float64           `json:"min_spread"`
	Step      float64           `json:"step"`
	Note      string            `json:"note,omitempty"`
	NoteEn    string            `json:"note_en,omitempty"`
}

// Yardstick is the median and spread an item's values are scored against
// (scorecard.Yardstick).
type Yardstick struct {
	Median float64 `json:"median"`
	Spread float64 `json:"spread"`
	N      int     `json:"n"`
}

// ItemScore is a unit's score on one item (scorecard.ItemScore).
type ItemScore struct {
	Code       string           `json:"code"`
	Status     scorecard.Status `json:"status"`
	Value      float64          `json:"value"`
	Normalised float64          `json:"normalised"`
	Points     float64          `json:"points"`
	Weight     float64          `json:"weight"`
}

// ScoredUnit is a unit's scores and rank (scorecard.Unit).
type ScoredUnit struct {
	Code       string             `json:"code"`
	Name       string             `json:"name"`
	Reported   bool               `json:"reported"`
	Partial    bool               `json:"partial"`
	Items      []ItemScore        `json:"items"`
	Dimensions map[string]float64 `json:"dimensions"`
	Score      float64            `json:"score"`
	Rank       int                `json:"rank"`
	Missing    []string           `json:"missing,omitempty"`
}

// Hint is the step on one item that would gain a unit the most (scorecard.Hint).
type Hint struct {
	Item     string            `json:"item"`
	Step     float64           `json:"step"`
	Score    float64           `json:"score"`
	Rank     int               `json:"rank"`
	Formula  scorecard.Formula `json:"formula"`
	Gain     float64           `json:"gain"`
	Improves bool              `json:"improves_rank"`
}

func scoredUnit(u scorecard.Unit) ScoredUnit {
	return ScoredUnit{Code: u.Code, Name: u.Name, Reported: u.Reported, Partial: u.Partial,
		Items:      each(u.Items, func(s scorecard.ItemScore) ItemScore { return ItemScore(s) }),
		Dimensions: u.Dimensions, Score: u.Score, Rank: u.Rank, Missing: u.Missing}
}
