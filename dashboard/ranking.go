package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// rankingSelection is what the pickers chose, with defaults filled in and checked.
type rankingSelection struct {
	Indicator warehouse.Indicator
	Group     warehouse.PeerGroup
	Year      int
	Lang      string
}

// parseRanking reads indicator, year and group from the query string; missing ones take
// the configured defaults (the year defaults to the newest with data), unknown ones are 400s.
func (s *Server) parseRanking(c echo.Context, indicators []warehouse.Indicator, groups []warehouse.PeerGroup) (rankingSelection, error) {
	sel := rankingSelection{Lang: pageLang(c)}
	code := c.QueryParam("indicator")
	if code == "" {
		code = s.cfg.DefaultIndicator
	}
	i := slices.IndexFunc(indicators, func(x warehouse.Indicator) bool { return x.Code == code })
	if i < 0 {
		return sel, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("unknown indicator %q", code))
	}
	sel.Indicator = indicators[i]
	group := c.QueryParam("group")
	if group == "" {
		group = s.cfg.DefaultGroup
	}
	g := slices.IndexFunc(groups, func(x warehouse.PeerGroup) bool { return x.Code == group })
	if g < 0 {
		return sel, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("unknown peer group %q", group))
	}
	sel.Group = groups[g]
	years := sel.Indicator.Years
	if y := c.QueryParam("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1949 || n > 2100 {
			return sel, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("year %q is not a year", y))
		}
		sel.Year = n
	} else if len(years) > 0 {
		sel.Year = years[len(years)-1]
	}
	return sel, nil
}

// loadRanking gathers everything a ranking answer needs.
func (s *Server) loadRanking(c echo.Context) (rankingSelection, []warehouse.Indicator, []warehouse.PeerGroup, *warehouse.Ranking, error) {
	ctx := c.Request().Context()
	indicators, err := s.store.Indicators(ctx)
	if err != nil {
		return rankingSelection{}, nil, nil, nil, err
	}
	groups, err := s.store.PeerGroups(ctx)
	if err != nil {
		return rankingSelection{}, nil, nil, nil, err
	}
	sel, err := s.parseRanking(c, indicators, groups)
	if err != nil {
		return sel, nil, nil, nil, err
	}
	r, err := s.ranking(ctx, sel)
	return sel, indicators, groups, r, err
}

func (s *Server) ranking(ctx context.Context, sel rankingSelection) (*warehouse.Ranking, error) {
	return s.store.Ranking(ctx, warehouse.RankingQuery{
		Indicator: sel.Indicator.Code, Year: sel.Year, Group: sel.Group.Code, Home: s.cfg.HomeRegion,
	})
}

// rankingAPI answers GET /api/ranking with the same numbers the page shows.
func (s *Server) rankingAPI(c echo.Context) error {
	_, _, _, r, err := s.loadRanking(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// rankingPage answers GET /ranking.
func (s *Server) rankingPage(c echo.Context) error {
	sel, indicators, groups, r, err := s.loadRanking(c)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "ranking.html", newRankingView(sel, indicators, groups, r))
}

// rankingView is the page's data, formatted for the template.
type rankingView struct {
	Lang        string
	L           map[string]string
	Sel         rankingSelection
	Indicators  []option
	Groups      []option
	Years       []option
	R           *warehouse.Ranking
	Chart       map[string]any
	ChartHeight int
	Cards       *homeCards
	Direction   string
	OtherLang   string
	Rows        []tableRow
}

type option struct {
	Value    string
	Label    string
	Selected bool
}

type homeCards struct {
	Rank, RankAll       string
	Change, ChangeClass string
	ChangeNote          string
	Ratio, RatioNote    string
	Gap, GapNote        string
}

type tableRow struct {
	Rank, Region, Value, Change string
	Home                        bool
}

func newRankingView(sel rankingSelection, indicators []warehouse.Indicator, groups []warehouse.PeerGroup, r *warehouse.Ranking) rankingView {
	lang := sel.Lang
	v := rankingView{Lang: lang, L: labels[lang], Sel: sel, R: r, Chart: rankingChart(r, lang), ChartHeight: 90 + 26*len(r.Rows)}
	for _, i := range indicators {
		v.Indicators = append(v.Indicators, option{i.Code, indicatorName(i, lang) + "（" + i.Unit + "）", i.Code == sel.Indicator.Code})
	}
	for _, g := range groups {
		v.Groups = append(v.Groups, option{g.Code, groupName(g, lang), g.Code == sel.Group.Code})
	}
	for i := len(sel.Indicator.Years) - 1; i >= 0; i-- {
		y := sel.Indicator.Years[i]
		v.Years = append(v.Years, option{strconv.Itoa(y), strconv.Itoa(y), y == sel.Year})
	}
	v.Direction = t(lang, "higher_better")
	if sel.Indicator.Direction < 0 {
		v.Direction = t(lang, "lower_better")
	}
	q := url.Values{"indicator": {sel.Indicator.Code}, "year": {strconv.Itoa(sel.Year)}, "group": {sel.Group.Code}}
	if lang == langZh {
		q.Set("lang", langEn)
	}
	v.OtherLang = "/ranking?" + q.Encode()
	for _, row := range r.Rows {
		v.Rows = append(v.Rows, tableRow{
			Rank: strconv.Itoa(row.Rank), Region: regionName(row, lang), Value: formatNumber(row.Value),
			Change: changeText(row, lang), Home: row.Home,
		})
	}
	if r.Home != nil {
		v.Cards = newHomeCards(r, lang)
	}
	return v
}

func newHomeCards(r *warehouse.Ranking, lang string) *homeCards {
	h := r.Home
	c := &homeCards{
		Rank:       fmt.Sprintf("%d/%d", h.Row.Rank, h.GroupSize),
		RankAll:    fmt.Sprintf("%s %d/%d", t(lang, "rank_all"), h.Row.RankAll, h.AllSize),
		Change:     changeText(h.Row, lang),
		ChangeNote: fmt.Sprintf(t(lang, "vs_prev_year"), r.Year-1),
	}
	switch {
	case !h.Row.HasPrev:
		c.ChangeClass = "same"
	case h.Row.RankChange > 0:
		c.ChangeClass = "up"
	case h.Row.RankChange < 0:
		c.ChangeClass = "down"
	default:
		c.ChangeClass = "same"
	}
	if h.RatioToNation != nil {
		c.Ratio = strconv.FormatFloat(*h.RatioToNation*100, 'f', 1, 64) + "%"
		c.RatioNote = t(lang, "nation") + " " + formatNumber(*r.Nation) + " " + r.Indicator.Unit
	} else {
		c.Ratio, c.RatioNote = "—", t(lang, "no_nation")
	}
	if h.NextUp == nil {
		c.Gap = t(lang, "first")
		return c
	}
	verb := t(lang, "increase")
	if h.NextUp.Amount < 0 {
		verb = t(lang, "decrease")
	}
	amount := h.NextUp.Amount
	if amount < 0 {
		amount = -amount
	}
	c.Gap = formatNumber(amount) + " " + r.Indicator.Unit
	c.GapNote = fmt.Sprintf("%s #%d %s: ", t(lang, "gap_next"), h.NextUp.To.Rank, regionName(h.NextUp.To, lang)) +
		fmt.Sprintf(t(lang, "gap_need"), verb, formatNumber(amount), h.NextUp.Percent)
	return c
}

func changeText(row warehouse.RankRow, lang string) string {
	switch {
	case !row.HasPrev:
		return t(lang, "no_prev")
	case row.RankChange > 0:
		return fmt.Sprintf(t(lang, "up"), row.RankChange)
	case row.RankChange < 0:
		return fmt.Sprintf(t(lang, "down"), -row.RankChange)
	}
	return t(lang, "same")
}
