package dashboard

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// campaignKinds are the kinds of unit a scorecard compares with each other.
var campaignKinds = []string{"city", "county", "department"}

// campaignTrendMetrics are the province-wide monthly totals the trend chart draws.
var campaignTrendMetrics = []string{"problems_found", "problems_rectified", "tasks_on_time", "tasks_overdue", "enterprise_visits", "inspections_4b2z"}

// DefaultCampaignWeights weigh every scorecard item the same.
func DefaultCampaignWeights() map[string]float64 {
	w := map[string]float64{}
	for _, it := range warehouse.ScoreItems {
		w[it.Code] = 1
	}
	return w
}

type campaignData struct {
	Kind      string                 `json:"kind"`
	Scorecard *warehouse.Scorecard   `json:"scorecard"`
	Trend     []warehouse.TrendPoint `json:"trend"`
}

func (s *Server) weights() map[string]float64 {
	if len(s.cfg.CampaignWeights) > 0 {
		return s.cfg.CampaignWeights
	}
	return DefaultCampaignWeights()
}

func (s *Server) loadCampaign(c echo.Context) (campaignData, error) {
	ctx := c.Request().Context()
	d := campaignData{Kind: c.QueryParam("kind")}
	if d.Kind == "" {
		d.Kind = "city"
	}
	var only []string
	unitKind := "region"
	switch d.Kind {
	case "city", "county":
		regions, err := s.store.Regions(ctx)
		if err != nil {
			return d, err
		}
		for _, r := range regions {
			if r.Level == d.Kind {
				only = append(only, r.Code)
			}
		}
	case "department":
		unitKind = "department"
	default:
		return d, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("kind %q is not city, county or department", d.Kind))
	}
	sc, err := s.store.Scorecard(ctx, unitKind, c.QueryParam("month"), s.weights(), only)
	if err != nil {
		return d, err
	}
	d.Scorecard = sc
	d.Trend, err = s.store.CampaignTrend(ctx)
	return d, err
}

func (s *Server) campaignAPI(c echo.Context) error {
	d, err := s.loadCampaign(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

type campaignView struct {
	page
	Months, Kinds []option
	Weights       []weightRow
	Rows          []scoreRow
	Month         string
}

type weightRow struct{ Item, Dimension, Weight string }

type scoreRow struct {
	Rank, Change, Name, Score, Study, Execution, Efficiency string
	ChangeClass                                             string
}

func (s *Server) campaignPage(c echo.Context) error {
	d, err := s.loadCampaign(c)
	if err != nil {
		return err
	}
	lang := pageLang(c)
	sc := d.Scorecard
	v := campaignView{page: newPage(c, "campaign", "nav_campaign"), Month: sc.Month}
	for i := len(sc.Months) - 1; i >= 0; i-- {
		m := sc.Months[i]
		v.Months = append(v.Months, option{m, m[:7], m == sc.Month})
	}
	for _, k := range campaignKinds {
		v.Kinds = append(v.Kinds, option{k, t(lang, "kind_"+k), k == d.Kind})
	}
	for _, it := range warehouse.ScoreItems {
		v.Weights = append(v.Weights, weightRow{Item: scoreItemName(it, lang), Dimension: t(lang, "dim_"+it.Dimension), Weight: formatNumber(s.weights()[it.Code])})
	}
	for _, u := range sc.Units {
		row := scoreRow{Rank: strconv.Itoa(u.Rank), Change: rankChangeText(u.PrevRank > 0, u.RankChange, lang), Name: u.Name,
			Score: fmt.Sprintf("%.1f", u.Score), Study: fmt.Sprintf("%.1f", u.Dimensions["study"]),
			Execution: fmt.Sprintf("%.1f", u.Dimensions["execution"]), Efficiency: fmt.Sprintf("%.1f", u.Dimensions["efficiency"])}
		row.ChangeClass = changeClass(warehouse.RankRow{HasPrev: u.PrevRank > 0, RankChange: u.RankChange})
		v.Rows = append(v.Rows, row)
	}
	if len(sc.Units) > 0 {
		v.addChart("scorecard", 90+20*len(sc.Units), scorecardChart(sc, lang))
		v.addChart("categories", 380, categoriesChart(sc, lang))
	}
	if len(d.Trend) > 0 {
		v.addChart("campaign-trend", 380, campaignTrendChart(d.Trend, lang))
	}
	if v.Sources, err = s.store.JobLineage(c.Request().Context(), []string{"campaign"}, 3); err != nil {
		return err
	}
	return c.Render(http.StatusOK, "campaign.html", v)
}

func scoreItemName(it warehouse.ScoreItem, lang string) string {
	if lang == langEn {
		return it.NameEn
	}
	return it.NameZh
}

func scorecardChart(sc *warehouse.Scorecard, lang string) map[string]any {
	names := make([]string, len(sc.Units))
	data := make([]opts.BarData, len(sc.Units))
	for i, u := range sc.Units {
		names[i] = u.Name
		color := colorPeer
		switch {
		case u.PrevRank > 0 && u.RankChange > 0:
			color = "#1e8e3e"
		case u.PrevRank > 0 && u.RankChange < 0:
			color = colorHome
		}
		data[i] = opts.BarData{Name: u.Name, Value: roundTo(u.Score, 1), ItemStyle: &opts.ItemStyle{Color: color}}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(chartBase("scorecard", t(lang, "scorecard")+" "+sc.Month[:7], t(lang, "scorecard_note"), lang)...)
	bar.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: "150", Right: "50", Top: "70", Bottom: "30"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0, Max: 100}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}))
	bar.SetXAxis(names)
	bar.AddSeries(t(lang, "score"), data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	bar.XYReversal()
	return optionOf(bar)
}

// categoriesChart compares problems found and rectified in each of the seven categories.
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
	bar.SetGlobalOptions(chartBase("categories", t(lang, "categories_title"), sc.Month[:7], lang)...)
	bar.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithGridOpts(opts.Grid{Left: "50", Right: "30", Top: "70", Bottom: "90"}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 20}}))
	bar.SetXAxis(names)
	bar.AddSeries(t(lang, "found"), found, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorHome}))
	bar.AddSeries(t(lang, "rectified"), fixed, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#5ad8a6"}))
	return optionOf(bar)
}

// campaignTrendChart follows the province's monthly totals of the main counts.
func campaignTrendChart(trend []warehouse.TrendPoint, lang string) map[string]any {
	months := make([]string, len(trend))
	for i, p := range trend {
		months[i] = p.Month[:7]
	}
	line := charts.NewLine()
	line.SetGlobalOptions(chartBase("campaign-trend", t(lang, "campaign_trend"), "", lang)...)
	line.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithGridOpts(opts.Grid{Left: "60", Right: "30", Top: "70", Bottom: "50"}))
	line.SetXAxis(months)
	for i, m := range campaignTrendMetrics {
		data := make([]opts.LineData, len(trend))
		for j, p := range trend {
			data[j] = opts.LineData{Value: p.Totals[m]}
		}
		line.AddSeries(t(lang, "metric_"+m), data, charts.WithLineStyleOpts(opts.LineStyle{Width: 2, Color: seriesColor(false, i)}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: seriesColor(false, i)}))
	}
	return optionOf(line)
}
