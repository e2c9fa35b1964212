package dashboard

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/labstack/echo/v4"

	"jinwei/dashboard/api"
	"jinwei/warehouse"
	"jinwei/warehouse/measure"
)

// headlineIndicators are the cockpit's tiles, in order, when the config names none.
var headlineIndicators = []string{"gdp", "gdp_per_capita", "gdp_growth", "resident_income", "retail_sales", "fiscal_revenue"}

// cockpitData is the cockpit's numbers: one ranking per headline indicator, the targets,
// and the map's indicator for every province.
type cockpitData struct {
	Group   warehouse.PeerGroup
	Tiles   []*warehouse.Ranking
	Targets []warehouse.TargetStatus
	Map     *warehouse.Ranking
	// MapIndicator is the map's indicator, asked for or the default; Map is nil when no
	// province has a value of it up to the year.
	MapIndicator string
	// Generated says generated values are among the tiles' or the map's.
	Generated bool
}

// cockpitAnswer is GET /api/cockpit: the cockpit's numbers.
type cockpitAnswer struct {
	Group     api.PeerGroup      `json:"group"`
	Tiles     []*api.Ranking     `json:"tiles"`
	Targets   []api.TargetStatus `json:"targets"`
	Map       *api.Ranking       `json:"map"`
	Generated bool               `json:"generated"`
}

func (s *Server) loadCockpit(c echo.Context) (cockpitData, []warehouse.Indicator, []warehouse.PeerGroup, error) {
	ctx := c.Request().Context()
	var d cockpitData
	indicators, err := s.store.Indicators(ctx)
	if err != nil {
		return d, nil, nil, err
	}
	groups, err := s.store.PeerGroups(ctx)
	if err != nil {
		return d, nil, nil, err
	}
	group := c.QueryParam("group")
	if group == "" {
		group = "west12"
	}
	gi := slices.IndexFunc(groups, func(g warehouse.PeerGroup) bool { return g.Code == group })
	if gi < 0 {
		return d, nil, nil, badChoice("group", group, groupChoices(groups, pageLang(c)))
	}
	d.Group = groups[gi]
	// year shows the cockpit as it stood then: each tile in its latest year up to it, the
	// targets as of it (a briefing's sentences on targets link here).
	upTo := 0
	if y := c.QueryParam("year"); y != "" {
		if upTo, err = parseYear("year", y); err != nil {
			return d, nil, nil, err
		}
	}
	find := func(code string) (warehouse.Indicator, error) {
		i := slices.IndexFunc(indicators, func(x warehouse.Indicator) bool { return x.Code == code })
		if i < 0 {
			return warehouse.Indicator{}, badChoice("map", code, indicatorChoices(indicators, pageLang(c)))
		}
		return indicators[i], nil
	}
	// latest is the indicator's latest year with provincial values up to the year asked.
	latest := func(ind warehouse.Indicator) int {
		year := 0
		for _, y := range ind.Years {
			if upTo == 0 || y <= upTo {
				year = y
			}
		}
		return year
	}
	for _, code := range s.headlines() {
		ind, err := find(code)
		if err != nil {
			return d, nil, nil, err
		}
		year := latest(ind)
		if year == 0 {
			continue
		}
		r, err := s.store.Ranking(ctx, warehouse.RankingQuery{Indicator: code, Year: year, Group: d.Group.Code, Home: s.cfg.HomeRegion})
		if err != nil {
			return d, nil, nil, err
		}
		d.Tiles = append(d.Tiles, r)
	}
	d.MapIndicator = cmp.Or(c.QueryParam("map"), defaultMapIndicator)
	ind, err := find(d.MapIndicator)
	if err != nil {
		return d, nil, nil, err
	}
	if year := latest(ind); year > 0 {
		// The map colours all provinces, so it ranks among all of them.
		if d.Map, err = s.store.Ranking(ctx, warehouse.RankingQuery{Indicator: ind.Code, Year: year, Group: "all31", Home: s.cfg.HomeRegion}); err != nil {
			return d, nil, nil, err
		}
	}
	for _, r := range append(slices.Clone(d.Tiles), d.Map) {
		d.Generated = d.Generated || (r != nil && r.Generated)
	}
	if d.Targets, err = s.store.TargetsIn(ctx, s.cfg.HomeRegion, upTo); err != nil {
		return d, nil, nil, err
	}
	return d, indicators, groups, nil
}

func (s *Server) headlines() []string {
	if len(s.cfg.Headlines) > 0 {
		return s.cfg.Headlines
	}
	return headlineIndicators
}

func (s *Server) cockpitAPI(c echo.Context) error {
	d, _, _, err := s.loadCockpit(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cockpitAnswer{Group: api.PeerGroupOf(d.Group), Tiles: api.Rankings(d.Tiles),
		Targets: api.Targets(d.Targets), Map: api.RankingOf(d.Map), Generated: d.Generated})
}

// cockpitView is the cockpit page.
type cockpitView struct {
	page
	Groups     []option
	Indicators []option
	Tiles      []tile
	// GroupRank heads each tile's rank in the group, naming it; WholeCountry says the group
	// is every province, its rank the national one.
	GroupRank    string
	WholeCountry bool
	Targets      []targetView
	// MapNote says why no map is drawn: the indicator chosen has no provincial value.
	MapNote string
}

// defaultMapIndicator colours the cockpit's map until the reader picks another.
const defaultMapIndicator = "gdp_per_capita"

// tile is one headline indicator. Each rank sits beside its own change: the national
// rank with the national change, the group's rank with the group's change.
type tile struct {
	Name, Value, Unit, Year string
	RankAll, ChangeAll      string
	RankGroup, Change       string
	ChangeClass             string
	// Ratio is the share of national, only for levels per person; RatioTitle names it.
	Ratio, RatioTitle, Link string
	// Lineage is the /lineage address of the home value, NationLineage of the national one
	// the share is taken of.
	Lineage, NationLineage string
}

type targetView struct {
	Name, Status, StatusText, Actual, Goal, Year string
	// Note and NoteEn are the file's note in Chinese and English; the page shows the one in
	// its language (inLang, zhOnly), as it does a file's vintage.
	Note, NoteEn string
	// Why says why there is no status, Link where it is computed instead.
	Why, Link string
	// Inputs lead to the values the actual and the goal are made of.
	Inputs []targetInput
}

// targetInput is one value a target is computed from, named and linked to its lineage.
type targetInput struct{ Label, Link string }

func (s *Server) cockpitPage(c echo.Context) error {
	d, indicators, groups, err := s.loadCockpit(c)
	if err != nil {
		return err
	}
	lang := pageLang(c)
	v := cockpitView{page: newPage(c, "cockpit", "nav_cockpit")}
	for _, g := range groups {
		v.Groups = append(v.Groups, option{g.Code, groupName(g, lang), g.Code == d.Group.Code})
	}
	for _, i := range indicators {
		if i.RanksProvinces() || i.Code == d.MapIndicator {
			v.Indicators = append(v.Indicators, option{i.Code, indicatorName(i, lang), i.Code == d.MapIndicator})
		}
	}
	if d.Map == nil {
		v.MapNote = t(lang, "map_no_provinces")
	}
	// The group is named where its rank is ("组内排名 9/12" named none on a saved or
	// shown screen), and a group of every province gives no rank beside the national one.
	v.GroupRank = groupRankTitle(d.Group, lang)
	v.WholeCountry = len(d.Tiles) > 0 && d.Tiles[0].EveryProvince
	runs := map[string]bool{}
	for _, r := range d.Tiles {
		v.Tiles = append(v.Tiles, newTile(r, lang))
		for _, src := range r.Sources {
			if !runs[src.RunID] {
				runs[src.RunID] = true
				v.Sources = append(v.Sources, src)
			}
		}
	}
	regions, err := s.regionIndex(c)
	if err != nil {
		return err
	}
	for _, ts := range d.Targets {
		tv := newTargetView(ts, indicators, lang)
		for _, in := range ts.Inputs {
			tv.Inputs = append(tv.Inputs, targetInput{Label: fmt.Sprintf("%s·%s %d", regionLabel(regions, in.Region, lang), indicatorLabel(indicators, in.Indicator, lang), in.Year),
				Link: lineageLink(in.Indicator, in.Region, in.Year, lang)})
		}
		v.Targets = append(v.Targets, tv)
	}
	if d.Map != nil {
		v.Maps = []string{"china.js"}
		v.addChart("china-map", 560, chinaMapChart(d.Map, lang))
	}
	return c.Render(http.StatusOK, "cockpit.html", v)
}

func newTile(r *warehouse.Ranking, lang string) tile {
	q := url.Values{"indicator": {r.Indicator.Code}, "year": {strconv.Itoa(r.Year)}, "group": {r.Group.Code}}
	if lang == langEn {
		q.Set("lang", langEn)
	}
	tl := tile{Name: indicatorName(r.Indicator, lang), Unit: unitWord(r.Indicator.Unit, lang), Year: strconv.Itoa(r.Year), Link: "/ranking?" + q.Encode(),
		Value: "—", RankAll: "—", RankGroup: "—", ChangeClass: "same"}
	if r.Indicator.Kind.ComparesToNation() {
		tl.RatioTitle, tl.Ratio = t(lang, "ratio_nation"), "—"
	}
	if h := r.Home; h != nil {
		tl.Value = formatNumber(h.Row.Value)
		tl.Lineage = lineageLink(r.Indicator.Code, h.Row.RegionCode, r.Year, lang)
		tl.RankAll = placeOf(h.Row.RankAll, h.AllSize, h.TiedAll, lang)
		tl.RankGroup = placeOf(h.Row.Rank, h.GroupSize, h.TiedGroup, lang)
		tl.ChangeAll = rankMove(h.Row.ChangeAll.Comparable, h.Row.ChangeAll.Places, r.Indicator.Direction, lang).Text
		m := rankMove(h.Row.HasPrev, h.Row.RankChange, r.Indicator.Direction, lang)
		tl.Change, tl.ChangeClass = m.Text, m.Class
		if h.RatioToNation != nil {
			tl.Ratio = strconv.FormatFloat(*h.RatioToNation*100, 'f', 1, 64) + "%"
			tl.NationLineage = lineageLink(r.Indicator.Code, warehouse.NationCode, r.Year, lang)
		}
	} else if r.HomeStatus == warehouse.HomeNoValue {
		tl.Value = fmt.Sprintf(t(lang, "home_no_value"), r.Year)
	}
	return tl
}

// newTargetView shows a target in its own unit and precision (55.2% against 55%), the
// precision its status was decided at, and says why a target has no status.
func newTargetView(ts warehouse.TargetStatus, indicators []warehouse.Indicator, lang string) targetView {
	v := targetView{Name: ts.NameZh, Status: ts.Status, StatusText: t(lang, "target_"+ts.Status), Actual: "—", Goal: "—", Year: "—", Note: ts.Note, NoteEn: ts.NoteEn}
	if lang == langEn && ts.NameEn != "" {
		v.Name = ts.NameEn
	}
	if ts.Actual != nil {
		show := func(x float64) string { return withUnit(formatNumber(measure.Round(x, ts.Decimals)), ts.Unit, lang) }
		v.Actual, v.Goal, v.Year = show(*ts.Actual), show(*ts.Goal), strconv.Itoa(ts.Year)
		return v
	}
	name := indicatorLabel(indicators, ts.Indicator, lang)
	if ts.BeforeStart {
		// Its badge said 无数据 beside a card showing the year's value.
		v.StatusText = t(lang, "target_not_started")
		v.Why = fmt.Sprintf(t(lang, "target_not_yet"), ts.From)
		return v
	}
	if ts.NoProvinceData {
		v.Why = fmt.Sprintf(t(lang, "target_no_province"), inSentence(name, lang))
		// Incomes are published for counties here: the county page checks them county by
		// county, and says how a provincial figure would be formed.
		v.Link = "/counties?indicator=" + url.QueryEscape(ts.Indicator)
		if lang == langEn {
			v.Link += "&lang=en"
		}
	} else {
		v.Why = fmt.Sprintf(t(lang, "target_no_years"), name)
	}
	return v
}

// chinaMapChart colours every province by the indicator, the home province outlined; the
// map is the whole country with Taiwan and the South China Sea islands, as official maps are.
func chinaMapChart(r *warehouse.Ranking, lang string) map[string]any {
	m := charts.NewMap()
	m.RegisterMapType("china")
	lo, hi := math.Inf(1), math.Inf(-1)
	names := mapNames(r, lang)
	data := make([]opts.MapData, len(r.Rows))
	for i, row := range r.Rows {
		data[i] = opts.MapData{Name: names[row.ShortZh], Value: row.Value}
		lo, hi = math.Min(lo, row.Value), math.Max(hi, row.Value)
	}
	title := fmt.Sprintf(t(lang, "chart_title"), indicatorWithUnit(r.Indicator, r.Indicator.Unit, lang), r.Year)
	m.SetGlobalOptions(chartBase("china-map", title, t(lang, "map_no_value"), lang)...)
	m.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: float32(lo), Max: float32(hi), Left: "20", Bottom: "20",
			InRange: &opts.VisualMapInRange{Color: []string{"#e0ecff", "#5b8ff9", "#1d3f99"}}}),
	)
	// A shape without a value (Taiwan, Hong Kong, Macao; a province not loaded) is grey, off
	// the scale: drawn in echarts' default, Taiwan read as the lowest value.
	m.AddSeries(indicatorName(r.Indicator, lang), data, charts.WithItemStyleOpts(opts.ItemStyle{AreaColor: colorNoValue}))
	option := optionOf(m)
	markHome(option, r, names)
	links := make([]string, len(r.Rows))
	for i, row := range r.Rows {
		links[i] = lineageLink(r.Indicator.Code, row.RegionCode, r.Year, lang)
	}
	option = linkSeries(option, 0, links)
	if list, _ := option["series"].([]any); lang == langEn && len(list) > 0 {
		// The map's shapes are keyed by their Chinese short names; nameMap names them in
		// English, on the shapes, in the tooltip and in the data.
		if series, ok := list[0].(map[string]any); ok {
			series["nameMap"] = names
		}
	}
	return option
}

// mapShapesEn are the English names of the map's shapes that are no province of the
// rankings: they are drawn, as official maps draw them, and named in the page's language.
var mapShapesEn = map[string]string{"台湾": "Taiwan", "香港": "Hong Kong", "澳门": "Macao", "南海诸岛": "South China Sea Islands"}

// mapNames are the names the map's data and shapes go by in lang, by the shapes' Chinese
// short names: those names themselves in Chinese, the provinces' English names in English.
func mapNames(r *warehouse.Ranking, lang string) map[string]string {
	names := map[string]string{}
	for _, row := range r.Rows {
		names[row.ShortZh] = row.ShortZh
		if lang == langEn && row.NameEn != "" {
			names[row.ShortZh] = row.NameEn
		}
	}
	if lang == langEn {
		maps.Copy(names, mapShapesEn)
	}
	return names
}

// markHome outlines the home province on the map (its data named by names).
func markHome(option map[string]any, r *warehouse.Ranking, names map[string]string) {
	series, ok := option["series"].(charts.MultiSeries)
	if !ok || len(series) == 0 || r.Home == nil {
		return
	}
	data, _ := series[0].Data.([]opts.MapData)
	out := make([]map[string]any, len(data))
	for i, d := range data {
		out[i] = map[string]any{"name": d.Name, "value": d.Value}
		if d.Name == names[r.Home.Row.ShortZh] {
			out[i]["itemStyle"] = map[string]any{"borderColor": colorHome, "borderWidth": 3}
			out[i]["label"] = map[string]any{"show": true, "color": colorHome, "fontWeight": "bold"}
		}
	}
	series[0].Data = out
}
