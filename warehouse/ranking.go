package warehouse

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"jinwei/warehouse/measure"
)

// ErrNotFound reports that the thing asked for does not exist in the warehouse.
var ErrNotFound = errors.New("not found")

// RankingQuery asks for one yearly indicator's ranking within a peer group.
type RankingQuery struct {
	Indicator string
	Year      int
	// Group is a peer group's code, or CustomGroup with the regions in Members.
	Group   string
	Members []string
	Home    string
}

// CustomGroup is the group code of a peer group chosen on the fly.
const CustomGroup = "custom"

// RankRow is one region's place in a ranking.
type RankRow struct {
	RegionCode string
	NameZh     string
	ShortZh    string
	NameEn     string
	Value      float64
	// Rank is the place among the group's members with a value, RankAll among all
	// provinces with a value.
	Rank    int
	RankAll int
	// PrevRank is the group rank in the previous year, 0 when there was no value then.
	PrevRank int
	// RankChange is places gained in the group since the previous year (进位 > 0, 退位 < 0),
	// counted among the members with a value in both years; HasPrev says it is comparable.
	RankChange int
	HasPrev    bool
	// Change and ChangeAll are the group's and the national rank change in full.
	Change    measure.Change
	ChangeAll measure.Change
	Home      bool
}

// Gap is how far a region is from the place above it.
type Gap struct {
	To RankRow
	// Amount is the change in value that would tie the place above (negative when lower
	// is better), in the indicator's unit (percentage or index points for rates and indices).
	Amount float64
	// Percent is Amount relative to the region's own value.
	Percent float64
}

// HomeStanding sums up the home region's place in a ranking.
type HomeStanding struct {
	Row       RankRow
	GroupSize int
	AllSize   int
	// TiedGroup and TiedAll count the provinces sharing its place (itself included) in the
	// group and among all provinces: 1 when it holds the place alone. A rank of 3 that two
	// others share reads differently from a 3rd place of its own.
	TiedGroup, TiedAll int
	// RatioToNation is the home value as a share of the national figure (0.53 = 53 %);
	// nil when the nation has no value that year or the indicator's kind has no
	// meaningful share (totals, rates, indices).
	RatioToNation *float64
	// GapToNation is home − nation in the unit (levels) or in points (rates, indices);
	// nil for totals and counts or without a national value.
	GapToNation *measure.NationGap
	// NextUp is nil when the home region is first.
	NextUp *Gap
}

// Home statuses: why a ranking does or does not place the home region.
const (
	HomeRanked     = "ranked"
	HomeNoValue    = "no_value"
	HomeNotInGroup = "not_in_group"
)

// MissingRegion is a region that should be ranked but has no value in the year.
type MissingRegion struct {
	Code   string
	NameZh string
	NameEn string
}

// Ranking is the answer to a RankingQuery.
type Ranking struct {
	Indicator  Indicator
	Group      PeerGroup
	Year       int
	Rows       []RankRow
	Nation     *float64
	NationPrev *float64
	Home       *HomeStanding
	// HomeStatus says whether the home region is ranked, has no value, or is not a member.
	HomeStatus string
	// Missing are the group's members without a value this year, MissingAll the provinces:
	// a rank says among how many ("27/30，黑龙江 2024 年缺数").
	Missing    []MissingRegion
	MissingAll []MissingRegion
	// NationYears are the years with a national value, given when no province has one in
	// the year asked, so the page can say what data there is instead.
	NationYears []int
	// Generated says some ranked values belong to regions the warehouse marks generated.
	Generated bool
	// EveryProvince says the group is all the provinces: its rank is the national one.
	EveryProvince bool
	Sources       []Lineage
}

// rankedValue is one row of ranking.sql.
type rankedValue struct {
	row       RankRow
	year      int
	groupSize int
	allSize   int
	inGroup   bool
	runID     string
}

// rankedValues ranks every province, and the members among themselves, in each year.
func (w *Warehouse) rankedValues(ctx context.Context, indicator string, members []string, years []int) ([]rankedValue, error) {
	ys := make([]string, 0, len(years))
	for _, y := range years {
		if y > 0 && y < 65536 {
			ys = append(ys, strconv.Itoa(y))
		}
	}
	if len(ys) == 0 {
		return nil, nil
	}
	res, err := w.named(ctx, "ranking", Params{"indicator": indicator, "years": "[" + strings.Join(ys, ",") + "]", "members": arrayParam(members)})
	if err != nil {
		return nil, err
	}
	var rows []rankedValue
	err = res.each(func(rr *rowReader) {
		rows = append(rows, rankedValue{
			row: RankRow{
				RegionCode: rr.str("region_code"), NameZh: rr.str("name_zh"), ShortZh: rr.str("short_zh"),
				NameEn: rr.str("name_en"), Value: rr.float("value"), Rank: rr.int("rank_group"), RankAll: rr.int("rank_all"),
			},
			year: rr.int("year"), groupSize: rr.int("group_size"), allSize: rr.int("all_size"),
			inGroup: rr.int("in_group") == 1, runID: rr.str("run_id"),
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read ranking: %w", err)
	}
	return rows, nil
}

// Ranking ranks the group's members on one indicator in one year, with rank changes over
// the regions present in both years, the regions without a value, the national figure and
// the home region's standing.
func (w *Warehouse) Ranking(ctx context.Context, q RankingQuery) (*Ranking, error) {
	ind, group, err := w.subject(ctx, q)
	if err != nil {
		return nil, err
	}
	// The ranks of every year with data, as the trajectory asks for them: one cached
	// query serves every year's ranking of the indicator and group.
	all, err := w.rankedValues(ctx, q.Indicator, group.Members, ind.Years)
	if err != nil {
		return nil, err
	}
	rows := slices.DeleteFunc(slices.Clone(all), func(r rankedValue) bool { return r.year != q.Year && r.year != q.Year-1 })
	out := &Ranking{Indicator: ind, Group: group, Year: q.Year, HomeStatus: HomeNotInGroup}
	groupPrev, groupCur, allPrev, allCur := map[string]float64{}, map[string]float64{}, map[string]float64{}, map[string]float64{}
	prevRank := map[string]int{}
	runs := map[string]bool{}
	var groupSize, allSize int
	for _, r := range rows {
		if r.inGroup {
			runs[r.runID] = true
		}
		code, v := r.row.RegionCode, r.row.Value
		if r.year == q.Year-1 {
			allPrev[code] = v
			if r.inGroup {
				groupPrev[code], prevRank[code] = v, r.row.Rank
			}
			continue
		}
		// Every province's value feeds the national rank shown beside the group's.
		runs[r.runID] = true
		allCur[code], allSize = v, r.allSize
		if r.inGroup {
			groupCur[code], groupSize = v, r.groupSize
			out.Rows = append(out.Rows, r.row)
		}
	}
	for i := range out.Rows {
		row := &out.Rows[i]
		row.Home = row.RegionCode == q.Home
		row.PrevRank = prevRank[row.RegionCode]
		row.Change = measure.RankChange(groupPrev, groupCur, ind.Direction, row.RegionCode)
		row.ChangeAll = measure.RankChange(allPrev, allCur, ind.Direction, row.RegionCode)
		row.HasPrev, row.RankChange = row.Change.Comparable, row.Change.Places
	}
	if out.Nation, out.NationPrev, err = w.nationValues(ctx, q.Indicator, q.Year, runs); err != nil {
		return nil, err
	}
	if err := w.missing(ctx, out, group.Members, groupCur, allCur); err != nil {
		return nil, err
	}
	if slices.Contains(group.Members, q.Home) {
		out.HomeStatus = HomeNoValue
	}
	if out.Home = standing(ind, out.Rows, q.Home, groupCur, allCur, out.Nation, groupSize, allSize); out.Home != nil {
		out.HomeStatus = HomeRanked
	}
	if len(out.Rows) == 0 {
		if out.NationYears, err = w.nationYears(ctx, q.Indicator); err != nil {
			return nil, err
		}
	}
	if out.Sources, err = w.lineage(ctx, runs); err != nil {
		return nil, err
	}
	return out, nil
}

// missing names the members and provinces without a value.
func (w *Warehouse) missing(ctx context.Context, out *Ranking, members []string, groupCur, allCur map[string]float64) error {
	regions, err := w.Regions(ctx)
	if err != nil {
		return err
	}
	var provinces []string
	byCode := map[string]Region{}
	for _, r := range regions {
		byCode[r.Code] = r
		if r.Level == "province" {
			provinces = append(provinces, r.Code)
		}
	}
	name := func(codes []string) []MissingRegion {
		var m []MissingRegion
		for _, c := range codes {
			r := byCode[c]
			m = append(m, MissingRegion{Code: c, NameZh: r.ShortZh, NameEn: r.NameEn})
		}
		return m
	}
	for c := range groupCur {
		out.Generated = out.Generated || byCode[c].Generated
	}
	out.Missing = name(measure.Missing(members, groupCur))
	out.MissingAll = name(measure.Missing(provinces, allCur))
	out.EveryProvince = !slices.ContainsFunc(provinces, func(p string) bool { return !slices.Contains(members, p) })
	return nil
}

// nationYears lists the years with a national value of the indicator.
func (w *Warehouse) nationYears(ctx context.Context, indicator string) ([]int, error) {
	s, err := w.series(ctx, indicator, NationCode)
	if err != nil {
		return nil, err
	}
	years := make([]int, 0, len(s))
	for y := range s {
		years = append(years, y)
	}
	sort.Ints(years)
	return years, nil
}

// subject resolves what a ranking query is about: its indicator and its peer group.
func (w *Warehouse) subject(ctx context.Context, q RankingQuery) (Indicator, PeerGroup, error) {
	ind, err := w.indicator(ctx, q.Indicator)
	if err != nil {
		return Indicator{}, PeerGroup{}, err
	}
	group, err := w.resolveGroup(ctx, q)
	return ind, group, err
}

// resolveGroup finds the query's peer group, or builds the custom one from its members.
func (w *Warehouse) resolveGroup(ctx context.Context, q RankingQuery) (PeerGroup, error) {
	if q.Group != CustomGroup {
		return w.peerGroup(ctx, q.Group)
	}
	regions, err := w.Regions(ctx)
	if err != nil {
		return PeerGroup{}, err
	}
	provinces := map[string]bool{}
	for _, r := range regions {
		provinces[r.Code] = r.Level == "province"
	}
	var members []string
	for _, m := range q.Members {
		if !provinces[m] {
			return PeerGroup{}, fmt.Errorf("custom group member %q is not a province: %w", m, ErrNotFound)
		}
		if !slices.Contains(members, m) {
			members = append(members, m)
		}
	}
	if q.Home != "" && !slices.Contains(members, q.Home) {
		members = append(members, q.Home)
	}
	slices.Sort(members)
	return PeerGroup{Code: CustomGroup, NameZh: "自选对标组", NameEn: "Custom group", Members: members}, nil
}

// sharing counts the values equal to v: the places rank() gives alike.
func sharing(values map[string]float64, v float64) int {
	n := 0
	for _, x := range values {
		if x == v {
			n++
		}
	}
	return n
}

// standing finds home among rows and measures, as the indicator's kind allows, its gap to
// the place above and to the nation.
func standing(ind Indicator, rows []RankRow, home string, values, allValues map[string]float64, nation *float64, groupSize, allSize int) *HomeStanding {
	idx := slices.IndexFunc(rows, func(r RankRow) bool { return r.RegionCode == home })
	if idx < 0 {
		return nil
	}
	row := rows[idx]
	h := &HomeStanding{Row: row, GroupSize: groupSize, AllSize: allSize, TiedGroup: sharing(values, row.Value), TiedAll: sharing(allValues, row.Value)}
	if ratio, ok := measure.ShareOfNation(ind.Kind, row.Value, nation); ok {
		h.RatioToNation = &ratio
	}
	if g, ok := measure.GapToNation(ind.Kind, row.Value, nation); ok {
		h.GapToNation = &g
	}
	if g, ok := measure.NextUp(values, ind.Direction, home); ok {
		to := slices.IndexFunc(rows, func(r RankRow) bool { return r.RegionCode == g.To })
		h.NextUp = &Gap{To: rows[to], Amount: g.Amount, Percent: g.Percent}
	}
	return h
}

func (w *Warehouse) nationValues(ctx context.Context, indicator string, year int, runs map[string]bool) (cur, prev *float64, err error) {
	// The national series, as the trajectory asks for it (one cached query for all years).
	res, err := w.named(ctx, "indicator_series", Params{"indicator": indicator, "regions": arrayParam([]string{NationCode})})
	if err != nil {
		return nil, nil, err
	}
	err = res.each(func(rr *rowReader) {
		y := rr.int("year")
		if y != year && y != year-1 {
			return
		}
		v := rr.float("value")
		runs[rr.str("run_id")] = true
		if y == year {
			cur = &v
		} else {
			prev = &v
		}
	})
	return cur, prev, err
}

func (w *Warehouse) indicator(ctx context.Context, code string) (Indicator, error) {
	all, err := w.Indicators(ctx)
	if err != nil {
		return Indicator{}, err
	}
	for _, i := range all {
		if i.Code == code {
			return i, nil
		}
	}
	return Indicator{}, fmt.Errorf("indicator %q: %w", code, ErrNotFound)
}

func (w *Warehouse) peerGroup(ctx context.Context, code string) (PeerGroup, error) {
	all, err := w.PeerGroups(ctx)
	if err != nil {
		return PeerGroup{}, err
	}
	for _, g := range all {
		if g.Code == code {
			return g, nil
		}
	}
	return PeerGroup{}, fmt.Errorf("peer group %q: %w", code, ErrNotFound)
}

// arrayParam writes strings as a ClickHouse array literal for an Array(...) parameter.
func arrayParam(items []string) string {
	b := []byte{'['}
	for i, s := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\'')
		for _, r := range []byte(s) {
			if r == '\'' || r == '\\' {
				b = append(b, '\\')
			}
			b = append(b, r)
		}
		b = append(b, '\'')
	}
	return string(append(b, ']'))
}
