package warehouse

import (
	"context"
	"sort"
	"strconv"

	"jinwei/warehouse/measure"
)

// CountyRow is one county's standing on an indicator in a year.
type CountyRow struct {
	Code              string
	NameZh            string
	ShortZh           string
	NameEn            string
	CityCode          string
	CityZh            string
	CityEn            string
	PovertyAlleviated bool
	NationalKey       bool
	ProvincialKey     bool
	Value             float64
	Prev              *float64
	// Growth is the change on the year before, %; nil without last year's value.
	Growth *float64
	// Rank by value (进度), by growth (进步), and places gained on last year (进位).
	Rank       int
	GrowthRank int
	PrevRank   int
	RankChange int
	// Generated says the county's flags (and the demo's county values) are generated.
	Generated bool
}

// CountyRanking is the province's counties on one indicator in one year.
type CountyRanking struct {
	Indicator Indicator
	Year      int
	Years     []int
	Rows      []CountyRow
	// Generated says some rows are generated demo data.
	Generated bool
	// Sources are exactly the loads whose rows fed the values (both years).
	Sources []Lineage
}

// CountyRanking ranks the province's counties by value, growth and rank change.
func (w *Warehouse) CountyRanking(ctx context.Context, province, indicator string, year int) (*CountyRanking, error) {
	ind, err := w.indicator(ctx, indicator)
	if err != nil {
		return nil, err
	}
	years, err := w.countyYears(ctx, province, indicator)
	if err != nil {
		return nil, err
	}
	if year == 0 && len(years) > 0 {
		year = years[len(years)-1]
	}
	if year <= 1 || year > 65535 {
		// No county values, or a year no table can hold: nothing to rank, and the
		// years with values say what there is instead.
		return &CountyRanking{Indicator: ind, Year: year, Years: years}, nil
	}
	res, err := w.named(ctx, "county_values", Params{"province": province, "indicator": indicator,
		"years": "[" + strconv.Itoa(year-1) + "," + strconv.Itoa(year) + "]"})
	if err != nil {
		return nil, err
	}
	cur := map[string]*CountyRow{}
	prev := map[string]float64{}
	runs := map[string]bool{}
	var order []string
	err = res.each(func(rr *rowReader) {
		code, v := rr.str("region_code"), rr.float("value")
		runs[rr.str("run_id")] = true
		if rr.int("year") != year {
			prev[code] = v
			return
		}
		cur[code] = &CountyRow{Code: code, NameZh: rr.str("name_zh"), ShortZh: rr.str("short_zh"), NameEn: rr.str("name_en"),
			CityCode: rr.str("city_code"), CityZh: rr.str("city_name_zh"), CityEn: rr.str("city_name_en"),
			PovertyAlleviated: rr.int("poverty_alleviated") == 1, NationalKey: rr.int("national_key") == 1,
			ProvincialKey: rr.int("provincial_key") == 1, Value: v, Generated: rr.int("generated") == 1}
		order = append(order, code)
	})
	if err != nil {
		return nil, err
	}
	out := &CountyRanking{Indicator: ind, Year: year, Years: years}
	for _, code := range order {
		r := cur[code]
		if p, ok := prev[code]; ok {
			r.Prev = &p
			if p != 0 {
				g := (r.Value/p - 1) * 100
				r.Growth = &g
			}
		}
		out.Rows = append(out.Rows, *r)
		out.Generated = out.Generated || r.Generated
	}
	rankCounties(out.Rows, ind.Direction, prev)
	if out.Sources, err = w.lineage(ctx, runs); err != nil {
		return nil, err
	}
	return out, nil
}

func (w *Warehouse) countyYears(ctx context.Context, province, indicator string) ([]int, error) {
	res, err := w.named(ctx, "county_years", Params{"province": province, "indicator": indicator})
	if err != nil {
		return nil, err
	}
	var years []int
	err = res.each(func(rr *rowReader) { years = append(years, rr.int("year")) })
	return years, err
}

// rankCounties sets ranks by value and by growth (ties share a rank), and the rank change
// from last year's ranking by value; rows end sorted by value rank.
func rankCounties(rows []CountyRow, direction int, prev map[string]float64) {
	dir := float64(measure.Sign(direction))
	sort.SliceStable(rows, func(a, b int) bool { return rows[a].Value*dir > rows[b].Value*dir })
	for i := range rows {
		rows[i].Rank = i + 1
		if i > 0 && rows[i].Value == rows[i-1].Value {
			rows[i].Rank = rows[i-1].Rank
		}
	}
	prevVals := make([]float64, 0, len(prev))
	for _, r := range rows {
		if p, ok := prev[r.Code]; ok {
			prevVals = append(prevVals, p*dir)
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(prevVals)))
	for i := range rows {
		if p, ok := prev[rows[i].Code]; ok {
			rows[i].PrevRank = sort.Search(len(prevVals), func(j int) bool { return prevVals[j] <= p*dir }) + 1
			rows[i].RankChange = rows[i].PrevRank - rows[i].Rank
		}
	}
	byGrowth := make([]int, 0, len(rows))
	for i := range rows {
		if rows[i].Growth != nil {
			byGrowth = append(byGrowth, i)
		}
	}
	sort.SliceStable(byGrowth, func(a, b int) bool { return *rows[byGrowth[a]].Growth*dir > *rows[byGrowth[b]].Growth*dir })
	for n, i := range byGrowth {
		rows[i].GrowthRank = n + 1
		if n > 0 && *rows[i].Growth == *rows[byGrowth[n-1]].Growth {
			rows[i].GrowthRank = rows[byGrowth[n-1]].GrowthRank
		}
	}
}

// CountyIncomeTargets checks the speech's two targets for one year, county by county:
// rural income growing faster than urban income, and in poverty-alleviated counties rural
// income growing faster than the provincial average, taken as the plain mean of all the
// province's counties' rural income growth (each county counts once).
type CountyIncomeTargets struct {
	Year int
	// RuralAverage is the mean rural income growth of all the province's counties, %.
	RuralAverage float64
	UrbanAverage float64
	Counties     []CountyTargetRow
	Summary      CountyTargetCounts
	// Sources are the loads of the rural and urban incomes checked.
	Sources []Lineage
}

// CountyTargetRow is one county's two checks.
type CountyTargetRow struct {
	County      CountyRow
	RuralGrowth float64
	UrbanGrowth float64
	// RuralAboveUrban is the first target; AboveProvince the second (poverty counties only).
	RuralAboveUrban bool
	AboveProvince   *bool
}

// CountyTargetCounts sums up the checks.
type CountyTargetCounts struct {
	Counties, RuralAboveUrban, Poverty, PovertyAboveProvince int
}

// CountyIncomeTargets evaluates the two income targets for every county with both incomes.
func (w *Warehouse) CountyIncomeTargets(ctx context.Context, province string, year int) (*CountyIncomeTargets, error) {
	rural, err := w.CountyRanking(ctx, province, "rural_income", year)
	if err != nil {
		return nil, err
	}
	urban, err := w.CountyRanking(ctx, province, "urban_income", rural.Year)
	if err != nil {
		return nil, err
	}
	urbanGrowth := map[string]float64{}
	var uSum float64
	for _, r := range urban.Rows {
		if r.Growth != nil {
			urbanGrowth[r.Code] = *r.Growth
			uSum += *r.Growth
		}
	}
	out := &CountyIncomeTargets{Year: rural.Year, Sources: MergeLineage(rural.Sources, urban.Sources)}
	var rSum float64
	var n int
	for _, r := range rural.Rows {
		if r.Growth != nil {
			rSum += *r.Growth
			n++
		}
	}
	if n == 0 {
		return out, nil
	}
	out.RuralAverage = rSum / float64(n)
	if len(urbanGrowth) > 0 {
		out.UrbanAverage = uSum / float64(len(urbanGrowth))
	}
	for _, r := range rural.Rows {
		ug, ok := urbanGrowth[r.Code]
		if r.Growth == nil || !ok {
			continue
		}
		row := CountyTargetRow{County: r, RuralGrowth: *r.Growth, UrbanGrowth: ug, RuralAboveUrban: *r.Growth > ug}
		out.Summary.Counties++
		if row.RuralAboveUrban {
			out.Summary.RuralAboveUrban++
		}
		if r.PovertyAlleviated {
			above := *r.Growth > out.RuralAverage
			row.AboveProvince = &above
			out.Summary.Poverty++
			if above {
				out.Summary.PovertyAboveProvince++
			}
		}
		out.Counties = append(out.Counties, row)
	}
	return out, nil
}
