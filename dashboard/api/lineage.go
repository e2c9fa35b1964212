package api

import (
	"time"

	"jinwei/warehouse"
)

// Lineage is a committed load a number came from (warehouse.Lineage): an answer's sources.
type Lineage struct {
	RunID     string    `json:"run_id"`
	Job       string    `json:"job"`
	File      string    `json:"file"`
	LoadedAt  time.Time `json:"loaded_at"`
	Hash      string    `json:"sha256"`
	Vintage   string    `json:"vintage,omitempty"`
	VintageEn string    `json:"vintage_en,omitempty"`
}

// Lineages are loads' JSON shapes.
func Lineages(in []warehouse.Lineage) []Lineage {
	return each(in, func(l warehouse.Lineage) Lineage { return Lineage(l) })
}
