package warehouse

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
)

// ScoreItem is one measure a campaign scorecard weighs: a metric, or a rate of two.
type ScoreItem struct {
	Code      string `json:"code"`
	NameZh    string `json:"name_zh"`
	NameEn    string `json:"name_en"`
	Dimension string `json:"dimension"`
	// Num and Den are metric codes; a rate when Den is set.
	Num, Den  string
	Direction int `json:"direction"`
}

// ScoreItems are the measures a scorecard can weigh. Rates rather than counts where a
// count mostly reflects a unit's size.
var ScoreItems = []ScoreItem{
	{"study_sessions", "集中学习研讨", "Study sessions", "study", "study_sessions", "", 1},
	{"training_hours", "干部培训学时", "Training hours", "study", "training_hours", "", 1},
	{"on_time_rate", "任务按期办结率", "Tasks done on time", "execution", "tasks_on_time", "tasks_assigned", 1},
	{"overdue_rate", "任务逾期率", "Tasks overdue", "execution", "tasks_overdue", "tasks_assigned", -1},
	{"inspections_4b2z", "四不两直督查", "Unannounced inspections", "execution", "inspections_4b2z", "", 1},
	{"rectification_rate", "突出问题整改率", "Problems rectified", "execution", "problems_rectified", "problems_found", 1},
	{"enterprise_visits", "六必访走访企业", "Enterprise visits", "efficiency", "enterprise_visits", "", 1},
	{"complaint_resolution_rate", "营商环境投诉办结率", "Complaints resolved", "efficiency", "complaints_resolved", "complaints_received", 1},
	{"poverty_assist_rate", "一键报贫帮扶率", "Flagged households assisted", "efficiency", "poverty_assisted", "poverty_flagged", 1},
}

// UnitScore is one unit's scorecard in a month.
type UnitScore struct {
	Kind       string             `json:"kind"`
	Code       string             `json:"code"`
	Name       string             `json:"name"`
	Items      map[string]float64 `json:"items"`
	Dimensions map[string]float64 `json:"dimensions"`
	Score      float64            `json:"score"`
	Rank       int                `json:"rank"`
	PrevRank   int                `json:"prev_rank"`
	RankChange int                `json:"rank_change"`
}

// CategoryCount is one problem category's problems found and rectified.
type CategoryCount struct {
	Category   int     `json:"category"`
	Found      float64 `json:"found"`
	Rectified  float64 `json:"rectified"`
	RectifyPct float64 `json:"rectify_pct"`
}

// Scorecard is the campaign's standing of one kind of unit in one month.
type Scorecard struct {
	Month      string             `json:"month"`
	Months     []string           `json:"months"`
	Kind       string             `json:"kind"`
	Weights    map[string]float64 `json:"weights"`
	Units      []UnitScore        `json:"units"`
	Categories []CategoryCount    `json:"categories"`
}

// Scorecard scores every unit of a kind (region: cities and counties; department) in a
// month (empty: the latest): each item is scaled 0–100 across the units (best 100), and
// the score is the weighted mean; ranks change against the month before.
//
// only, when not empty, limits the units scored (e.g. the province's cities), so that
// units are scaled against their own kind.
func (w *Warehouse) Scorecard(ctx context.Context, kind, month string, weights map[string]float64, only []string) (*Scorecard, error) {
	months, err := w.campaignMonths(ctx)
	if err != nil {
		return nil, err
	}
	if len(months) == 0 {
		return &Scorecard{Kind: kind, Weights: weights}, nil
	}
	if month == "" {
		month = months[len(months)-1]
	}
	i := slices.Index(months, month)
	if i < 0 {
		return nil, fmt.Errorf("campaign month %s: %w", month, ErrNotFound)
	}
	want := []string{month}
	if i > 0 {
		want = append(want, months[i-1])
	}
	res, err := w.named(ctx, "campaign_month", Params{"months": arrayParam(want)})
	if err != nil {
		return nil, err
	}
	type key struct{ month, unit string }
	metrics := map[key]map[string]float64{}
	names := map[string]string{}
	cats := make([]CategoryCount, 7)
	err = res.each(func(rr *rowReader) {
		if rr.str("unit_kind") != kind || (len(only) > 0 && !slices.Contains(only, rr.str("unit_code"))) {
			return
		}
		k := key{rr.str("month_text"), rr.str("unit_code")}
		if metrics[k] == nil {
			metrics[k] = map[string]float64{}
		}
		m, v := rr.str("metric_code"), rr.float("value")
		metrics[k][m] += v
		names[k.unit] = rr.str("unit_name")
		if c := rr.int("problem_category"); c >= 1 && c <= 7 && k.month == month {
			if m == "problems_found" {
				cats[c-1].Found += v
			} else if m == "problems_rectified" {
				cats[c-1].Rectified += v
			}
		}
	})
	if err != nil {
		return nil, err
	}
	for c := range cats {
		cats[c].Category = c + 1
		if cats[c].Found > 0 {
			cats[c].RectifyPct = cats[c].Rectified / cats[c].Found * 100
		}
	}
	score := func(m string) []UnitScore {
		var units []UnitScore
		for k, vals := range metrics {
			if k.month == m {
				units = append(units, UnitScore{Kind: kind, Code: k.unit, Name: names[k.unit], Items: itemValues(vals)})
			}
		}
		scoreUnits(units, weights)
		return units
	}
	cur := score(month)
	if len(want) > 1 {
		prev := map[string]int{}
		for _, u := range score(want[1]) {
			prev[u.Code] = u.Rank
		}
		for i := range cur {
			if p, ok := prev[cur[i].Code]; ok {
				cur[i].PrevRank, cur[i].RankChange = p, p-cur[i].Rank
			}
		}
	}
	return &Scorecard{Month: month, Months: months, Kind: kind, Weights: weights, Units: cur, Categories: cats}, nil
}

// itemValues computes each score item from a unit's metrics; a rate without a denominator
// is left out.
func itemValues(m map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for _, it := range ScoreItems {
		switch {
		case it.Den == "":
			out[it.Code] = m[it.Num]
		case m[it.Den] > 0:
			out[it.Code] = math.Min(m[it.Num]/m[it.Den], 1) * 100
		}
	}
	return out
}

// scoreUnits scales each item 0–100 across the units and weighs them, then ranks.
func scoreUnits(units []UnitScore, weights map[string]float64) {
	scaled := make([]map[string]float64, len(units))
	for i := range scaled {
		scaled[i] = map[string]float64{}
	}
	for _, it := range ScoreItems {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, u := range units {
			if v, ok := u.Items[it.Code]; ok {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		for i, u := range units {
			v, ok := u.Items[it.Code]
			if !ok {
				continue
			}
			s := 100.0
			if hi > lo {
				s = (v - lo) / (hi - lo) * 100
			}
			if it.Direction < 0 {
				s = 100 - s
			}
			scaled[i][it.Code] = s
		}
	}
	for i := range units {
		var total, weight float64
		dims, dimWeights := map[string]float64{}, map[string]float64{}
		for _, it := range ScoreItems {
			s, ok := scaled[i][it.Code]
			wgt := weights[it.Code]
			if !ok || wgt <= 0 {
				continue
			}
			total += s * wgt
			weight += wgt
			dims[it.Dimension] += s * wgt
			dimWeights[it.Dimension] += wgt
		}
		if weight > 0 {
			units[i].Score = total / weight
		}
		for d := range dims {
			dims[d] /= dimWeights[d]
		}
		units[i].Dimensions = dims
	}
	sort.SliceStable(units, func(a, b int) bool {
		if units[a].Score != units[b].Score {
			return units[a].Score > units[b].Score
		}
		return units[a].Code < units[b].Code
	})
	for i := range units {
		units[i].Rank = i + 1
	}
}

func (w *Warehouse) campaignMonths(ctx context.Context) ([]string, error) {
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
	Month  string             `json:"month"`
	Totals map[string]float64 `json:"totals"`
}

// CampaignTrend lists the province-wide monthly totals of every metric.
func (w *Warehouse) CampaignTrend(ctx context.Context) ([]TrendPoint, error) {
	res, err := w.named(ctx, "campaign_trend", nil)
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
