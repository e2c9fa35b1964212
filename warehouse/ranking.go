package warehouse

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
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
	RegionCode string  `json:"region_code"`
	NameZh     string  `json:"name_zh"`
	ShortZh    string  `json:"short_zh"`
	NameEn     string  `json:"name_en"`
	Value      float64 `json:"value"`
	Rank       int     `json:"rank"`
	RankAll    int     `json:"rank_all"`
	// PrevRank is the rank in the previous year, 0 when there was no value then.
	PrevRank int `json:"prev_rank"`
	// RankChange is places gained since the previous year (进位 > 0, 退位 < 0).
	RankChange int  `json:"rank_change"`
	HasPrev    bool `json:"has_prev"`
	Home       bool `json:"home"`
}

// Gap is how far a region is from the place above it.
type Gap struct {
	To RankRow `json:"to"`
	// Amount is the change in value that would tie the place above (negative when lower
	// is better), in the indicator's unit.
	Amount float64 `json:"amount"`
	// Percent is Amount relative to the region's own value.
	Percent float64 `json:"percent"`
}

// HomeStanding sums up the home region's place in a ranking.
type HomeStanding struct {
	Row       RankRow `json:"row"`
	GroupSize int     `json:"group_size"`
	AllSize   int     `json:"all_size"`
	// RatioToNation is the home value as a share of the national figure (0.53 = 53 %);
	// nil when the nation has no value that year.
	RatioToNation *float64 `json:"ratio_to_nation"`
	// NextUp is nil when the home region is first.
	NextUp *Gap `json:"next_up"`
}

// Lineage names a file and load behind numbers on a page.
type Lineage struct {
	RunID    string    `json:"run_id"`
	Job      string    `json:"job"`
	FilePath string    `json:"file_path"`
	LoadedAt time.Time `json:"loaded_at"`
}

// Ranking is the answer to a RankingQuery.
type Ranking struct {
	Indicator  Indicator     `json:"indicator"`
	Group      PeerGroup     `json:"group"`
	Year       int           `json:"year"`
	Rows       []RankRow     `json:"rows"`
	Nation     *float64      `json:"nation"`
	NationPrev *float64      `json:"nation_prev"`
	Home       *HomeStanding `json:"home"`
	Sources    []Lineage     `json:"sources"`
}

// rankedValue is one row of ranking.sql.
type rankedValue struct {
	row       RankRow
	year      int
	groupSize int
	allSize   int
	runID     string
}

// rankedValues ranks the members on the indicator in each of the years.
func (w *Warehouse) rankedValues(ctx context.Context, indicator string, members []string, years []int) ([]rankedValue, error) {
	ys := make([]string, len(years))
	for i, y := range years {
		ys[i] = strconv.Itoa(y)
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
			year: rr.int("year"), groupSize: rr.int("group_size"), allSize: rr.int("all_size"), runID: rr.str("run_id"),
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read ranking: %w", err)
	}
	return rows, nil
}

// Ranking ranks the group's members on one indicator in one year, with last year's ranks,
// the national figure and the home region's standing.
func (w *Warehouse) Ranking(ctx context.Context, q RankingQuery) (*Ranking, error) {
	ind, group, err := w.subject(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := w.rankedValues(ctx, q.Indicator, group.Members, []int{q.Year - 1, q.Year})
	if err != nil {
		return nil, err
	}
	out := &Ranking{Indicator: ind, Group: group, Year: q.Year}
	prev := map[string]int{}
	runs := map[string]bool{}
	var groupSize, allSize int
	for _, r := range rows {
		runs[r.runID] = true
		if r.year == q.Year-1 {
			prev[r.row.RegionCode] = r.row.Rank
			continue
		}
		groupSize, allSize = r.groupSize, r.allSize
		out.Rows = append(out.Rows, r.row)
	}
	for i := range out.Rows {
		row := &out.Rows[i]
		row.Home = row.RegionCode == q.Home
		if p, ok := prev[row.RegionCode]; ok {
			row.PrevRank, row.HasPrev, row.RankChange = p, true, p-row.Rank
		}
	}
	if out.Nation, out.NationPrev, err = w.nationValues(ctx, q.Indicator, q.Year, runs); err != nil {
		return nil, err
	}
	out.Home = standing(out.Rows, q.Home, out.Nation, groupSize, allSize)
	if out.Sources, err = w.lineage(ctx, runs); err != nil {
		return nil, err
	}
	return out, nil
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

// standing finds home among rows (sorted best first) and measures its gap to the place above.
func standing(rows []RankRow, home string, nation *float64, groupSize, allSize int) *HomeStanding {
	idx := -1
	for i, r := range rows {
		if r.RegionCode == home {
			idx = i
		}
	}
	if idx < 0 {
		return nil
	}
	h := &HomeStanding{Row: rows[idx], GroupSize: groupSize, AllSize: allSize}
	if nation != nil && *nation != 0 {
		ratio := rows[idx].Value / *nation
		h.RatioToNation = &ratio
	}
	// The place above is the nearest row with a strictly better rank; ties share a rank.
	for i := idx - 1; i >= 0; i-- {
		if rows[i].Rank < rows[idx].Rank {
			amount := rows[i].Value - rows[idx].Value
			g := &Gap{To: rows[i], Amount: amount}
			if rows[idx].Value != 0 {
				g.Percent = amount / rows[idx].Value * 100
			}
			h.NextUp = g
			break
		}
	}
	return h
}

func (w *Warehouse) nationValues(ctx context.Context, indicator string, year int, runs map[string]bool) (cur, prev *float64, err error) {
	res, err := w.named(ctx, "indicator_value", Params{"indicator": indicator, "region": NationCode, "year": strconv.Itoa(year)})
	if err != nil {
		return nil, nil, err
	}
	err = res.each(func(rr *rowReader) {
		v := rr.float("value")
		runs[rr.str("run_id")] = true
		if rr.int("year") == year {
			cur = &v
		} else {
			prev = &v
		}
	})
	return cur, prev, err
}

func (w *Warehouse) lineage(ctx context.Context, runs map[string]bool) ([]Lineage, error) {
	if len(runs) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(runs))
	for id := range runs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	res, err := w.named(ctx, "run_lineage", Params{"runs": arrayParam(ids)})
	if err != nil {
		return nil, err
	}
	return readLineage(res)
}

func readLineage(res *Result) ([]Lineage, error) {
	var out []Lineage
	err := res.each(func(rr *rowReader) {
		t, _ := time.Parse("2006-01-02 15:04:05.000", rr.str("finished_at"))
		out = append(out, Lineage{RunID: rr.str("id"), Job: rr.str("job"), FilePath: rr.str("file_path"), LoadedAt: t})
	})
	return out, err
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
