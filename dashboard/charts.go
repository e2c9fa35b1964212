package dashboard

import (
	"fmt"

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
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: "ranking", AssetsHost: "/static/vendor/"}),
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: groupName(r.Group, lang), Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "110", Right: "60", Top: "70", Bottom: "30"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: r.Indicator.Unit}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}),
		charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(true), Right: "20", Feature: &opts.ToolBoxFeature{
			SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true), Type: "png", Name: "ranking", Title: t(lang, "save_image")},
			DataView:    &opts.ToolBoxFeatureDataView{Show: opts.Bool(true), Title: t(lang, "data_view")},
		}}),
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
	bar.Validate()
	return bar.JSON()
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
