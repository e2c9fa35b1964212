package dashboard

import (
	"context"
	"math"
	"net/url"
	"slices"
	"strconv"

	"jinwei/warehouse"
	"jinwei/warehouse/measure"
)

// briefGroup is the group a briefing ranks in: all provinces ("居全国第31位").
const briefGroup = "all31"

// yearFor is the latest year of the indicator the period can report (see YearOfRecord);
// 0 when it has none.
func yearFor(ind warehouse.Indicator, p Period) int {
	y := 0
	for _, v := range ind.Years {
		if v <= p.YearOfRecord() {
			y = max(y, v)
		}
	}
	return y
}

// briefStanding writes the headline (the home province on the headline indicator) and,
// of the cockpit's headline indicators, those that moved most, up and down, among all
// provinces: the indicators leaders watch, each one ranking query (a briefing over every
// indicator took seconds more than the 2 s it may take).
func (s *Server) briefStanding(ctx context.Context, d *briefDraft) error {
	indicators, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	var head *warehouse.Ranking
	var up, down *warehouse.Ranking
	watched := s.headlines()
	if !slices.Contains(watched, s.cfg.DefaultIndicator) {
		watched = append([]string{s.cfg.DefaultIndicator}, watched...)
	}
	for _, ind := range indicators {
		if !slices.Contains(watched, ind.Code) {
			continue
		}
		year := yearFor(ind, d.period)
		if year == 0 {
			continue
		}
		r, err := s.store.Ranking(ctx, warehouse.RankingQuery{Indicator: ind.Code, Year: year, Group: briefGroup, Home: s.cfg.HomeRegion})
		if err != nil {
			return err
		}
		if r.Home == nil {
			continue
		}
		if ind.Code == s.cfg.DefaultIndicator {
			head = r
			continue
		}
		ch := r.Home.Row.ChangeAll
		// A size's move (population) is no gain or loss to report.
		if !ch.Comparable || ind.Neutral() {
			continue
		}
		// The first indicator of a tie stays: the indicators' own order decides.
		if ch.Places > 0 && (up == nil || ch.Places > up.Home.Row.ChangeAll.Places) {
			up = r
		}
		if ch.Places < 0 && (down == nil || ch.Places < down.Home.Row.ChangeAll.Places) {
			down = r
		}
	}
	if head != nil {
		st := rankSentence(d, head, t(d.lang, "brief_value"))
		d.Headline = st.Text
		d.section(topicStanding, []BriefSentence{st})
		d.addSources(head.Sources)
		d.Generated = d.Generated || head.Generated
		d.charts = append(d.charts, chartView{ID: "ranking", Height: 90 + 26*len(head.Rows), Option: rankingChart(head, d.lang)})
	} else {
		d.Headline = t(d.lang, "brief_no_headline")
	}
	var moves []BriefSentence
	for _, m := range []struct {
		r    *warehouse.Ranking
		lead string
	}{{up, t(d.lang, "brief_most_up")}, {down, t(d.lang, "brief_most_down")}} {
		if m.r != nil {
			moves = append(moves, rankSentence(d, m.r, m.lead))
			d.addSources(m.r.Sources)
			d.Generated = d.Generated || m.r.Generated
		}
	}
	if up == nil && down == nil && head != nil {
		s := sentenceOf("/ranking", url.Values{"group": {briefGroup}}, d.lang)
		s.words(t(d.lang, "brief_no_moves"))
		moves = append(moves, s.done())
	}
	d.section(topicMoves, moves)
	return nil
}

// rankSentence words the home province's standing on one indicator as its kind calls for:
// a share of the national level for levels per person, percentage or index points for
// rates and indices (the indicator's name says 名义/实际 for growth rates), nothing against
// the nation for totals.
// opening is the first clause's format (year, province, indicator, value).
func rankSentence(d *briefDraft, r *warehouse.Ranking, opening string) BriefSentence {
	lang, ind, h := d.lang, r.Indicator, r.Home
	s := sentenceOf("/ranking", url.Values{"indicator": {ind.Code}, "year": {strconv.Itoa(r.Year)}, "group": {briefGroup}}, lang)
	name := inSentence(indicatorName(ind, lang), lang)
	year := s.num("year", "", float64(r.Year), strconv.Itoa(r.Year))
	value := s.num("value", "", h.Row.Value, briefNumber(h.Row.Value, 2, lang))
	s.clause(opening, year, d.homeName(), name, value+valueUnit(s, ind, lang))
	rank := s.num("rank_all", "", float64(h.Row.RankAll), strconv.Itoa(h.Row.RankAll))
	if len(r.MissingAll) == 0 {
		s.clause(t(lang, "brief_rank"), rank)
	} else {
		s.clause(t(lang, "brief_rank_of"), rank, s.num("all_size", "", float64(h.AllSize), strconv.Itoa(h.AllSize)))
	}
	if h.TiedAll > 1 {
		s.clause(t(lang, "brief_rank_tied"), s.num("tied_all", "", float64(h.TiedAll), strconv.Itoa(h.TiedAll)))
	}
	switch ch := h.Row.ChangeAll; {
	case !ch.Comparable:
		s.words(t(lang, "brief_change_none"))
	case ch.Places > 0:
		// English says "1 place", "2 places".
		format := t(lang, "brief_change_up")
		if ch.Places == 1 {
			format = t(lang, "brief_change_up_one")
		}
		s.clause(format, s.num("change_all", "", float64(ch.Places), strconv.Itoa(ch.Places)))
	case ch.Places < 0:
		format := t(lang, "brief_change_down")
		if ch.Places == -1 {
			format = t(lang, "brief_change_down_one")
		}
		s.clause(format, s.num("change_all", "", float64(ch.Places), strconv.Itoa(-ch.Places)))
	default:
		s.words(t(lang, "brief_change_same"))
	}
	switch {
	case h.RatioToNation != nil:
		s.clause(t(lang, "brief_ratio"), s.num("ratio_to_nation", "", *h.RatioToNation, briefNumber(*h.RatioToNation*100, 1, lang)+"%"))
	case h.GapToNation != nil:
		diff := h.GapToNation.Diff
		gap := func() string { return s.num("gap_to_nation", "", diff, briefNumber(math.Abs(diff), 2, lang)) }
		switch shown := measure.Round(diff, 2); {
		case shown > 0:
			s.clause(t(lang, "brief_nation_above"), gap(), gapUnit(ind, lang))
		case shown < 0:
			s.clause(t(lang, "brief_nation_below"), gap(), gapUnit(ind, lang))
		default:
			s.words(t(lang, "brief_nation_same"))
		}
	}
	if g := h.NextUp; g != nil {
		to := s.num("next_rank", "", float64(g.To.Rank), strconv.Itoa(g.To.Rank))
		amount := s.num("next_amount", "", g.Amount, briefNumber(math.Abs(g.Amount), 2, lang))
		unit := gapUnit(ind, lang)
		if ind.Kind.InPoints() {
			s.clause(t(lang, "brief_gap_points"), to, regionName(g.To, lang), amount, unit)
		} else {
			s.clause(t(lang, "brief_gap"), to, regionName(g.To, lang), amount, unit, s.num("next_percent", "", g.Percent, briefNumber(math.Abs(g.Percent), 1, lang))+"%")
		}
	}
	return s.done()
}

// valueUnit is how a value's unit follows it in prose: 52825元, 5.8%, 101.2（上年=100）;
// in English with a space before a word. An index's base is the indicator's, as the page has it.
func valueUnit(s *sentence, ind warehouse.Indicator, lang string) string {
	switch {
	case ind.Kind == measure.Index && ind.Base != "":
		base := s.num("base", "", 0, ind.Base)
		if lang == langEn {
			return " (" + base + ")"
		}
		return "（" + base + "）"
	}
	return withUnit("", ind.Unit, lang)
}
