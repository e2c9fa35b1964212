package warehouse_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// A run's rejects are grouped by reason code from the projection written beside them
// (migrations 029 and 033), not by reading every reject, and the counts are exactly the
// rejects' own: over several writes of one run, with another run's rejects beside it, and
// after some are removed. Each code's example is one of its reasons, in both languages.
func TestRejectReasonsAreExactAndReadFromTheProjection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := whtest.Open(t)
	const run, other = "00000000-0000-7000-8000-000000000001", "00000000-0000-7000-8000-000000000002"
	insert := func(runID string, from, n int) {
		t.Helper()
		stmt := fmt.Sprintf(`INSERT INTO etl_rejects (run_id, file_path, line, location, raw, reason, reason_zh, reason_code, created_at)
			SELECT toUUID('%s'), 'f.csv', number, 'column 地区', toString(number), concat(c, ': 县', toString(number)), concat(c, '：县', toString(number)), c, now64(3)
			FROM (SELECT number, if(number %% 1000 = 7, 'missing_region', ['unknown_region', 'bad_value', 'duplicate'][number %% 3 + 1]) AS c
			      FROM numbers(%d, %d))`, runID, from, n)
		if err := whtest.Exec(ctx, w, stmt, nil); err != nil {
			t.Fatal(err)
		}
	}
	insert(run, 2, 3000)
	insert(other, 2, 500)
	insert(run, 3002, 4000)
	// Removed rejects leave the counts (the projection is rebuilt with its part).
	if err := whtest.Exec(ctx, w, "ALTER TABLE etl_rejects DELETE WHERE line % 10 = 0 SETTINGS mutations_sync = 2", nil); err != nil {
		t.Fatal(err)
	}
	got, err := w.RejectReasons(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	want, err := whtest.Query(ctx, w, `SELECT reason_code, count() AS n FROM etl_rejects WHERE run_id = toUUID({run_id:String})
		GROUP BY reason_code ORDER BY n DESC, reason_code SETTINGS optimize_use_projections = 0`, warehouse.Params{"run_id": run})
	if err != nil {
		t.Fatal(err)
	}
	var gotRows, wantRows []string
	for _, r := range got {
		gotRows = append(gotRows, fmt.Sprintf("%s×%d", r.Code, r.Count))
		if !strings.HasPrefix(r.Example, r.Code+": 县") || !strings.HasPrefix(r.ExampleZh, r.Code+"：县") {
			t.Errorf("%s's examples %q, %q are not of its reasons", r.Code, r.Example, r.ExampleZh)
		}
	}
	for _, r := range want.Rows {
		wantRows = append(wantRows, fmt.Sprintf("%v×%v", r[0], r[1]))
	}
	if strings.Join(gotRows, " ") != strings.Join(wantRows, " ") || len(gotRows) != 4 {
		t.Errorf("reasons %v, the rejects' own counts %v", gotRows, wantRows)
	}
	text, err := warehouse.NamedQueryText("reject_reasons")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := whtest.Query(ctx, w, "EXPLAIN "+text, warehouse.Params{"run_id": run})
	if err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprint(plan.Rows); !strings.Contains(s, "ReadFromMergeTree (reason_counts)") {
		t.Errorf("the grouping reads the rejects, not the projection:\n%s", s)
	}
}
