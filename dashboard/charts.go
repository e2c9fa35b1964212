package dashboard

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"jinwei/warehouse"
)

const (
	colorHome  = "#c0392b"
	colorPeer  = "#5b8ff9"
	colorGuide = "#8c8c8c"
)

// rankingChart draws the group's members best-first as horizontal bars, the home province
// in red and the national figure as a line. It returns the echarts option: the page embeds it
// as JSON data and the local echarts draws it.
func rankingChart(r *warehouse.Ranking, lang string) map[string]any {
	names := make([]string, len(r.Rows))
	data := make([]opts.BarData, len(r.Rows))
	for i, row := range r.Rows {
		names[i] = regionName(row, lang)
		color := colorPeer
		if row.Home {
			color = colorHome
		}
		data[i] = opts.BarData{Name: names[i], Value: row.Value, ItemStyle: &opts.ItemStyle{Color: color}}
	}
	title := fmt.Sprintf(t(lang, "chart_title"), indicatorName(r.Indicator, lang), r.Indicator.Unit, r.Year)
	bar := charts.NewBar()
	bar.SetGlobalOptions(chartBase("ranking", title, groupName(r.Group, lang), lang)...)
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "110", Right: "60", Top: "70", Bottom: "30"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: r.Indicator.Unit}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}),
	)
	bar.SetXAxis(names)
	seriesOpts := []charts.SeriesOpts{charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"})}
	if r.Nation != nil {
		seriesOpts = append(seriesOpts,
			charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: t(lang, "nation"), XAxis: *r.Nation}),
			charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"},
				LineStyle: &opts.LineStyle{Color: colorGuide, Type: "dashed"},
				Label:     &opts.Label{Show: opts.Bool(true), Position: "end", Formatter: t(lang, "nation") + " {c}"}}),
		)
	}
	bar.AddSeries(indicatorName(r.Indicator, lang), data, seriesOpts...)
	bar.XYReversal()
	return optionOf(bar)
}

func regionName(r warehouse.RankRow, lang string) string {
	if lang == langEn && r.NameEn != "" {
		return r.NameEn
	}
	if r.ShortZh != "" {
		return r.ShortZh
	}
	return r.NameZh
}

func indicatorName(i warehouse.Indicator, lang string) string {
	if lang == langEn && i.NameEn != "" {
		return i.NameEn
	}
	return i.NameZh
}

func groupName(g warehouse.PeerGroup, lang string) string {
	if lang == langEn && g.NameEn != "" {
		return g.NameEn
	}
	return g.NameZh
}

// seriesColor gives the home province red and the others a muted palette.
func seriesColor(home bool, i int) string {
	if home {
		return colorHome
	}
	palette := []string{"#5b8ff9", "#5ad8a6", "#5d7092", "#f6bd16", "#6f5ef9", "#6dc8ec", "#945fb9", "#ff9845", "#1e9493", "#ff99c3"}
	return palette[i%len(palette)]
}

func yearLabels(years []int) []string {
	out := make([]string, len(years))
	for i, y := range years {
		out[i] = fmt.Sprint(y)
	}
	return out
}

func lineData(values []*float64) []opts.LineData {
	out := make([]opts.LineData, len(values))
	for i, v := range values {
		if v != nil {
			out[i] = opts.LineData{Value: roundTo(*v, 2)}
		} else {
			out[i] = opts.LineData{Value: "-"}
		}
	}
	return out
}

func roundTo(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// rankHistoryChart draws each member's rank over the years, first place on top, the home
// province bold and red.
func rankHistoryChart(tr *warehouse.Trajectory, lang string) map[string]any {
	line := charts.NewLine()
	line.SetGlobalOptions(chartBase("rank-history", t(lang, "rank_history"), indicatorName(tr.Indicator, lang)+" · "+groupName(tr.Group, lang), lang)...)
	line.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithGridOpts(opts.Grid{Left: "50", Right: "40", Top: "70", Bottom: "60"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Inverse: opts.Bool(true), Min: 1, Max: len(tr.Group.Members), Name: t(lang, "rank")}),
	)
	line.SetXAxis(yearLabels(tr.Years))
	for i, r := range tr.Regions {
		vals := make([]*float64, len(r.Ranks))
		for j, rk := range r.Ranks {
			if rk > 0 {
				v := float64(rk)
				vals[j] = &v
			}
		}
		width := float32(1.5)
		if r.Home {
			width = 4
		}
		line.AddSeries(seriesName(r, lang), lineData(vals),
			charts.WithLineStyleOpts(opts.LineStyle{Width: width, Color: seriesColor(r.Home, i)}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: seriesColor(r.Home, i)}))
	}
	return optionOf(line)
}

// growthChart compares the home province's growth with the nation's and the group's median.
func growthChart(tr *warehouse.Trajectory, lang string) map[string]any {
	line := charts.NewLine()
	line.SetGlobalOptions(chartBase("growth", t(lang, "growth_compare"), indicatorName(tr.Indicator, lang)+" · "+t(lang, "basis_"+tr.GrowthBasis)+" · %", lang)...)
	line.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "50", Right: "40", Top: "70", Bottom: "50"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "%"}),
	)
	line.SetXAxis(yearLabels(tr.Years))
	for _, r := range tr.Regions {
		if r.Home {
			line.AddSeries(seriesName(r, lang), lineData(r.Growth), charts.WithLineStyleOpts(opts.LineStyle{Width: 4, Color: colorHome}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: colorHome}))
		}
	}
	line.AddSeries(t(lang, "nation"), lineData(tr.Nation.Growth), charts.WithLineStyleOpts(opts.LineStyle{Width: 2, Color: colorGuide, Type: "dashed"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorGuide}))
	line.AddSeries(t(lang, "group_median"), lineData(tr.GroupMedianGrowth), charts.WithLineStyleOpts(opts.LineStyle{Width: 2, Color: colorPeer}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorPeer}))
	return optionOf(line)
}

// ratioChart draws the home value as a share of the national one over the years.
func ratioChart(tr *warehouse.Trajectory, lang string) map[string]any {
	pct := make([]*float64, len(tr.RatioToNation))
	for i, r := range tr.RatioToNation {
		if r != nil {
			v := *r * 100
			pct[i] = &v
		}
	}
	line := charts.NewLine()
	line.SetGlobalOptions(chartBase("gap-national", t(lang, "ratio_history"), indicatorName(tr.Indicator, lang)+" · %", lang)...)
	line.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: "50", Right: "40", Top: "70", Bottom: "40"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "%"}),
	)
	line.SetXAxis(yearLabels(tr.Years))
	line.AddSeries(t(lang, "ratio_nation"), lineData(pct),
		charts.WithLineStyleOpts(opts.LineStyle{Width: 3, Color: colorHome}), charts.WithItemStyleOpts(opts.ItemStyle{Color: colorHome}),
		charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: t(lang, "nation"), YAxis: 100}),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"}, LineStyle: &opts.LineStyle{Color: colorGuide, Type: "dashed"}}))
	return optionOf(line)
}

func seriesName(r warehouse.RegionSeries, lang string) string {
	if lang == langEn && r.NameEn != "" {
		return r.NameEn
	}
	return r.Short
}

func shortName(r warehouse.Region, lang string) string {
	if lang == langEn && r.NameEn != "" {
		return r.NameEn
	}
	if r.ShortZh != "" {
		return r.ShortZh
	}
	return r.NameZh
}
