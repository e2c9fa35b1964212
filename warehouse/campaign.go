package warehouse

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"jinwei/warehouse/scorecard"
)

// Scorecard scopes: the units a scorecard compares with each other.
const (
	ScopeCity       = "city"
	ScopeCounty     = "county"
	ScopeDepartment = "department"
)

// Rank-change baselines.
const (
	// BaselinePublished: against the previous month's published ranking (通报).
	BaselinePublished = "published"
	// BaselineRescored: no ranking of the previous month was published, so it is scored
	// now, with today's weights and data.
	BaselineRescored = "rescored"
)

// UnitScore is one unit's scorecard in a month.
type UnitScore struct {
	scorecard.Unit
	// Population is the size measure (万人) counts were divided by; 0 when unknown.
	Population float64
	PrevRank   int
	// RankChange is places gained since the baseline among units ranked in both months;
	// HasChange is false when the unit was not ranked in one of them.
	RankChange int
	HasChange  bool
	Hint       *scorecard.Hint
}

// CategoryCount is one problem category's problems found and rectified.
type CategoryCount struct {
	Category   int
	Found      float64
	Rectified  float64
	RectifyPct float64
}

// Publication is a published ranking's stamp.
type Publication struct {
	Month string
	At    string
	By    string
}

// Scorecard is the campaign's standing of one scope of units in one month.
type Scorecard struct {
	Month  string
	Months []string
	// Kind is the scope: city, county or department.
	Kind       string
	Items      []scorecard.Item
	Weights    map[string]float64
	Yardsticks map[string]scorecard.Yardstick
	Units      []UnitScore
	Categories []CategoryCount
	// Baseline is what rank changes are against (BaselinePublished or BaselineRescored;
	// empty in the first month), PrevMonth the month, BaselinePublication its stamp.
	Baseline            string
	PrevMonth           string
	BaselinePublication *Publication
	// Published is this month's own publication, when there is one.
	Published *Publication
}

// ScorecardItems reads the scored items (data/campaign_scoring.csv as loaded).
func (w *Warehouse) ScorecardItems(ctx context.Context) ([]scorecard.Item, error) {
	res, err := w.named(ctx, "campaign_score_items", nil)
	if err != nil {
		return nil, err
	}
	var items []scorecard.Item
	err = res.each(func(rr *rowReader) {
		items = append(items, scorecard.Item{Code: rr.str("code"), NameZh: rr.str("name_zh"), NameEn: rr.str("name_en"),
			Dimension: rr.str("dimension_name"), Formula: scorecard.Formula(rr.str("formula")), Num: rr.str("num"), Den: rr.str("den"),
			Direction: rr.int("direction"), Weight: rr.float("weight"), Kinds: scorecard.ParseKinds(rr.str("kinds")),
			Deadline: rr.int("deadline"), MinSpread: rr.float("min_spread"), Step: rr.float("step"), Pool: rr.int("pool"), Note: rr.str("note"), NoteEn: rr.str("note_en")})
	})
	if err != nil {
		return nil, fmt.Errorf("read score items: %w", err)
	}
	for _, it := range items {
		if err := it.Check(); err != nil {
			return nil, err
		}
	}
	return items, nil
}

// Scorecard scores every unit of a scope (city, county, department) in a month (empty:
// the latest) with the items in campaign_score_items, weights overriding their default
// weights; a month without reports gives an empty scorecard (Month "") whose Months say
// which months have them. See package scorecard for the method; units without a report are listed last,
// unranked. Rank change is against the previous month's published ranking, or a
// re-scoring of that month when none was published.
//
// A scorecard is computed once per data version, scope, month and weights and shared by
// everyone asking (the campaign page and its JSON, the units' report pages, briefs,
// alerts): after a submission moves the version, the first of them computes it and the
// rest wait for that answer instead of scanning the campaign's history again. The answer
// is shared: callers must not modify it.
func (w *Warehouse) Scorecard(ctx context.Context, scope, month string, weights map[string]float64) (*Scorecard, error) {
	v, ok, err := w.cacheVersion(ctx)
	if err != nil {
		return nil, err
	}
	if !ok {
		return w.scoreMonth(ctx, scope, month, weights)
	}
	val, err := w.cache.computed(scorecardKey(scope, month, weights), v, func() (any, error) {
		return w.scoreMonth(ctx, scope, month, weights)
	})
	sc, _ := val.(*Scorecard)
	return sc, err
}

// scorecardKey names a scorecard in the cache: scope, month and the weights in code order.
func scorecardKey(scope, month string, weights map[string]float64) string {
	var b strings.Builder
	b.WriteString("scorecard\x00" + scope + "\x00" + month)
	for _, code := range slices.Sorted(maps.Keys(weights)) {
		b.WriteString("\x00" + code + "=" + strconv.FormatFloat(weights[code], 'g', -1, 64))
	}
	return b.String()
}

// scoreMonth computes Scorecard.
func (w *Warehouse) scoreMonth(ctx context.Context, scope, month string, weights map[string]float64) (*Scorecard, error) {
	b, sc, i, err := w.scorecardBook(ctx, scope, month, weights)
	if err != nil || b == nil {
		return sc, err
	}
	units, ys, hints := b.Month(i)
	sc.Yardsticks = ys
	sizes := map[string]float64{}
	for _, in := range b.Units {
		sizes[in.Code] = in.Size
	}
	for _, u := range units {
		us := UnitScore{Unit: u, Population: sizes[u.Code]}
		if h, ok := hints[u.Code]; ok {
			us.Hint = &h
		}
		sc.Units = append(sc.Units, us)
	}
	// Rank changes are against the calendar's previous month, when it had reports.
	if i > 0 && slices.Contains(sc.Months, b.Months[i-1]) {
		sc.PrevMonth = b.Months[i-1]
		prev, pub, err := w.publishedRanks(ctx, scope, sc.PrevMonth)
		if err != nil {
			return nil, err
		}
		if pub != nil {
			sc.Baseline, sc.BaselinePublication = BaselinePublished, pub
		} else {
			sc.Baseline = BaselineRescored
			before, _, _ := b.Month(i - 1)
			for _, u := range before {
				prev[u.Code] = u.Rank
			}
		}
		changes := scorecard.Changes(prev, units)
		for k := range sc.Units {
			u := &sc.Units[k]
			u.PrevRank = prev[u.Code]
			u.RankChange, u.HasChange = changes[u.Code]
		}
	}
	if _, pub, err := w.publishedRanks(ctx, scope, sc.Month); err != nil {
		return nil, err
	} else if pub != nil {
		sc.Published = pub
	}
	expected := map[string]bool{}
	for _, in := range b.Units {
		expected[in.Code] = true
	}
	if sc.Categories, err = w.campaignCategories(ctx, sc.Month, expected); err != nil {
		return nil, err
	}
	return sc, nil
}

// scorecardBook gathers a scope's items, reports and sizes up to month into a
// scorecard.Book; i is the month's index. A warehouse without reports gives a nil book.
func (w *Warehouse) scorecardBook(ctx context.Context, scope, month string, weights map[string]float64) (*scorecard.Book, *Scorecard, int, error) {
	kind := "region"
	switch scope {
	case ScopeCity, ScopeCounty:
	case ScopeDepartment:
		kind = "department"
	default:
		return nil, nil, 0, fmt.Errorf("scorecard scope %q is not city, county or department", scope)
	}
	items, err := w.ScorecardItems(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	for code := range weights {
		if !slices.ContainsFunc(items, func(it scorecard.Item) bool { return it.Code == code }) {
			return nil, nil, 0, fmt.Errorf("campaign.weights: unknown item %q (the items are in data/campaign_scoring.csv)", code)
		}
	}
	months, err := w.CampaignMonths(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	sc := &Scorecard{Kind: scope, Items: items, Weights: map[string]float64{}}
	if len(months) == 0 {
		return nil, sc, 0, nil
	}
	if month == "" {
		month = months[len(months)-1]
	}
	i := slices.Index(months, month)
	if i < 0 {
		// A month without reports is an answer, not an error: the scorecard is empty and
		// Months says which months there are.
		sc.Months = months
		return nil, sc, 0, nil
	}
	if len(items) == 0 {
		return nil, nil, 0, fmt.Errorf("campaign scorecard: no score items; load data/campaign_scoring.csv with the %s job: %w", "campaign_score_items", ErrNotFound)
	}
	sc.Month, sc.Months = month, months
	// The book runs month by month from the first report to this month, months without
	// reports included: the yardsticks' twelve months and the previous month are the
	// calendar's, not the last twelve that had reports (before, a month reported after a
	// gap of 20 months was compared with the month before the gap as "last month").
	span := CalendarMonths(months[0], month)
	units, err := w.scorecardUnits(ctx, scope, kind, span)
	if err != nil {
		return nil, nil, 0, err
	}
	b := scorecard.NewBook(items, kind, span, units, weights)
	sc.Items, sc.Weights = b.Items, b.Weights
	return b, sc, len(span) - 1, nil
}

// CalendarMonths lists the months from first to last ("2024-01-01"), both included.
func CalendarMonths(first, last string) []string {
	m, err := time.Parse(time.DateOnly, first)
	end, err2 := time.Parse(time.DateOnly, last)
	if err != nil || err2 != nil || end.Before(m) {
		return []string{last}
	}
	var out []string
	for ; !m.After(end); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format(time.DateOnly))
	}
	return out
}

// scorecardUnits lists the scope's units with their reports over months: for cities and
// counties every (counted) region of that level, reported or not; for departments every
// department that has reported.
func (w *Warehouse) scorecardUnits(ctx context.Context, scope, kind string, months []string) ([]scorecard.UnitInput, error) {
	res, err := w.named(ctx, "campaign_reports", Params{"kind": kind, "month": months[len(months)-1]})
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	for i, m := range months {
		index[m] = i
	}
	reports := map[string][]scorecard.Report{}
	names := map[string]string{}
	var order []string
	err = res.each(func(rr *rowReader) {
		code := rr.str("unit_code")
		if reports[code] == nil {
			reports[code] = make([]scorecard.Report, len(months))
			order = append(order, code)
		}
		names[code] = rr.str("unit_name")
		m, ok := index[rr.str("month_text")]
		if !ok {
			return
		}
		rep := scorecard.Report{}
		metrics, vals := rr.strings("metrics"), rr.floats("vals")
		for k := range min(len(metrics), len(vals)) {
			rep[metrics[k]] = vals[k]
		}
		reports[code][m] = rep
	})
	if err != nil {
		return nil, fmt.Errorf("read campaign reports: %w", err)
	}
	var units []scorecard.UnitInput
	if kind == "department" {
		slices.Sort(order)
		for _, code := range order {
			units = append(units, scorecard.UnitInput{Code: code, Name: names[code], Reports: reports[code]})
		}
		return units, nil
	}
	regions, err := w.Regions(ctx)
	if err != nil {
		return nil, err
	}
	year, _ := strconv.Atoi(months[len(months)-1][:4])
	pop, err := w.populations(ctx, year, regions)
	if err != nil {
		return nil, err
	}
	for _, r := range regions {
		if r.Level != scope || (scope == ScopeCounty && !r.Counted) {
			continue
		}
		u := scorecard.UnitInput{Code: r.Code, Name: r.NameZh, Size: pop[r.Code], Reports: reports[r.Code]}
		if u.Reports == nil {
			u.Reports = make([]scorecard.Report, len(months))
		}
		units = append(units, u)
	}
	return units, nil
}

// populations gives each city and county its population (万人) in the latest year up to
// year; a city without its own figure gets the sum of its counted counties'.
func (w *Warehouse) populations(ctx context.Context, year int, regions []Region) (map[string]float64, error) {
	res, err := w.named(ctx, "campaign_population", Params{"year": strconv.Itoa(year)})
	if err != nil {
		return nil, err
	}
	pop := map[string]float64{}
	err = res.each(func(rr *rowReader) { pop[rr.str("region_code")] = rr.float("population") })
	if err != nil {
		return nil, fmt.Errorf("read populations: %w", err)
	}
	sums := map[string]float64{}
	for _, r := range regions {
		if r.Level == "county" && r.Counted {
			sums[r.ParentCode] += pop[r.Code]
		}
	}
	for _, r := range regions {
		if r.Level == "city" && pop[r.Code] == 0 {
			pop[r.Code] = sums[r.Code]
		}
	}
	return pop, nil
}

// publishedRanks reads a scope's published ranking of a month: code to rank (0 unranked)
// and the publication's stamp, nil when the month was not published.
func (w *Warehouse) publishedRanks(ctx context.Context, scope, month string) (map[string]int, *Publication, error) {
	res, err := w.named(ctx, "campaign_published", Params{"scope": scope, "month": month})
	if err != nil {
		return nil, nil, err
	}
	ranks := map[string]int{}
	var pub *Publication
	err = res.each(func(rr *rowReader) {
		ranks[rr.str("unit_code")] = rr.int("rank")
		if pub == nil {
			pub = &Publication{Month: month, At: rr.str("published_at"), By: rr.str("published_by")}
		}
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read published ranking %s %s: %w", scope, month, err)
	}
	return ranks, pub, nil
}

// PublishScorecard scores a scope's month and keeps the ranking as published (通报), so
// the next month's rank changes are against it. Publishing a month again replaces it.
func (w *Warehouse) PublishScorecard(ctx context.Context, scope, month string, weights map[string]float64, by string) (*Scorecard, error) {
	sc, err := w.Scorecard(ctx, scope, month, weights)
	if err != nil {
		return nil, err
	}
	if sc.Month == "" {
		return nil, fmt.Errorf("publish %s scorecard: no campaign reports: %w", scope, ErrNotFound)
	}
	text, err := namedQuery("campaign_publish")
	if err != nil {
		return nil, err
	}
	var codes, names []string
	var scores, ranks, partials []string
	for _, u := range sc.Units {
		codes, names = append(codes, u.Code), append(names, u.Name)
		scores = append(scores, strconv.FormatFloat(u.Score, 'g', -1, 64))
		ranks = append(ranks, strconv.Itoa(u.Rank))
		partials = append(partials, map[bool]string{true: "1", false: "0"}[u.Partial])
	}
	err = w.exec(ctx, text, Params{"scope": scope, "month": sc.Month, "by": by, "version": strconv.FormatInt(time.Now().UnixNano(), 10),
		"codes": arrayParam(codes), "names": arrayParam(names), "scores": "[" + strings.Join(scores, ",") + "]", "ranks": "[" + strings.Join(ranks, ",") + "]",
		"partials": "[" + strings.Join(partials, ",") + "]"})
	if err != nil {
		return nil, fmt.Errorf("publish %s scorecard %s: %w", scope, sc.Month, err)
	}
	return w.Scorecard(ctx, scope, sc.Month, weights)
}

// campaignCategories sums the seven problem categories found and rectified in a month over
// the given units.
func (w *Warehouse) campaignCategories(ctx context.Context, month string, units map[string]bool) ([]CategoryCount, error) {
	res, err := w.named(ctx, "campaign_categories", Params{"month": month, "units": arrayParam(slices.Sorted(maps.Keys(units)))})
	if err != nil {
		return nil, err
	}
	cats := make([]CategoryCount, 7)
	err = res.each(func(rr *rowReader) {
		c := rr.int("problem_category")
		cats[c-1].Found, cats[c-1].Rectified = rr.float("found"), rr.float("rectified")
	})
	if err != nil {
		return nil, fmt.Errorf("read problem categories %s: %w", month, err)
	}
	for c := range cats {
		cats[c].Category = c + 1
		if cats[c].Found > 0 {
			cats[c].RectifyPct = cats[c].Rectified / cats[c].Found * 100
		}
	}
	return cats, nil
}

// CampaignMonths lists the months campaign reports cover (2025-01-01), oldest first.
func (w *Warehouse) CampaignMonths(ctx context.Context) ([]string, error) {
	res, err := w.named(ctx, "campaign_months", nil)
	if err != nil {
		return nil, err
	}
	var out []string
	err = res.each(func(rr *rowReader) { out = append(out, rr.str("month")) })
	return out, err
}

// TrendPoint is the province's totals of the campaign's main counts in one month.
type TrendPoint struct {
	Month  string
	Totals map[string]float64
}

// CampaignTrend lists the province-wide monthly totals of every metric in the months up
// to upTo (every month when it is "").
func (w *Warehouse) CampaignTrend(ctx context.Context, upTo string) ([]TrendPoint, error) {
	res, err := w.named(ctx, "campaign_trend", Params{"month": upTo})
	if err != nil {
		return nil, err
	}
	var out []TrendPoint
	err = res.each(func(rr *rowReader) {
		m := rr.str("month")
		if len(out) == 0 || out[len(out)-1].Month != m {
			out = append(out, TrendPoint{Month: m, Totals: map[string]float64{}})
		}
		out[len(out)-1].Totals[rr.str("metric_code")] += rr.float("total")
	})
	return out, err
}
