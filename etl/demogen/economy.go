package demogen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strconv"
)

// provinceSeries is the real provincial series the generated county figures add up to.
type provinceSeries struct {
	gdp, population map[int]float64
}

func readProvince(dataDir, home string) (provinceSeries, error) {
	rows, err := readCSV(filepath.Join(dataDir, "real", "province_annual.csv"))
	if err != nil {
		return provinceSeries{}, err
	}
	p := provinceSeries{gdp: map[int]float64{}, population: map[int]float64{}}
	for _, r := range rows[1:] {
		if r[1] != home {
			continue
		}
		y, _ := strconv.Atoi(r[0])
		v, _ := strconv.ParseFloat(r[4], 64)
		switch r[3] {
		case "gdp":
			p.gdp[y] = v
		case "population":
			p.population[y] = v
		}
	}
	if len(p.gdp) == 0 {
		return p, fmt.Errorf("no GDP for region %s in %s", home, filepath.Join(dataDir, "real", "province_annual.csv"))
	}
	return p, nil
}

// countyProfile holds the numbers that shape one county's made-up series.
type countyProfile struct {
	gdpShare, popShare   float64
	growth               float64 // the county's usual lead over the province's growth, points
	urbanBase, ruralBase float64 // per-capita disposable income in the first year, 元
	urbanGrowth          float64
	ruralGrowth          float64
}

var economyYears = []int{2019, 2020, 2021, 2022, 2023, 2024}

func profiles(cs []county, rng *rand.Rand) []countyProfile {
	out := make([]countyProfile, len(cs))
	var gdpSum, popSum float64
	for i, c := range cs {
		p := countyProfile{
			gdpShare:    math.Exp(rng.NormFloat64() * 0.6),
			popShare:    math.Exp(rng.NormFloat64() * 0.4),
			growth:      rng.NormFloat64() * 1.2,
			urbanBase:   30000 * math.Exp(rng.NormFloat64()*0.08),
			ruralBase:   9000 * math.Exp(rng.NormFloat64()*0.15),
			urbanGrowth: 0.055 + rng.NormFloat64()*0.008,
			ruralGrowth: 0.075 + rng.NormFloat64()*0.012,
		}
		switch {
		case c.prefecture == "620100" && c.divisionType == "市辖区":
			p.gdpShare *= 8 // Lanzhou's districts carry the provincial capital's economy
			p.urbanBase *= 1.25
			p.ruralBase *= 1.5
		case c.divisionType == "市辖区" || c.divisionType == "县级市":
			p.gdpShare *= 2.5
			p.ruralBase *= 1.3
		}
		if c.poverty {
			p.ruralBase *= 0.85
			p.ruralGrowth += 0.006 // assistance lifts rural incomes a little faster
		}
		if !c.counted {
			p.gdpShare, p.popShare = 0, 0
		}
		gdpSum += p.gdpShare
		popSum += p.popShare
		out[i] = p
	}
	for i := range out {
		out[i].gdpShare /= gdpSum
		out[i].popShare /= popSum
	}
	return out
}

// writeCountyEconomy writes the county table as statistics bureaus publish it: a workbook
// with a sheet per year, a title row, a two-row merged header (indicator over unit), the
// counties down and the indicators across, and a footnote.
func writeCountyEconomy(path string, cs []county, ps []countyProfile, prov provinceSeries) error {
	f, err := newWorkbook(sheetName(economyYears[len(economyYears)-1]))
	if err != nil {
		return err
	}
	defer f.Close()
	for n := len(economyYears) - 1; n >= 0; n-- {
		y := economyYears[n]
		if n != len(economyYears)-1 {
			if _, err := f.NewSheet(sheetName(y)); err != nil {
				return err
			}
		}
		if err := countySheet(&sheetWriter{f: f, sheet: sheetName(y)}, y, cs, ps, prov); err != nil {
			return fmt.Errorf("write %s sheet %d: %w", path, y, err)
		}
	}
	return f.SaveAs(path)
}

func sheetName(y int) string { return strconv.Itoa(y) + "年" }

func countySheet(s *sheetWriter, year int, cs []county, ps []countyProfile, prov provinceSeries) error {
	steps := []func() error{
		func() error { return s.put(fmt.Sprintf("甘肃省县域经济主要指标（%d年）", year)) },
		func() error { return s.merge(1, 1, 7, 1) },
		func() error {
			return s.put("序号", "地区", "代码", "地区生产总值", "年末常住人口", "城镇居民人均可支配收入", "农村居民人均可支配收入")
		},
		func() error { return s.put(nil, nil, nil, "（亿元）", "（万人）", "（元）", "（元）") },
		func() error { return s.merge(1, 2, 1, 3) },
		func() error { return s.merge(2, 2, 2, 3) },
		func() error { return s.merge(3, 2, 3, 3) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	n := 0
	for i, c := range cs {
		if !c.counted {
			continue
		}
		n++
		p := ps[i]
		k := year - economyYears[0]
		gdp := prov.gdp[year] * 0.96 * p.gdpShare * math.Pow(1+p.growth/100, float64(k))
		pop := prov.population[year] * p.popShare
		urban := p.urbanBase * math.Pow(1+p.urbanGrowth, float64(k))
		rural := p.ruralBase * math.Pow(1+p.ruralGrowth, float64(k))
		if err := s.put(n, c.nameZh, c.code, round(gdp, 2), round(pop, 2), math.Round(urban), math.Round(rural)); err != nil {
			return err
		}
	}
	if err := s.put("注：本表县域数据为演示用生成数据（generated），由固定随机种子生成，与全省公开数据总量相衔接，不代表真实统计结果。"); err != nil {
		return err
	}
	return s.f.SetColWidth(s.sheet, "B", "G", 16)
}

// writeCityQuarterly writes the cities' cumulative quarterly GDP ("1-3月", "1-6月" …) as a
// long table in GBK, as an Excel export on a Chinese Windows machine saves it.
func writeCityQuarterly(path string, cs []county, ps []countyProfile, prov provinceSeries, rng *rand.Rand) error {
	cities := map[string]string{}
	share := map[string]float64{}
	var order []string
	for i, c := range cs {
		if _, ok := cities[c.prefecture]; !ok {
			order = append(order, c.prefecture)
		}
		cities[c.prefecture] = c.prefectureName
		share[c.prefecture] += ps[i].gdpShare
	}
	if _, ok := share["620200"]; ok {
		share["620200"] += 0.012 // Jiayuguan has no counties of its own in the table
	}
	rows := [][]string{{"地区", "时期", "指标", "数值", "单位", "备注"}}
	cumulative := []float64{0.21, 0.46, 0.71, 1}
	for _, y := range []int{2023, 2024} {
		for _, code := range order {
			for q, part := range cumulative {
				v := prov.gdp[y] * share[code] * part * (1 + rng.NormFloat64()*0.01)
				rows = append(rows, []string{cities[code], fmt.Sprintf("%d年1-%d月", y, 3*(q+1)), "地区生产总值",
					strconv.FormatFloat(round(v, 1), 'f', 1, 64), "亿元", "演示数据（generated）"})
			}
		}
	}
	return writeCSV(path, rows, true)
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}
