package dashboard

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// changeRow is one change as the changes page shows it: what changed named in the page's
// language (人均地区生产总值, 城关区, 整改时限) beside the codes an operator searches by, and its
// values as the pages write them.
type changeRow struct {
	warehouse.ValueChange
	SubjectName, RegionName, FieldName, PeriodName string
	Old, New                                       string
	History                                        []shownVersion
}

// shownVersion is a version of a changed value, written as the page writes it.
type shownVersion struct {
	warehouse.ValueVersion
	Shown string
}

// dimensionNames are the dimensions an operator's page names codes from: a run's changes,
// an upload's preview.
type dimensionNames struct {
	job        string
	indicators []warehouse.Indicator
	regions    map[string]warehouse.Region
	metrics    []warehouse.CampaignMetric
}

// IndicatorName is an indicator's name in lang; "" for a code the catalog does not have.
func (n dimensionNames) IndicatorName(code, lang string) string {
	if i, ok := indicatorOf(n.indicators, code); ok {
		return indicatorName(i, lang)
	}
	return ""
}

// RegionName is a region's name in lang; "" for a code no region has.
func (n dimensionNames) RegionName(code, lang string) string {
	if r, ok := n.regions[code]; ok {
		return fullName(r, lang)
	}
	return ""
}

// ledgerField names a ledger item's field (run_changes.sql) by the label of the ledger's
// own column; a field it does not know is shown as it is.
func ledgerField(field, lang string) string {
	switch field {
	case "title":
		return t(lang, "title")
	case "description":
		return t(lang, "description")
	case "responsible_unit":
		return t(lang, "responsible_unit")
	case "category":
		return t(lang, "category")
	case "region_code":
		return t(lang, "region")
	case "source":
		return t(lang, "source_of_item")
	case "found_date":
		return t(lang, "found")
	case "deadline":
		return t(lang, "deadline")
	case "status":
		return t(lang, "status")
	}
	return field
}

// changePeriod names a changed value's period (run_changes.sql's key) as the pages name
// periods: 2023年1-3月累计 for "2023 1-03", 2023年第1季度 for "2023Q1", 2023年3月 for "2023-03"; a
// year is the row's year column already, a date is shown as it is.
func changePeriod(period, lang string) string {
	var kind, no string
	switch {
	case len(period) == 9 && period[4:7] == " 1-":
		kind, no = periodCumulative, period[7:]
	case len(period) == 6 && period[4] == 'Q':
		kind, no = PeriodQuarter, period[5:]
	case len(period) == 7 && period[4] == '-':
		kind, no = PeriodMonth, period[5:]
	default:
		return period
	}
	year, _ := strconv.Atoi(period[:4])
	n, _ := strconv.Atoi(no)
	return periodLabel(kind, year, n, lang)
}

func (n dimensionNames) row(c warehouse.ValueChange, lang string) changeRow {
	r := changeRow{ValueChange: c, SubjectName: c.Subject, RegionName: regionLabel(n.regions, c.Region, lang), FieldName: c.Field,
		PeriodName: changePeriod(c.Period, lang)}
	unit := ""
	switch n.job {
	case warehouse.JobEconomy:
		if i, ok := indicatorOf(n.indicators, c.Subject); ok {
			r.SubjectName, unit = indicatorName(i, lang), i.Unit
		}
		r.FieldName = t(lang, "value")
	case warehouse.JobCampaign:
		key := c.Subject
		if cat, ok := strings.CutPrefix(c.Field, "category_"); ok {
			key += ":" + cat
		}
		r.SubjectName = campaignMetricLabel(n.metrics, key, lang)
		if m, ok := campaignMetric(n.metrics, c.Subject); ok {
			unit = m.Unit
		}
		r.FieldName = t(lang, "value")
	case warehouse.JobEcology:
		r.FieldName = ledgerField(c.Field, lang)
	}
	show := func(v string) string {
		if v == "" {
			return ""
		}
		if c.Field == "status" {
			// A progress report: 整改中 50% 备注.
			if status, rest, ok := strings.Cut(v, " "); ok {
				return statusLabel(lang, status) + " " + rest
			}
			return v
		}
		if n.job == warehouse.JobEcology {
			return v
		}
		s, _ := shownIn(v, unit, lang)
		return s
	}
	r.Old, r.New = show(c.OldValue), show(c.NewValue)
	for _, h := range c.History {
		r.History = append(r.History, shownVersion{ValueVersion: h, Shown: show(h.Value)})
	}
	return r
}

// dimensionNamesFor reads the dimensions a run of job is named from.
func (s *Server) dimensionNamesFor(c echo.Context, job string) (dimensionNames, error) {
	regions, err := s.regionIndex(c)
	n := dimensionNames{job: job, regions: regions}
	switch {
	case err != nil:
	case job == warehouse.JobEconomy:
		n.indicators, err = s.store.Indicators(c.Request().Context())
	case job == warehouse.JobCampaign:
		n.metrics, err = s.store.CampaignMetrics(c.Request().Context())
	}
	return n, err
}
