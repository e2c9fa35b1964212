package dashboard

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"jinwei/warehouse"
)

// overdueReports is what a briefing reads of units' monthly reports.
type overdueReports interface {
	ReportsByForm(ctx context.Context, month string) (bool, error)
	LateOrMissing(ctx context.Context, month string, d warehouse.Deadlines, now time.Time) ([]warehouse.Unit, []warehouse.ReportState, error)
}

// overdueStates are the states a briefing names units in, in its order.
var overdueStates = []string{warehouse.StateMissing, warehouse.StateLate, warehouse.StateReturned}

// briefReports words who did not report the period's last month whose deadline has passed,
// as /reports judges it now: units missing, late, or returned and not sent again. Nothing
// where units do not report through the form: the campaign's figures (loaded by file) then
// say who did not report (scorecardSentences).
func (s *Server) briefReports(ctx context.Context, d *briefDraft) ([]BriefSentence, error) {
	rs, ok := s.store.(overdueReports)
	if !ok {
		return nil, nil
	}
	now := s.now()
	month, err := s.cfg.Deadlines.LastDue(d.period.Last().Format("2006-01"), now)
	if err != nil || month == "" {
		return nil, err
	}
	byForm, err := rs.ReportsByForm(ctx, month)
	if err != nil || !byForm {
		return nil, err
	}
	due, err := s.cfg.Deadlines.For(month)
	if err != nil {
		return nil, err
	}
	units, states, err := rs.LateOrMissing(ctx, month, s.cfg.Deadlines, now)
	if err != nil {
		return nil, err
	}
	lang := d.lang
	names := map[string][]string{}
	for i, u := range units {
		names[states[i].State] = append(names[states[i].State], unitName(u, lang))
	}
	st := sentenceOf("/reports", url.Values{"to": {month}}, lang)
	m, _ := time.Parse("2006-01", month)
	lastDay := due.AddDate(0, 0, -1)
	st.clause(t(lang, "brief_reports"), st.num("month", "", float64(m.Year()*100+int(m.Month())), Period{Kind: PeriodMonth, Year: m.Year(), N: int(m.Month())}.Label(lang)),
		st.num("deadline", "", float64(lastDay.Year()*10000+int(lastDay.Month())*100+lastDay.Day()), lastDay.Format(time.DateOnly)))
	if len(units) == 0 {
		st.words(t(lang, "brief_reports_all_in"))
	}
	for _, state := range overdueStates {
		if n := len(names[state]); n > 0 {
			st.clause(t(lang, "brief_reports_"+state), st.num(state, "", float64(n), strconv.Itoa(n)), briefList(names[state], lang))
		}
	}
	return []BriefSentence{st.done()}, nil
}

// briefList names at most briefMaxUnits units, "等" (and more) after them when there are more.
func briefList(names []string, lang string) string {
	list := strings.Join(names[:min(len(names), briefMaxUnits)], t(lang, "sep_list"))
	if len(names) > briefMaxUnits {
		list += t(lang, "brief_and_more")
	}
	return list
}
