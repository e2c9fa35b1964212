package api

import (
	"jinwei/warehouse"
	"jinwei/warehouse/measure"
)

// Indicator is an indicator with the years it has values (warehouse.Indicator).
type Indicator struct {
	Code      string `json:"code"`
	NameZh    string `json:"name_zh"`
	NameEn    string `json:"name_en"`
	Unit      string `json:"unit"`
	Direction int    `json:"direction"`
	Frequency string `json:"frequency"`
	Category  string `json:"category"`
	// DescriptionZh and DescriptionEn define what is counted, and from which vintage.
	DescriptionZh string       `json:"description_zh"`
	DescriptionEn string       `json:"description_en"`
	Kind          measure.Kind `json:"kind"`
	PriceBasis    string       `json:"price_basis"`
	Base          string       `json:"base"`
	RealGrowth    string       `json:"real_growth"`
	Years         []int        `json:"years"`
}

// IndicatorOf is an indicator's JSON shape.
func IndicatorOf(in warehouse.Indicator) Indicator { return Indicator(in) }

// PeerGroup is a group of provinces ranked together (warehouse.PeerGroup).
type PeerGroup struct {
	Code    string   `json:"code"`
	NameZh  string   `json:"name_zh"`
	NameEn  string   `json:"name_en"`
	Builtin bool     `json:"builtin"`
	Members []string `json:"members"`
}

// PeerGroupOf is a peer group's JSON shape.
func PeerGroupOf(in warehouse.PeerGroup) PeerGroup { return PeerGroup(in) }
