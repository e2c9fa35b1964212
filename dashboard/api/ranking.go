package api

import (
	"jinwei/warehouse"
	"jinwei/warehouse/measure"
)

// RankRow is one region's place in a ranking (warehouse.RankRow).
type RankRow struct {
	RegionCode string  `json:"region_code"`
	NameZh     string  `json:"name_zh"`
	ShortZh    string  `json:"short_zh"`
	NameEn     string  `json:"name_en"`
	Value      float64 `json:"value"`
	Rank       int     `json:"rank"`
	RankAll    int     `json:"rank_all"`
	PrevRank   int     `json:"prev_rank"`
	RankChange int     `json:"rank_change"`
	HasPrev    bool    `json:"has_prev"`
	Change     Change  `json:"change"`
	ChangeAll  Change  `json:"change_all"`
	Home       bool    `json:"home"`
}

// Gap is what it takes to reach the place above (warehouse.Gap).
type Gap struct {
	To      RankRow `json:"to"`
	Amount  float64 `json:"amount"`
	Percent float64 `json:"percent"`
}

// HomeStanding is the home province's place, its share of the nation and its gap to the
// place above (warehouse.HomeStanding).
type HomeStanding struct {
	Row           RankRow    `json:"row"`
	GroupSize     int        `json:"group_size"`
	AllSize       int        `json:"all_size"`
	TiedGroup     int        `json:"tied_group"`
	TiedAll       int        `json:"tied_all"`
	RatioToNation *float64   `json:"ratio_to_nation"`
	GapToNation   *NationGap `json:"gap_to_nation"`
	NextUp        *Gap       `json:"next_up"`
}

// MissingRegion is a region without a value in the year ranked (warehouse.MissingRegion).
type MissingRegion struct {
	Code   string `json:"code"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en"`
}

// Ranking is an indicator's ranking in a peer group and year (warehouse.Ranking).
type Ranking struct {
	Indicator   Indicator       `json:"indicator"`
	Group       PeerGroup       `json:"group"`
	Year        int             `json:"year"`
	Rows        []RankRow       `json:"rows"`
	Nation      *float64        `json:"nation"`
	NationPrev  *float64        `json:"nation_prev"`
	Home        *HomeStanding   `json:"home"`
	HomeStatus  string          `json:"home_status"`
	Missing     []MissingRegion `json:"missing"`
	MissingAll  []MissingRegion `json:"missing_all"`
	NationYears []int           `json:"nation_years,omitempty"`
	Generated   bool            `json:"generated"`
	Sources     []Lineage       `json:"sources"`
}

func rankRow(r warehouse.RankRow) RankRow {
	return RankRow{RegionCode: r.RegionCode, NameZh: r.NameZh, ShortZh: r.ShortZh, NameEn: r.NameEn, Value: r.Value, Rank: r.Rank,
		RankAll: r.RankAll, PrevRank: r.PrevRank, RankChange: r.RankChange, HasPrev: r.HasPrev, Change: change(r.Change),
		ChangeAll: change(r.ChangeAll), Home: r.Home}
}

func missing(m warehouse.MissingRegion) MissingRegion { return MissingRegion(m) }

func homeStanding(h warehouse.HomeStanding) HomeStanding {
	return HomeStanding{Row: rankRow(h.Row), GroupSize: h.GroupSize, AllSize: h.AllSize, TiedGroup: h.TiedGroup, TiedAll: h.TiedAll, RatioToNation: h.RatioToNation,
		GapToNation: ptr(h.GapToNation, func(g measure.NationGap) NationGap { return NationGap(g) }),
		NextUp:      ptr(h.NextUp, func(g warehouse.Gap) Gap { return Gap{To: rankRow(g.To), Amount: g.Amount, Percent: g.Percent} })}
}

func ranking(r warehouse.Ranking) Ranking {
	return Ranking{Indicator: IndicatorOf(r.Indicator), Group: PeerGroupOf(r.Group), Year: r.Year, Rows: each(r.Rows, rankRow),
		Nation: r.Nation, NationPrev: r.NationPrev, Home: ptr(r.Home, homeStanding), HomeStatus: r.HomeStatus,
		Missing: each(r.Missing, missing), MissingAll: each(r.MissingAll, missing), NationYears: r.NationYears,
		Generated: r.Generated, Sources: Lineages(r.Sources)}
}

// RankingOf is a ranking's JSON shape; nil stays nil.
func RankingOf(r *warehouse.Ranking) *Ranking { return ptr(r, ranking) }

// Rankings are rankings' JSON shapes.
func Rankings(in []*warehouse.Ranking) []*Ranking { return each(in, RankingOf) }
