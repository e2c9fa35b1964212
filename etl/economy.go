package etl

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"jinwei/warehouse"
)

// JobEconomy loads indicator values for regions and periods.
const JobEconomy = "economy"

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

// economyColumns are the header names the long format accepts for each field.
var economyColumns = struct{ indicator, value, year, period, code, name, unit []string }{
	indicator: []string{"indicator", "indicator_code", "指标", "指标代码"},
	value:     []string{"value", "数值", "值"},
	year:      []string{"year", "年份", "年度"},
	period:    []string{"period", "时期", "时间", "期别"},
	code:      []string{"region_code", "code", "地区代码", "区划代码"},
	name:      []string{"region_name_zh", "region_name", "region", "地区", "地区名称"},
	unit:      []string{"unit", "单位"},
}

// LoadEconomy loads a long-format CSV of indicator values: one row per region, indicator
// and period, with the columns named in economyColumns.
func (l *Loader) LoadEconomy(ctx context.Context, path string) (*Report, error) {
	regions, err := l.wh.Regions(ctx)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	indicators, err := l.wh.Indicators(ctx)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	v := &economyValidator{regions: newRegionMatcher(regions), indicators: map[string]warehouse.Indicator{}, seen: map[string]int{}}
	for _, i := range indicators {
		v.indicators[i.Code] = i
	}
	return l.runFile(ctx, JobEconomy, path, "", func(s *runState, f io.Reader) error {
		return l.readEconomyCSV(s, f, v)
	})
}

type economyValidator struct {
	regions    *regionMatcher
	indicators map[string]warehouse.Indicator
	// seen maps indicator|region|period to the line that first gave it.
	seen map[string]int
}

type economyRow struct {
	indicator, region, unit string
	period                  Period
	value                   float64
}

func (l *Loader) readEconomyCSV(s *runState, f io.Reader, v *economyValidator) error {
	t, err := openCSV(f)
	if err != nil {
		return err
	}
	c := economyColumns
	col := economyCols{
		t.column(c.indicator...), t.column(c.value...), t.column(c.year...), t.column(c.period...),
		t.column(c.code...), t.column(c.name...), t.column(c.unit...),
	}
	var missing []string
	if col.indicator < 0 {
		missing = append(missing, "indicator")
	}
	if col.value < 0 {
		missing = append(missing, "value")
	}
	if col.year < 0 && col.period < 0 {
		missing = append(missing, "year or period")
	}
	if col.code < 0 && col.name < 0 {
		missing = append(missing, "region_code or region")
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: header %q lacks %s", errFileRejected, strings.Join(t.header, ","), strings.Join(missing, ", "))
	}
	batch := newValuesBatch(s)
	for {
		rec, line, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		s.run.RowsRead++
		if len(rec) != len(t.header) {
			s.reject(line, "", rawLine(rec), fmt.Sprintf("row has %d fields, the header has %d (a cut-off or misquoted line?)", len(rec), len(t.header)))
			continue
		}
		periodText := field(rec, col.period)
		if periodText == "" {
			periodText = field(rec, col.year)
		}
		row, where, err := v.validate(field(rec, col.indicator), field(rec, col.code), field(rec, col.name), periodText, field(rec, col.value), field(rec, col.unit), line)
		if err != nil {
			s.reject(line, t.headerName(col, where), rawLine(rec), err.Error())
			continue
		}
		batch.append(row, line)
		if batch.len() >= l.BatchRows {
			if err := batch.flush(); err != nil {
				return err
			}
		}
	}
	return batch.flush()
}

// economyCols holds the index of each field's column in the file, -1 when absent.
type economyCols struct{ indicator, value, year, period, code, name, unit int }

// headerName names the CSV column a validation problem was found in.
func (t *csvTable) headerName(col economyCols, where string) string {
	idx := map[string]int{"indicator": col.indicator, "value": col.value, "period": max(col.period, col.year), "region": max(col.code, col.name), "unit": col.unit}[where]
	if idx < 0 || idx >= len(t.header) {
		return where
	}
	return "column " + t.header[idx]
}

// validate checks one row; on failure it says which field was wrong and why.
func (v *economyValidator) validate(indicator, code, name, periodText, valueText, unit string, line int) (economyRow, string, error) {
	ind, ok := v.indicators[indicator]
	if !ok {
		return economyRow{}, "indicator", fmt.Errorf("unknown indicator %q", indicator)
	}
	region, err := v.regions.match(code, name)
	if err != nil {
		return economyRow{}, "region", err
	}
	if periodText == "" {
		return economyRow{}, "period", fmt.Errorf("no period")
	}
	period, err := parsePeriod(periodText)
	if err != nil {
		return economyRow{}, "period", err
	}
	value, err := parseNumber(valueText)
	if err == errMissing {
		return economyRow{}, "value", fmt.Errorf("no value (%q): nothing to load", valueText)
	}
	if err != nil {
		return economyRow{}, "value", err
	}
	value, err = convertUnit(value, unit, ind.Unit)
	if err != nil {
		return economyRow{}, "unit", err
	}
	key := ind.Code + "|" + region.Code + "|" + period.String()
	if first, dup := v.seen[key]; dup {
		return economyRow{}, "period", fmt.Errorf("duplicate: line %d already gives %s for %s in %s", first, ind.Code, region.NameZh, period)
	}
	v.seen[key] = line
	return economyRow{indicator: ind.Code, region: region.Code, unit: unit, period: period, value: value}, "", nil
}

// valuesBatch gathers rows into an Arrow record for indicator_values.
type valuesBatch struct {
	s *runState
	b *array.RecordBuilder
	n int
}

func newValuesBatch(s *runState) *valuesBatch {
	return &valuesBatch{s: s, b: array.NewRecordBuilder(memory.DefaultAllocator, valuesSchema)}
}

func (vb *valuesBatch) len() int { return vb.n }

func (vb *valuesBatch) append(r economyRow, line int) {
	f := vb.b.Fields()
	f[0].(*array.StringBuilder).Append(r.indicator)
	f[1].(*array.StringBuilder).Append(r.region)
	f[2].(*array.StringBuilder).Append(r.period.Kind)
	f[3].(*array.Uint16Builder).Append(uint16(r.period.Year))
	f[4].(*array.Uint8Builder).Append(uint8(r.period.No))
	f[5].(*array.Float64Builder).Append(r.value)
	f[6].(*array.StringBuilder).Append(r.unit)
	f[7].(*array.StringBuilder).Append(vb.s.run.ID)
	f[8].(*array.Uint32Builder).Append(uint32(line))
	f[9].(*array.TimestampBuilder).Append(arrow.Timestamp(vb.s.loadedAt.UnixMilli()))
	vb.n++
}

func (vb *valuesBatch) flush() error {
	if vb.n == 0 {
		return nil
	}
	vb.n = 0
	return vb.s.insert("indicator_values", vb.b.NewRecordBatch())
}
