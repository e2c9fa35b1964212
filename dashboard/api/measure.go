package api

import "jinwei/warehouse/measure"

// Change is a rank change counted among the regions ranked in both years (measure.Change).
type Change struct {
	Comparable bool `json:"comparable"`
	Places     int  `json:"places"`
	Prev       int  `json:"prev"`
	Cur        int  `json:"cur"`
	Common     int  `json:"common"`
}

func change(c measure.Change) Change { return Change(c) }

// NationGap is the home value less the national one (measure.NationGap).
type NationGap struct {
	Diff   float64 `json:"diff"`
	Points bool    `json:"points"`
}

// CatchUp is how fast the home province closes on the national level (measure.CatchUp).
type CatchUp struct {
	FromYear     int     `json:"from_year"`
	ToYear       int     `json:"to_year"`
	HomeGrowth   float64 `json:"home_growth"`
	NationGrowth float64 `json:"nation_growth"`
	Ratio        float64 `json:"ratio"`
	Above        bool    `json:"above"`
	Converging   bool    `json:"converging"`
	Years        float64 `json:"years"`
}
