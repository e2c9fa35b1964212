package dashboard

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"jinwei/warehouse"
	"jinwei/warehouse/measure"
)

const (
	colorHome  = "#c0392b"
	colorPeer  = "#5b8ff9"
	colorGuide = "#8c8c8c"
	// colorNoValue fills a map's shape that has no value; the scale runs through blues.
	colorNoValue = "#bdbdbd"
)

// rankingChart draws the group's members best-first as horizontal bars, the home province
// in red and the national figure as a line. It returns the echarts option: the page embeds it
// as JSON data and the local echarts draws it.
func rankingChart(r *warehouse.Ranking, lang string) map[string]any {
	names := make([]string, len(r.Rows))
	links := make([]string, len(r.Rows))
	data := make([]opts.BarData, len(r.Rows))
	for i, row := range r.Rows {
		names[i] = regionName(row, lang)
		links[i] = lineageLink(r.Indicator.Code, row.RegionCode, r.Year, lang)
		color := colorPeer
		if row.Home {
			color = colorHome
		}
		data[i] = opts.BarData{Name: names[i], Value: row.Value, ItemStyle: &opts.ItemStyle{Color: color}}
	}
	title := fmt.Sprintf(t(lang, "chart_title"), indicatorWithUnit(r.Indicator, r.Indicator.Unit, lang), r.Year)
	bar := charts.NewBar()
	bar.SetGlobalOptions(chartBase("ranking", title, groupName(r.Group, lang), lang)...)
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "110", Right: "60", Top: "70", Bottom: "30"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: unitWord(r.Indicator.Unit, lang)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}),
	)
	bar.SetXAxis(names)
	seriesOpts := []charts.SeriesOpts{charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"})}
	if r.Nation != nil {
		seriesOpts = append(seriesOpts,
			charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: t(lang, "nation"), XAxis: *r.Nation}),
			// The category axis runs top to bottom, so "start" puts the national figure's
			// label above the bars, clear of the value axis' numbers.
			charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"},
				LineStyle: &opts.LineStyle{Color: colorGuide, Type: "dashed"},
				Label:     &opts.Label{Show: opts.Bool(true), Position: "start", Formatter: t(lang, "nation") + " {c}"}}),
		)
	}
	bar.AddSeries(indicatorName(r.Indicator, lang), data, seriesOpts...)
	bar.XYReversal()
	return linkSeries(optionOf(bar), 0, links)
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

// indicatorLabel names the indicator with that code; a code not loaded names itself.
func indicatorLabel(inds []warehouse.Indicator, code, lang string) string {
	if i, ok := indicatorOf(inds, code); ok {
		return indicatorName(i, lang)
	}
	return code
}

// indicatorOf is the indicator of inds with that code.
func indicatorOf(inds []warehouse.Indicator, code string) (warehouse.Indicator, bool) {
	if i := slices.IndexFunc(inds, func(i warehouse.Indicator) bool { return i.Code == code }); i >= 0 {
		return inds[i], true
	}
	return warehouse.Indicator{}, false
}

// indicatorName is an indicator's name in lang; a growth rate of money says whether it is
// at current or constant prices (名义, 实际) wherever it is named, as figures are quoted.
func indicatorName(i warehouse.Indicator, lang string) string {
	return indicatorWithUnit(i, "", lang)
}

// inSentence is a name as the middle of an English sentence writes it: "Gansu's
// per-capita disposable income" (it read "Gansu's Per-capita…"), an initialism kept as it
// is ("Gansu's GDP growth"). Chinese has no case.
func inSentence(name, lang string) string {
	if lang != langEn {
		return name
	}
	first, _, _ := strings.Cut(name, " ")
	r, size := utf8.DecodeRuneInString(first)
	if size == 0 || !unicode.IsUpper(r) || strings.ToUpper(first) == first {
		return name
	}
	return string(unicode.ToLower(r)) + name[size:]
}

// indicatorWithUnit is indicatorName with unit (as loaded; "" for none) in the same brackets:
// 地区生产总值增速（实际，%）, "GDP growth (real, %)", 人均地区生产总值（元）.
func indicatorWithUnit(i warehouse.Indicator, unit, lang string) string {
	name := i.NameZh
	if lang == langEn && i.NameEn != "" {
		name = i.NameEn
	}
	return qualified(name, lang, basisWord(i.NamedBasis(), lang), unitWord(unit, lang))
}

// qualified is name with what qualifies it (a price basis, a unit; "" for none) in one
// bracket: 农村居民人均可支配收入增速（名义，%）.
func qualified(name, lang string, what ...string) string {
	within := slices.DeleteFunc(what, func(w string) bool { return w == "" })
	if len(within) == 0 {
		return name
	}
	sep := t(lang, "sep_within")
	return inBrackets(name, strings.Join(within, sep), sep, lang)
}

// inBrackets adds add to text in brackets, inside the bracket text ends with, if any, after
// sep: 地区生产总值（修订前，亿元）, 3/29（2省并列；西藏 2024 年缺数）. Two brackets side by
// side read as a stutter.
func inBrackets(text, add, sep, lang string) string {
	if last, size := utf8.DecodeLastRuneInString(text); last == '）' || last == ')' {
		return text[:len(text)-size] + sep + add + string(last)
	}
	return text + fmt.Sprintf(t(lang, "in_parens"), add)
}

// basisWord says at which prices money is measured: 名义 (current), 实际 (constant); ""
// for what is not money.
func basisWord(basis, lang string) string {
	switch basis {
	case measure.Current:
		return t(lang, "nominal")
	case measure.Constant:
		return t(lang, "real")
	}
	return ""
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

// colorMuted draws the lines a chart keeps for context only.
const colorMuted = "#c9ced6"

// highlightAll is the largest group whose every member gets a colour of its own in the rank
// history; a larger group's lines are grey except the home province's and its neighbours'.
const highlightAll = 8

// rankHistoryChart draws each member's rank over the years, first place on top: the home
// province bold and red, and in a large group only the provinces just above and below it in
// colour (31 coloured lines cannot be read); the rest grey, named on hover and in the legend.
// A wall screen, a third of a screen high and read from across a room, shows the coloured
// lines alone, on the places they pass through: 31 lines in 60 px were a grey tangle.
func rankHistoryChart(tr *warehouse.Trajectory, lang string, wall bool) map[string]any {
	lit := rankHighlights(tr)
	if wall && len(lit) > 0 && len(lit) < len(tr.Regions) {
		focus := *tr
		focus.Regions = slices.DeleteFunc(slices.Clone(tr.Regions), func(r warehouse.RegionSeries) bool { return !lit[r.Code] })
		tr = &focus
	}
	var legend []string
	for _, r := range tr.Regions {
		if lit[r.Code] {
			legend = append(legend, seriesName(r, lang))
		}
	}
	line := charts.NewLine()
	line.SetGlobalOptions(chartBase("rank-history", t(lang, "rank_history"), indicatorName(tr.Indicator, lang)+" · "+groupName(tr.Group, lang), lang)...)
	line.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll", Data: legend}),
		charts.WithGridOpts(opts.Grid{Left: "50", Right: "90", Top: strconv.Itoa(rankHistoryTop), Bottom: strconv.Itoa(rankHistoryBottom)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Inverse: opts.Bool(true), Name: t(lang, "rank")}),
	)
	line.SetXAxis(yearLabels(tr.Years))
	n := 0
	// go-echarts has no z or endLabel for a series: they are set on the option below.
	type extra struct {
		z     int
		color string
	}
	extras := make([]extra, 0, len(tr.Regions))
	for _, r := range tr.Regions {
		vals := make([]*float64, len(r.Ranks))
		for j, rk := range r.Ranks {
			if rk > 0 {
				v := float64(rk)
				vals[j] = &v
			}
		}
		e := extra{z: 1, color: colorMuted}
		width := float32(1)
		if lit[r.Code] {
			e.color, e.z, width = seriesColor(r.Home, n), 2, 2.5
			if r.Home {
				e.z, width = 3, 4
			}
			n++
		}
		extras = append(extras, e)
		line.AddSeries(seriesName(r, lang), lineData(vals),
			charts.WithLineStyleOpts(opts.LineStyle{Width: width, Color: e.color}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: e.color}),
			charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(e.z > 1)}),
			charts.WithEmphasisOpts(opts.Emphasis{Focus: "series"}))
	}
	option := plainOption(optionOf(line))
	for i, r := range tr.Regions {
		option = linkSeries(option, i, rankLinks(tr.Indicator.Code, r.Code, tr.Years, r.Ranks, lang))
	}
	lo, hi := 1, len(tr.Group.Members)
	if wall && len(tr.Regions) < hi {
		lo, hi = hi, 1
		for _, r := range tr.Regions {
			for _, rk := range r.Ranks {
				if rk > 0 {
					lo, hi = min(lo, rk), max(hi, rk)
				}
			}
		}
	}
	rankAxis(option, lo, hi)
	series, _ := option["series"].([]any)
	for i, sr := range series {
		m, ok := sr.(map[string]any)
		if !ok || i >= len(extras) {
			continue
		}
		m["z"] = extras[i].z
		if extras[i].z > 1 {
			// The coloured lines are named at their right end, where the eye lands; the home
			// province and its neighbours end a place apart, so their names are moved apart
			// instead of printed over each other (places 29–31 read as one smudge).
			m["endLabel"] = map[string]any{"show": true, "formatter": "{a}", "color": extras[i].color}
			m["labelLayout"] = map[string]any{"moveOverlap": "shiftY"}
		}
	}
	return option
}

// The rank history's room above its plot (title, subtitle) and below it (years, legend), and
// the least height of a place on its rank axis: a line's name at its end is 12 px text, and
// with less room the names of the last places were pushed into each other and the last one
// across the year axis.
const rankHistoryTop, rankHistoryBottom, rankPlaceHeight = 70, 60, 16

// rankHistoryHeight is the rank history's height for a group of places: room for each place's
// name, and never less than the page's other charts.
func rankHistoryHeight(places int) int {
	return max(420, rankHistoryTop+rankHistoryBottom+rankPlaceHeight*(places+1))
}

// rankAxis lays the rank axis from half a place above the first to half a place below the
// last, so that no line runs along the chart's edge (the last place was drawn on the year
// axis), labelled at the first place, every fifth and the last.
func rankAxis(option map[string]any, first, last int) {
	axes, _ := option["yAxis"].([]any)
	if len(axes) == 0 || first < 1 || last < first {
		return
	}
	y, ok := axes[0].(map[string]any)
	if !ok {
		return
	}
	marks := []int{first}
	for p := (first/5 + 1) * 5; p <= last-3; p += 5 { // a mark beside the last would print over it
		if p > first+2 {
			marks = append(marks, p)
		}
	}
	if last > first {
		marks = append(marks, last)
	}
	y["min"], y["max"] = float64(first)-0.5, float64(last)+0.5
	y["axisLabel"] = map[string]any{"customValues": marks}
	y["axisTick"] = map[string]any{"customValues": marks}
}

// plainOption turns a go-echarts option into plain JSON values, to set what go-echarts has
// no field for.
func plainOption(o map[string]any) map[string]any {
	b, err := json.Marshal(o)
	if err != nil {
		return o
	}
	var out map[string]any
	if json.Unmarshal(b, &out) != nil {
		return o
	}
	return out
}

// rankHighlights are the members drawn in colour: all of a small group; in a large one the
// home province and the two places above and below it in the latest year it has a rank.
func rankHighlights(tr *warehouse.Trajectory) map[string]bool {
	lit := map[string]bool{}
	if len(tr.Regions) <= highlightAll {
		for _, r := range tr.Regions {
			lit[r.Code] = true
		}
		return lit
	}
	year, home := -1, 0
	for _, r := range tr.Regions {
		if !r.Home {
			continue
		}
		lit[r.Code] = true
		for j := len(r.Ranks) - 1; j >= 0; j-- {
			if r.Ranks[j] > 0 {
				year, home = j, r.Ranks[j]
				break
			}
		}
	}
	if year < 0 {
		return lit
	}
	for _, r := range tr.Regions {
		if d := r.Ranks[year] - home; r.Ranks[year] > 0 && d >= -2 && d <= 2 {
			lit[r.Code] = true
		}
	}
	return lit
}

// growthChart compares the home province's growth with the nation's and the group's median.
func growthChart(tr *warehouse.Trajectory, lang string) map[string]any {
	line := charts.NewLine()
	line.SetGlobalOptions(chartBase("growth", t(lang, "growth_compare"), indicatorName(tr.Indicator, lang)+" · "+t(lang, "basis_"+tr.GrowthBasis)+" · %", lang)...)
	line.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithGridOpts(opts.Grid{Left: "50", Right: "40", Top: "70", Bottom: "50"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "%"}),
	)
	line.SetXAxis(yearLabels(tr.Years))
	// A growth rate leads to the year's value it is taken from (or, where growth is its own
	// series, such as real GDP growth, to that series' value); the group's median is made of
	// many and has no single source.
	from := tr.Indicator.Code
	if tr.GrowthFrom != "" {
		from = tr.GrowthFrom
	}
	var links [][]string
	for _, r := range tr.Regions {
		if r.Home {
			line.AddSeries(seriesName(r, lang), lineData(r.Growth), charts.WithLineStyleOpts(opts.LineStyle{Width: 4, Color: colorHome}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: colorHome}))
			links = append(links, yearLinks(from, r.Code, tr.Years, r.Growth, lang))
		}
	}
	// Without a national value (a rate loaded for the provinces only) the legend listed 全国
	// with no line: the note under the chart says why there is none.
	if anyValue(tr.Nation.Growth) {
		line.AddSeries(t(lang, "nation"), lineData(tr.Nation.Growth), charts.WithLineStyleOpts(opts.LineStyle{Width: 2, Color: colorGuide, Type: "dashed"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colorGuide}))
		links = append(links, yearLinks(from, tr.Nation.Code, tr.Years, tr.Nation.Growth, lang))
	}
	line.AddSeries(t(lang, "group_median"), lineData(tr.GroupMedianGrowth), charts.WithLineStyleOpts(opts.LineStyle{Width: 2, Color: colorPeer}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorPeer}))
	option := optionOf(line)
	for i, l := range links {
		option = linkSeries(option, i, l)
	}
	return option
}

// anyValue says whether a series has a value in some year.
func anyValue(xs []*float64) bool {
	return slices.ContainsFunc(xs, func(x *float64) bool { return x != nil })
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
	// A share leads to the home value it is the share of.
	home := ""
	for _, r := range tr.Regions {
		if r.Home {
			home = r.Code
		}
	}
	return linkSeries(optionOf(line), 0, yearLinks(tr.Indicator.Code, home, tr.Years, pct, lang))
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

// axisName is a region as an axis of many names labels it, the shortest that stays
// unambiguous: 临夏 for 临夏回族自治州 and, in English, Linxia for "Linxia Hui Autonomous
// Prefecture" (a city's English name starts with its own name; at 30° it ran into the
// legend). The tooltip and the tables give the full name.
func axisName(r warehouse.Region, lang string) string {
	if lang == langEn && r.Level == "city" {
		if first, _, ok := strings.Cut(r.NameEn, " "); ok {
			return first
		}
	}
	return shortName(r, lang)
}
