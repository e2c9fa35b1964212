package demogen

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"time"

	"jinwei/warehouse"
)

// ledgerItem is one made-up rectification item with the dates of its status changes.
type ledgerItem struct {
	id, source, category, title, unit string
	county                            county
	found, deadline                   time.Time
	// started, rectified and closed are when the item moved on; zero when it never did.
	started, rectified, closed time.Time
	note                       string
}

// Sources of generated items are neutral and say they are examples: a generated item
// never carries a real document's name or poses as its findings.
const (
	sourceSpecial    = "示例·专项排查"
	sourceInspection = "示例·督察反馈"
	sourceProvincial = "示例·省级检查"
	sourceRoutine    = "示例·日常监管"
)

var ledgerCategories = []string{"水环境污染", "大气污染", "矿山生态修复", "自然保护地违规", "固体废物", "河道违规建设", "草原生态破坏", "水土流失"}

var ledgerTitles = map[string][]string{
	"水环境污染":   {"污水处理厂出水超标", "工业园区废水直排", "入河排污口未规范整治", "黑臭水体未消除"},
	"大气污染":    {"工业企业无组织排放", "燃煤锅炉未完成改造", "扬尘管控不到位"},
	"矿山生态修复":  {"废弃矿山未修复", "采矿区生态破坏", "尾矿库环境隐患"},
	"自然保护地违规": {"保护区内违规建设", "核心区违规旅游开发", "保护区内违规采砂"},
	"固体废物":    {"工业固废违规堆存", "生活垃圾填埋场渗滤液外溢", "危险废物贮存不规范"},
	"河道违规建设":  {"黄河岸线违规占用", "河道内违规建设", "挤占河道行洪空间"},
	"草原生态破坏":  {"草原超载过牧", "违规开垦草原"},
	"水土流失":    {"生产建设项目水土流失", "坡耕地水土流失治理滞后"},
}

// ledgerSnapshots are the report dates of the ledger files: the end of each quarter.
func ledgerSnapshots() []time.Time {
	var out []time.Time
	for y := 2023; y <= 2024; y++ {
		for _, m := range []time.Month{3, 6, 9, 12} {
			out = append(out, time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC))
		}
	}
	return out
}

// makeLedger invents a few hundred items: 15 found by a special survey in mid 2022,
// inspection findings, and routine ones found over the two years. Most items move
// through 整改中 and 已整改 to 已销号; some miss their deadline.
func makeLedger(cs []county, rng *rand.Rand) []ledgerItem {
	var counted []county
	for _, c := range cs {
		if c.counted {
			counted = append(counted, c)
		}
	}
	var items []ledgerItem
	add := func(source string, found time.Time, months int) {
		cat := ledgerCategories[rng.IntN(len(ledgerCategories))]
		titles := ledgerTitles[cat]
		c := counted[rng.IntN(len(counted))]
		it := ledgerItem{
			id:       fmt.Sprintf("GS-EC-%04d", len(items)+1),
			source:   source,
			category: cat,
			title:    c.nameZh + titles[rng.IntN(len(titles))],
			unit:     c.nameZh + "人民政府",
			county:   c,
			found:    found,
			deadline: found.AddDate(0, months, 0),
			note:     "演示数据（generated）",
		}
		it.started = found.AddDate(0, 0, 10+rng.IntN(60))
		// One in six items runs late; one in ten late ones is still open at the end.
		lateBy := 0
		if rng.IntN(6) == 0 {
			lateBy = 30 + rng.IntN(240)
		}
		it.rectified = it.deadline.AddDate(0, 0, lateBy-rng.IntN(60))
		if it.rectified.Before(it.started) {
			it.rectified = it.started.AddDate(0, 1, 0)
		}
		if lateBy > 0 && rng.IntN(3) == 0 {
			it.rectified = time.Time{}
		} else {
			it.closed = it.rectified.AddDate(0, 1+rng.IntN(4), 0)
		}
		items = append(items, it)
	}
	for i := 0; i < 15; i++ {
		add(sourceSpecial, time.Date(2022, 7, 15+rng.IntN(10), 0, 0, 0, 0, time.UTC), 12+rng.IntN(12))
	}
	for i := 0; i < 60; i++ {
		add(sourceInspection, time.Date(2022, 11, 1+rng.IntN(25), 0, 0, 0, 0, time.UTC), 6+rng.IntN(18))
	}
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 225; i++ {
		source := sourceRoutine
		if i%3 == 0 {
			source = sourceProvincial
		}
		add(source, start.AddDate(0, 0, rng.IntN(700)), 3+rng.IntN(12))
	}
	return items
}

// status is the item's status and progress as of day d.
func (it ledgerItem) status(d time.Time) (string, int) {
	switch {
	case !it.closed.IsZero() && !d.Before(it.closed):
		return warehouse.StatusClosed, 100
	case !it.rectified.IsZero() && !d.Before(it.rectified):
		return warehouse.StatusRectified, 100
	case !d.Before(it.started):
		end := it.deadline
		if !it.rectified.IsZero() {
			end = it.rectified
		}
		span := end.Sub(it.started).Hours()
		done := 10 + 80*d.Sub(it.started).Hours()/max(span, 24)
		return warehouse.StatusInProgress, int(min(done, 95))
	}
	return warehouse.StatusNotStarted, 0
}

// writeLedgers writes one ledger workbook per report date, listing every item found by
// then with its status on that date, under a title and above a footnote.
func writeLedgers(dir string, items []ledgerItem) ([]string, error) {
	var paths []string
	for _, d := range ledgerSnapshots() {
		path := filepath.Join(dir, fmt.Sprintf("生态环境问题整改台账_%s.xlsx", d.Format("2006-01")))
		f, err := newWorkbook("台账")
		if err != nil {
			return nil, err
		}
		s := &sheetWriter{f: f, sheet: "台账"}
		err = s.put(fmt.Sprintf("甘肃省生态环境突出问题整改台账（截至%s）", d.Format("2006年1月2日")))
		if err == nil {
			err = s.merge(1, 1, 13, 1)
		}
		if err == nil {
			err = s.put("问题编号", "问题来源", "所在地区", "问题类别", "问题名称", "问题描述", "责任单位", "发现时间", "整改时限", "整改状态", "整改进度", "报送日期", "备注")
		}
		for _, it := range items {
			if err != nil || it.found.After(d) {
				continue
			}
			status, progress := it.status(d)
			err = s.put(it.id, it.source, it.county.nameZh, it.category, it.title, "演示用问题描述："+it.title, it.unit,
				it.found.Format("2006-01-02"), it.deadline.Format("2006-01-02"), status, fmt.Sprintf("%d%%", progress),
				d.Format("2006-01-02"), it.note)
		}
		if err == nil {
			err = s.put("注：本台账为演示用生成数据（generated），问题、地区与进度均由固定随机种子生成。")
		}
		if err == nil {
			err = f.SaveAs(path)
		}
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}
