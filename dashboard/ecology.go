package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/labstack/echo/v4"

	"jinwei/dashboard/api"
	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
)

// statusColors are the colours of warehouse.LedgerStatuses in the charts.
var statusColors = map[string]string{
	warehouse.StatusNotStarted: "#c0392b", warehouse.StatusInProgress: "#f6bd16", warehouse.StatusReturned: "#e8684a",
	warehouse.StatusRectified: "#5b8ff9", warehouse.StatusClosureRequested: "#9270ca", warehouse.StatusClosed: "#5ad8a6",
}

type ecologyData struct {
	AsOf     string                    `json:"as_of"`
	Dates    []string                  `json:"report_dates"`
	Items    []api.LedgerItem          `json:"items"`
	ByStatus map[string]int            `json:"by_status"`
	ByCity   map[string]map[string]int `json:"by_city"`
	Overdue  int                       `json:"overdue"`
	// OverdueByCity counts the overdue items by the city (code) they are in.
	OverdueByCity map[string]int `json:"overdue_by_city"`
	Trend         []trendPoint   `json:"trend"`
	// runs are the loads whose reports gave the statuses counted, on the day and in the trend.
	runs []string
	// Generated says generated ledger items are in the answer, as the items say.
	Generated bool `json:"generated"`
	// Age, when the answer is of the last report (no as_of asked) and that report is older
	// than staleLedger, says how old and what is overdue today: the page said so and the
	// API, read by the same leaders' tools, did not.
	Age *ledgerAge `json:"age,omitempty"`
}

// ledgerAge is how old the ledger's last report is, and what is overdue today.
type ledgerAge struct {
	LastReport   string `json:"last_report"`
	Days         int    `json:"days"`
	Today        string `json:"today"`
	OverdueToday int    `json:"overdue_today"`
}

type trendPoint struct {
	Date     string         `json:"date"`
	ByStatus map[string]int `json:"by_status"`
}

func (s *Server) loadEcology(c echo.Context) (ecologyData, map[string]warehouse.Region, error) {
	ctx := c.Request().Context()
	var d ecologyData
	dates, err := s.store.LedgerDates(ctx)
	if err != nil {
		return d, nil, err
	}
	asOf := time.Now().UTC()
	if len(dates) > 0 {
		asOf = dates[len(dates)-1]
	}
	if v := c.QueryParam("as_of"); v != "" {
		if asOf, err = time.Parse("2006-01-02", v); err != nil {
			return d, nil, badFormat("as_of", v, "2024-12-31")
		}
		// A day to come was counted as if nothing would close before it: as of 2030 the
		// cards said 96 overdue under a picker that read 2024-12-31.
		if today := s.now().In(warehouse.ProvinceTime).Format("2006-01-02"); v > today {
			return d, nil, &choiceError{Param: "as_of", Value: v, Future: today}
		}
		// Before the first report there is no ledger: its cards said 0 items, 0 overdue.
		if len(dates) > 0 && asOf.Before(dates[0]) {
			return d, nil, &choiceError{Param: "as_of", Value: v, Before: dates[0].Format("2006-01-02")}
		}
	}
	scope := currentSession(c).scope()
	regions, err := s.regionIndex(c)
	if err != nil {
		return d, nil, err
	}
	if d, err = s.ledgerOn(ctx, scope, asOf, regions); err != nil {
		return d, nil, err
	}
	for _, day := range dates {
		if day.After(asOf) {
			break
		}
		items, err := s.store.LedgerOn(ctx, scope, day)
		if err != nil {
			return d, nil, err
		}
		p := trendPoint{Date: day.Format("2006-01-02"), ByStatus: map[string]int{}}
		for _, it := range items {
			p.ByStatus[it.Status]++
			d.runs = append(d.runs, it.RunID)
		}
		d.Trend = append(d.Trend, p)
		d.Dates = append(d.Dates, p.Date)
	}
	if c.QueryParam("as_of") == "" && len(dates) > 0 {
		if d.Age, err = s.ledgerAgeOf(ctx, scope, asOf, regions); err != nil {
			return d, nil, err
		}
	}
	return d, regions, nil
}

// ledgerOn counts the ledger as of a day: items by status, by city and overdue.
func (s *Server) ledgerOn(ctx context.Context, scope warehouse.RowScope, asOf time.Time, regions map[string]warehouse.Region) (ecologyData, error) {
	d := ecologyData{AsOf: asOf.Format("2006-01-02"), ByStatus: map[string]int{}, ByCity: map[string]map[string]int{}, OverdueByCity: map[string]int{}}
	items, err := s.store.LedgerOn(ctx, scope, asOf)
	if err != nil {
		return d, err
	}
	d.Items = api.LedgerItems(items)
	for _, it := range d.Items {
		d.ByStatus[it.Status]++
		d.runs = append(d.runs, it.RunID)
		d.Generated = d.Generated || it.Generated
		city := cityOf(regions, it.RegionCode)
		if d.ByCity[city] == nil {
			d.ByCity[city] = map[string]int{}
		}
		d.ByCity[city][it.Status]++
		if it.Overdue {
			d.Overdue++
			d.OverdueByCity[city]++
		}
	}
	return d, nil
}

func (s *Server) regionIndex(c echo.Context) (map[string]warehouse.Region, error) {
	regions, err := s.store.Regions(c.Request().Context())
	if err != nil {
		return nil, err
	}
	out := make(map[string]warehouse.Region, len(regions))
	for _, r := range regions {
		out[r.Code] = r
	}
	return out, nil
}

// cityOf is the code of the city a county (or the city itself) belongs to.
func cityOf(regions map[string]warehouse.Region, code string) string {
	if r, ok := regions[code]; ok && r.Level == "county" {
		return r.ParentCode
	}
	return code
}

func (s *Server) ecologyAPI(c echo.Context) error {
	d, _, err := s.loadEcology(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

type ecologyView struct {
	page
	AsOf string
	// Stale says, when the page opens on a last report long past, how old it is and what
	// counts as overdue today; StaleLink opens the ledger as of today.
	Stale, StaleLink string
	// OverdueToday is, on an old ledger, today's count under the card's: a wall screen's
	// readers took the card's 27 (as of the last report) for today's 96.
	OverdueToday string
	Dates        []option
	Total        int
	Overdue      int
	Closed       int
	Rows         []ledgerRow
}

type ledgerRow struct {
	ID, Title, Region, Source, Category, Found, Deadline, Status, Progress, Unit string
	Overdue                                                                      bool
}

func (s *Server) ecologyPage(c echo.Context) error {
	d, regions, err := s.loadEcology(c)
	if err != nil {
		return err
	}
	lang := pageLang(c)
	v := ecologyView{page: newPage(c, "ecology", "nav_ecology"), AsOf: d.AsOf, Total: len(d.Items), Overdue: d.Overdue, Closed: d.ByStatus[warehouse.StatusClosed]}
	v.Generated = d.Generated
	for i := len(d.Dates) - 1; i >= 0; i-- {
		v.Dates = append(v.Dates, option{d.Dates[i], d.Dates[i], d.Dates[i] == d.AsOf})
	}
	for _, it := range d.Items {
		v.Rows = append(v.Rows, ledgerRow{ID: it.ItemID, Title: it.Title, Region: regionLabel(regions, it.RegionCode, lang), Source: it.Source,
			Category: it.Category, Found: it.FoundDate, Deadline: it.Deadline, Status: statusLabel(lang, it.Status), Progress: fmt.Sprintf("%.0f%%", it.Progress),
			Unit: it.ResponsibleUnit, Overdue: it.Overdue})
	}
	if len(d.Items) > 0 {
		v.addChart("ledger-status", 360, statusPie(d.ByStatus, d.AsOf, lang))
		v.addChart("ledger-cities", 420, cityStatusChart(d.ByCity, regions, lang))
		v.addChart("ledger-trend", 380, ledgerTrendChart(d.Trend, lang))
	}
	if v.Sources, err = s.store.RunLineage(c.Request().Context(), d.runs); err != nil {
		return err
	}
	if a := d.Age; a != nil {
		q := url.Values{"as_of": {a.Today}}
		if lang == langEn {
			q.Set("lang", langEn)
		}
		v.Stale, v.StaleLink = fmt.Sprintf(t(lang, "ledger_stale"), a.LastReport, a.Days, a.Today, a.OverdueToday), "/ecology?"+q.Encode()
		v.OverdueToday = fmt.Sprintf(t(lang, "overdue_today"), a.Today, a.OverdueToday)
	}
	return c.Render(http.StatusOK, "ecology.html", v)
}

// staleLedger is how long after its last report the ledger's page says the report is old:
// a quarter's reports, and a month's grace.
const staleLedger = 120 * 24 * time.Hour

// ledgerAgeOf says, when the ledger's last report (last, the page's default day) is older
// than staleLedger, how old, and how many items are overdue today: as of its last report
// a ledger 23 months old said 27 overdue, and 96 were by today, with nothing to tell them
// apart. Nil when the report is recent.
func (s *Server) ledgerAgeOf(ctx context.Context, scope warehouse.RowScope, last time.Time, regions map[string]warehouse.Region) (*ledgerAge, error) {
	// The report's day begins at midnight in the province.
	last = time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, warehouse.ProvinceTime)
	now := s.now().In(warehouse.ProvinceTime)
	if now.Sub(last) < staleLedger {
		return nil, nil
	}
	today, err := time.Parse(time.DateOnly, now.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	d, err := s.ledgerOn(ctx, scope, today, regions)
	if err != nil {
		return nil, err
	}
	return &ledgerAge{LastReport: last.Format(time.DateOnly), Days: int(now.Sub(last).Hours() / 24),
		Today: today.Format(time.DateOnly), OverdueToday: d.Overdue}, nil
}

func regionLabel(regions map[string]warehouse.Region, code, lang string) string {
	r, ok := regions[code]
	if !ok {
		return code
	}
	return fullName(r, lang)
}

// fullName is a region's whole name in lang: what a list of many regions to choose from
// shows, where short names repeat (临夏 is a prefecture, its city and a county).
func fullName(r warehouse.Region, lang string) string {
	if lang == langEn && r.NameEn != "" {
		return r.NameEn
	}
	return r.NameZh
}

func statusPie(by map[string]int, asOf, lang string) map[string]any {
	pie := charts.NewPie()
	pie.SetGlobalOptions(chartBase("ledger-status", t(lang, "ledger_by_status"), asOf, lang)...)
	pie.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}))
	var data []opts.PieData
	for _, st := range warehouse.LedgerStatuses {
		data = append(data, opts.PieData{Name: statusLabel(lang, st), Value: by[st], ItemStyle: &opts.ItemStyle{Color: statusColors[st]}})
	}
	// Centred a little low, so that a label on the ring's top clears the date under the title.
	pie.AddSeries(t(lang, "status"), data, charts.WithPieChartOpts(opts.PieChart{Radius: []string{"32%", "58%"}, Center: []string{"50%", "56%"}}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}" + t(lang, "sep_label") + "{c}"}))
	return optionOf(pie)
}

func cityStatusChart(by map[string]map[string]int, regions map[string]warehouse.Region, lang string) map[string]any {
	var cities []string
	for c := range by {
		cities = append(cities, c)
	}
	slices.Sort(cities)
	names := make([]string, len(cities))
	for i, c := range cities {
		names[i] = c
		if r, ok := regions[c]; ok {
			names[i] = axisName(r, lang)
		}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(chartBase("ledger-cities", t(lang, "ledger_by_city"), "", lang)...)
	bar.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithGridOpts(opts.Grid{Left: "50", Right: "30", Top: "70", Bottom: "90"}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 45}}))
	bar.SetXAxis(names)
	for _, st := range warehouse.LedgerStatuses {
		data := make([]opts.BarData, len(cities))
		for i, c := range cities {
			data[i] = opts.BarData{Value: by[c][st]}
		}
		bar.AddSeries(statusLabel(lang, st), data, charts.WithBarChartOpts(opts.BarChart{Stack: "status"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: statusColors[st]}))
	}
	return optionOf(bar)
}

func ledgerTrendChart(trend []trendPoint, lang string) map[string]any {
	dates := make([]string, len(trend))
	for i, p := range trend {
		dates[i] = p.Date
	}
	line := charts.NewLine()
	line.SetGlobalOptions(chartBase("ledger-trend", t(lang, "ledger_trend"), "", lang)...)
	line.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithGridOpts(opts.Grid{Left: "50", Right: "30", Top: "70", Bottom: "50"}))
	line.SetXAxis(dates)
	for _, st := range warehouse.LedgerStatuses {
		data := make([]opts.LineData, len(trend))
		for i, p := range trend {
			data[i] = opts.LineData{Value: p.ByStatus[st]}
		}
		line.AddSeries(statusLabel(lang, st), data, charts.WithLineStyleOpts(opts.LineStyle{Width: 2, Color: statusColors[st]}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: statusColors[st]}))
	}
	return optionOf(line)
}

// ecologyItem is one item with its history, its attachments and the steps of the closure
// loop the caller may take on it now.
type ecologyItem struct {
	Item        *warehouse.LedgerItem
	History     []warehouse.StatusEvent
	Attachments []warehouse.Attachment
	Steps       []string
	// Generated says the item is generated demo data.
	Generated bool
	rights    itemRights
}

// itemAnswer is /api/ecology/items/:id's answer.
type itemAnswer struct {
	Item        api.LedgerItem    `json:"item"`
	History     []api.StatusEvent `json:"history"`
	Attachments []api.Attachment  `json:"attachments"`
	Steps       []string          `json:"steps"`
	Generated   bool              `json:"generated"`
}

// visibleItem is the ledger item id as it stands now, and what the caller may do with it;
// an item the caller may not see does not exist for it (404, as for an unknown id).
func (s *Server) visibleItem(c echo.Context, id string) (warehouse.LedgerItem, itemRights, error) {
	items, err := s.store.LedgerOn(c.Request().Context(), currentSession(c).scope(), s.now().UTC())
	if err != nil {
		return warehouse.LedgerItem{}, itemRights{}, err
	}
	i := slices.IndexFunc(items, func(it warehouse.LedgerItem) bool { return it.ItemID == id })
	var r itemRights
	if i >= 0 {
		r = s.itemRights(c, items[i])
	}
	if !r.See {
		return warehouse.LedgerItem{}, r, echo.NewHTTPError(http.StatusNotFound, reasons.New("no ledger item %q", "台账中没有问题编号为 %q 的问题", id))
	}
	return items[i], r, nil
}

func (s *Server) loadItem(c echo.Context) (ecologyItem, error) {
	ctx := c.Request().Context()
	var d ecologyItem
	it, rights, err := s.visibleItem(c, c.Param("id"))
	if err != nil {
		return d, err
	}
	d.Item, d.rights, d.Generated, d.Steps = &it, rights, it.Generated, rights.steps(it.Status)
	scope := currentSession(c).scope()
	if d.History, err = s.store.ItemHistory(ctx, scope, it.ItemID); err != nil {
		return d, err
	}
	st := s.store
	d.Attachments, err = st.ItemAttachments(ctx, scope, it.ItemID)
	return d, err
}

func (s *Server) ecologyItemAPI(c echo.Context) error {
	d, err := s.loadItem(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemAnswer{Item: api.LedgerItem(*d.Item), History: api.StatusEvents(d.History),
		Attachments: api.Attachments(d.Attachments), Steps: d.Steps, Generated: d.Generated})
}

type itemView struct {
	page
	Item    *warehouse.LedgerItem
	Region  string
	History []itemEvent
	// Progress says the account may report progress now; Closing are the other steps it
	// may take (warehouse.Step*), each a form; Form is the step just sent when it is shown
	// again with its errors.
	Progress  bool
	Closing   []closingForm
	Form      *stepForm
	MaxFileMB int
	// Next says, to an account that may take no step now, who takes the item's next one: a
	// verifier opening a rectified item found no action and nothing saying why.
	Next string
}

// closingForm is the form of one step without files.
type closingForm struct {
	Kind, Button, NoteLabel string
	NeedsReason             bool
}

// itemEvent is one event of the item's history with who took it and its attachments.
type itemEvent struct {
	warehouse.StatusEvent
	Files []warehouse.Attachment
}

func (s *Server) ecologyItemPage(c echo.Context) error {
	return s.renderItem(c, http.StatusOK, nil)
}

// renderItem draws the item's page with status; form, when set, is a step sent and refused,
// shown again with its errors beside its fields.
func (s *Server) renderItem(c echo.Context, status int, form *stepForm) error {
	d, err := s.loadItem(c)
	if err != nil {
		return err
	}
	lang := pageLang(c)
	regions, err := s.regionIndex(c)
	if err != nil {
		return err
	}
	v := itemView{page: newPage(c, "ecology", "ledger_item"), Item: d.Item, Region: regionLabel(regions, d.Item.RegionCode, lang),
		Form: form, MaxFileMB: MaxAttachmentBytes >> 20}
	for _, st := range d.Steps {
		if st == warehouse.StepProgress {
			v.Progress = true
		} else {
			v.Closing = append(v.Closing, closingForm{Kind: st, Button: t(lang, "step_"+st), NoteLabel: t(lang, "step_note_"+st),
				NeedsReason: st == warehouse.StepReturn || st == warehouse.StepReopen})
		}
	}
	if len(d.Steps) == 0 {
		v.Next = t(lang, "ledger_next_"+ledgerStage(d.Item.Status))
	}
	for _, h := range d.History {
		row := itemEvent{StatusEvent: h}
		for _, a := range d.Attachments {
			if h.By != "" && a.EventAt == h.At {
				row.Files = append(row.Files, a)
			}
		}
		v.History = append(v.History, row)
	}
	v.Title = d.Item.ItemID + " · " + d.Item.Title
	v.Generated = d.Generated
	dates := make([]string, len(d.History))
	links := make([]string, len(d.History))
	progress := make([]opts.LineData, len(d.History))
	for i, h := range d.History {
		dates[i] = h.Date
		progress[i] = opts.LineData{Value: h.Progress, Name: statusLabel(lang, h.Status)}
		// A report loaded from a ledger file leads to the item's lineage (its rows and
		// cells); a step taken on this site (h.By) has no file behind it.
		if h.By == "" {
			links[i] = itemLineageLink(d.Item.ItemID, lang)
		}
	}
	line := charts.NewLine()
	line.SetGlobalOptions(chartBase("item-progress", t(lang, "progress_history"), "", lang)...)
	line.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: 0, Max: 100, Name: "%"}))
	line.SetXAxis(dates)
	line.AddSeries(t(lang, "progress"), progress, charts.WithLineChartOpts(opts.LineChart{Step: "end"}),
		charts.WithLineStyleOpts(opts.LineStyle{Width: 3, Color: colorPeer}))
	v.addChart("item-progress", 320, linkSeries(optionOf(line), 0, links))
	runs := []string{d.Item.RunID}
	for _, h := range d.History {
		runs = append(runs, h.RunID)
	}
	if v.Sources, err = s.store.RunLineage(c.Request().Context(), runs); err != nil {
		return err
	}
	return c.Render(status, "ecology_item.html", v)
}
