package api

import "jinwei/warehouse"

// CountyRow is a county's value and places (warehouse.CountyRow).
type CountyRow struct {
	Code              string   `json:"code"`
	NameZh            string   `json:"name_zh"`
	ShortZh           string   `json:"short_zh"`
	NameEn            string   `json:"name_en"`
	CityCode          string   `json:"city_code"`
	CityZh            string   `json:"city_zh"`
	CityEn            string   `json:"city_en"`
	PovertyAlleviated bool     `json:"poverty_alleviated"`
	NationalKey       bool     `json:"national_key"`
	ProvincialKey     bool     `json:"provincial_key"`
	Value             float64  `json:"value"`
	Prev              *float64 `json:"prev"`
	Growth            *float64 `json:"growth"`
	Rank              int      `json:"rank"`
	GrowthRank        int      `json:"growth_rank"`
	PrevRank          int      `json:"prev_rank"`
	RankChange        int      `json:"rank_change"`
	Generated         bool     `json:"generated"`
}

// CountyRanking is the province's counties ranked on an indicator (warehouse.CountyRanking).
type CountyRanking struct {
	Indicator Indicator   `json:"indicator"`
	Year      int         `json:"year"`
	Years     []int       `json:"years"`
	Rows      []CountyRow `json:"rows"`
	Generated bool        `json:"generated"`
	Sources   []Lineage   `json:"sources"`
}

// CountyIncomeTargets is how the counties meet the income targets
// (warehouse.CountyIncomeTargets).
type CountyIncomeTargets struct {
	Year         int                `json:"year"`
	RuralAverage float64            `json:"rural_average"`
	UrbanAverage float64            `json:"urban_average"`
	Counties     []CountyTargetRow  `json:"counties"`
	Summary      CountyTargetCounts `json:"summary"`
	Sources      []Lineage          `json:"sources"`
}

// CountyTargetRow is a county's income growth against the targets
// (warehouse.CountyTargetRow).
type CountyTargetRow struct {
	County          CountyRow `json:"county"`
	RuralGrowth     float64   `json:"rural_growth"`
	UrbanGrowth     float64   `json:"urban_growth"`
	RuralAboveUrban bool      `json:"rural_above_urban"`
	AboveProvince   *bool     `json:"above_province"`
}

// CountyTargetCounts counts the counties meeting each target
// (warehouse.CountyTargetCounts); its keys were ever the field names.
type CountyTargetCounts struct {
	Counties             int `json:"Counties"`
	RuralAboveUrban      int `json:"RuralAboveUrban"`
	Poverty              int `json:"Poverty"`
	PovertyAboveProvince int `json:"PovertyAboveProvince"`
}

func countyRow(r warehouse.CountyRow) CountyRow { return CountyRow(r) }

// CountyRankingOf is a county ranking's JSON shape; nil stays nil.
func CountyRankingOf(r *warehouse.CountyRanking) *CountyRanking {
	return ptr(r, func(r warehouse.CountyRanking) CountyRanking {
		return CountyRanking{Indicator: IndicatorOf(r.Indicator), Year: r.Year, Years: r.Years, Rows: each(r.Rows, countyRow),
			Generated: r.Generated, Sources: Lineages(r.Sources)}
	})
}

// CountyIncomeTargetsOf is the income targets' JSON shape; nil stays nil.
func CountyIncomeTargetsOf(t *warehouse.CountyIncomeTargets) *CountyIncomeTargets {
	return ptr(t, func(t warehouse.CountyIncomeTargets) CountyIncomeTargets {
		return CountyIncomeTargets{Year: t.Year, RuralAverage: t.RuralAverage, UrbanAverage: t.UrbanAverage,
			Counties: each(t.Counties, func(r warehouse.CountyTargetRow) CountyTargetRow {
				return CountyTargetRow{County: countyRow(r.County), RuralGrowth: r.RuralGrowth, UrbanGrowth: r.UrbanGrowth,
					RuralAboveUrban: r.RuralAboveUrban, AboveProvince: r.AboveProvince}
			}),
			Summary: CountyTargetCounts(t.Summary), Sources: Lineages(t.Sources)}
	})
}
