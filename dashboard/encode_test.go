package dashboard

import (
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"jinwei/warehouse"
)

// Arrow answers keep integers whole: a UInt64 past the Int64 range (a hash, an
// id) stays itself, an Int64 keeps its sign, and NULL stays NULL.
func TestRowsRecordKeepsIntegersWhole(t *testing.T) {
	cols := []warehouse.Column{{Name: "h", Type: "UInt64"}, {Name: "d", Type: "Nullable(Int64)"}, {Name: "s", Type: "String"}}
	rows := [][]any{
		{uint64(math.MaxUint64), int64(math.MinInt64), "甘肃"},
		{int64(7), nil, nil},
	}
	rec := rowsRecord(arrowSchema(cols), rows)
	defer rec.Release()
	h, ok1 := rec.Column(0).(*array.Uint64)
	d, ok2 := rec.Column(1).(*array.Int64)
	s, ok3 := rec.Column(2).(*array.String)
	if !ok1 || !ok2 || !ok3 {
		t.Fatalf("column types %v", rec.Schema())
	}
	if h.Value(0) != math.MaxUint64 || h.Value(1) != 7 || d.Value(0) != math.MinInt64 || !d.IsNull(1) || s.Value(0) != "甘肃" || !s.IsNull(1) {
		t.Errorf("record %v", rec)
	}
}
