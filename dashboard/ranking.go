package dashboard

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"jinwei/dashboard/api"
	"jinwei/warehouse"
	"jinwei/warehouse/measure"
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
// unknown ones answer with the values there are.
func (s *Server) parseRanking(c echo.Context, indicators []warehouse.Indicator, groups []warehouse.PeerGroup, regions []warehouse.Region) (rankingSelection, error) {
	sel := rankingSelection{Lang: pageLang(c)}
	code := c.QueryParam("indicator")
	if code == "" {
		code = s.cfg.DefaultIndicator
	}
	i := slices.IndexFunc(indicators, func(x warehouse.Indicator) bool { return x.Code == code })
	if i < 0 {
		// Offered are the indicators the picker offers: one without provincial values led
		// to an empty page.
		return sel, badChoice("indicator", code, indicatorChoices(slices.DeleteFunc(slices.Clone(indicators), func(i warehouse.Indicator) bool { return !i.RanksProvinces() }), sel.Lang))
	}
	sel.Indicator = indicators[i]
	group := c.QueryParam("group")
	if group == "" {
		group = s.cfg.DefaultGroup
	}
	if group == warehouse.CustomGroup {
		// Each member given apart (members=620000&members=520000, as the picker sends
		// them) or in one list, as a person writes it (members=620000,520000): the list
		// was taken for one code and came back as the warehouse's error, in English.
		for _, list := range c.QueryParams()["members"] {
			for _, m := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == '，' || r == '、' || unicode.IsSpace(r) }) {
				if !slices.ContainsFunc(regions, func(r warehouse.Region) bool { return r.Code == m && r.Level == "province" }) {
					return sel, badChoice("members", m, provinceChoices(regions, sel.Lang))
				}
				sel.Members = append(sel.Members, m)
			}
		}
		if len(sel.Members) == 0 {
			return sel, badFormat("members", "", "members=620000&members=520000")
		}
		sel.Group = warehouse.PeerGroup{Code: warehouse.CustomGroup}
	} else {
		g := slices.IndexFunc(groups, func(x warehouse.PeerGroup) bool { return x.Code == group })
		if g < 0 {
			return sel, badChoice("group", group, append(groupChoices(groups, sel.Lang), option{Value: warehouse.CustomGroup, Label: t(sel.Lang, "custom_group")}))
		}
		sel.Group = groups[g]
	}
	years := sel.Indicator.Years
	if y := c.QueryParam("year"); y != "" {
		n, err := parseYear("year", y)
		var ce *choiceError
		if errors.As(err, &ce) && ce.Range != "" {
			// A year outside the years shown is offered the years with values.
			for i := len(years) - 1; i >= 0; i-- {
				ce.Choices = append(ce.Choices, option{Value: strconv.Itoa(years[i]), Label: strconv.Itoa(years[i])})
			}
		}
		if err != nil {
			return sel, err
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
	Trajectory *warehouse.Trajectory
	// Generated says generated values are in the answer (the ranked regions' rows say so).
	Generated bool
}

// rankingAnswer is GET /api/ranking: the ranking's keys, its trajectory beside them.
type rankingAnswer struct {
	*api.Ranking
	Trajectory *api.Trajectory `json:"trajectory"`
	Generated  bool            `json:"generated"`
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
	regions, err := s.store.Regions(ctx)
	if err != nil {
		return rankingSelection{}, nil, nil, d, err
	}
	sel, err := s.parseRanking(c, indicators, groups, regions)
	if err != nil {
		return sel, nil, nil, d, err
	}
	if d.Ranking, err = s.store.Ranking(ctx, s.query(sel)); err != nil {
		return sel, nil, nil, d, err
	}
	sel.Group = d.Ranking.Group
	d.Generated = d.Ranking.Generated
	d.Trajectory, err = s.store.Trajectory(ctx, s.query(sel))
	return sel, indicators, groups, d, err
}

// rankingAPI answers GET /api/ranking with the same numbers the page shows.
func (s *Server) rankingAPI(c echo.Context) error {
	_, _, _, d, err := s.loadRanking(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rankingAnswer{Ranking: api.RankingOf(d.Ranking), Trajectory: api.TrajectoryOf(d.Trajectory),
		Generated: d.Generated})
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
	// Definition says what the indicator counts and from which vintage, where that says more
	// than its name: retail sales from the NBS database stood beside the yearbook's figure
	// with nothing to tell them apart.
	Definition string
	Rows       []tableRow
	// NoData says what data exists when nothing can be ranked; HomeNote why the home
	// province is not ranked; Missing which members have no value.
	NoData   string
	HomeNote string
	Missing  string
	// GrowthNote says what the growth chart shows (名义/实际).
	GrowthNote string
	// GroupNote names a small group's members: "the speech's benchmarks" said nothing of
	// which provinces they are.
	GroupNote string
}

// groupNoteMax is the most members a group note lists; a larger group's name says it
// (全国31个省份).
const groupNoteMax = 12

type option struct {
	Value    string
	Label    string
	Selected bool
}

type homeCards struct {
	// RankTitle heads the rank: the group's name, or the national rank's for all provinces.
	RankTitle           string
	Rank, RankAll       string
	Change, ChangeClass string
	ChangeNote          string
	// RatioTitle is the third card's heading: a share of national for levels, the gap to
	// national in points for rates and indices; empty (no card) for totals.
	RatioTitle       string
	Ratio, RatioNote string
	Gap, GapNote     string
}

type tableRow struct {
	Rank, Region, Value, Change string
	Home                        bool
	// Lineage is the /lineage address of the value.
	Lineage string
}

func newRankingView(c echo.Context, sel rankingSelection, indicators []warehouse.Indicator, groups []warehouse.PeerGroup,
	regions []warehouse.Region, d rankingData) rankingView {
	lang := sel.Lang
	r := d.Ranking
	v := rankingView{page: newPage(c, "ranking", "ranking"), Sel: sel, R: r}
	v.Sources = r.Sources
	if len(r.Rows) == 0 {
		v.NoData = noDataText(r, lang)
		if len(r.Indicator.Years) == 0 {
			v.NoData = withLoadHint(c, v.NoData, warehouse.JobEconomy)
		}
	} else {
		v.addChart("ranking", 90+26*len(r.Rows), rankingChart(r, lang))
	}
	if tr := d.Trajectory; tr != nil && len(tr.Years) > 1 && len(r.Rows) > 0 {
		v.addChart("rank-history", rankHistoryHeight(len(tr.Group.Members)), rankHistoryChart(tr, lang, v.Wall))
		v.addChart("growth", 380, growthChart(tr, lang))
		v.GrowthNote = fmt.Sprintf(t(lang, "growth_shown"), growthNote(tr, lang))
		if tr.RatioToNation != nil {
			v.addChart("gap-national", 340, ratioChart(tr, lang))
		}
		v.CatchUp = catchUpText(tr, lang)
	}
	v.Missing = missingText(r.Missing, r.Year, lang)
	switch r.HomeStatus {
	case warehouse.HomeNoValue:
		v.HomeNote = fmt.Sprintf(t(lang, "home_no_value"), r.Year)
	case warehouse.HomeNotInGroup:
		v.HomeNote = t(lang, "not_in_group")
	}
	for _, i := range indicators {
		// One without provincial values has no ranking: offered, it showed an empty page.
		if i.RanksProvinces() || i.Code == sel.Indicator.Code {
			v.Indicators = append(v.Indicators, option{i.Code, indicatorWithUnit(i, i.Unit, lang), i.Code == sel.Indicator.Code})
		}
	}
	for _, g := range groups {
		v.Groups = append(v.Groups, option{g.Code, groupName(g, lang), g.Code == sel.Group.Code})
	}
	v.Groups = append(v.Groups, option{warehouse.CustomGroup, t(lang, "custom_group"), sel.Group.Code == warehouse.CustomGroup})
	var members []string
	v.Provinces = provinceChoices(regions, lang)
	for i := range v.Provinces {
		v.Provinces[i].Selected = slices.Contains(r.Group.Members, v.Provinces[i].Value)
	}
	for _, code := range r.Group.Members {
		if i := slices.IndexFunc(regions, func(reg warehouse.Region) bool { return reg.Code == code }); i >= 0 {
			members = append(members, shortName(regions[i], lang))
		}
	}
	if len(members) > 0 && len(members) <= groupNoteMax {
		v.GroupNote = fmt.Sprintf(t(lang, "group_members"), strings.Join(members, t(lang, "sep_list")), len(members))
	}
	for i := len(sel.Indicator.Years) - 1; i >= 0; i-- {
		y := sel.Indicator.Years[i]
		v.Years = append(v.Years, option{strconv.Itoa(y), strconv.Itoa(y), y == sel.Year})
	}
	v.Definition = indicatorDefinition(sel.Indicator, lang)
	switch sel.Indicator.Direction {
	case measure.LowerBetter:
		v.Direction = t(lang, "lower_better")
	case measure.Neutral:
		v.Direction = t(lang, "neutral_order")
	default:
		v.Direction = t(lang, "higher_better")
	}
	for _, row := range r.Rows {
		v.Rows = append(v.Rows, tableRow{
			Rank: strconv.Itoa(row.Rank), Region: regionName(row, lang), Value: formatNumber(row.Value),
			Change: rankMove(row.HasPrev, row.RankChange, r.Indicator.Direction, lang).Text, Home: row.Home, Lineage: lineageLink(r.Indicator.Code, row.RegionCode, r.Year, lang),
		})
	}
	if r.Home != nil {
		v.Cards = newHomeCards(r, lang)
	}
	return v
}

// placeOf is a place among size, saying when others share it: 3/31, 3/31（3省并列）.
func placeOf(rank, size, tied int, lang string) string {
	p := fmt.Sprintf("%d/%d", rank, size)
	if tied > 1 {
		p += fmt.Sprintf(t(lang, "rank_tied"), tied)
	}
	return p
}

// groupRankTitle heads a rank in the group, naming it: 西部12省区市排名, "Rank among the 12
// western provinces" (组内排名 named none on a saved picture or a wall).
func groupRankTitle(g warehouse.PeerGroup, lang string) string {
	return fmt.Sprintf(t(lang, "rank_among"), inSentence(groupName(g, lang), lang))
}

func newHomeCards(r *warehouse.Ranking, lang string) *homeCards {
	h := r.Home
	c := &homeCards{
		RankTitle:  groupRankTitle(r.Group, lang),
		Rank:       placeOf(h.Row.Rank, h.GroupSize, h.TiedGroup, lang),
		RankAll:    t(lang, "rank_all") + " " + placeOf(h.Row.RankAll, h.AllSize, h.TiedAll, lang),
		ChangeNote: fmt.Sprintf(t(lang, "vs_prev_year"), r.Year-1),
	}
	m := rankMove(h.Row.HasPrev, h.Row.RankChange, r.Indicator.Direction, lang)
	c.Change, c.ChangeClass = m.Text, m.Class
	if m := missingText(r.MissingAll, r.Year, lang); m != "" {
		c.RankAll = inBrackets(c.RankAll, m, t(lang, "sep_clause"), lang)
	}
	// A group of every province: its rank is the national one, said once (31/31 over
	// 全国省份排名 31/31).
	if r.EveryProvince {
		c.RankTitle, c.RankAll = t(lang, "rank_all"), ""
	}
	switch {
	case !h.Row.Change.Comparable:
		c.ChangeNote = fmt.Sprintf(t(lang, "not_comparable_note"), r.Year-1, r.Year)
	case h.Row.Change.Common != h.GroupSize:
		c.ChangeNote = fmt.Sprintf(t(lang, "change_common"), r.Year-1, h.Row.Change.Common)
	}
	unit := gapUnit(r.Indicator, lang)
	switch kind := r.Indicator.Kind; {
	case kind.ComparesToNation():
		c.RatioTitle = t(lang, "ratio_nation")
		if h.RatioToNation != nil {
			c.Ratio = strconv.FormatFloat(*h.RatioToNation*100, 'f', 1, 64) + "%"
			c.RatioNote = t(lang, "nation") + " " + formatNumber(*r.Nation) + " " + unitWord(r.Indicator.Unit, lang)
		} else {
			c.Ratio, c.RatioNote = "—", t(lang, "no_nation")
		}
	case kind.InPoints():
		// A gap is what is to close; of a neutral index (prices) it is only a difference.
		c.RatioTitle = t(lang, "gap_nation")
		if r.Indicator.Neutral() {
			c.RatioTitle = t(lang, "diff_nation")
		}
		if h.GapToNation != nil {
			c.Ratio = signed(h.GapToNation.Diff) + " " + unit
			c.RatioNote = t(lang, "nation") + " " + formatNumber(*r.Nation) + " " + unitWord(r.Indicator.Unit, lang)
		} else {
			c.Ratio, c.RatioNote = "—", t(lang, "no_nation")
		}
	}
	switch {
	case r.Indicator.Neutral():
		// No place is better than another: the card of the gap to close is left out.
		return c
	case h.NextUp == nil:
		c.Gap = t(lang, "first")
		return c
	}
	verb := t(lang, "increase")
	if h.NextUp.Amount < 0 {
		verb = t(lang, "decrease")
	}
	amount := math.Abs(h.NextUp.Amount)
	c.Gap = formatNumber(amount) + " " + unit
	c.GapNote = fmt.Sprintf(t(lang, "gap_to"), h.NextUp.To.Rank, regionName(h.NextUp.To, lang))
	if r.Indicator.Kind.InPoints() {
		// A gap between rates is in points; a percentage of a percentage misleads.
		c.GapNote += verb + " " + formatNumber(amount) + " " + unit
	} else {
		c.GapNote += fmt.Sprintf(t(lang, "gap_need"), verb, formatNumber(amount)+" "+unit, h.NextUp.Percent)
	}
	return c
}

// gapUnit is the unit differences of the indicator are in: 个百分点 for rates and shares,
// 点 for indices, else the indicator's unit.
func gapUnit(ind warehouse.Indicator, lang string) string {
	switch ind.Kind {
	case measure.Rate, measure.Share:
		return t(lang, "points_pp")
	case measure.Index:
		return t(lang, "points_index")
	}
	return unitWord(ind.Unit, lang)
}

// signed writes v with its sign: +0.8, -1.2.
func signed(v float64) string {
	if v > 0 {
		return "+" + formatNumber(v)
	}
	return formatNumber(v)
}

// missingText names the regions without a value: "黑龙江 2024 年缺数".
func missingText(missing []warehouse.MissingRegion, year int, lang string) string {
	if len(missing) == 0 {
		return ""
	}
	names := make([]string, len(missing))
	for i, m := range missing {
		names[i] = m.NameZh
		if lang == langEn && m.NameEn != "" {
			names[i] = m.NameEn
		}
	}
	return fmt.Sprintf(t(lang, "missing_in_year"), strings.Join(names, t(lang, "sep_list")), year)
}

// noDataText says what data there is when nothing can be ranked for the year asked.
func noDataText(r *warehouse.Ranking, lang string) string {
	name := indicatorName(r.Indicator, lang)
	switch {
	case len(r.Indicator.Years) > 0:
		return fmt.Sprintf(t(lang, "no_data_year"), name, r.Year, yearSpan(r.Indicator.Years))
	case len(r.NationYears) > 0:
		return fmt.Sprintf(t(lang, "no_province_data"), name, yearSpan(r.NationYears))
	}
	return fmt.Sprintf(t(lang, "no_data_at_all"), name)
}

// yearSpan writes years as 2012–2024, or a list where they have gaps.
func yearSpan(years []int) string {
	if len(years) == 0 {
		return ""
	}
	if years[len(years)-1]-years[0] == len(years)-1 {
		if len(years) == 1 {
			return strconv.Itoa(years[0])
		}
		return fmt.Sprintf("%d–%d", years[0], years[len(years)-1])
	}
	parts := make([]string, len(years))
	for i, y := range years {
		parts[i] = strconv.Itoa(y)
	}
	return strings.Join(parts, ", ")
}

// growthNote says what the growth chart draws: nominal or real growth, or the rate itself.
func growthNote(tr *warehouse.Trajectory, lang string) string {
	note := t(lang, "basis_"+tr.GrowthBasis)
	// A rate loaded for the provinces only (real GDP growth) drew a legend's 全国 with no
	// line and no word why.
	switch {
	case anyValue(tr.Nation.Growth):
	case tr.GrowthFrom != "" || tr.Indicator.NamedBasis() == measure.Constant:
		note += t(lang, "sep_sentence") + t(lang, "nation_real_missing")
	default:
		note += t(lang, "sep_sentence") + t(lang, "nation_line_missing")
	}
	return note
}

// move is a change of places in words and the class that colours it.
type move struct{ Text, Class string }

// rankMove words a change of places: 进位 2 (up), 退位 1 (down), 持平. A size neither good
// nor bad (population, measure.Neutral) moves 上移/下移, uncoloured: its places are not won.
func rankMove(hasPrev bool, places, direction int, lang string) move {
	up, down, class := t(lang, "up"), t(lang, "down"), ""
	if direction == measure.Neutral {
		up, down, class = t(lang, "moved_up"), t(lang, "moved_down"), "same"
	}
	switch {
	case !hasPrev:
		return move{t(lang, "no_prev"), "same"}
	case places > 0:
		return move{fmt.Sprintf(up, places), cmp.Or(class, "up")}
	case places < 0:
		return move{fmt.Sprintf(down, -places), cmp.Or(class, "down")}
	}
	return move{t(lang, "same"), "same"}
}

// indicatorDefinition is the indicator's definition in lang, or "" where it has none in
// lang or only says its name again (城镇人口), as the Chinese, the file's own, tells: the
// English pages showed what the Chinese left out.
func indicatorDefinition(ind warehouse.Indicator, lang string) string {
	if ind.DescriptionZh == ind.NameZh {
		return ""
	}
	if lang == langEn {
		return ind.DescriptionEn
	}
	return ind.DescriptionZh
}

// catchUpText says how long the home province would take to reach the national level.
func catchUpText(tr *warehouse.Trajectory, lang string) string {
	cu := tr.CatchUp
	if cu == nil {
		return ""
	}
	if cu.Above {
		return t(lang, "catchup_above")
	}
	// Every multi-year average names its years, and growth from current prices is nominal.
	basis := basisWord(tr.Indicator.PriceBasis, lang)
	if basis == "" {
		basis = t(lang, "nominal")
	}
	// Its years as statistics say them: growth from a base year through the last, the
	// base named (2021—2024 read as four years' growth from 2020).
	span := fmt.Sprintf(t(lang, "catchup_span"), cu.FromYear, cu.ToYear, basis, cu.FromYear+1)
	if !cu.Converging {
		return fmt.Sprintf(t(lang, "catchup_not"), span, cu.HomeGrowth, cu.NationGrowth)
	}
	return fmt.Sprintf(t(lang, "catchup_years"), span, cu.HomeGrowth, cu.NationGrowth, cu.Years)
}
