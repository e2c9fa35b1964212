package etl

import (
	"cmp"
	"context"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
	"jinwei/warehouse/rules"
)

// JobCampaign loads the 三抓三促 campaign's monthly reports from cities, counties and
// departments.
const JobCampaign = warehouse.JobCampaign

// Positions of the campaign fields in a row, in the order of campaignFamily.fields.
const (
	cUnitKind = iota
	cUnitCode
	cUnit
	cMonth
	cMetric
	cCategory
	cValue
	cNote
)

var campaignFamily = &family{
	name: JobCampaign,
	fields: []fieldSpec{
		{name: "unit_kind", aliases: []string{"unit_kind", "单位类型"}},
		{name: "unit_code", required: true, orElse: []string{"unit"}, aliases: []string{"unit_code", "单位代码", "地区代码"}},
		{name: "unit", aliases: []string{"unit", "单位", "地区", "单位名称"}},
		{name: "month", required: true, aliases: []string{"month", "月份", "报送月份"}},
		{name: "metric", required: true, aliases: []string{"metric", "指标"}},
		{name: "category", aliases: []string{"category", "问题类别"}},
		{name: "value", required: true, aliases: []string{"value", "数值"}},
		{name: "note", aliases: []string{"note", "备注"}},
	},
	newSink: newCampaignSink,
}

type campaignSink struct {
	l       *Loader
	regions *regionMatcher
	metrics map[string]warehouse.CampaignMetric
	seen    map[string]int
	names   nameCache
	batch   *batch
}

func newCampaignSink(ctx context.Context, l *Loader, s *runState) (sink, error) {
	regions, err := l.regionMatcher(ctx)
	if err != nil {
		return nil, err
	}
	defs, err := l.wh.CampaignMetrics(ctx)
	if err != nil {
		return nil, err
	}
	c := &campaignSink{l: l, regions: regions, metrics: map[string]warehouse.CampaignMetric{}, seen: map[string]int{},
		batch: newBatch(s, warehouse.CampaignMetrics.Table, l.BatchRows)}
	for _, d := range defs {
		c.metrics[d.Code] = d
		c.metrics[normalName(d.NameZh)] = d
	}
	return c, nil
}

// campaignCell is a campaign row read and checked up to its value: whose, which month,
// which metric and category.
type campaignCell struct {
	kind, code, name string
	month            Period
	metric           warehouse.CampaignMetric
	category         int
}

// cell checks a row's unit, month, metric and category by the campaign's rules; the value
// is the caller's (a load checks it with rules.Value, a unit's own file with its form).
func (c *campaignSink) cell(r fieldRow) (campaignCell, *fieldProblem) {
	var cl campaignCell
	kind := strings.TrimSpace(r.v(cUnitKind))
	switch kind {
	case "", "region", "地区":
		kind = "region"
	case "department", "部门":
		kind = "department"
	default:
		return cl, problem(cUnitKind, "unit kind %q is not region (地区) or department (部门)", "单位类型 %q 不是地区或部门", kind)
	}
	code, name := strings.TrimSpace(r.v(cUnitCode)), strings.TrimSpace(r.v(cUnit))
	if kind == "region" {
		region, err := c.regions.match(code, name)
		if err != nil {
			return cl, problemOf(regionField(r, cUnitCode, cUnit), err)
		}
		code, name = region.Code, region.NameZh
	} else if name == "" {
		return cl, problem(cUnit, "a department needs its name", "部门须填名称")
	} else if code == "" {
		code = name
	}
	month, err := parsePeriod(r.v(cMonth))
	if err != nil || month.Kind != "month" {
		return cl, problem(cMonth, "month %q is not a month such as 2024-03 or 2024年3月", "月份 %q 不是 2024-03 或 2024年3月 这样的月份", r.v(cMonth))
	}
	if err := rules.Month(month.start(), c.l.now()); err != nil {
		return cl, problemOf(cMonth, err)
	}
	metricText, catText, _ := strings.Cut(strings.TrimSpace(r.v(cMetric)), ":")
	metric, ok := c.metrics[metricText]
	if !ok {
		metric, ok = c.metrics[c.names.get(metricText)]
	}
	if !ok {
		return cl, problem(cMetric, "unknown campaign metric %q", "未知的“三抓三促”指标 %q", metricText)
	}
	if catText == "" {
		catText = r.v(cCategory)
	}
	category, err := rules.Category(catText, metric.Code)
	if err != nil {
		return cl, problemOf(cCategory, err)
	}
	return campaignCell{kind: kind, code: code, name: name, month: month, metric: metric, category: category}, nil
}

func (c *campaignSink) add(r fieldRow) *fieldProblem {
	cl, p := c.cell(r)
	if p != nil {
		return p
	}
	kind, code, name, month, metric, category := cl.kind, cl.code, cl.name, cl.month, cl.metric, cl.category
	value, err := rules.Value(r.v(cValue), metric.NameZh, metric.Unit)
	if err == rules.ErrMissing {
		return noValue
	}
	if err != nil {
		return problemOf(cValue, err)
	}
	key := code + "|" + month.String() + "|" + metric.Code + "|" + strconv.Itoa(category)
	if first, dup := c.seen[key]; dup {
		return problem(cMetric, "duplicate: line %d already gives %s for %s in %s", "重复：第 %[1]d 行已给出%[3]s %[4]s 的%[2]s", first, reasons.Text{En: metric.Code, Zh: cmp.Or(metric.NameZh, metric.Code)}, name, month)
	}
	c.seen[key] = r.line
	b, cm := c.batch, &warehouse.CampaignMetrics.Columns
	cm.UnitKind.In(b.b).Append(kind)
	cm.UnitCode.In(b.b).Append(code)
	cm.UnitName.In(b.b).Append(name)
	cm.Month.In(b.b).Append(arrow.Date32FromTime(month.start()))
	cm.MetricCode.In(b.b).Append(metric.Code)
	cm.ProblemCategory.In(b.b).Append(uint8(category))
	cm.Value.In(b.b).Append(value)
	cm.Generated.In(b.b).Append(generatedFlag(r.v(cNote)))
	b.provenance(cm.Provenance, r, r.column(cValue, true))
	return b.rowDone()
}

func (c *campaignSink) abandon() { c.batch.abandon() }

func (c *campaignSink) flush() error { return c.batch.flush() }
