package dashboard

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// lineageData is where one number came from: every committed load of it, newest first, with
// the file, the line or cell, the run and the file's vintage. The newest is what the pages
// show; the older rows are its revisions.
type lineageData struct {
	// Subject names the number: indicator, region and period; a ledger item; or a campaign
	// unit, month and metric.
	Subject string         `json:"subject"`
	Rows    []lineageEntry `json:"rows"`
	// NoData says why there are no rows: nothing asked for, or nothing loaded for it.
	NoData string `json:"no_data,omitempty"`
}

// lineageEntry is one load of the number.
type lineageEntry struct {
	Key    string `json:"key,omitempty"`
	Value  string `json:"value"`
	Detail string `json:"detail,omitempty"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	Cell   string `json:"cell,omitempty"`
	RunID  string `json:"run_id"`
	Loaded string `json:"loaded_at"`
	// LoadedAt is Loaded as a time, which the page writes in Beijing time (the JSON keeps
	// UTC, with its zone, for programs).
	LoadedAt  time.Time `json:"-"`
	Vintage   string    `json:"vintage,omitempty"`
	VintageEn string    `json:"vintage_en,omitempty"`
	SHA256    string    `json:"sha256"`
	Current   bool      `json:"current"`
	// Label names what the row is of in the page's words (a campaign metric and its
	// category, a ledger item's deadline or a progress report) where Key is a code; Shown is
	// Value as the page writes it, in its unit (13,020.5亿元, 18件), and UnitNote says what
	// else the file gave (Detail): the unit a value was converted from, the name the file
	// calls a reporting unit by, a ledger item's title. Only the page uses them: a heading
	// read "problems_found:3 · 18 嘉峪关市".
	Label    string `json:"-"`
	Shown    string `json:"-"`
	UnitNote string `json:"-"`
}

// periodKinds are the kinds of period a value is loaded for (indicator_values.period_kind).
var periodKinds = []string{"year", "quarter", "month", "ytd"}

// lineageLink is the /lineage address of an indicator value, for a table row or tooltip.
func lineageLink(indicator, region string, year int, lang string) string {
	q := url.Values{"indicator": {indicator}, "region": {region}, "year": {strconv.Itoa(year)}}
	if lang == langEn {
		q.Set("lang", langEn)
	}
	return "/lineage?" + q.Encode()
}

// loadLineage reads what the query asks about. A value that was never loaded says so; a
// parameter that names nothing is refused (400) with the values there are.
func (s *Server) loadLineage(c echo.Context) (lineageData, []warehouse.SourceRow, error) {
	ctx := c.Request().Context()
	lang := pageLang(c)
	q := c.QueryParams()
	var d lineageData
	var rows []warehouse.SourceRow
	var err error
	// present writes a row as the page shows it; by default as loaded.
	present := func(e *lineageEntry) {
		e.Label, e.Shown, e.UnitNote = e.Key, e.Value, e.Detail
	}
	switch {
	case q.Get("indicator") != "" && q.Get("region") != "":
		// A parameter that names nothing is said to be so, not echoed back as a value
		// that was never loaded.
		kind := cmp.Or(q.Get("kind"), "year")
		if !slices.Contains(periodKinds, kind) {
			// Said, not linked: a quarter or a month needs its number (no=) too.
			return d, nil, badFormat("kind", kind, strings.Join(periodKinds, ", "))
		}
		year, err := parseYear("year", q.Get("year"))
		if err != nil {
			return d, nil, err
		}
		no, nerr := strconv.Atoi(cmp.Or(q.Get("no"), "0"))
		if nerr != nil || no < 0 || no > 12 {
			return d, nil, badFormat("no", q.Get("no"), "0–12")
		}
		var unit string
		d.Subject, unit, err = s.valueSubject(c, q.Get("indicator"), q.Get("region"), kind, year, no)
		if err != nil {
			return d, nil, err
		}
		rows, err = s.store.ValueSources(ctx, q.Get("indicator"), q.Get("region"), kind, year, no)
		present = func(e *lineageEntry) {
			var number bool
			e.Shown, number = shownIn(e.Value, unit, lang)
			switch {
			case !number:
				e.UnitNote = e.Detail
			case e.Detail != "" && e.Detail != unit:
				e.UnitNote = fmt.Sprintf(t(lang, "lineage_file_unit"), unitWord(e.Detail, lang))
			}
		}
	case q.Get("item") != "":
		d.Subject = fmt.Sprintf(t(lang, "lineage_item"), q.Get("item"))
		rows, err = s.store.LedgerSources(ctx, q.Get("item"))
		present = presentLedgerRow(lang)
	case q.Get("unit") != "" && q.Get("month") != "":
		month, perr := time.Parse("2006-01-02", q.Get("month"))
		regions, rerr := s.regionIndex(c)
		if rerr != nil {
			return d, nil, rerr
		}
		metrics, merr := s.store.CampaignMetrics(ctx)
		if merr != nil {
			return d, nil, merr
		}
		// A month as the campaign's pages write it (2025-02): its reports are monthly.
		d.Subject = regionLabel(regions, q.Get("unit"), lang) + " · " + strings.TrimSuffix(q.Get("month"), "-01")
		if m := q.Get("metric"); m != "" {
			d.Subject += " · " + campaignMetricLabel(metrics, m, lang)
		}
		if perr == nil {
			rows, err = s.store.CampaignSources(ctx, q.Get("unit"), month.Format("2006-01-02"), q.Get("metric"))
		}
		present = presentCampaignRow(metrics, lang)
	default:
		d.NoData = t(lang, "lineage_ask")
		return d, nil, nil
	}
	if err != nil {
		return d, nil, err
	}
	for _, r := range rows {
		d.Rows = append(d.Rows, lineageEntry{Key: r.Key, Value: r.Value, Detail: r.Detail, File: r.Load.File, Line: r.Line, Cell: r.Cell(),
			RunID: r.Load.RunID, Loaded: r.Load.LoadedAt.Format("2006-01-02 15:04:05 MST"), LoadedAt: r.Load.LoadedAt, Vintage: r.Load.Vintage, VintageEn: r.Load.VintageEn, SHA256: r.Load.Hash, Current: r.Current})
		present(&d.Rows[len(d.Rows)-1])
	}
	if len(rows) == 0 {
		d.NoData = fmt.Sprintf(t(lang, "lineage_none"), d.Subject)
	}
	return d, rows, nil
}

// valueSubject names an indicator value: "地区生产总值 · 甘肃省 · 2024".
// It gives the unit the indicator's values are stored in.
func (s *Server) valueSubject(c echo.Context, indicator, region, kind string, year, no int) (string, string, error) {
	lang := pageLang(c)
	inds, err := s.store.Indicators(c.Request().Context())
	if err != nil {
		return "", "", err
	}
	i := slices.IndexFunc(inds, func(i warehouse.Indicator) bool { return i.Code == indicator })
	if i < 0 {
		return "", "", badChoice("indicator", indicator, indicatorChoices(inds, lang))
	}
	name := indicatorName(inds[i], lang)
	regions, err := s.regionIndex(c)
	if err != nil {
		return "", "", err
	}
	if _, ok := regions[region]; !ok {
		return "", "", badFormat("region", region, "620000")
	}
	period := strconv.Itoa(year)
	if kind != "year" {
		period += fmt.Sprintf(" %s %d", kind, no)
	}
	return name + " · " + regionLabel(regions, region, lang) + " · " + period, inds[i].Unit, nil
}

func (s *Server) lineageAPI(c echo.Context) error {
	d, _, err := s.loadLineage(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

type lineageView struct {
	page
	lineageData
}

func (s *Server) lineagePage(c echo.Context) error {
	d, rows, err := s.loadLineage(c)
	if err != nil {
		return err
	}
	v := lineageView{page: newPage(c, "", "lineage"), lineageData: d}
	for _, r := range rows {
		v.Sources = warehouse.MergeLineage(v.Sources, []warehouse.Lineage{r.Load})
	}
	return c.Render(http.StatusOK, "lineage.html", v)
}

// shownIn writes a loaded value as the page does, grouped and in its unit (13,020.5亿元),
// and says whether it was a number; anything else is shown as loaded.
func shownIn(value, unit, lang string) (string, bool) {
	v, err := strconv.ParseFloat(value, 64)
	if err != nil {
		return value, false
	}
	return withUnit(formatNumber(v), unit, lang), true
}

// campaignMetricLabel names a campaign metric's row key (metric, or metric:category) in
// lang: 发现突出问题数（懒散疲沓不勤为）.
func campaignMetricLabel(metrics []warehouse.CampaignMetric, key, lang string) string {
	code, cat, _ := strings.Cut(key, ":")
	name := code
	if m, ok := campaignMetric(metrics, code); ok {
		name = inLang(lang, m.NameZh, m.NameEn)
	}
	if cat == "" {
		return name
	}
	if word, ok := labels[lang]["category_"+cat]; ok {
		cat = word
	}
	// A category no label names (from the address bar) is shown as given, not as a key.
	return qualified(name, lang, cat)
}

// campaignMetric finds a metric by its code.
func campaignMetric(metrics []warehouse.CampaignMetric, code string) (warehouse.CampaignMetric, bool) {
	if i := slices.IndexFunc(metrics, func(m warehouse.CampaignMetric) bool { return m.Code == code }); i >= 0 {
		return metrics[i], true
	}
	return warehouse.CampaignMetric{}, false
}

// presentCampaignRow shows a report's value in its metric's unit (18件), and the name the
// file gave the unit, which may be an alias the load resolved.
func presentCampaignRow(metrics []warehouse.CampaignMetric, lang string) func(*lineageEntry) {
	return func(e *lineageEntry) {
		code, _, _ := strings.Cut(e.Key, ":")
		m, _ := campaignMetric(metrics, code)
		e.Label = campaignMetricLabel(metrics, e.Key, lang)
		e.Shown, _ = shownIn(e.Value, unitWord(m.Unit, lang), lang)
		if e.Detail != "" {
			e.UnitNote = fmt.Sprintf(t(lang, "lineage_unit_in_file"), e.Detail)
		}
	}
}

// presentLedgerRow shows a ledger item's description row by its deadline and title, and a
// progress report by its date, status (in lang) and progress.
func presentLedgerRow(lang string) func(*lineageEntry) {
	return func(e *lineageEntry) {
		e.UnitNote = e.Detail
		if e.Key == "item" {
			e.Label, e.Shown = t(lang, "lineage_ledger_deadline"), e.Value
			return
		}
		e.Label, e.Shown = fmt.Sprintf(t(lang, "lineage_ledger_report"), e.Key), e.Value
		if status, pct, ok := strings.Cut(e.Value, " "); ok {
			e.Shown = fmt.Sprintf(t(lang, "lineage_ledger_progress"), statusLabel(lang, status), pct)
		}
	}
}
