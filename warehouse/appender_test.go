package warehouse_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// An appender inserts every record it is given, rowsPerInsert rows (or what is left) per
// statement, and leaves no staged file behind.
func TestAppenderInsertsInLargeStatements(t *testing.T) {
	tests := []struct {
		name                  string
		records, rowsPer, per int
		// earlyAfter is the record after which InsertEarly is called, told that rowsLeft
		// rows are to come; 0 for none.
		earlyAfter, rowsLeft int
		wantInserts          int
	}{
		{"several records per insert", 10, 1000, 3000, 0, 0, 4},
		{"exactly full inserts", 6, 500, 1500, 0, 0, 2},
		{"one insert for all", 5, 100, 1_000_000, 0, 0, 1},
		{"an insert per record", 3, 700, 1, 0, 0, 3},
		{"an early insert before the end", 5, 1000, 6000, 3, 1500, 2},
		{"too many rows left for an early insert", 5, 1000, 6000, 3, 1501, 1},
		{"too little staged for an early insert", 5, 100, 4000, 1, 0, 1},
	}
	ctx := context.Background()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := whtest.Open(t)
			var mu sync.Mutex
			inserts := 0
			stop := w.ObserveQueries(func(stmt string, _ warehouse.Params, _ time.Duration, err error) {
				mu.Lock()
				defer mu.Unlock()
				if strings.HasPrefix(stmt, "INSERT INTO indicator_values") && err == nil {
					inserts++
				}
			})
			app := w.NewAppender(ctx, "indicator_values", tc.per)
			rec := indicatorValues(tc.rowsPer, "0192f5a0-0000-7000-8000-00000000a9e1")
			for i := range tc.records {
				if err := app.Append(rec); err != nil {
					t.Fatal(err)
				}
				if i+1 == tc.earlyAfter {
					if err := app.InsertEarly(tc.rowsLeft); err != nil {
						t.Fatal(err)
					}
				}
			}
			rec.Release()
			if err := app.Close(); err != nil {
				t.Fatal(err)
			}
			stop()
			res, err := whtest.Query(ctx, w, "SELECT count() FROM indicator_values", nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Rows[0][0].(int64); got != int64(tc.records*tc.rowsPer) || inserts != tc.wantInserts {
				t.Errorf("%d rows in %d inserts; want %d rows in %d", got, inserts, tc.records*tc.rowsPer, tc.wantInserts)
			}
			if left, _ := filepath.Glob(filepath.Join(w.SpoolDir(), "insert-*")); len(left) != 0 {
				t.Errorf("staged files left behind: %v", left)
			}
		})
	}
}

// A failed insert is reported by the next call, and Abort drops what is staged: nothing of
// it is inserted and no staged file is left.
func TestAppenderReportsFailureAndAborts(t *testing.T) {
	ctx := context.Background()
	w := whtest.Open(t)
	rec := indicatorValues(1000, "0192f5a0-0000-7000-8000-00000000a9e2")
	defer rec.Release()

	bad := w.NewAppender(ctx, "no_such_table", 1000)
	if err := bad.Append(rec); err != nil {
		t.Fatalf("the first append only stages: %v", err)
	}
	err := bad.Close()
	if err == nil || !strings.Contains(err.Error(), "no_such_table") {
		t.Errorf("close after a failed insert: %v; want the engine's error naming the table", err)
	}

	app := w.NewAppender(ctx, "indicator_values", 5000)
	for range 3 {
		if err := app.Append(rec); err != nil {
			t.Fatal(err)
		}
	}
	app.Abort()
	res, err := whtest.Query(ctx, w, "SELECT count() FROM indicator_values", nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := res.Rows[0][0].(int64); n != 0 {
		t.Errorf("%d rows inserted after Abort; want 0", n)
	}
	if left, _ := filepath.Glob(filepath.Join(w.SpoolDir(), "insert-*")); len(left) != 0 {
		t.Errorf("staged files left behind: %v", left)
	}
}

// The ETL sends codes as Arrow dictionaries that grow from one record to the next of one
// insert (a code first seen in the second record gets the next index). The engine must read
// every record's own dictionary: older Arrow readers of ClickHouse kept the first one.
func TestAppenderRecordsWithAGrowingDictionary(t *testing.T) {
	ctx := context.Background()
	w := whtest.Open(t)
	if err := whtest.Exec(ctx, w, "CREATE TABLE dict_codes (code LowCardinality(String), n UInt32) ENGINE = MergeTree ORDER BY n", nil); err != nil {
		t.Fatal(err)
	}
	dictType := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	schema := arrow.NewSchema([]arrow.Field{{Name: "code", Type: dictType}, {Name: "n", Type: arrow.PrimitiveTypes.Uint32}}, nil)
	record := func(dict []string, indices []int32, first uint32) arrow.RecordBatch {
		mem := memory.DefaultAllocator
		db, ib, nb := array.NewStringBuilder(mem), array.NewInt32Builder(mem), array.NewUint32Builder(mem)
		db.AppendValues(dict, nil)
		ib.AppendValues(indices, nil)
		for i := range indices {
			nb.Append(first + uint32(i))
		}
		codes := array.NewDictionaryArray(dictType, ib.NewArray(), db.NewArray())
		return array.NewRecordBatch(schema, []arrow.Array{codes, nb.NewArray()}, int64(len(indices)))
	}
	app := w.NewAppender(ctx, "dict_codes", 1000)
	for _, rec := range []arrow.RecordBatch{
		record([]string{"gdp"}, []int32{0, 0}, 1),
		record([]string{"gdp", "cpi"}, []int32{1, 0, 1}, 3),
	} {
		if err := app.Append(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	if err := app.Close(); err != nil {
		t.Fatal(err)
	}
	res, err := whtest.Query(ctx, w, "SELECT arrayStringConcat(groupArray(code), ',') FROM (SELECT code FROM dict_codes ORDER BY n)", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Rows[0][0]; got != "gdp,gdp,cpi,gdp,cpi" {
		t.Errorf("codes %v; want gdp,gdp,cpi,gdp,cpi", got)
	}
}

// The caller owns its records: once Append returns it may write over their buffers (the
// ETL builds its next record in them), and what was appended is inserted as it was, on
// either engine. clickhouse-go keeps a server batch's LowCardinality values as map keys
// until it sends, so they must not point into the caller's buffers.
func TestAppenderLetsTheCallerReuseRecordBuffers(t *testing.T) {
	ctx := context.Background()
	for _, eng := range []struct {
		name string
		open func(testing.TB) *warehouse.Warehouse
	}{{"embedded", whtest.Open}, {"server", whtest.OpenServer}} {
		t.Run(eng.name, func(t *testing.T) {
			w := eng.open(t)
			app := w.NewAppender(ctx, "indicator_values", 1_000_000)
			first := indicatorValues(3000, "0192f5a0-0000-7000-8000-00000000a9e3")
			if err := app.Append(first); err != nil {
				t.Fatal(err)
			}
			for _, col := range []int{0, 1, 6, 7} { // indicator, region, unit, run: text
				text := first.Column(col).Data().Buffers()[2].Bytes()
				for i := range text {
					text[i] = 'x'
				}
			}
			first.Release()
			second := indicatorValues(2000, "0192f5a0-0000-7000-8000-00000000a9e4")
			if err := app.Append(second); err != nil {
				t.Fatal(err)
			}
			second.Release()
			if err := app.Close(); err != nil {
				t.Fatal(err)
			}
			res, err := whtest.Query(ctx, w, `SELECT count(), uniqExact(indicator_code), uniqExact(region_code),
				countIf(indicator_code LIKE 'x%' OR region_code LIKE 'x%' OR source_unit LIKE 'x%'), uniqExact(run_id)
				FROM indicator_values`, nil)
			if err != nil {
				t.Fatal(err)
			}
			// indicatorValues gives 20 indicators and, at 3000 rows, 150 regions.
			if got := fmt.Sprint(res.Rows[0]); got != "[5000 20 150 0 2]" {
				t.Errorf("rows, indicators, regions, overwritten, runs = %s; want [5000 20 150 0 2]", got)
			}
		})
	}
}
