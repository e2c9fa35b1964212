package api

import "jinwei/warehouse"

// PublishedRank is a unit's place in a published ranking (warehouse.PublishedRank).
type PublishedRank struct {
	Unit  string  `json:"unit"`
	Name  string  `json:"name"`
	Score float64 `json:"score"`
	Rank  int     `json:"rank"`
	// Partial: without a place (rank 0) for reporting on too few items; a unit without a
	// place that is not partial did not report.
	Partial bool `json:"partial"`
}

// Standing is what a unit may see of its month's ranking (warehouse.Standing).
type Standing struct {
	Month     string          `json:"month"`
	Kind      string          `json:"kind"`
	Own       *UnitScore      `json:"own,omitempty"`
	Published *Publication    `json:"published,omitempty"`
	Ranks     []PublishedRank `json:"ranks"`
}

// StandingOf is a standing's JSON shape; nil stays nil.
func StandingOf(s *warehouse.Standing) *Standing {
	return ptr(s, func(s warehouse.Standing) Standing {
		return Standing{Month: s.Month, Kind: s.Kind, Own: ptr(s.Own, unitScore), Published: ptr(s.Published, publication),
			Ranks: each(s.Ranks, func(r warehouse.PublishedRank) PublishedRank { return PublishedRank(r) })}
	})
}
