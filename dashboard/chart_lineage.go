package dashboard

import "net/url"

// linkSeries makes each datum of one of a chart's series carry the /lineage address of the
// number it draws: app.js opens it on a click and names it in the tooltip, so a number in
// a chart leads to its source as a table row does. An empty address leaves the datum as it
// was (no value, or a figure made of many, such as a median or a city's total).
//
// A go-echarts option is made plain first; a plain one is linked in place, so that linking
// each of a chart's series in turn does not encode the whole chart again for every one (the
// rank history of 31 provinces spent 0.15 s doing so on each ranking page).
func linkSeries(option map[string]any, series int, links []string) map[string]any {
	o := option
	if _, plain := o["series"].([]any); !plain {
		o = plainOption(o)
	}
	list, _ := o["series"].([]any)
	if series < 0 || series >= len(list) {
		return o
	}
	s, _ := list[series].(map[string]any)
	data, _ := s["data"].([]any)
	for i, d := range data {
		if i >= len(links) || links[i] == "" {
			continue
		}
		item, ok := d.(map[string]any)
		if !ok {
			item = map[string]any{"value": d}
		}
		item["lineage"] = links[i]
		data[i] = item
	}
	return o
}

// yearLinks are the /lineage addresses of a region's value in each year that has one.
func yearLinks(indicator, region string, years []int, values []*float64, lang string) []string {
	links := make([]string, len(years))
	for i, y := range years {
		if i < len(values) && values[i] != nil {
			links[i] = lineageLink(indicator, region, y, lang)
		}
	}
	return links
}

// campaignLink is the /lineage address of a unit's campaign report of a month.
func campaignLink(unit, month, lang string) string {
	q := url.Values{"unit": {unit}, "month": {month}}
	if lang == langEn {
		q.Set("lang", langEn)
	}
	return "/lineage?" + q.Encode()
}

// rankLinks are the addresses of the values a rank history ranks: a rank exists where the
// value does.
func rankLinks(indicator, region string, years []int, ranks []int, lang string) []string {
	links := make([]string, len(years))
	for i, y := range years {
		if i < len(ranks) && ranks[i] > 0 {
			links[i] = lineageLink(indicator, region, y, lang)
		}
	}
	return links
}

// itemLineageLink is the /lineage address of a ledger item: its description and reports.
func itemLineageLink(item, lang string) string {
	q := url.Values{"item": {item}}
	if lang == langEn {
		q.Set("lang", langEn)
	}
	return "/lineage?" + q.Encode()
}

// withDigits has app.js write series i's numbers, on its labels and in its tooltip, with a
// fixed number of decimals, as the table beside the chart writes them (echarts drops
// trailing zeros: 59.30 read 59.3).
func withDigits(option map[string]any, series, digits int) map[string]any {
	list, _ := option["series"].([]any)
	if series >= 0 && series < len(list) {
		if s, ok := list[series].(map[string]any); ok {
			s["digits"] = digits
		}
	}
	return option
}
