package etl

import (
	"context"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
	"jinwei/warehouse/rules"
)

// JobEcology loads the ecological rectification ledger: each row is an item as of a report
// date, adding the item (or its newer description) and a status event.
const JobEcology = warehouse.JobEcology

// Positions of the ecology fields in a row, in the order of ecologyFamily.fields.
const (
	gItemId = iota
	gSource
	gRegionCode
	gRegion
	gCategory
	gTitle
	gDescription
	gResponsibleUnit
	gFoundDate
	gDeadline
	gStatus
	gProgress
	gStatusDate
	gNote
)

var ecologyFamily = &family{
	name: JobEcology,
	fields: []fieldSpec{
		{name: "item_id", required: true, aliases: []string{"item_id", "问题编号", "编号"}},
		{name: "source", aliases: []string{"source", "问题来源", "来源"}},
		{name: "region_code", required: true, orElse: []string{"region"}, aliases: []string{"region_code", "地区代码"}},
		{name: "region", aliases: []string{"region", "所在地区", "地区", "市州", "县区"}},
		{name: "category", aliases: []string{"category", "问题类别", "类别"}},
		{name: "title", required: true, aliases: []string{"title", "问题名称", "问题"}},
		{name: "description", aliases: []string{"description", "问题描述", "具体问题"}},
		{name: "responsible_unit", aliases: []string{"responsible_unit", "责任单位"}},
		{name: "found_date", required: true, aliases: []string{"found_date", "发现时间", "交办时间"}},
		{name: "deadline", required: true, aliases: []string{"deadline", "整改时限", "完成时限"}},
		{name: "status", required: true, aliases: []string{"status", "整改状态", "状态"}},
		{name: "progress", aliases: []string{"progress", "整改进度", "进度"}},
		{name: "status_date", required: true, aliases: []string{"status_date", "报送日期", "状态日期"}},
		{name: "note", aliases: []string{"note", "备注"}},
	},
	newSink: newEcologySink,
}

// ecologyStatuses maps what ledgers write to the statuses of warehouse.LedgerStatuses.
var ecologyStatuses = map[string]string{
	"未整改": warehouse.StatusNotStarted, "未开始": warehouse.StatusNotStarted, "待整改": warehouse.StatusNotStarted,
	"整改中": warehouse.StatusInProgress, "正在整改": warehouse.StatusInProgress, "推进中": warehouse.StatusInProgress,
	"已整改": warehouse.StatusRectified, "完成整改": warehouse.StatusRectified, "已完成": warehouse.StatusRectified,
	"申请销号": warehouse.StatusClosureRequested, "待销号": warehouse.StatusClosureRequested,
	"退回": warehouse.StatusReturned, "退回整改": warehouse.StatusReturned,
	"已销号": warehouse.StatusClosed, "销号": warehouse.StatusClosed,
}

type ecologySink struct {
	l       *Loader
	regions *regionMatcher
	// closed are the items a verifier closed on the dashboard: a row may not reopen them.
	closed map[string]warehouse.LoopClosure
	seen   map[string]int
	items  *batch
	events *batch
}

func newEcologySink(ctx context.Context, l *Loader, s *runState) (sink, error) {
	regions, err := l.regionMatcher(ctx)
	if err != nil {
		return nil, err
	}
	closed, err := l.wh.LoopClosures(ctx)
	if err != nil {
		return nil, err
	}
	items := newBatch(s, warehouse.EcologyItems.Table, l.BatchRows)
	items.secondary = true
	return &ecologySink{l: l, regions: regions, closed: closed, seen: map[string]int{}, items: items,
		events: newBatch(s, warehouse.EcologyStatusEvents.Table, l.BatchRows)}, nil
}

func (e *ecologySink) add(r fieldRow) *fieldProblem {
	id := strings.TrimSpace(r.v(gItemId))
	if id == "" {
		return problem(gItemId, "no item id", "缺少问题编号")
	}
	if first, dup := e.seen[id]; dup {
		return problem(gItemId, "duplicate: line %d already reports item %s", "重复：第 %d 行已报送问题 %s", first, id)
	}
	region, err := e.regions.match(r.v(gRegionCode), r.v(gRegion))
	if err != nil {
		return problemOf(regionField(r, gRegionCode, gRegion), err)
	}
	if strings.TrimSpace(r.v(gTitle)) == "" {
		return problem(gTitle, "no title", "缺少问题名称")
	}
	found, err := parseDate(r.v(gFoundDate))
	if err != nil {
		return problem(gFoundDate, "found date: %v", "发现时间：%v", err)
	}
	deadline, err := parseDate(r.v(gDeadline))
	if err != nil {
		return problem(gDeadline, "deadline: %v", "整改时限：%v", err)
	}
	if deadline.Before(found) {
		return problem(gDeadline, "deadline %s is before the item was found (%s)", "整改时限 %s 早于发现时间（%s）", day(deadline), day(found))
	}
	statusDate, err := parseDate(r.v(gStatusDate))
	if err != nil {
		return problem(gStatusDate, "report date: %v", "报送日期：%v", err)
	}
	if statusDate.After(e.l.now()) {
		return problem(gStatusDate, "report date %s is in the future", "报送日期 %s 晚于今天", day(statusDate))
	}
	if statusDate.Before(found) {
		return problem(gStatusDate, "report date %s is before the item was found (%s)", "报送日期 %s 早于发现时间（%s）", day(statusDate), day(found))
	}
	status, ok := ecologyStatuses[strings.TrimSpace(r.v(gStatus))]
	if !ok && strings.TrimSpace(r.v(gStatus)) == "" {
		return problem(gStatus, "no status", "缺少整改状态")
	}
	if !ok {
		return problem(gStatus, "status %q is not one of %s", "状态 %q 不是以下之一：%s", r.v(gStatus), reasons.List(warehouse.LedgerStatuses))
	}
	if c, ok := e.closed[id]; ok && status != warehouse.StatusClosed && !statusDate.Before(c.On) {
		return problem(gStatus, "conflict: item %s was closed (%s) by verifier %s on %s and the file says %s on %s; "+
			"an admin decides: reopen it on the item's page, or leave it closed",
			"冲突：问题 %[1]s 已由核查员 %[3]s 于 %[4]s 核定为“%[2]s”，文件却写其 %[6]s 的状态为“%[5]s”；请管理员决定：在问题页上重新打开，或保持销号", id, warehouse.StatusClosed, c.By, day(c.On), status, day(statusDate))
	}
	progress, p := ecologyProgress(r.v(gProgress), status)
	if p != nil {
		return p
	}
	e.seen[strings.Clone(id)] = r.line // not the row's text, which shares a block with others
	it, ev := e.items, e.events
	ic, ec := &warehouse.EcologyItems.Columns, &warehouse.EcologyStatusEvents.Columns
	ic.ItemID.In(it.b).Append(id)
	ic.Source.In(it.b).Append(r.v(gSource))
	ic.RegionCode.In(it.b).Append(region.Code)
	ic.Category.In(it.b).Append(r.v(gCategory))
	ic.Title.In(it.b).Append(r.v(gTitle))
	ic.Description.In(it.b).Append(r.v(gDescription))
	ic.ResponsibleUnit.In(it.b).Append(r.v(gResponsibleUnit))
	ic.FoundDate.In(it.b).Append(arrow.Date32FromTime(found))
	ic.Deadline.In(it.b).Append(arrow.Date32FromTime(deadline))
	ic.Generated.In(it.b).Append(generatedFlag(r.v(gNote)))
	it.provenance(ic.Provenance, r, r.column(gItemId, false))
	ec.ItemID.In(ev.b).Append(id)
	ec.Status.In(ev.b).Append(status)
	ec.ProgressPct.In(ev.b).Append(float32(progress))
	ec.EventDate.In(ev.b).Append(arrow.Date32FromTime(statusDate))
	ec.Note.In(ev.b).Append(r.v(gNote))
	ev.provenance(ec.Provenance, r, r.column(gStatus, false))
	it.rowDone()
	return ev.rowDone()
}

// ecologyProgress reads a progress percentage; a closed item is 100 % done.
func ecologyProgress(text, status string) (float64, *fieldProblem) {
	text, _ = rules.CutPercent(text)
	closed := status == warehouse.StatusRectified || status == warehouse.StatusClosureRequested || status == warehouse.StatusClosed
	if text == "" {
		if closed {
			return 100, nil
		}
		return 0, nil
	}
	v, err := parseNumber(text)
	if err != nil {
		return 0, problem(gProgress, "progress %q is not a percentage", "进度 %q 不是百分数", text)
	}
	if v < 0 || v > 100 {
		return 0, problem(gProgress, "progress %v%% is not between 0 and 100", "进度 %v%% 不在 0 到 100 之间", v)
	}
	if closed && v < 100 {
		return 0, problem(gProgress, "status %s but progress %v%%", "状态为 %s，进度却是 %v%%", status, v)
	}
	return v, nil
}

// generatedFlag marks rows that the demo generator made up, which say so in their note.
func generatedFlag(note string) uint8 {
	if strings.Contains(note, "演示数据") || strings.Contains(note, "generated") {
		return 1
	}
	return 0
}

func (e *ecologySink) abandon() {
	e.items.abandon()
	e.events.abandon()
}

func (e *ecologySink) flush() error {
	if err := e.items.flush(); err != nil {
		e.events.abandon() // its inserter would wait forever for the rest
		return err
	}
	return e.events.flush()
}

func day(t time.Time) string { return t.Format("2006-01-02") }
