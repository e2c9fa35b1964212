package warehouse

import (
	"context"
	"fmt"
	"strings"

	"jinwei/warehouse/ch"
	"jinwei/warehouse/measure"
)

// Region is one row of the region dimension.
type Region struct {
	Code              string
	NameZh            string
	ShortZh           string
	NameEn            string
	Level             string
	ParentCode        string
	DivisionType      string
	MacroRegion       string
	PovertyAlleviated bool
	NationalKey       bool
	ProvincialKey     bool
	Counted           bool
	Generated         bool
}

// NationCode is the region code of the whole country.
const NationCode = "100000"

// Indicator is one row of the indicator dimension, with the years that have values.
type Indicator struct {
	Code      string
	NameZh    string
	NameEn    string
	Unit      string
	Direction int
	Frequency string
	Category  string
	// DescriptionZh and DescriptionEn define what is counted and from which vintage (the
	// English empty where the file gave none).
	DescriptionZh, DescriptionEn string
	// Kind says what the values are (total, per_capita, rate, index, share, count) and so
	// which comparisons the pages make (see warehouse/measure).
	Kind measure.Kind
	// PriceBasis is current (growth from the values is nominal, 名义), constant (real,
	// 实际) or none; Base is an index's base (上年=100).
	PriceBasis string
	Base       string
	// RealGrowth names the indicator holding this one's real growth, when one is loaded.
	RealGrowth string
	// Years are the years in which provinces have values: none for an indicator loaded for
	// the nation or the counties only, which has no provincial ranking or map.
	Years []int
}

// Neutral says whether the indicator is a size neither good nor bad (population): ranked
// largest first, its places are moves, not gains or losses.
func (i Indicator) Neutral() bool { return i.Direction == measure.Neutral }

// RanksProvinces says whether any province has a value of the indicator, so that a ranking
// or a map of provinces can be drawn of it.
func (i Indicator) RanksProvinces() bool { return len(i.Years) > 0 }

// NamedBasis is the price basis the indicator's name says wherever it is named: a growth
// rate of money is nominal or real (地区生产总值增速（实际）); "" for any other indicator,
// whose name says all.
func (i Indicator) NamedBasis() string {
	if i.Kind != measure.Rate {
		return ""
	}
	return i.PriceBasis
}

// PeerGroup is a named set of regions compared with each other.
type PeerGroup struct {
	Code    string
	NameZh  string
	NameEn  string
	Builtin bool
	Members []string
}

// Regions lists every region.
func (w *Warehouse) Regions(ctx context.Context) ([]Region, error) {
	res, err := w.named(ctx, "regions", nil)
	if err != nil {
		return nil, err
	}
	var out []Region
	err = res.each(func(rr *rowReader) {
		out = append(out, Region{
			Code: rr.str("code"), NameZh: rr.str("name_zh"), ShortZh: rr.str("short_zh"), NameEn: rr.str("name_en"),
			Level: rr.str("level"), ParentCode: rr.str("parent_code"), DivisionType: rr.str("division_type"),
			MacroRegion:       rr.str("macro_region"),
			PovertyAlleviated: rr.int("poverty_alleviated") == 1, NationalKey: rr.int("national_key") == 1,
			ProvincialKey: rr.int("provincial_key") == 1, Counted: rr.int("counted") == 1, Generated: rr.int("generated") == 1,
		})
	})
	return out, err
}

// Indicators lists every indicator with the years in which provinces have values.
func (w *Warehouse) Indicators(ctx context.Context) ([]Indicator, error) {
	res, err := w.named(ctx, "indicators", nil)
	if err != nil {
		return nil, err
	}
	var out []Indicator
	err = res.each(func(rr *rowReader) {
		out = append(out, Indicator{
			Code: rr.str("code"), NameZh: rr.str("name_zh"), NameEn: rr.str("name_en"), Unit: rr.str("unit"),
			Direction: rr.int("direction"), Frequency: rr.str("frequency"), Category: rr.str("category"),
			DescriptionZh: rr.str("description_zh"), DescriptionEn: rr.str("description_en"),
			Kind: measure.Kind(rr.str("kind")), PriceBasis: rr.str("price_basis"), Base: rr.str("base"), RealGrowth: rr.str("real_growth"),
			Years: rr.ints("years"),
		})
	})
	return out, err
}

// PeerGroups lists the peer groups with their members.
func (w *Warehouse) PeerGroups(ctx context.Context) ([]PeerGroup, error) {
	res, err := w.named(ctx, "peer_groups", nil)
	if err != nil {
		return nil, err
	}
	var out []PeerGroup
	err = res.each(func(rr *rowReader) {
		out = append(out, PeerGroup{
			Code: rr.str("code"), NameZh: rr.str("name_zh"), NameEn: rr.str("name_en"),
			Builtin: rr.int("builtin") == 1, Members: rr.strings("members"),
		})
	})
	return out, err
}

// CampaignMetric is one metric of the 三抓三促 campaign.
type CampaignMetric struct {
	Code      string
	NameZh    string
	NameEn    string
	Dimension string
	Unit      string
	Direction int
}

// CampaignMetrics lists the campaign's metrics.
func (w *Warehouse) CampaignMetrics(ctx context.Context) ([]CampaignMetric, error) {
	res, err := w.named(ctx, "campaign_metric_defs", nil)
	if err != nil {
		return nil, err
	}
	var out []CampaignMetric
	err = res.each(func(rr *rowReader) {
		out = append(out, CampaignMetric{Code: rr.str("code"), NameZh: rr.str("name_zh"), NameEn: rr.str("name_en"),
			Dimension: rr.str("dimension"), Unit: rr.str("unit"), Direction: rr.int("direction")})
	})
	return out, err
}

// RegionAliases maps other names of regions to their codes.
func (w *Warehouse) RegionAliases(ctx context.Context) (map[string]string, error) {
	res, err := w.named(ctx, "region_aliases", nil)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	err = res.each(func(rr *rowReader) { out[rr.str("alias")] = rr.str("region_code") })
	return out, err
}

// StoredColumns reads columns of a dimension table as they stand, each as text, by its key
// column's value: what a reference file that leaves those columns out keeps (a regions file
// of code, name_zh and level blanked every other column of the regions it named). The table
// and column names are the ETL's own reference tables', never a user's.
func (w *Warehouse) StoredColumns(ctx context.Context, table, key string, cols []string) (map[string]map[string]string, error) {
	sel := make([]string, 0, len(cols)+1)
	for _, c := range append([]string{key}, cols...) {
		sel = append(sel, "toString("+ch.QuoteIdent(c)+") AS "+ch.QuoteIdent(c))
	}
	res, err := w.query(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM "+ch.QuoteIdent(table)+" FINAL", nil)
	if err != nil {
		return nil, fmt.Errorf("stored %s: %w", table, err)
	}
	out := map[string]map[string]string{}
	err = res.each(func(rr *rowReader) {
		row := make(map[string]string, len(cols))
		for _, c := range cols {
			row[c] = rr.str(c)
		}
		out[rr.str(key)] = row
	})
	return out, err
}
