package demogen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"time"

	"jinwei/warehouse/rules"
)

// campaignUnit is a city, county or department that reports monthly.
type campaignUnit struct {
	kind, code, name string
	// scale sizes its counts; vigor is how well it does relative to others.
	scale, vigor float64
}

var departments = []string{"省发展和改革委员会", "省财政厅", "省生态环境厅", "省自然资源厅", "省农业农村厅", "省商务厅", "省乡村振兴局", "省市场监督管理局"}

func campaignUnits(cs []county, rng *rand.Rand) []campaignUnit {
	var units []campaignUnit
	seen := map[string]bool{}
	for _, c := range cs {
		if !seen[c.prefecture] {
			seen[c.prefecture] = true
			units = append(units, campaignUnit{kind: "地区", code: c.prefecture, name: c.prefectureName, scale: 4, vigor: 1 + rng.NormFloat64()*0.15})
		}
	}
	for _, c := range cs {
		if c.counted {
			units = append(units, campaignUnit{kind: "地区", code: c.code, name: c.nameZh, scale: 1, vigor: 1 + rng.NormFloat64()*0.2})
		}
	}
	for i, d := range departments {
		units = append(units, campaignUnit{kind: "部门", code: fmt.Sprintf("D%02d", i+1), name: d, scale: 0.6, vigor: 1 + rng.NormFloat64()*0.15})
	}
	return units
}

// campaignMonths are the 24 reported months, from the campaign's first full month.
func campaignMonths() []time.Time {
	var out []time.Time
	for m := time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC); len(out) < 24; m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return out
}

// writeCampaignReports writes one GBK CSV per month: units down, metrics across, with a
// found and a rectified column for each of the seven problem categories.
func writeCampaignReports(dir string, units []campaignUnit, rng *rand.Rand) ([]string, error) {
	var paths []string
	months := campaignMonths()
	for k, rows := range campaignReports(units, rng) {
		path := filepath.Join(dir, fmt.Sprintf("三抓三促月报_%s.csv", months[k].Format("2006-01")))
		if err := writeCSV(path, rows, true); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

var campaignHeader = func() []string {
	h := []string{"单位类型", "单位代码", "单位名称", "月份", "集中学习研讨次数", "干部培训学时", "交办任务数", "按期办结任务数",
		"逾期未办结任务数", "四不两直督查次数"}
	for _, c := range rules.ProblemCategories {
		h = append(h, "发现问题（"+c+"）", "整改问题（"+c+"）")
	}
	return append(h, "六必访走访企业数", "营商环境投诉受理数", "营商环境投诉办结数", "一键报贫预警户数", "一键报贫帮扶户数", "备注")
}()

// campaignReports makes each month's rows, the header first. Problems and flagged
// households are a stock: a unit works on what is still open from earlier months as well
// as the month's own cases, and the more vigorous the more of its backlog it closes. (Each
// month closing a share of its own cases only, as earlier sets did, grew every backlog
// without end, and the scorecard's on-time rates, first in first out, fell to 0 for most
// cities: a figure that said nothing about them.)
func campaignReports(units []campaignUnit, rng *rand.Rand) [][][]string {
	problems := make([][]int, len(units)) // each unit's open problems by category
	flagged := make([]int, len(units))    // each unit's flagged households not yet assisted
	for i := range problems {
		problems[i] = make([]int, len(rules.ProblemCategories))
	}
	// work closes a share of the month's new cases and of the backlog, never more than is open.
	work := func(open *int, fresh int, share, backlog float64) int {
		done := min(*open+fresh, int(math.Round(float64(fresh)*share+float64(*open)*backlog)))
		*open += fresh - done
		return done
	}
	var out [][][]string
	for k, m := range campaignMonths() {
		rows := [][]string{campaignHeader}
		ramp := math.Min(1, 0.5+float64(k)/12) // the campaign gathers pace over its first year
		for i, u := range units {
			n := func(base float64) int {
				return max(0, int(math.Round(base*u.scale*ramp*math.Exp(rng.NormFloat64()*0.25))))
			}
			assigned := n(30)
			onTime := int(math.Round(float64(assigned) * math.Min(1, 0.78*u.vigor+rng.Float64()*0.1)))
			row := []string{u.kind, u.code, u.name, m.Format("2006年1月"), itoa(n(4)), itoa(n(12 * u.vigor)), itoa(assigned), itoa(onTime),
				itoa(max(0, assigned-onTime-n(2))), itoa(n(3 * u.vigor))}
			for c := range rules.ProblemCategories {
				found := n(6 / float64(c+1))
				fixed := work(&problems[i][c], found, 0.3+rng.Float64()*0.1, math.Min(1, 0.3*u.vigor))
				row = append(row, itoa(found), itoa(fixed))
			}
			received := n(5)
			flags := n(3)
			assisted := work(&flagged[i], flags, 0.5+rng.Float64()*0.1, math.Min(1, 0.45*u.vigor))
			row = append(row, itoa(n(15*u.vigor)), itoa(received), itoa(int(math.Round(float64(received)*math.Min(1, 0.85*u.vigor)))),
				itoa(flags), itoa(assisted), "演示数据（generated）")
			rows = append(rows, row)
		}
		out = append(out, rows)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
