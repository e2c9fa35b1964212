package etl_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jinwei/etl"
	"jinwei/warehouse/whtest"
)

// The scorecard's items load as a dimension; a row the scorecard could not use is
// rejected with its reason, and the demo's file loads whole.
func TestScoreItemsLoad(t *testing.T) {
	w := whtest.Open(t)
	l := etl.NewLoader(w, quietLogger())
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "campaign_scoring.csv")
	demo, err := os.ReadFile(filepath.Join("..", "data", "campaign_scoring.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// A row with an unknown formula, its empty cells as many as the header asks.
	header, _, _ := strings.Cut(string(demo), "\n")
	row := "speed,速度,Speed,execution,sum,tasks_on_time,,1,1,region"
	content := string(demo) + row + strings.Repeat(",", strings.Count(header, ",")-strings.Count(row, ",")) + "\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := l.LoadReference(ctx, etl.JobCampaignScoreItems, path, gansu)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Run.RowsRejected != 1 || len(rep.Rejects) != 1 || !strings.Contains(rep.Rejects[0].Reason, "sum") {
		t.Fatalf("rejected %d %+v; want the unknown formula named", rep.Run.RowsRejected, rep.Rejects)
	}
	items, err := w.ScorecardItems(ctx)
	if err != nil || len(items) != rep.Run.RowsLoaded {
		t.Fatalf("%d items (%v); want the %d loaded", len(items), err, rep.Run.RowsLoaded)
	}
	for _, it := range items {
		if it.Code == "on_time_rate" && (it.Weight != 2 || it.Pool != 3 || len(it.Kinds) != 2 || it.Formula != "rate") {
			t.Errorf("on_time_rate read back as %+v", it)
		}
	}
}
