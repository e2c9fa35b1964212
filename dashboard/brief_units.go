package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"jinwei/warehouse"
	"jinwei/warehouse/measure"
	"jinwei/warehouse/scorecard"
)

// briefTargets words the targets that changed colour since the year before, those
// assessed for the first time and those still red; the cockpit of the year (/?year=)
// shows them.
func (s *Server) briefTargets(ctx context.Context, d *briefDraft) error {
	year := d.period.YearOfRecord()
	now, err := s.store.TargetsIn(ctx, s.cfg.HomeRegion, year)
	if err != nil {
		return err
	}
	before, err := s.store.TargetsIn(ctx, s.cfg.HomeRegion, year-1)
	if err != nil {
		return err
	}
	was := map[string]string{}
	for _, ts := range before {
		if ts.Actual != nil {
			was[ts.Code] = ts.Status
		}
	}
	lang := d.lang
	var out []BriefSentence
	calm := 0 // targets as they stood the year before: no news, but said, so none seems forgotten
	assessed := 0
	// Targets without data are named: "the others stand as the year before" read as if they
	// were met, of two targets the cockpit marks 无数据.
	// Every sentence of the targets leads to the year's cockpit.
	cockpit := func() *sentence { return sentenceOf("/", url.Values{"year": {strconv.Itoa(year)}}, lang) }
	unassessed := cockpit()
	var blind []string
	var notYet []BriefSentence
	for _, ts := range now {
		name := ts.NameZh
		if lang == langEn && ts.NameEn != "" {
			name = ts.NameEn
		}
		if ts.Actual == nil && ts.BeforeStart {
			// Not "no data": the cockpit of the year shows the value it will be held to.
			s := cockpit()
			s.clause(t(lang, "brief_target_not_yet"), "“"+s.num("name", ts.Code, 0, name)+"”", s.num("from", ts.Code, float64(ts.From), strconv.Itoa(ts.From)))
			notYet = append(notYet, s.done())
			continue
		}
		if ts.Actual == nil {
			blind = append(blind, "“"+unassessed.num("name", ts.Code, 0, name)+"”")
			continue
		}
		assessed++
		prev, hadPrev := was[ts.Code]
		changed := hadPrev && prev != ts.Status
		if hadPrev && !changed && ts.Status != warehouse.TargetRed {
			calm++
			continue
		}
		s := cockpit()
		show := func(fact string, v float64) string {
			return s.num(fact, ts.Code, v, withUnit(briefNumber(measure.Round(v, ts.Decimals), ts.Decimals, lang), ts.Unit, lang))
		}
		y := s.num("year", ts.Code, float64(ts.Year), strconv.Itoa(ts.Year))
		// A target's name may hold numbers (达到全国的55%): it is the page's, word for word.
		s.clause(t(lang, "brief_target"), s.num("name", ts.Code, 0, name), y, show("actual", *ts.Actual), show("goal", *ts.Goal))
		// A status is a badge's word ("Met"), lower-cased within an English sentence.
		status := func(st string) string { return inSentence(t(lang, "target_"+st), lang) }
		switch {
		case !hadPrev:
			s.clause(t(lang, "brief_target_first"), status(ts.Status))
			// Met at its first assessment, it may have stood below the goal the year before.
			if ts.Before != nil {
				s.clause(t(lang, "brief_target_before"), show("before", *ts.Before))
			}
		case changed:
			s.clause(t(lang, "brief_target_changed"), status(prev), status(ts.Status))
		default:
			s.clause(t(lang, "brief_target_still"), status(ts.Status))
		}
		out = append(out, s.done())
	}
	switch {
	case len(now) == 0:
		// No targets are set: nothing to say of them.
	case assessed == 0 && len(notYet) > 0:
		// Some are not in force yet: each says from when, those without data are named
		// ("all targets lack data" stood above "assessed from 2023").
	case assessed == 0:
		// Nothing to compare is not "none missed" (a briefing of 1949 said so).
		s := cockpit()
		s.words(t(lang, "brief_targets_no_data"))
		out = append(out, s.done())
	case len(out) == 0:
		s := cockpit()
		s.words(t(lang, "brief_targets_calm"))
		out = append(out, s.done())
	case calm > 0:
		s := cockpit()
		s.words(t(lang, "brief_targets_others"))
		out = append(out, s.done())
	}
	if len(blind) > 0 && (assessed > 0 || len(notYet) > 0) {
		unassessed.clause(t(lang, "brief_targets_unassessed"), strings.Join(blind, t(lang, "sep_list")))
		out = append(out, unassessed.done())
	}
	out = append(out, notYet...)
	d.section(topicTargets, out)
	return nil
}

// briefMaxCities is how many cities a sentence on overdue items names.
const briefMaxCities = 5

// briefLedger words the rectification ledger on the period's last report date: its items,
// those closed, those overdue, and the cities with most overdue items.
func (s *Server) briefLedger(ctx context.Context, d *briefDraft, regions []warehouse.Region) error {
	dates, err := s.store.LedgerDates(ctx)
	if err != nil {
		return err
	}
	var asOf time.Time
	for _, day := range dates {
		if !day.After(d.period.Last()) {
			asOf = day
		}
	}
	if asOf.IsZero() {
		return nil
	}
	byCode := map[string]warehouse.Region{}
	for _, r := range regions {
		byCode[r.Code] = r
	}
	l, err := s.ledgerOn(ctx, warehouse.ProvinceScope(), asOf, byCode)
	if err != nil {
		return err
	}
	lang := d.lang
	q := func() url.Values { return url.Values{"as_of": {l.AsOf}} }
	st := sentenceOf("/ecology", q(), lang)
	st.clause(t(lang, "brief_ledger"), st.num("as_of", "", 0, l.AsOf), st.num("items", "", float64(len(l.Items)), strconv.Itoa(len(l.Items))),
		st.num("closed", "", float64(l.ByStatus[warehouse.StatusClosed]), strconv.Itoa(l.ByStatus[warehouse.StatusClosed])),
		st.num("overdue", "", float64(l.Overdue), strconv.Itoa(l.Overdue)))
	out := []BriefSentence{st.done()}
	if l.Overdue > 0 {
		cities := make([]string, 0, len(l.OverdueByCity))
		for c := range l.OverdueByCity {
			cities = append(cities, c)
		}
		slices.SortFunc(cities, func(a, b string) int {
			if n := l.OverdueByCity[b] - l.OverdueByCity[a]; n != 0 {
				return n
			}
			return strings.Compare(a, b)
		})
		st := sentenceOf("/ecology", q(), lang)
		var names []string
		for _, c := range cities[:min(len(cities), briefMaxCities)] {
			n := l.OverdueByCity[c]
			names = append(names, fmt.Sprintf(t(lang, "brief_city_overdue"), regionLabel(byCode, c, lang), st.num("overdue_by_city", c, float64(n), strconv.Itoa(n))))
		}
		st.clause(t(lang, "brief_overdue_cities"), strings.Join(names, t(lang, "sep_list")))
		out = append(out, st.done())
	}
	d.section(topicLedger, out)
	d.Generated = d.Generated || l.Generated
	if len(l.Items) > 0 {
		d.charts = append(d.charts, chartView{ID: "ledger-cities", Height: 420, Option: cityStatusChart(l.ByCity, byCode, lang)})
	}
	lineage, err := s.store.RunLineage(ctx, l.runs)
	if err != nil {
		return err
	}
	d.addSources(lineage)
	return nil
}

// briefMaxUnits is how many units a sentence on missing reports names.
const briefMaxUnits = 8

// briefCampaign words units' reports (briefReports) and the campaign's scorecard in the
// period's last month with reports: for cities, counties and departments, the best and
// worst units and, where units do not report through the form, those with no figures that
// month.
func (s *Server) briefCampaign(ctx context.Context, d *briefDraft) error {
	lang := d.lang
	out, err := s.briefReports(ctx, d)
	if err != nil {
		return err
	}
	byForm := len(out) > 0
	months, err := s.campaignMonths(ctx)
	if err != nil {
		return err
	}
	// The latest month of the period whose reports are due: before its deadline a month
	// ranks the units that reported early alone and counts the others missing.
	due, err := s.campaignDue()
	if err != nil {
		return err
	}
	var month time.Time
	for _, m := range months {
		if !m.After(d.period.Last()) && m.Format("2006-01") <= due {
			month = m
		}
	}
	if month.IsZero() {
		d.section(topicCampaign, out)
		return nil
	}
	for _, kind := range campaignKinds {
		sc, err := s.store.Scorecard(ctx, kind, month.Format("2006-01-02"), s.cfg.CampaignWeights)
		if err != nil {
			return err
		}
		if sc, err = s.namedIn(ctx, sc, lang); err != nil {
			return err
		}
		out = append(out, scorecardSentences(sc, kind, lang, !byForm)...)
		if kind == warehouse.ScopeCity && len(sc.Units) > 0 {
			d.charts = append(d.charts, chartView{ID: "scorecard", Height: 90 + 20*len(sc.Units), Option: scorecardChart(sc, lang)})
		}
	}
	gen, err := s.store.CampaignGenerated(ctx, month.Format("2006-01-02"))
	if err != nil {
		return err
	}
	d.Generated = d.Generated || gen
	d.section(topicCampaign, out)
	if len(out) > 0 {
		lineage, err := s.store.CampaignLineage(ctx, month.Format("2006-01-02"))
		if err != nil {
			return err
		}
		d.addSources(lineage)
	}
	return nil
}

// scorecardSentences words one kind's scorecard: first and last place, who is not ranked
// for being scored on too few items (the last place of 13 among 14 cities read as wrong),
// and (unreported) who has no figures that month.
func scorecardSentences(sc *warehouse.Scorecard, kind, lang string, unreported bool) []BriefSentence {
	var ranked, partial, missing []warehouse.UnitScore
	for _, u := range sc.Units {
		switch {
		case u.Ranked():
			ranked = append(ranked, u)
		case u.Reported:
			partial = append(partial, u)
		default:
			missing = append(missing, u)
		}
	}
	q := func() url.Values { return url.Values{"month": {sc.Month}, "kind": {kind}} }
	mt, _ := time.Parse("2006-01-02", sc.Month)
	monthText := func(s *sentence) string {
		return s.num("month", "", float64(mt.Year()*100+int(mt.Month())), Period{Kind: PeriodMonth, Year: mt.Year(), N: int(mt.Month())}.Label(lang))
	}
	score := func(s *sentence, u warehouse.UnitScore) string {
		// Two decimals as the scorecard writes them: 得分2 read as a whole number beside 97.84.
		return s.num("score", u.Code, u.Score, strconv.FormatFloat(scorecard.Round(u.Score), 'f', 2, 64))
	}
	var out []BriefSentence
	if len(ranked) > 0 {
		first, last := ranked[0], ranked[len(ranked)-1]
		s := sentenceOf("/campaign", q(), lang)
		s.clause(t(lang, "brief_campaign_best"), monthText(s), t(lang, "kind_"+kind), first.Name, score(s, first))
		if last.Code != first.Code {
			s.clause(t(lang, "brief_campaign_worst"), last.Name, s.num("rank", last.Code, float64(last.Rank), strconv.Itoa(last.Rank)), score(s, last))
		}
		if len(partial) > 0 {
			names := make([]string, len(partial))
			for i, u := range partial {
				names[i] = u.Name
			}
			s.clause(t(lang, "brief_campaign_partial"), briefList(names, lang))
		}
		out = append(out, s.done())
	}
	if unreported && len(missing) > 0 {
		s := sentenceOf("/campaign", q(), lang)
		names := make([]string, len(missing))
		for i, u := range missing {
			names[i] = u.Name
		}
		s.clause(t(lang, "brief_unreported"), monthText(s), t(lang, "kind_"+kind), s.num("unreported", "", float64(len(missing)), strconv.Itoa(len(missing))), briefList(names, lang))
		out = append(out, s.done())
	}
	return out
}
