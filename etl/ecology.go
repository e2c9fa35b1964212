package etl

import (
	"context"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"jinwei/warehouse"
)

// JobEcology loads the ecological rectification ledger: each row is an item as of a report
// date, adding the item (or its newer description) and a status event.
const JobEcology = "ecology"

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

// ecologyStatuses maps what ledgers write to the four statuses, in the order an item moves.
var ecologyStatuses = map[string]string{
	"未整改": "未整改", "未开始": "未整改", "待整改": "未整改",
	"整改中": "整改中", "正在整改": "整改中", "推进中": "整改中",
	"已整改": "已整改", "完成整改": "已整改", "已完成": "已整改",
	"已销号": "已销号", "销号": "已销号",
}

type ecologySink struct {
	l       *Loader
	regions *regionMatcher
	seen    map[string]int
	items   *batch
	events  *batch
}

func newEcologySink(ctx context.Context, l *Loader, s *runState) (sink, error) {
	regions, err := l.regionMatcher(ctx)
	if err != nil {
		return nil, err
	}
	items := newBatch(s, warehouse.EcologyItems, l.BatchRows)
	items.secondary = true
	return &ecologySink{l: l, regions: regions, seen: map[string]int{}, items: items,
		events: newBatch(s, warehouse.EcologyStatusEvents, l.BatchRows)}, nil
}

func (e *ecologySink) add(r fieldRow) *fieldProblem {
	id := strings.TrimSpace(r.v(gItemId))
	if id == "" {
		return problem(gItemId, "no item id")
	}
	if first, dup := e.seen[id]; dup {
		return problem(gItemId, "duplicate: line %d already reports item %s", first, id)
	}
	region, err := e.regions.match(r.v(gRegionCode), r.v(gRegion))
	if err != nil {
		return problem(regionField(r, gRegionCode, gRegion), "%v", err)
	}
	if strings.TrimSpace(r.v(gTitle)) == "" {
		return problem(gTitle, "no title")
	}
	found, err := parseDate(r.v(gFoundDate))
	if err != nil {
		return problem(gFoundDate, "found date: %v", err)
	}
	deadline, err := parseDate(r.v(gDeadline))
	if err != nil {
		return problem(gDeadline, "deadline: %v", err)
	}
	if deadline.Before(found) {
		return problem(gDeadline, "deadline %s is before the item was found (%s)", day(deadline), day(found))
	}
	statusDate, err := parseDate(r.v(gStatusDate))
	if err != nil {
		return problem(gStatusDate, "report date: %v", err)
	}
	if statusDate.After(e.l.now()) {
		return problem(gStatusDate, "report date %s is in the future", day(statusDate))
	}
	if statusDate.Before(found) {
		return problem(gStatusDate, "report date %s is before the item was found (%s)", day(statusDate), day(found))
	}
	status, ok := ecologyStatuses[strings.TrimSpace(r.v(gStatus))]
	if !ok {
		return problem(gStatus, "status %q is not 未整改, 整改中, 已整改 or 已销号", r.v(gStatus))
	}
	progress, p := ecologyProgress(r.v(gProgress), status)
	if p != nil {
		return p
	}
	e.seen[strings.Clone(id)] = r.line // not the row's text, which shares a block with others
	it, ev := e.items, e.events
	it.str(0, id)
	it.str(1, r.v(gSource))
	it.str(2, region.Code)
	it.str(3, r.v(gCategory))
	it.str(4, r.v(gTitle))
	it.str(5, r.v(gDescription))
	it.str(6, r.v(gResponsibleUnit))
	it.f(7).(*array.Date32Builder).Append(arrow.Date32FromTime(found))
	it.f(8).(*array.Date32Builder).Append(arrow.Date32FromTime(deadline))
	it.f(9).(*array.Uint8Builder).Append(generatedFlag(r.v(gNote)))
	it.str(10, it.s.run.ID)
	it.f(11).(*array.Uint32Builder).Append(uint32(r.line))
	it.str(12, r.sheet)
	it.f(13).(*array.Uint16Builder).Append(r.column(gItemId, false))
	it.f(14).(*array.TimestampBuilder).Append(arrow.Timestamp(it.s.loadedAt.UnixMilli()))
	ev.str(0, id)
	ev.str(1, status)
	ev.f(2).(*array.Float32Builder).Append(float32(progress))
	ev.f(3).(*array.Date32Builder).Append(arrow.Date32FromTime(statusDate))
	ev.str(4, r.v(gNote))
	ev.str(5, ev.s.run.ID)
	ev.f(6).(*array.Uint32Builder).Append(uint32(r.line))
	ev.str(7, r.sheet)
	ev.f(8).(*array.Uint16Builder).Append(r.column(gStatus, false))
	ev.f(9).(*array.TimestampBuilder).Append(arrow.Timestamp(ev.s.loadedAt.UnixMilli()))
	it.rowDone()
	return ev.rowDone()
}

// ecologyProgress reads a progress percentage; a closed item is 100 % done.
func ecologyProgress(text, status string) (float64, *fieldProblem) {
	text = strings.TrimSuffix(strings.TrimSpace(toHalfWidth(text)), "%")
	closed := status == "已整改" || status == "已销号"
	if text == "" {
		if closed {
			return 100, nil
		}
		return 0, nil
	}
	v, err := parseNumber(text)
	if err != nil {
		return 0, problem(gProgress, "progress %q is not a percentage", text)
	}
	if v < 0 || v > 100 {
		return 0, problem(gProgress, "progress %v%% is not between 0 and 100", v)
	}
	if closed && v < 100 {
		return 0, problem(gProgress, "status %s but progress %v%%", status, v)
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
