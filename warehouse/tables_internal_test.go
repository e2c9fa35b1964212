package warehouse

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// A column handle whose builder does not build its Arrow type stops the package loading,
// so a retyped column fails every test, not a load.
func TestColumnOfTheWrongBuilderPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a UInt16 column handled as text did not panic")
		}
	}()
	column[*array.StringBuilder](&columns{}, "year", arrow.PrimitiveTypes.Uint16)
}

// Each handle writes the column it is named for: a row appended through the handles of
// indicator_values reads back by the schema's column names.
func TestHandlesWriteTheirNamedColumns(t *testing.T) {
	t.Parallel()
	iv := IndicatorValues.Columns
	fields := IndicatorValues.Schema.Fields()
	for name, at := range map[string]int{"indicator_code": iv.IndicatorCode.Index(), "region_code": iv.RegionCode.Index(),
		"period_kind": iv.PeriodKind.Index(), "source_unit": iv.SourceUnit.Index(), "run_id": iv.RunID.Index(),
		"source_sheet": iv.SourceSheet.Index()} {
		if fields[at].Name != name {
			t.Errorf("the handle of %s is at column %d, %s", name, at, fields[at].Name)
		}
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, CampaignMetrics.Schema)
	defer b.Release()
	cm := CampaignMetrics.Columns
	cm.UnitCode.In(b).Append("620100")
	cm.MetricCode.In(b).Append("study_sessions")
	cm.ProblemCategory.In(b).Append(3)
	cm.Value.In(b).Append(2.5)
	for i, f := range CampaignMetrics.Schema.Fields() {
		if b.Field(i).Len() == 0 {
			continue
		}
		want := map[string]string{"unit_code": "620100", "metric_code": "study_sessions", "problem_category": "3", "value": "2.5"}[f.Name]
		arr := b.Field(i).NewArray()
		if got := arr.ValueStr(0); got != want {
			t.Errorf("column %s holds %q, want %q", f.Name, got, want)
		}
		arr.Release()
	}
}
