package etl

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"jinwei/warehouse"
)

// JobEconomy loads indicator values for regions and periods.
const JobEconomy = "economy"

var economyFamily = &family{
	name: JobEconomy,
	fields: []fieldSpec{
		{name: "indicator", required: true, aliases: []string{"indicator", "indicator_code", "指标", "指标代码"}},
		{name: "value", required: true, aliases: []string{"value", "数值", "值"}},
		{name: "period", required: true, orElse: []string{"year"}, aliases: []string{"period", "时期", "时间", "期别"}},
		{name: "year", aliases: []string{"year", "年份", "年度"}},
		{name: "region_code", required: true, orElse: []string{"region"}, aliases: []string{"region_code", "code", "地区代码", "区划代码"}},
		{name: "region", aliases: []string{"region_name_zh", "region_name", "region", "地区", "地区名称"}},
		{name: "unit", aliases: []string{"unit", "单位"}},
	},
	newSink: newEconomySink,
}

var valuesSchema = arrow.NewSchema([]arrow.Field{
	{Name: "indicator_code", Type: arrow.BinaryTypes.String},
	{Name: "region_code", Type: arrow.BinaryTypes.String},
	{Name: "period_kind", Type: arrow.BinaryTypes.String},
	{Name: "year", Type: arrow.PrimitiveTypes.Uint16},
	{Name: "period_no", Type: arrow.PrimitiveTypes.Uint8},
	{Name: "value", Type: arrow.PrimitiveTypes.Float64},
	{Name: "source_unit", Type: arrow.BinaryTypes.String},
	{Name: "run_id", Type: arrow.BinaryTypes.String},
	{Name: "source_line", Type: arrow.PrimitiveTypes.Uint32},
	{Name: "loaded_at", Type: loadedAtType},
}, nil)

// LoadEconomy loads a long-format table of indicator values whose headers name the fields.
func (l *Loader) LoadEconomy(ctx context.Context, path string) (*Report, error) {
	return l.LoadFile(ctx, JobEconomy, path, nil)
}

type economySink struct {
	l          *Loader
	regions    *regionMatcher
	indicators map[string]warehouse.Indicator
	byName     map[string]warehouse.Indicator
	// seen maps indicator|region|period to the line that first gave it.
	seen  map[string]int
	batch *batch
}

func newEconomySink(ctx context.Context, l *Loader, s *runState) (sink, error) {
	regions, err := l.regionMatcher(ctx)
	if err != nil {
		return nil, err
	}
	indicators, err := l.wh.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	e := &economySink{l: l, regions: regions, indicators: map[string]warehouse.Indicator{}, byName: map[string]warehouse.Indicator{},
		seen: map[string]int{}, batch: newBatch(s, "indicator_values", valuesSchema, l.BatchRows)}
	for _, i := range indicators {
		e.indicators[i.Code] = i
		e.byName[i.NameZh] = i
	}
	return e, nil
}

func (e *economySink) indicator(s string) (warehouse.Indicator, bool) {
	if i, ok := e.indicators[s]; ok {
		return i, true
	}
	// A statistics table names indicators, often with the unit: 地区生产总值（亿元）.
	i, ok := e.byName[strings.TrimSpace(reUnit.ReplaceAllString(s, ""))]
	return i, ok
}

func (e *economySink) add(r fieldRow) *fieldProblem {
	f := r.fields
	ind, ok := e.indicator(f["indicator"])
	if !ok {
		return problem("indicator", "unknown indicator %q", f["indicator"])
	}
	region, err := e.regions.match(f["region_code"], f["region"])
	if err != nil {
		return problem(regionField(f), "%v", err)
	}
	periodText := f["period"]
	if periodText == "" {
		periodText = f["year"]
	}
	if periodText == "" {
		return problem("period", "no period")
	}
	period, err := parsePeriod(periodText)
	if err != nil {
		return problem("period", "%v", err)
	}
	if period.start().After(e.l.now()) {
		return problem("period", "period %s is in the future", period)
	}
	value, err := parseNumber(f["value"])
	if err == errMissing {
		return problem("value", "no value (%q): nothing to load", f["value"])
	}
	if err != nil {
		return problem("value", "%v", err)
	}
	value, err = convertUnit(value, f["unit"], ind.Unit)
	if err != nil {
		return problem("unit", "%v", err)
	}
	if value < 0 && isAmountUnit(ind.Unit) {
		return problem("value", "%s cannot be negative (%s %s)", ind.NameZh, f["value"], ind.Unit)
	}
	key := ind.Code + "|" + region.Code + "|" + period.String()
	if first, dup := e.seen[key]; dup {
		return problem("period", "duplicate: line %d already gives %s for %s in %s", first, ind.Code, region.NameZh, period)
	}
	e.seen[key] = r.line
	b := e.batch
	b.str(0, ind.Code)
	b.str(1, region.Code)
	b.str(2, period.Kind)
	b.f(3).(*array.Uint16Builder).Append(uint16(period.Year))
	b.f(4).(*array.Uint8Builder).Append(uint8(period.No))
	b.f(5).(*array.Float64Builder).Append(value)
	b.str(6, f["unit"])
	b.str(7, b.s.run.ID)
	b.f(8).(*array.Uint32Builder).Append(uint32(r.line))
	b.f(9).(*array.TimestampBuilder).Append(arrow.Timestamp(b.s.loadedAt.UnixMilli()))
	return b.rowDone()
}

func (e *economySink) flush() error { return e.batch.flush() }

// regionField names the field a region problem is reported under.
func regionField(f map[string]string) string {
	if f["region_code"] != "" {
		return "region_code"
	}
	return "region"
}

// isAmountUnit says whether values in the unit count something and so cannot be negative.
func isAmountUnit(unit string) bool {
	_, ok := unitScale[unit]
	return ok
}

// batch gathers rows of one table into an Arrow record and inserts it when full.
type batch struct {
	s     *runState
	table string
	b     *array.RecordBuilder
	n     int
	max   int
	err   error
	// secondary batches hold records that go with another batch's rows (a ledger item with
	// its status event) and do not count as rows loaded.
	secondary bool
}

func newBatch(s *runState, table string, schema *arrow.Schema, max int) *batch {
	return &batch{s: s, table: table, b: array.NewRecordBuilder(memory.DefaultAllocator, schema), max: max}
}

func (b *batch) f(i int) array.Builder { return b.b.Field(i) }

func (b *batch) str(i int, v string) { b.b.Field(i).(*array.StringBuilder).Append(v) }

// rowDone counts the appended row and inserts the batch when full; an insert failure is
// kept and returned by flush, as it fails the whole run.
func (b *batch) rowDone() *fieldProblem {
	b.n++
	if b.n >= b.max && b.err == nil {
		b.err = b.insert()
	}
	return nil
}

func (b *batch) insert() error {
	if b.n == 0 {
		return nil
	}
	b.n = 0
	rec := b.b.NewRecordBatch()
	if b.secondary {
		defer rec.Release()
		return b.s.wh.Insert(b.s.ctx, b.table, rec)
	}
	return b.s.insert(b.table, rec)
}

func (b *batch) flush() error {
	defer b.b.Release()
	if b.err != nil {
		return fmt.Errorf("insert into %s: %w", b.table, b.err)
	}
	return b.insert()
}
