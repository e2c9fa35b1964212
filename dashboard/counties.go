package dashboard

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/labstack/echo/v4"

	"jinwei/dashboard/api"
	"jinwei/warehouse"
)

// countyIndicators are the indicators county tables carry.
var countyIndicators = []string{"gdp", "rural_income", "urban_income", "population"}

// provinceMaps names the map file (from echarts' province maps) of each province.
var provinceMaps = map[string]string{
	"110000": "beijing", "120000": "tianjin", "130000": "hebei", "140000": "shanxi", "150000": "neimenggu", "210000": "liaoning",
	"220000": "jilin", "230000": "heilongjiang", "310000": "shanghai", "320000": "jiangsu", "330000": "zhejiang", "340000": "anhui",
	"350000": "fujian", "360000": "jiangxi", "370000": "shandong", "410000": "henan", "420000": "hubei", "430000": "hunan",
	"440000": "guangdong", "450000": "guangxi", "460000": "hainan", "500000": "chongqing", "510000": "sichuan", "520000": "guizhou",
	"530000": "yunnan", "540000": "xizang", "610000": "shanxi1", "620000": "gansu", "630000": "qinghai", "640000": "ningxia", "650000": "xinjiang",
}

// countyFilterOrder is the order the filters are offered in; countySorts are the orders a
// view sorts counties by.
var (
	countyFilterOrder = []string{"all", "poverty", "national_key", "provincial_key"}
	countySorts       = []string{"value", "growth", "change"}
)

// countyFilters pick which counties a view lists.
var countyFilters = map[string]func(warehouse.CountyRow) bool{
	"all":            func(warehouse.CountyRow) bool { return true },
	"poverty":        func(r warehouse.CountyRow) bool { return r.PovertyAlleviated },
	"national_key":   func(r warehouse.CountyRow) bool { return r.NationalKey },
	"provincial_key": func(r warehouse.CountyRow) bool { return r.ProvincialKey },
}

type countiesData struct {
	Ranking *warehouse.CountyRanking
	Targets *warehouse.CountyIncomeTargets
	Filter  string
	// Generated says generated demo values are in the answer, from the counties' rows.
	Generated bool
	Sort      string
}

// countiesAnswer is GET /api/counties.
type countiesAnswer struct {
	Ranking   *api.CountyRanking       `json:"ranking"`
	Targets   *api.CountyIncomeTargets `json:"targets"`
	Filter    string                   `json:"filter"`
	Generated bool                     `json:"generated"`
	Sort      string                   `json:"sort"`
}

func (s *Server) loadCounties(c echo.Context) (countiesData, error) {
	ctx := c.Request().Context()
	d := countiesData{Filter: c.QueryParam("filter"), Sort: c.QueryParam("sort")}
	ind := c.QueryParam("indicator")
	if ind == "" {
		ind = "rural_income"
	}
	if !slices.Contains(countyIndicators, ind) {
		inds, err := s.store.Indicators(ctx)
		if err != nil {
			return d, err
		}
		inds = slices.DeleteFunc(inds, func(i warehouse.Indicator) bool { return !slices.Contains(countyIndicators, i.Code) })
		return d, badChoice("indicator", ind, indicatorChoices(inds, pageLang(c)))
	}
	if d.Filter == "" {
		d.Filter = "all"
	}
	keep, ok := countyFilters[d.Filter]
	if !ok {
		return d, badChoice("filter", d.Filter, named(countyFilterOrder, func(f string) string { return t(pageLang(c), "filter_"+f) }))
	}
	if d.Sort == "" {
		d.Sort = "value"
	}
	if !slices.Contains(countySorts, d.Sort) {
		return d, badChoice("sort", d.Sort, named(countySorts, func(so string) string { return t(pageLang(c), "sort_"+so) }))
	}
	year := 0
	if y := c.QueryParam("year"); y != "" {
		n, err := parseYear("year", y)
		if err != nil {
			return d, err
		}
		year = n
	}
	r, err := s.store.CountyRanking(ctx, s.cfg.HomeRegion, ind, year)
	if err != nil {
		return d, err
	}
	r.Rows = slices.DeleteFunc(r.Rows, func(row warehouse.CountyRow) bool { return !keep(row) })
	sortCounties(r.Rows, d.Sort)
	d.Ranking = r
	d.Generated = r.Generated
	if d.Targets, err = s.store.CountyIncomeTargets(ctx, s.cfg.HomeRegion, r.Year); err != nil {
		return d, err
	}
	d.Targets.Counties = slices.DeleteFunc(d.Targets.Counties, func(row warehouse.CountyTargetRow) bool { return !keep(row.County) })
	return d, nil
}

// sortCounties orders rows by rank of value (进度), growth (进步) or places gained (进位).
func sortCounties(rows []warehouse.CountyRow, by string) {
	key := func(r warehouse.CountyRow) int {
		switch by {
		case "growth":
			if r.GrowthRank == 0 {
				return 1 << 30
			}
			return r.GrowthRank
		case "change":
			return -r.RankChange
		}
		return r.Rank
	}
	sort.SliceStable(rows, func(a, b int) bool { return key(rows[a]) < key(rows[b]) })
}

func (s *Server) countiesAPI(c echo.Context) error {
	d, err := s.loadCounties(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, countiesAnswer{Ranking: api.CountyRankingOf(d.Ranking), Targets: api.CountyIncomeTargetsOf(d.Targets),
		Filter: d.Filter, Generated: d.Generated, Sort: d.Sort})
}

type countiesView struct {
	page
	Indicators, Years, Filters, Sorts []option
	Rows                              []countyTableRow
	Targets                           *warehouse.CountyIncomeTargets
	TargetRows                        []countyTargetView
	Unit                              string
	// Growth heads the growth column: 名义 or 实际 as the values' prices are.
	Growth string
	// NoData says which years have county values when the chosen one has none.
	NoData string
}

type countyTableRow struct {
	Rank, GrowthRank, Change, Name, City, Value, Growth, Flags string
	// Lineage is the /lineage address of the value.
	Lineage string
}

type countyTargetView struct {
	Name, Rural, Urban, AboveUrban, AboveProvince string
	PassUrban, PassProvince                       string
}

func (s *Server) countiesPage(c echo.Context) error {
	d, err := s.loadCounties(c)
	if err != nil {
		return err
	}
	lang := pageLang(c)
	indicators, err := s.store.Indicators(c.Request().Context())
	if err != nil {
		return err
	}
	r := d.Ranking
	v := countiesView{page: newPage(c, "counties", "nav_counties"), Targets: d.Targets, Unit: r.Indicator.Unit,
		Growth: growthLabel(r.Indicator, lang)}
	v.Generated = d.Generated
	for _, i := range indicators {
		if slices.Contains(countyIndicators, i.Code) {
			v.Indicators = append(v.Indicators, option{i.Code, indicatorName(i, lang), i.Code == r.Indicator.Code})
		}
	}
	for i := len(r.Years) - 1; i >= 0; i-- {
		v.Years = append(v.Years, option{strconv.Itoa(r.Years[i]), strconv.Itoa(r.Years[i]), r.Years[i] == r.Year})
	}
	for _, f := range countyFilterOrder {
		v.Filters = append(v.Filters, option{f, t(lang, "filter_"+f), f == d.Filter})
	}
	for _, so := range countySorts {
		v.Sorts = append(v.Sorts, option{so, sortLabel(r.Indicator, so, lang), so == d.Sort})
	}
	for _, row := range r.Rows {
		v.Rows = append(v.Rows, countyTableRow{Rank: strconv.Itoa(row.Rank), GrowthRank: rankText(row.GrowthRank),
			Change: rankMove(row.PrevRank > 0, row.RankChange, r.Indicator.Direction, lang).Text, Name: countyName(row, lang), City: cityName(row, lang),
			Value: formatNumber(row.Value), Growth: pctText(row.Growth), Flags: countyFlags(row, lang),
			Lineage: lineageLink(r.Indicator.Code, row.Code, r.Year, lang)})
	}
	for _, tr := range d.Targets.Counties {
		tv := countyTargetView{Name: countyName(tr.County, lang), Rural: fmt.Sprintf("%.2f%%", tr.RuralGrowth), Urban: fmt.Sprintf("%.2f%%", tr.UrbanGrowth),
			AboveUrban: passText(tr.RuralAboveUrban, lang), PassUrban: passClass(tr.RuralAboveUrban), AboveProvince: "—"}
		if tr.AboveProvince != nil {
			tv.AboveProvince, tv.PassProvince = passText(*tr.AboveProvince, lang), passClass(*tr.AboveProvince)
		}
		v.TargetRows = append(v.TargetRows, tv)
	}
	if len(r.Rows) > 0 {
		v.addChart("county-ranking", 90+18*len(r.Rows), countyChart(r, d.Sort, lang))
		if file, ok := provinceMaps[s.cfg.HomeRegion]; ok {
			if name := s.homeShortName(c); name != "" {
				v.Maps = []string{"province/" + file + ".js"}
				v.addChart("province-map", 520, provinceMapChart(r, name, d.Filter, lang))
			}
		}
	} else if d.Filter == "all" {
		v.NoData = fmt.Sprintf(t(lang, "no_county_data"), r.Year, yearSpan(r.Years))
	}
	// Exactly the loads whose rows fed the county values and targets shown.
	v.Sources = warehouse.MergeLineage(r.Sources, d.Targets.Sources)
	return c.Render(http.StatusOK, "counties.html", v)
}

// homeShortName is the home province's short Chinese name, which its map is registered as.
func (s *Server) homeShortName(c echo.Context) string {
	regions, err := s.store.Regions(c.Request().Context())
	if err != nil {
		return ""
	}
	for _, r := range regions {
		if r.Code == s.cfg.HomeRegion {
			return r.ShortZh
		}
	}
	return ""
}

// sortLabel names an order of the counties: by value, growth or change of place, judged
// as the speech does (比进度、比进步、比进位), except for a size (population), which is
// neither progress nor its lack.
func sortLabel(ind warehouse.Indicator, by, lang string) string {
	if ind.Neutral() {
		return t(lang, "size_sort_"+by)
	}
	return t(lang, "sort_"+by)
}

func countyChart(r *warehouse.CountyRanking, by, lang string) map[string]any {
	names := make([]string, len(r.Rows))
	links := make([]string, len(r.Rows))
	data := make([]opts.BarData, len(r.Rows))
	for i, row := range r.Rows {
		names[i] = countyName(row, lang)
		links[i] = lineageLink(r.Indicator.Code, row.Code, r.Year, lang)
		v := row.Value
		if by == "growth" && row.Growth != nil {
			v = roundTo(*row.Growth, 2)
		}
		color := colorPeer
		if row.PovertyAlleviated {
			color = "#f6bd16"
		}
		data[i] = opts.BarData{Name: names[i], Value: v, ItemStyle: &opts.ItemStyle{Color: color}}
	}
	unit, name := r.Indicator.Unit, indicatorWithUnit(r.Indicator, r.Indicator.Unit, lang)
	if by == "growth" {
		// The bars are the growth of the values, not the values: "农村居民人均可支配收入（%）"
		// said income was measured in per cent.
		unit = "%"
		name = qualified(fmt.Sprintf(t(lang, "growth_of"), indicatorName(r.Indicator, lang)), lang, basisWord(r.Indicator.PriceBasis, lang), unit)
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(chartBase("county-ranking", fmt.Sprintf(t(lang, "chart_title"), name, r.Year), sortLabel(r.Indicator, by, lang)+" · "+t(lang, "poverty_colour"), lang)...)
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", AxisPointer: &opts.AxisPointer{Type: "shadow"}}),
		charts.WithGridOpts(opts.Grid{Left: "10", Right: "80", Top: "70", Bottom: "30", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: unitWord(unit, lang)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}),
	)
	bar.SetXAxis(names)
	// Each bar says its value at its end, as the table beneath does.
	bar.AddSeries(indicatorName(r.Indicator, lang), data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	bar.XYReversal()
	return linkSeries(optionOf(bar), 0, links)
}

// provinceMapChart colours the province's cities by their counties' total (amounts) or
// mean (per-person incomes); the subtitle says which, and that a filtered set is one.
func provinceMapChart(r *warehouse.CountyRanking, mapName, filter, lang string) map[string]any {
	sum, n, names := map[string]float64{}, map[string]int{}, map[string]string{}
	for _, row := range r.Rows {
		sum[row.CityCode] += row.Value
		n[row.CityCode]++
		names[row.CityCode] = row.CityZh
	}
	perPerson := r.Indicator.Kind.ComparesToNation()
	var data []opts.MapData
	lo, hi := 0.0, 0.0
	for code, total := range sum {
		v := total
		if perPerson {
			v = total / float64(n[code])
		}
		v = roundTo(v, 1)
		if len(data) == 0 || v < lo {
			lo = v
		}
		hi = max(hi, v)
		data = append(data, opts.MapData{Name: names[code], Value: v})
	}
	sort.Slice(data, func(a, b int) bool { return data[a].Name < data[b].Name })
	m := charts.NewMap()
	m.RegisterMapType(mapName)
	m.SetGlobalOptions(chartBase("province-map", fmt.Sprintf(t(lang, "chart_title"), indicatorWithUnit(r.Indicator, r.Indicator.Unit, lang), r.Year), cityAggregateLabel(perPerson, filter, lang), lang)...)
	m.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: float32(lo), Max: float32(hi), Left: "20", Bottom: "20",
			InRange: &opts.VisualMapInRange{Color: []string{"#fff4e0", "#f6bd16", "#c0392b"}}}),
	)
	m.AddSeries(indicatorName(r.Indicator, lang), data)
	return optionOf(m)
}

// cityAggregateLabel names what the map's city figures are: a sum or an unweighted mean
// of counties, over all of them or over a filtered set (筛选后合计).
func cityAggregateLabel(mean bool, filter, lang string) string {
	all := filter == "" || filter == "all"
	switch {
	case all && mean:
		return t(lang, "by_city_mean")
	case all:
		return t(lang, "by_city")
	case mean:
		return fmt.Sprintf(t(lang, "filtered_by_city_mean"), t(lang, "filter_"+filter))
	}
	return fmt.Sprintf(t(lang, "filtered_by_city"), t(lang, "filter_"+filter))
}

func countyName(r warehouse.CountyRow, lang string) string {
	if lang == langEn && r.NameEn != "" {
		return r.NameEn
	}
	return r.NameZh
}

func cityName(r warehouse.CountyRow, lang string) string {
	if lang == langEn && r.CityEn != "" {
		return r.CityEn
	}
	return r.CityZh
}

func countyFlags(r warehouse.CountyRow, lang string) string {
	var out string
	for _, f := range []struct {
		on   bool
		flag string
	}{{r.PovertyAlleviated, "poverty"}, {r.NationalKey, "national_key"}, {r.ProvincialKey, "provincial_key"}} {
		if f.on {
			if out != "" {
				out += " · "
			}
			out += t(lang, "flag_"+f.flag)
		}
	}
	return out
}

func rankText(n int) string {
	if n == 0 {
		return "—"
	}
	return strconv.Itoa(n)
}

func pctText(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f%%", *v)
}

func passText(ok bool, lang string) string {
	if ok {
		return t(lang, "pass")
	}
	return t(lang, "fail")
}

func passClass(ok bool) string {
	if ok {
		return "pass"
	}
	return "fail"
}

// growthLabel names growth computed from an indicator's values: nominal (名义) from
// current prices, real (实际) from constant ones, plain for quantities without prices.
func growthLabel(ind warehouse.Indicator, lang string) string {
	if w := basisWord(ind.PriceBasis, lang); w != "" {
		return fmt.Sprintf(t(lang, "growth_basis"), w)
	}
	return t(lang, "growth")
}
