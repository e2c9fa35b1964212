package dashboard

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/labstack/echo/v4"

	"jinwei/dashboard/api"
	"jinwei/warehouse"
	"jinwei/warehouse/measure"
	"jinwei/warehouse/scorecard"
)

// campaignKinds are the scopes of unit a scorecard compares with each other.
var campaignKinds = []string{warehouse.ScopeCity, warehouse.ScopeCounty, warehouse.ScopeDepartment}

// campaignTrendMetrics are the province-wide monthly totals the trend chart draws.
var campaignTrendMetrics = []string{"problems_found", "problems_rectified", "tasks_on_time", "tasks_overdue", "enterprise_visits", "inspections_4b2z"}

type campaignData struct {
	Kind      string
	Scorecard *warehouse.Scorecard
	Trend     []warehouse.TrendPoint
	// Generated says the month's reports are generated demo data, as their rows say.
	Generated bool
	// NoData says why there is no scorecard and which months have reports instead.
	NoData string
	// Behind says, on the default month, which months since are past their deadlines with
	// no reports loaded: the page opens on the latest month with reports, however old.
	Behind string
	// Sources are the loads whose reports the scorecard and trend are made of.
	Sources []warehouse.Lineage
}

// campaignAnswer is GET /api/campaign.
type campaignAnswer struct {
	Kind      string           `json:"kind"`
	Scorecard *api.Scorecard   `json:"scorecard"`
	Trend     []api.TrendPoint `json:"trend"`
	Generated bool             `json:"generated"`
	NoData    string           `json:"no_data,omitempty"`
	Behind    string           `json:"behind,omitempty"`
	Sources   []api.Lineage    `json:"sources"`
}

func campaignKind(c echo.Context) (string, error) {
	kind := c.QueryParam("kind")
	if kind == "" {
		kind = warehouse.ScopeCity
	}
	if !slices.Contains(campaignKinds, kind) {
		return "", badChoice("kind", kind, named(campaignKinds, func(k string) string { return t(pageLang(c), "kind_"+k) }))
	}
	return kind, nil
}

// campaignMonth is the ?month= a campaign page or action asks for, as the warehouse keeps
// months (2025-02-01): given as 2025-02, as every other page's month is, or as the day
// that starts it; "" when none is asked for.
func campaignMonth(c echo.Context) (string, error) {
	month := c.QueryParam("month")
	if month == "" {
		return "", nil
	}
	if len(month) == len("2006-01") {
		month += "-01"
	}
	if m, err := time.Parse(time.DateOnly, month); err != nil || m.Day() != 1 {
		return "", badFormat("month", c.QueryParam("month"), "2025-02")
	}
	return month, nil
}

// campaignDefaultMonth is the month the campaign pages open on: the latest with reports
// whose deadline has passed, so that everyone's reports are in or counted missing. Before,
// the first unit to report a new month turned the page to that month, ranking it alone.
// "" (the latest with reports) when no month's deadline has passed.
func (s *Server) campaignDefaultMonth(ctx context.Context) (string, error) {
	months, err := s.store.CampaignMonths(ctx)
	if err != nil {
		return "", err
	}
	due, err := s.campaignDue()
	if err != nil {
		return "", err
	}
	if months = warehouse.MonthsDue(months, due); len(months) > 0 {
		return months[len(months)-1], nil
	}
	return "", nil
}

// campaignDue is the latest month ("2006-01") whose reports are due: a month before its
// deadline is scored against the units that reported early only.
func (s *Server) campaignDue() (string, error) {
	now := s.now()
	return s.cfg.Deadlines.LastDue(now.In(warehouse.ProvinceTime).Format("2006-01"), now)
}

func (s *Server) loadCampaign(c echo.Context) (campaignData, error) {
	ctx := c.Request().Context()
	kind, err := campaignKind(c)
	if err != nil {
		return campaignData{}, err
	}
	month, err := campaignMonth(c)
	if err != nil {
		return campaignData{}, err
	}
	if month == "" {
		if month, err = s.campaignDefaultMonth(ctx); err != nil {
			return campaignData{}, err
		}
	}
	d := campaignData{Kind: kind}
	if d.Scorecard, err = s.store.Scorecard(ctx, kind, month, s.cfg.CampaignWeights); err != nil {
		return d, err
	}
	sc := d.Scorecard
	due, err := s.campaignDue()
	if err != nil {
		return d, err
	}
	// The picker offers the months due; the scorecard may be the cache's, so it is copied.
	trimmed := *sc
	trimmed.Months = warehouse.MonthsDue(sc.Months, due)
	d.Scorecard = &trimmed
	if sc.Month == "" {
		d.NoData = campaignNoData(month[:min(len(month), 7)], sc.Months, pageLang(c))
		if len(sc.Months) == 0 {
			d.NoData = withLoadHint(c, d.NoData, warehouse.JobCampaign)
		}
		return d, nil
	}
	if sc.Month[:7] > due {
		// Before its deadline a month ranked the units that had reported (one unit "first,
		// 68.75 points") and counted the rest missing (85 未报) while /reports said 待报.
		deadline, err := s.cfg.Deadlines.For(sc.Month[:7])
		if err != nil {
			return d, err
		}
		d.NoData = fmt.Sprintf(t(pageLang(c), "sc_not_due"), sc.Month[:7], deadline.AddDate(0, 0, -1).Format("2006-01-02"), due)
		d.Scorecard = &warehouse.Scorecard{Kind: sc.Kind, Months: trimmed.Months}
		return d, nil
	}
	if c.QueryParam("month") == "" && sc.Month[:7] < due {
		d.Behind = behindText(sc.Month[:7], due, pageLang(c))
	}
	if d.Generated, err = s.store.CampaignGenerated(ctx, sc.Month); err != nil {
		return d, err
	}
	if d.Trend, err = s.store.CampaignTrend(ctx, sc.Month); err != nil {
		return d, err
	}
	d.Sources, err = s.store.CampaignLineage(ctx, sc.Month)
	return d, err
}

// behindText says which months after latest (2006-01), up to due, are past their deadlines
// with no reports loaded: 2025-02's scorecard opened the page in December 2026 as if it
// were the month's news.
func behindText(latest, due, lang string) string {
	if months := warehouse.MonthsBetween(latest, due); months > 1 {
		l, _ := time.Parse("2006-01", latest)
		return fmt.Sprintf(t(lang, "sc_behind"), latest, months, l.AddDate(0, 1, 0).Format("2006-01"), due)
	}
	return fmt.Sprintf(t(lang, "sc_behind_one"), latest, due)
}

// campaignNoData says which months have reports when the one asked for has none.
func campaignNoData(month string, months []string, lang string) string {
	if len(months) == 0 {
		return t(lang, "sc_no_reports")
	}
	first, last := months[0], months[len(months)-1]
	return fmt.Sprintf(t(lang, "sc_no_month"), month, first[:7], last[:7], len(months))
}

func (s *Server) campaignAPI(c echo.Context) error {
	d, err := s.loadCampaign(c)
	if err != nil {
		return err
	}
	ans := campaignAnswer{Kind: d.Kind, Scorecard: api.ScorecardOf(d.Scorecard), Trend: api.Trend(d.Trend),
		Generated: d.Generated, NoData: d.NoData, Behind: d.Behind, Sources: api.Lineages(d.Sources)}
	// A unit's name is the scorecard's (Chinese); its English name goes beside it, as the
	// regions' names do in the other answers.
	if ans.Scorecard != nil && len(ans.Scorecard.Units) > 0 {
		en, err := s.unitNames(c.Request().Context(), langEn)
		if err != nil {
			return err
		}
		for i := range ans.Scorecard.Units {
			ans.Scorecard.Units[i].NameEn = en[ans.Scorecard.Units[i].Code]
		}
	}
	return c.JSON(http.StatusOK, ans)
}

type campaignView struct {
	page
	Months, Kinds []option
	Rows          []scoreRow
	Month, Kind   string
	// Baseline says what rank changes are against; Published this month's publication.
	Baseline, Published string
	NoData, Behind      string
}

type scoreRow struct {
	Rank, Change, Name, Score, Study, Execution, Efficiency string
	ChangeClass, Flags, Hint                                string
	// Lineage is the /lineage address of the unit's report of the month.
	Lineage    string
	Unreported bool
	// Unranked is a reported unit scored on too few items to take a place.
	Unranked bool
	Items    []itemRow
}

// itemRow is one line of a unit's breakdown.
type itemRow struct {
	Item, Unit, Status, Value, Median, Spread, Normalised, Points, Weight string
}

func (s *Server) campaignPage(c echo.Context) error {
	d, err := s.loadCampaign(c)
	if err != nil {
		return err
	}
	lang := pageLang(c)
	sc, err := s.namedIn(c.Request().Context(), d.Scorecard, lang)
	if err != nil {
		return err
	}
	v := campaignView{page: newPage(c, "campaign", "nav_campaign"), Month: sc.Month, Kind: d.Kind}
	v.Generated = d.Generated
	for i := len(sc.Months) - 1; i >= 0; i-- {
		m := sc.Months[i]
		v.Months = append(v.Months, option{m, m[:7], m == sc.Month})
	}
	for _, k := range campaignKinds {
		v.Kinds = append(v.Kinds, option{k, t(lang, "kind_"+k), k == d.Kind})
	}
	v.Baseline = baselineText(sc, lang)
	if sc.Published != nil {
		v.Published = fmt.Sprintf(t(lang, "sc_published"), sc.Published.At, sc.Published.By)
	}
	metrics, err := s.store.CampaignMetrics(c.Request().Context())
	if err != nil {
		return err
	}
	items := map[string]scorecard.Item{}
	units := map[string]string{}
	for _, it := range sc.Items {
		items[it.Code] = it
		units[it.Code] = itemUnit(it, metrics, lang)
	}
	for _, u := range sc.Units {
		v.Rows = append(v.Rows, scoreRowOf(u, sc, items, units, lang))
	}
	if len(sc.Units) > 0 {
		v.addChart("scorecard", 90+20*len(sc.Units), scorecardChart(sc, lang))
		v.addChart("categories", 460, categoriesChart(sc, lang))
	}
	if len(d.Trend) > 0 {
		v.addChart("campaign-trend", 380, campaignTrendChart(d.Trend, lang))
	}
	v.Sources, v.NoData, v.Behind = d.Sources, d.NoData, d.Behind
	return c.Render(http.StatusOK, "campaign.html", v)
}

// namedIn is the scorecard with its units named in lang: the scorecard (shared, cached)
// carries their Chinese names, and an English page listed 兰州市, 临夏回族自治州….
func (s *Server) namedIn(ctx context.Context, sc *warehouse.Scorecard, lang string) (*warehouse.Scorecard, error) {
	if lang != langEn || len(sc.Units) == 0 {
		return sc, nil
	}
	names, err := s.unitNames(ctx, lang)
	if err != nil {
		return nil, err
	}
	local := *sc
	local.Units = slices.Clone(sc.Units)
	for i := range local.Units {
		if n := names[local.Units[i].Code]; n != "" {
			local.Units[i].Name = n
		}
	}
	return &local, nil
}

// unitNames are the campaign units' names in lang, by code.
func (s *Server) unitNames(ctx context.Context, lang string) (map[string]string, error) {
	units, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(units))
	for _, u := range units {
		names[u.Code] = unitName(u, lang)
	}
	return names, nil
}

// scaleFigure writes a value, median or spread of the breakdown with at least three
// significant digits (two decimals at the least), so that the normalised value can be
// worked out from them: 0.0856 per 10,000 residents showed as 0.09, and (0.09 − 0.08) / 0.02
// is not the +0.36 printed beside it.
func scaleFigure(v float64) string {
	decimals := 2
	if a := math.Abs(v); a > 0 && a < 1 {
		decimals = max(decimals, 2-int(math.Floor(math.Log10(a))))
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// itemUnit is what an item's value, median and spread are measured in: a count per
// 10,000 residents (次/万人) or a percentage.
func itemUnit(it scorecard.Item, metrics []warehouse.CampaignMetric, lang string) string {
	if it.Formula != scorecard.PerSize {
		return "%"
	}
	unit := it.Num
	if m, ok := campaignMetric(metrics, it.Num); ok {
		unit = unitWord(m.Unit, lang)
	}
	return fmt.Sprintf(t(lang, "sc_per_residents"), unit)
}

// scoreRowOf is a unit's row of the scorecard with its breakdown, each item's value in the
// unit units gives it.
func scoreRowOf(u warehouse.UnitScore, sc *warehouse.Scorecard, items map[string]scorecard.Item, units map[string]string, lang string) scoreRow {
	if !u.Reported {
		return scoreRow{Rank: "—", Change: "—", Name: u.Name, Score: t(lang, "sc_unreported"), Unreported: true, ChangeClass: "same"}
	}
	dim := func(d string) string {
		if v, ok := u.Dimensions[d]; ok {
			return fmt.Sprintf("%.2f", v)
		}
		return "—"
	}
	row := scoreRow{Rank: strconv.Itoa(u.Rank), Name: u.Name, Score: fmt.Sprintf("%.2f", scorecard.Round(u.Score)),
		Study: dim("study"), Execution: dim("execution"), Efficiency: dim("efficiency")}
	row.Change, row.ChangeClass = t(lang, "sc_no_prev"), "same"
	if u.Partial {
		row.Rank, row.Change, row.Unranked = "—", "—", true
	}
	if u.HasChange {
		m := rankMove(true, u.RankChange, measure.HigherBetter, lang)
		row.Change, row.ChangeClass = m.Text, m.Class
	}
	var missing []string
	for _, code := range u.Missing {
		missing = append(missing, itemName(items[code], lang))
	}
	var flags []string
	if len(missing) > 0 {
		flags = append(flags, t(lang, "sc_missing")+t(lang, "sep_label")+strings.Join(missing, t(lang, "sep_list")))
	}
	noPopulation := 0
	for _, is := range u.Items {
		r := itemRow{Item: itemName(items[is.Code], lang), Unit: units[is.Code], Status: t(lang, "sc_status_"+string(is.Status)), Weight: formatNumber(is.Weight),
			Value: "—", Median: "—", Spread: "—", Normalised: "—", Points: "—"}
		if is.Status == scorecard.NotApplicable && items[is.Code].Formula == scorecard.PerSize && u.Population == 0 {
			// Why, where the reader looks: a count per 10k residents of a unit whose
			// population was never loaded (the method page says so, the row did not).
			r.Status = t(lang, "sc_na_no_population")
			noPopulation++
		}
		y := sc.Yardsticks[is.Code]
		if is.Status == scorecard.OK {
			r.Value, r.Normalised = scaleFigure(is.Value), fmt.Sprintf("%+.2f", is.Normalised)
			r.Median, r.Spread = scaleFigure(y.Median), scaleFigure(y.Spread)
		}
		if is.Status != scorecard.NotApplicable {
			r.Points = fmt.Sprintf("%.1f", is.Points)
		}
		row.Items = append(row.Items, r)
	}
	if u.Partial {
		flags = append(flags, t(lang, "sc_flag_partial"))
	}
	if noPopulation > 0 {
		// Scored on fewer items than the others: the table says so beside the rank, not
		// only in the breakdown a reader may never open.
		flags = append(flags, fmt.Sprintf(t(lang, "sc_flag_no_population"), noPopulation))
	}
	row.Flags = strings.Join(flags, t(lang, "sep_clause"))
	row.Lineage = campaignLink(u.Code, sc.Month, lang)
	switch {
	case u.Partial:
		// No place to gain: the hint would name a rank the unit does not take.
		row.Hint = ""
	case u.Hint == nil:
		row.Hint = t(lang, "sc_hint_none")
	default:
		row.Hint = hintText(*u.Hint, items[u.Hint.Item], u.Rank, lang)
	}
	return row
}

// hintText words what would raise a unit most: "按期办结率提高10个百分点可升至第12位".
func hintText(h scorecard.Hint, it scorecard.Item, rank int, lang string) string {
	name := itemName(it, lang)
	change := fmt.Sprintf(t(lang, "sc_hint_count"), name, formatNumber(h.Step))
	if h.Formula != scorecard.PerSize {
		change = fmt.Sprintf(t(lang, "sc_hint_rate"), name, formatNumber(h.Step))
	}
	if h.Improves {
		return change + fmt.Sprintf(t(lang, "sc_hint_rank"), h.Rank)
	}
	return change + fmt.Sprintf(t(lang, "sc_hint_points"), h.Gain, rank)
}

// baselineText says what the rank changes compare with.
func baselineText(sc *warehouse.Scorecard, lang string) string {
	switch sc.Baseline {
	case warehouse.BaselinePublished:
		return fmt.Sprintf(t(lang, "sc_baseline_published"), sc.PrevMonth[:7], sc.BaselinePublication.At)
	case warehouse.BaselineRescored:
		return fmt.Sprintf(t(lang, "sc_baseline_rescored"), sc.PrevMonth[:7])
	}
	return t(lang, "sc_baseline_none")
}

func itemName(it scorecard.Item, lang string) string {
	if lang == langEn && it.NameEn != "" {
		return it.NameEn
	}
	if it.NameZh == "" {
		return it.Code
	}
	return it.NameZh
}

func scorecardChart(sc *warehouse.Scorecard, lang string) map[string]any {
	var names, links []string
	var data []opts.BarData
	for _, u := range sc.Units {
		// The bars stand in rank order: a unit without a place is in the table, with why.
		if !u.Ranked() {
			continue
		}
		names = append(names, u.Name)
		links = append(links, campaignLink(u.Code, sc.Month, lang))
		color := colorPeer
		switch {
		case u.HasChange && u.RankChange > 0:
			color = "#1e8e3e"
		case u.HasChange && u.RankChange < 0:
			color = colorHome
		}
		data = append(data, opts.BarData{Name: u.Name, Value: roundTo(u.Score, 2), ItemStyle: &opts.ItemStyle{Color: color}})
	}
	bar := charts.NewBar()
	// The title names the units ranked: a saved picture or a wall showed the score alone.
	title := fmt.Sprintf(t(lang, "scorecard_of"), inSentence(t(lang, "kind_"+sc.Kind), lang), sc.Month[:7])
	bar.SetGlobalOptions(chartBase("scorecard", title, t(lang, "scorecard_note"), lang)...)
	bar.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: "10", Right: "50", Top: "70", Bottom: "30", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0, Max: 100}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}))
	bar.SetXAxis(names)
	bar.AddSeries(t(lang, "score"), data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	bar.XYReversal()
	// Scores are written to two decimals, as the table beneath writes them.
	return withDigits(linkSeries(optionOf(bar), 0, links), 0, 2)
}

// categoriesChart compares problems found and rectified in each of the seven categories,
// the categories down the side: their names are seven characters long, and along the
// bottom they were cut and printed over each other on a phone.
func categoriesChart(sc *warehouse.Scorecard, lang string) map[string]any {
	names := make([]string, len(sc.Categories))
	found := make([]opts.BarData, len(sc.Categories))
	fixed := make([]opts.BarData, len(sc.Categories))
	for i, c := range sc.Categories {
		names[i] = t(lang, fmt.Sprintf("category_%d", c.Category))
		found[i] = opts.BarData{Value: c.Found}
		fixed[i] = opts.BarData{Value: c.Rectified}
	}
	bar := charts.NewBar()
	// The counts are of the units of the kind shown (市州), not the province's: the trend
	// below counts every unit, and the two read as contradicting each other.
	// What is counted, and why rectified may pass found: a leader read 336 rectified of 319
	// found as an error.
	bar.SetGlobalOptions(chartBase("categories", t(lang, "categories_title"), sc.Month[:7]+" · "+t(lang, "kind_"+sc.Kind)+" · "+t(lang, "categories_counted"), lang)...)
	bar.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithGridOpts(opts.Grid{Left: "10", Right: "50", Top: "70", Bottom: "40", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}))
	bar.SetXAxis(names)
	label := charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"})
	bar.AddSeries(t(lang, "found"), found, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorHome}), label)
	bar.AddSeries(t(lang, "rectified"), fixed, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#5ad8a6"}), label)
	bar.XYReversal()
	return optionOf(bar)
}

// campaignTrendChart follows the province's monthly totals of the main counts.
func campaignTrendChart(trend []warehouse.TrendPoint, lang string) map[string]any {
	// Every calendar month along the axis: a month without reports is a gap in the lines,
	// not a step from the month before it to the month after.
	var months []string
	at := map[string]int{}
	if len(trend) > 0 {
		for _, m := range warehouse.CalendarMonths(trend[0].Month, trend[len(trend)-1].Month) {
			at[m] = len(months)
			months = append(months, m[:7])
		}
	}
	line := charts.NewLine()
	// Six counts of four units share the axis: each line names its unit, the subtitle what
	// is counted (the chart said neither).
	line.SetGlobalOptions(chartBase("campaign-trend", t(lang, "campaign_trend"), t(lang, "campaign_trend_sub"), lang)...)
	line.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithGridOpts(opts.Grid{Left: "60", Right: "30", Top: "70", Bottom: "50"}))
	line.SetXAxis(months)
	for i, m := range campaignTrendMetrics {
		data := make([]opts.LineData, len(months))
		for j := range data {
			data[j] = opts.LineData{Value: "-"}
		}
		for _, p := range trend {
			data[at[p.Month]] = opts.LineData{Value: p.Totals[m]}
		}
		line.AddSeries(t(lang, "metric_"+m), data, charts.WithLineStyleOpts(opts.LineStyle{Width: 2, Color: seriesColor(false, i)}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: seriesColor(false, i)}))
	}
	return optionOf(line)
}
