package etl

import (
	"cmp"
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
	"jinwei/warehouse/rules"
)

// JobEconomy loads indicator values for regions and periods.
const JobEconomy = warehouse.JobEconomy

// Positions of the economy fields in a row, in the order of economyFamily.fields.
const (
	eIndicator = iota
	eValue
	ePeriod
	eYear
	eRegionCode
	eRegion
	eUnit
)

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

type economySink struct {
	l          *Loader
	regions    *regionMatcher
	indicators map[string]warehouse.Indicator
	byName     map[string]warehouse.Indicator
	periods    map[string]periodCheck
	// periodNos numbers the distinct periods for keys.
	periodNos map[Period]int
	keys      keySet
	// lastIndicator is the previous row's: a file's rows come in runs of one indicator.
	lastIndicator indicatorHit
	// regionsByCode and regionsByPair remember regions as rows write them (a code alone, or
	// a code and a name), with their numbers in the batch.
	regionsByCode map[string]*regionHit
	regionsByPair map[regionKey]*regionHit
	// lastPeriod is the previous row's: rows come in runs of one period too.
	lastPeriodText string
	lastPeriod     periodCheck
	// years … lines are the batch's builders of those columns.
	years   *array.Uint16Builder
	nos     *array.Uint8Builder
	values  *array.Float64Builder
	lines   *array.Uint32Builder
	cols    *array.Uint16Builder
	loadeds *array.TimestampBuilder
	// sheet and sheetNo are the previous row's sheet and its number: rows come in runs of one.
	sheet   string
	sheetNo int32
	// runNo and loadedAt are the same in every row.
	runNo    int32
	loadedAt arrow.Timestamp
	// seen, in a dry run, is the line and value that gave each key first (seenBefore), and
	// dryDups the lines that gave one again.
	seen    map[seenKey]seenValue
	dryDups []dryDup
	// coverage is the distinct indicator, period kind, year and province flag of the rows,
	// written to indicator_coverage with the run; a few hundred entries at most.
	coverage map[coverKey]bool
	// lastCover spares the map most rows: a file's rows run in order of indicator and period.
	lastCover coverKey
	// names caches the normal form of the names rows write.
	names nameCache
	// totals and subItems are the mapping's word on 合计 and 其中 rows.
	totals, subItems string
	// now is fixed for the run: a load takes seconds, and one clock reading serves all rows.
	now   time.Time
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
	e := &economySink{l: l, regions: regions, now: l.now(), batch: newBatch(s, warehouse.IndicatorValues.Table, l.BatchRows),
		indicators: map[string]warehouse.Indicator{}, byName: map[string]warehouse.Indicator{},
		periods: map[string]periodCheck{}, periodNos: map[Period]int{}, coverage: map[coverKey]bool{},
		regionsByCode: map[string]*regionHit{}, regionsByPair: map[regionKey]*regionHit{}}
	for _, i := range indicators {
		e.indicators[i.Code] = i
		e.byName[normalName(i.NameZh)] = i
	}
	if s.mapping != nil {
		e.totals, e.subItems = s.mapping.Totals, s.mapping.SubItems
	}
	iv := &warehouse.IndicatorValues.Columns
	e.runNo = e.batch.number(iv.RunID, s.run.ID)
	e.loadedAt = arrow.Timestamp(s.loadedAt.UnixMilli())
	b := e.batch.b
	e.years, e.nos, e.values = iv.Year.In(b), iv.PeriodNo.In(b), iv.Value.In(b)
	e.lines, e.cols, e.loadeds = iv.SourceLine.In(b), iv.SourceCol.In(b), iv.LoadedAt.In(b)
	e.sheetNo = e.batch.number(iv.SourceSheet, "")
	return e, nil
}

// indicatorHit is an indicator as a row names it, with its number in the batch.
type indicatorHit struct {
	text string
	ind  warehouse.Indicator
	no   int32
	ok   bool
}

type regionKey struct{ code, name string }

// regionHit is a region as rows write it, with its number in the batch.
type regionHit struct {
	region warehouse.Region
	no     int32
}

// maxRegionHits bounds the regions remembered as written; a file writes a few thousand.
const maxRegionHits = 100_000

// leftOut says whether a row whose region did not match is a total (合计) or sub-item
// (其中：…, or an indented name that is no region, such as 城镇 under a province) that the
// mapping leaves out: such rows are part of the table, not wrong.
func (e *economySink) leftOut(r fieldRow) bool {
	if r.v(eRegionCode) != "" {
		return false
	}
	role, _ := rowNameRole(e.names.get(r.v(eRegion)))
	switch role {
	case roleTotal:
		return e.totals == "" || e.totals == "skip"
	case roleSubItem:
		return e.subItems != "load"
	}
	return e.subItems != "load" && r.lay != nil && r.lay.keyCols[eRegion] >= 0 && indented(rawField(r.cells, r.lay.keyCols[eRegion]))
}

// rawField is a cell as the file holds it, spaces and all.
func rawField(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return cells[i]
}

// region matches a row's region code and name, remembering what it found.
func (e *economySink) region(code, name string) (*regionHit, error) {
	if hit := e.regionsByCode[code]; hit != nil && name == "" {
		return hit, nil
	}
	if hit := e.regionsByPair[regionKey{code, name}]; hit != nil && name != "" {
		return hit, nil
	}
	region, err := e.matchRegion(code, name)
	if err != nil {
		return nil, err
	}
	hit := &regionHit{region: region, no: e.batch.number(warehouse.IndicatorValues.Columns.RegionCode, region.Code)}
	// Cloned: the row's text shares a block with others, which the maps must not keep.
	switch {
	case len(e.regionsByCode)+len(e.regionsByPair) >= maxRegionHits:
	case name == "":
		e.regionsByCode[strings.Clone(code)] = hit
	default:
		e.regionsByPair[regionKey{strings.Clone(code), strings.Clone(name)}] = hit
	}
	return hit, nil
}

// matchRegion matches a region, reading a total row as the region the mapping names for
// totals and a 其中 row by its own name when the mapping loads sub-items.
func (e *economySink) matchRegion(code, name string) (warehouse.Region, error) {
	if code == "" && name != "" {
		switch role, rest := rowNameRole(e.names.get(name)); {
		case role == roleTotal && e.totals != "" && e.totals != "skip":
			return e.regions.match(e.totals, "")
		case role == roleSubItem:
			if e.subItems != "load" {
				return warehouse.Region{}, reasons.New("%q is a sub-item row", "%q 是“其中”分项行", name)
			}
			name = rest
		}
	}
	return e.regions.match(code, name)
}

// indicator finds an indicator by code or by name as a file writes it (see indicatorByName).
func (e *economySink) indicator(s string) (warehouse.Indicator, bool) {
	if i, ok := e.indicators[s]; ok {
		return i, true
	}
	n := e.names.get(s)
	if i, ok := e.indicators[n]; ok {
		return i, true
	}
	return indicatorByName(e.byName, n)
}

// indicatorByName finds an indicator by its normalised name as a table writes it: as is,
// under 其中：, or with its unit (地区生产总值（亿元）). A name in brackets that is not a
// unit stays part of the name: 地区生产总值（修订前） is an indicator of its own.
func indicatorByName(byName map[string]warehouse.Indicator, n string) (warehouse.Indicator, bool) {
	if i, ok := byName[n]; ok {
		return i, true
	}
	if _, rest := rowNameRole(n); rest != n {
		if i, ok := byName[rest]; ok {
			return i, true
		}
		n = rest
	}
	if u := headerUnit(n); u != "" {
		i, ok := byName[strings.TrimSpace(reUnit.ReplaceAllStringFunc(n, func(m string) string {
			if strings.Contains(m, u) {
				return ""
			}
			return m
		}))]
		return i, ok
	}
	return warehouse.Indicator{}, false
}

func (e *economySink) add(r fieldRow) *fieldProblem {
	value, err := parseNumber(r.v(eValue))
	// A growth rate is often written with its sign, "5.2%": the number, where the indicator
	// is counted in percent (checked below, once the indicator is known).
	percent := false
	if err != nil && err != errMissing {
		if num, ok := rules.CutPercent(r.v(eValue)); ok {
			if v, perr := parseNumber(num); perr == nil {
				value, err, percent = v, nil, true
			}
		}
	}
	if err == errMissing {
		return noValue
	}
	if err != nil {
		return problemOf(eValue, err)
	}
	if text := r.v(eIndicator); !e.lastIndicator.ok || text != e.lastIndicator.text {
		ind, ok := e.indicator(text)
		if !ok {
			return problem(eIndicator, "unknown indicator %q", "未知的指标 %q", text)
		}
		e.lastIndicator = indicatorHit{text: text, ind: ind, no: e.batch.number(warehouse.IndicatorValues.Columns.IndicatorCode, ind.Code), ok: true}
	}
	ind := &e.lastIndicator.ind
	if percent && ind.Unit != "%" {
		return problem(eValue, "%s is a percentage, but %s is counted in %s", "%s 是百分数，而%s以%s计", r.v(eValue), reasons.Text{En: ind.Code, Zh: ind.NameZh}, ind.Unit)
	}
	rh, err := e.region(r.v(eRegionCode), r.v(eRegion))
	if err != nil {
		if e.leftOut(r) {
			return skipped
		}
		return problemOf(regionField(r, eRegionCode, eRegion), err)
	}
	periodText := r.v(ePeriod)
	if periodText == "" {
		periodText = r.v(eYear)
	}
	if periodText == "" {
		return problem(ePeriod, "no period", "缺少时期")
	}
	pc := e.period(periodText)
	if pc.why.En != "" {
		return &fieldProblem{field: ePeriod, why: pc.why}
	}
	period := pc.p
	unit := r.v(eUnit)
	converted, err := convertUnit(value, unit, ind.Unit)
	if err != nil {
		return problemOf(eUnit, err)
	}
	if err := rules.CheckStatistic(converted); err != nil {
		return problem(eValue, "%s %s is %s %s in the indicator's unit: %w", "%s%s 即 %s%s（指标的单位）：%w", r.v(eValue), unit, strconv.FormatFloat(converted, 'g', 6, 64), ind.Unit, err)
	}
	value = converted
	if value < 0 && isAmountUnit(ind.Unit) {
		return problem(eValue, "%s cannot be negative (%s %s)", "%s不能为负数（%s %s）", ind.NameZh, r.v(eValue), ind.Unit)
	}
	if k := (coverKey{ind.Code, period.Kind, period.Year, rh.region.Level == "province"}); k != e.lastCover {
		e.coverage[k], e.lastCover = true, k
	}
	b := e.batch
	repeated := false
	if b.s.dry {
		if first, ok := e.seenBefore(seenKey{e.lastIndicator.no, rh.no, pc.no}, seenValue{r.line, value}); ok {
			e.dryDups = append(e.dryDups, dryDup{line: r.line, location: cellLocation(r.sheet, r.column(eValue, true), r.line),
				why: e.duplicate(first, value, ind.Code, rh.region.Code, period)})
			repeated = true
		}
	}
	// A value refused as a repeat is no row the load would write.
	if b.s.dry && !repeated && len(b.s.preview) < previewRows {
		b.s.preview = append(b.s.preview, PreviewRow{Line: r.line, Indicator: ind.Code, Region: rh.region.Code, RegionZh: rh.region.NameZh,
			Period: period, Value: value, Unit: ind.Unit})
	}
	iv := &warehouse.IndicatorValues.Columns
	b.appendNumber(iv.IndicatorCode, e.lastIndicator.no)
	b.appendNumber(iv.RegionCode, rh.no)
	if !b.s.dry { // a dry run finds duplicates itself (seenBefore)
		e.keys.add(e.lastIndicator.no, rh.no, pc.no)
	}
	b.code(iv.PeriodKind, period.Kind)
	e.years.Append(uint16(period.Year))
	e.nos.Append(uint8(period.No))
	e.values.Append(value)
	b.code(iv.SourceUnit, unit)
	b.appendNumber(iv.RunID, e.runNo)
	e.lines.Append(uint32(r.line))
	if r.sheet != e.sheet {
		e.sheet, e.sheetNo = r.sheet, b.number(iv.SourceSheet, r.sheet)
	}
	b.appendNumber(iv.SourceSheet, e.sheetNo)
	e.cols.Append(r.column(eValue, true))
	e.loadeds.Append(e.loadedAt)
	return b.rowDone()
}

// flush inserts the last batch, then finds values the file gives twice: in the engine,
// over what this run inserted, so memory stays flat however long the file. The later
// lines of each duplicate are rejected and deleted before the run commits.
func (e *economySink) abandon() { e.batch.abandon() }

func (e *economySink) flush() error {
	if err := e.batch.flush(); err != nil {
		return err
	}
	s := e.batch.s
	if s.dry {
		// Refused at the end, as the load refuses them once it has inserted the file: found
		// while reading, they counted in the share that stops a file early, and the preview
		// refused files the load took.
		for _, d := range e.dryDups {
			s.rejectDuplicate(d.line, d.location, d.why)
			s.run.RowsLoaded--
		}
		return nil
	}
	if err := e.insertCoverage(s); err != nil {
		return err
	}
	if e.keys.distinct() {
		return nil
	}
	dups, err := s.wh.RunDuplicates(s.ctx, s.run.ID)
	if err != nil {
		return err
	}
	if len(dups) == 0 {
		return nil
	}
	for _, d := range dups {
		period := Period{Kind: d.PeriodKind, Year: d.Year, No: d.PeriodNo}
		first := seenValue{d.Lines[0], d.Values[0]}
		for k, line := range d.Lines[1:] {
			v := d.Values[k+1]
			s.rejectDuplicate(line, cellLocation(d.Sheets[k+1], uint16(d.Cols[k+1]), line), e.duplicate(first, v, d.Indicator, d.Region, period))
		}
	}
	removed, err := s.wh.DeleteRunDuplicates(s.ctx, s.run.ID, dups)
	s.run.RowsLoaded -= removed
	return err
}

// duplicate is the reason of a value given again for a key a line gave first, saying
// whether the two agree: copies that differ are a question for the sender, as only the
// first is kept. Values are compared in the indicator's unit, to 12 significant digits:
// "1024.36 万元" and "0.102436 亿元" are one amount, apart by a rounding of the conversion.
func (e *economySink) duplicate(first seenValue, value float64, indicator, region string, period Period) reasons.Text {
	name := reasons.Text{En: indicator, Zh: cmp.Or(e.indicators[indicator].NameZh, indicator)}
	r := e.regions.byCode[region]
	where := reasons.New("duplicate: line %d already gives %s for %s (%s) in %s", "重复：第 %[1]d 行已给出%[3]s（%[4]s）%[5]s的%[2]s",
		first.line, name, reasons.Text{En: cmp.Or(r.NameEn, r.NameZh), Zh: r.NameZh}, region, period.Text()).Text
	if math.Abs(value-first.value) <= 1e-12*max(math.Abs(value), math.Abs(first.value)) {
		return reasons.Text{En: where.En + ", the same value", Zh: where.Zh + "，数值相同"}
	}
	unit := e.indicators[indicator].Unit
	amount := func(v float64) reasons.Text {
		// To 15 significant digits, as the conversion leaves 0.10243599999999999 of 0.102436;
		// adding 0 makes -0 a 0.
		n := strconv.FormatFloat(v+0, 'g', 15, 64)
		return reasons.Text{En: strings.TrimSpace(n + " " + unit), Zh: n + unit}
	}
	differs := reasons.New(", as %s (this line %s); the first is kept", "，为%s（本行为%s），保留先出现的值", amount(first.value), amount(value)).Text
	return reasons.Text{En: where.En + differs.En, Zh: where.Zh + differs.Zh}
}

// dryDup is a line a dry run found giving a value again, with its cell in a workbook and
// the reason.
type dryDup struct {
	line     int
	location string
	why      reasons.Text
}

// seenValue is the line that gave a key first, and its value.
type seenValue struct {
	line  int
	value float64
}

// seenKey is a value's key as a dry run remembers it.
type seenKey struct {
	indicator, region int32
	period            int
}

// maxSeenKeys bounds the keys a dry run remembers to find duplicates (80 MB measured, with
// their first lines and values); past it the preview stops looking and says from which
// line (Report.UncheckedFrom), and the load still finds them. A variable for the test.
var maxSeenKeys = 1 << 20

// seenBefore is, in a dry run, the line and value that gave this key already (ok false for
// none): the load finds duplicates in the engine after inserting, which a dry run never
// does, and its preview offered to load a file the load then refused for them.
func (e *economySink) seenBefore(k seenKey, this seenValue) (seenValue, bool) {
	if k.period < 0 {
		return seenValue{}, false
	}
	if first, ok := e.seen[k]; ok {
		return first, true
	}
	switch s := e.batch.s; {
	case len(e.seen) < maxSeenKeys:
		if e.seen == nil {
			e.seen = map[seenKey]seenValue{}
		}
		e.seen[k] = this
	case s.uncheckedFrom == 0:
		s.uncheckedFrom = this.line
	}
	return seenValue{}, false
}

type coverKey struct {
	indicator, kind string
	year            int
	province        bool
}

func (e *economySink) insertCoverage(s *runState) error {
	t := &warehouse.IndicatorCoverage
	b := array.NewRecordBuilder(memory.DefaultAllocator, t.Schema)
	defer b.Release()
	for k := range e.coverage {
		t.Columns.IndicatorCode.In(b).Append(k.indicator)
		t.Columns.PeriodKind.In(b).Append(k.kind)
		t.Columns.Year.In(b).Append(uint16(k.year))
		var p uint8
		if k.province {
			p = 1
		}
		t.Columns.Province.In(b).Append(p)
		t.Columns.RunID.In(b).Append(s.run.ID)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	return s.wh.Insert(s.ctx, warehouse.IndicatorCoverage.Name, rec)
}

// periodCheck is a period as read, or why it cannot be loaded.
type periodCheck struct {
	p   Period
	why reasons.Text
	// no numbers the period among the file's, for keys; -1 when it is not remembered.
	no int
}

// maxPeriodTexts bounds the periods remembered; a file holds a few hundred.
const maxPeriodTexts = 100_000

// period reads a period and checks it has begun, remembering the few distinct ones a file
// holds: most rows repeat one.
func (e *economySink) period(text string) periodCheck {
	if text == e.lastPeriodText && e.lastPeriodText != "" {
		return e.lastPeriod
	}
	c, ok := e.periods[text]
	if ok {
		e.lastPeriodText, e.lastPeriod = text, c
		return c
	}
	c = periodCheck{no: -1}
	p, err := parsePeriod(text)
	switch {
	case err != nil:
		c.why = reasons.Of(err)
	case p.start().After(e.now):
		c.why = reasons.New("period %s is in the future", "时期 %s 晚于今天", p).Text
	default:
		c.p = p
	}
	if len(e.periods) < maxPeriodTexts {
		if c.why.En == "" {
			no, ok := e.periodNos[p]
			if !ok {
				no = len(e.periodNos)
				e.periodNos[p] = no
			}
			c.no = no
		}
		e.periods[strings.Clone(text)] = c // not the row's text, which shares a block with others
	}
	return c
}

// regionField is the field a region problem is reported under: the code when given.
func regionField(r fieldRow, code, name int) int {
	if r.v(code) != "" {
		return code
	}
	return name
}

// isAmountUnit says whether values in the unit count something and so cannot be negative.
func isAmountUnit(unit string) bool {
	_, ok := unitScale[unit]
	return ok
}
