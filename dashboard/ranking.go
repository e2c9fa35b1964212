package dashboard

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// rankingSelection is what the pickers chose, with defaults filled in and checked.
type rankingSelection struct {
	Indicator warehouse.Indicator
	Group     warehouse.PeerGroup
	Members   []string
	Year      int
	Lang      string
}

// parseRanking reads indicator, year and group (or group=custom with members=…) from the
// query string; missing ones take the configured defaults (the year: the newest with data),
// unknown ones are 400s.
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
	if group == warehouse.CustomGroup {
		sel.Members = c.QueryParams()["members"]
		if len(sel.Members) == 0 {
			return sel, echo.NewHTTPError(http.StatusBadRequest, "a custom group needs members=CODE for each province")
		}
		sel.Group = warehouse.PeerGroup{Code: warehouse.CustomGroup}
	} else {
		g := slices.IndexFunc(groups, func(x warehouse.PeerGroup) bool { return x.Code == group })
		if g < 0 {
			return sel, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("unknown peer group %q", group))
		}
		sel.Group = groups[g]
	}
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

func (s *Server) query(sel rankingSelection) warehouse.RankingQuery {
	return warehouse.RankingQuery{Indicator: sel.Indicator.Code, Year: sel.Year, Group: sel.Group.Code, Members: sel.Members, Home: s.cfg.HomeRegion}
}

// rankingData is everything the ranking page and its JSON show.
type rankingData struct {
	*warehouse.Ranking
	Trajectory *warehouse.Trajectory `json:"trajectory"`
}

// loadRanking gathers everything a ranking answer needs.
func (s *Server) loadRanking(c echo.Context) (rankingSelection, []warehouse.Indicator, []warehouse.PeerGroup, rankingData, error) {
	ctx := c.Request().Context()
	var d rankingData
	indicators, err := s.store.Indicators(ctx)
	if err != nil {
		return rankingSelection{}, nil, nil, d, err
	}
	groups, err := s.store.PeerGroups(ctx)
	if err != nil {
		return rankingSelection{}, nil, nil, d, err
	}
	sel, err := s.parseRanking(c, indicators, groups)
	if err != nil {
		return sel, nil, nil, d, err
	}
	if d.Ranking, err = s.store.Ranking(ctx, s.query(sel)); err != nil {
		return sel, nil, nil, d, err
	}
	sel.Group = d.Ranking.Group
	d.Trajectory, err = s.store.Trajectory(ctx, s.query(sel))
	return sel, indicators, groups, d, err
}

// rankingAPI answers GET /api/ranking with the same numbers the page shows.
func (s *Server) rankingAPI(c echo.Context) error {
	_, _, _, d, err := s.loadRanking(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// rankingPage answers GET /ranking.
func (s *Server) rankingPage(c echo.Context) error {
	sel, indicators, groups, d, err := s.loadRanking(c)
	if err != nil {
		return err
	}
	regions, err := s.store.Regions(c.Request().Context())
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "ranking.html", newRankingView(c, sel, indicators, groups, regions, d))
}

// rankingView is the page's data, formatted for the template.
type rankingView struct {
	page
	Sel        rankingSelection
	Indicators []option
	Groups     []option
	Years      []option
	Provinces  []option
	R          *warehouse.Ranking
	Cards      *homeCards
	CatchUp    string
	Direction  string
	Rows       []tableRow
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

func newRankingView(c echo.Context, sel rankingSelection, indicators []warehouse.Indicator, groups []warehouse.PeerGroup,
	regions []warehouse.Region, d rankingData) rankingView {
	lang := sel.Lang
	r := d.Ranking
	v := rankingView{page: newPage(c, "ranking", "ranking"), Sel: sel, R: r}
	v.Sources = r.Sources
	v.addChart("ranking", 90+26*len(r.Rows), rankingChart(r, lang))
	if tr := d.Trajectory; tr != nil && len(tr.Years) > 1 {
		v.addChart("rank-history", 420, rankHistoryChart(tr, lang))
		v.addChart("growth", 380, growthChart(tr, lang))
		if tr.RatioToNation != nil {
			v.addChart("gap-national", 340, ratioChart(tr, lang))
		}
		v.CatchUp = catchUpText(tr, lang)
	}
	for _, i := range indicators {
		v.Indicators = append(v.Indicators, option{i.Code, indicatorName(i, lang) + "（" + i.Unit + "）", i.Code == sel.Indicator.Code})
	}
	for _, g := range groups {
		v.Groups = append(v.Groups, option{g.Code, groupName(g, lang), g.Code == sel.Group.Code})
	}
	v.Groups = append(v.Groups, option{warehouse.CustomGroup, t(lang, "custom_group"), sel.Group.Code == warehouse.CustomGroup})
	for _, reg := range regions {
		if reg.Level == "province" {
			v.Provinces = append(v.Provinces, option{reg.Code, shortName(reg, lang), slices.Contains(r.Group.Members, reg.Code)})
		}
	}
	for i := len(sel.Indicator.Years) - 1; i >= 0; i-- {
		y := sel.Indicator.Years[i]
		v.Years = append(v.Years, option{strconv.Itoa(y), strconv.Itoa(y), y == sel.Year})
	}
	v.Direction = t(lang, "higher_better")
	if sel.Indicator.Direction < 0 {
		v.Direction = t(lang, "lower_better")
	}
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
		Rank:        fmt.Sprintf("%d/%d", h.Row.Rank, h.GroupSize),
		RankAll:     fmt.Sprintf("%s %d/%d", t(lang, "rank_all"), h.Row.RankAll, h.AllSize),
		Change:      changeText(h.Row, lang),
		ChangeNote:  fmt.Sprintf(t(lang, "vs_prev_year"), r.Year-1),
		ChangeClass: changeClass(h.Row),
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

func changeClass(row warehouse.RankRow) string {
	switch {
	case row.HasPrev && row.RankChange > 0:
		return "up"
	case row.HasPrev && row.RankChange < 0:
		return "down"
	}
	return "same"
}

func changeText(row warehouse.RankRow, lang string) string {
	return rankChangeText(row.HasPrev, row.RankChange, lang)
}

// rankChangeText words a change of places: 进位 2, 退位 1, 持平.
func rankChangeText(hasPrev bool, change int, lang string) string {
	switch {
	case !hasPrev:
		return t(lang, "no_prev")
	case change > 0:
		return fmt.Sprintf(t(lang, "up"), change)
	case change < 0:
		return fmt.Sprintf(t(lang, "down"), -change)
	}
	return t(lang, "same")
}

// catchUpText says how long the home province would take to reach the national level.
func catchUpText(tr *warehouse.Trajectory, lang string) string {
	cu := tr.CatchUp
	switch {
	case cu == nil:
		return ""
	case cu.Above:
		return t(lang, "catchup_above")
	case !cu.Converging:
		return fmt.Sprintf(t(lang, "catchup_not"), cu.HomeGrowth, cu.NationGrowth)
	}
	return fmt.Sprintf(t(lang, "catchup_years"), cu.HomeGrowth, cu.NationGrowth, cu.Years)
}
