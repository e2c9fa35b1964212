package dashboard

import (
	"cmp"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse/scorecard"
)

// methodRules are the scorecard's rules, in the order the methodology page lists them
// (labels sc_rule_…).
var methodRules = []string{"scale", "window", "size", "missing", "na", "partial", "unreported", "ties", "change", "honesty", "weights", "hint"}

// scoreStatuses and scoreUnitKinds name the run-time label families sc_status_… and
// sc_unit_….
var (
	scoreStatuses  = []string{"ok", "missing", "na"}
	scoreUnitKinds = []string{"region", "department"}
)

// methodItem is one scored item as the methodology page explains it.
type methodItem struct {
	Code      string  `json:"code"`
	Item      string  `json:"item"`
	Dimension string  `json:"dimension"`
	Formula   string  `json:"formula"`
	Direction string  `json:"direction"`
	Weight    float64 `json:"weight"`
	Default   float64 `json:"default_weight"`
	AppliesTo string  `json:"applies_to"`
	// Note and NoteEn are the data's note on the item in Chinese and English; an English page
	// without the English shows the Chinese, marked as such.
	Note       string `json:"note,omitempty"`
	NoteEn     string `json:"note_en,omitempty"`
	WeightText string `json:"-"`
}

type methodData struct {
	Items []methodItem `json:"items"`
	// Rules are the method's rules in words, in the page's language.
	Rules []string `json:"rules"`
}

type methodView struct {
	page
	methodData
}

func (s *Server) loadMethod(c echo.Context) (methodData, error) {
	ctx := c.Request().Context()
	lang := pageLang(c)
	items, err := s.store.ScorecardItems(ctx)
	if err != nil {
		return methodData{}, err
	}
	metrics, err := s.store.CampaignMetrics(ctx)
	if err != nil {
		return methodData{}, err
	}
	metric := func(code string) string {
		for _, m := range metrics {
			if m.Code == code {
				return metricName(m, lang)
			}
		}
		return code
	}
	d := methodData{}
	for _, it := range items {
		w := it.Weight
		if cw, ok := s.cfg.CampaignWeights[it.Code]; ok {
			w = cw
		}
		var formula string
		switch it.Formula {
		case scorecard.PerSize:
			formula = fmt.Sprintf(t(lang, "sc_formula_per_size"), metric(it.Num))
		case scorecard.Rate:
			formula = fmt.Sprintf(t(lang, "sc_formula_rate"), metric(it.Num), metric(it.Den))
		case scorecard.Stock:
			formula = fmt.Sprintf(t(lang, "sc_formula_stock"), metric(it.Num), metric(it.Den), it.Deadline)
		}
		// A rate pools its numerator and denominator; a count per person is a monthly mean
		// ("…合计，计数项取月均" was said of rates too, which have no count).
		switch {
		case it.Pool > 1 && it.Formula == scorecard.Rate:
			formula += fmt.Sprintf(t(lang, "sc_formula_pool_rate"), it.Pool)
		case it.Pool > 1 && it.Formula == scorecard.PerSize:
			formula += fmt.Sprintf(t(lang, "sc_formula_pool_count"), it.Pool)
		}
		dir := t(lang, "sc_higher_better")
		if it.Direction < 0 {
			dir = t(lang, "sc_lower_better")
		}
		var kinds []string
		for _, k := range it.Kinds {
			kinds = append(kinds, t(lang, "sc_unit_"+k))
		}
		mi := methodItem{Code: it.Code, Item: itemName(it, lang), Dimension: t(lang, "dim_"+it.Dimension), Formula: formula, Direction: dir,
			Weight: w, Default: it.Weight, AppliesTo: strings.Join(kinds, t(lang, "sep_list")), WeightText: formatNumber(w), Note: it.Note, NoteEn: it.NoteEn}
		d.Items = append(d.Items, mi)
	}
	for _, k := range methodRules {
		d.Rules = append(d.Rules, t(lang, "sc_rule_"+k))
	}
	return d, nil
}

func (s *Server) campaignMethodPage(c echo.Context) error {
	d, err := s.loadMethod(c)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "campaign_method.html", methodView{page: newPage(c, "campaign", "sc_method"), methodData: d})
}

func (s *Server) campaignMethodAPI(c echo.Context) error {
	d, err := s.loadMethod(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// adminPublishCampaign publishes a month's rankings (通报) of one scope (kind) or, without
// kind, of all three, so that the next month's rank changes are against them.
func (s *Server) adminPublishCampaign(c echo.Context) error {
	month, err := campaignMonth(c)
	if err != nil {
		return err
	}
	if month == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "name the month to publish (?month=2025-02)")
	}
	// Published before its deadline, a month's ranks would be those of the units that
	// reported early, and the next month's changes would be measured against them.
	due, err := s.campaignDue()
	if err != nil {
		return err
	}
	if month[:7] > due {
		deadline, err := s.cfg.Deadlines.For(month[:7])
		if err != nil {
			return err
		}
		return echo.NewHTTPError(http.StatusConflict, fmt.Sprintf("%s's reports are due by %s: a month is published once they are (the latest month due is %s)",
			month[:7], deadline.AddDate(0, 0, -1).Format(time.DateOnly), cmp.Or(due, "none")))
	}
	kinds := campaignKinds
	if k := c.QueryParam("kind"); k != "" {
		kind, err := campaignKind(c)
		if err != nil {
			return err
		}
		kinds = []string{kind}
	}
	by := "admin token"
	if ss := currentSession(c); ss != nil && ss.User != "" {
		by = ss.User
	}
	type published struct {
		Kind  string `json:"kind"`
		Month string `json:"month"`
		Units int    `json:"units"`
		At    string `json:"at"`
	}
	var out []published
	for _, k := range kinds {
		sc, err := s.store.PublishScorecard(c.Request().Context(), k, month, s.cfg.CampaignWeights, by)
		if err != nil {
			return err
		}
		p := published{Kind: k, Month: sc.Month, Units: len(sc.Units)}
		if sc.Published != nil {
			p.At = sc.Published.At
		}
		out = append(out, p)
	}
	return c.JSON(http.StatusOK, out)
}
