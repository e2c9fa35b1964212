package warehouse_test

import (
	"context"
	"testing"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// A load lists the values it added and those it revised, old and new with the key's
// history, for economy, ledger and campaign facts; a load that revised nothing lists
// nothing; pages of changes follow one another without a gap or a repeat.
func TestRunChangesAddedAndRevised(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	ctx := context.Background()
	changes := func(t *testing.T, job, runID string, limit int) warehouse.RunChanges {
		t.Helper()
		var all warehouse.RunChanges
		after := ""
		for {
			page, err := w.Changes(ctx, warehouse.ChangesQuery{RunID: runID, Job: job, After: after, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			all.Totals = page.Totals
			all.Changes = append(all.Changes, page.Changes...)
			if page.Next == "" {
				return all
			}
			if len(page.Changes) != limit {
				t.Fatalf("a page before the last holds %d changes, want %d", len(page.Changes), limit)
			}
			after = page.Next
		}
	}
	count := func(rc warehouse.RunChanges, kind string, year int) int {
		for _, tot := range rc.Totals {
			if tot.Kind == kind && tot.Year == year {
				return tot.Count
			}
		}
		return 0
	}

	t.Run("cumulative periods in order", func(t *testing.T) {
		// 1-12 came before 1-3: the periods were sorted as text.
		run := etltest.LoadCSV(t, w, "economy", "cum2001.csv", "period,region_code,indicator,value,unit\n"+
			"2001年1-12月,620102,gdp,400,亿元\n2001年1-3月,620102,gdp,100,亿元\n2001年1-9月,620102,gdp,300,亿元\n")
		rc := changes(t, "economy", run.Run.ID, 10)
		var got []string
		for _, c := range rc.Changes {
			got = append(got, c.Period)
		}
		if len(got) != 3 || got[0] != "2001 1-03" || got[1] != "2001 1-09" || got[2] != "2001 1-12" {
			t.Errorf("periods in the order %q; want 1-3, 1-9, 1-12", got)
		}
	})
	t.Run("economy", func(t *testing.T) {
		// Three counties' values of a year the demo lacks, then a file revising two of them.
		const head = "year,region_code,region_name_zh,indicator,value,unit\n"
		first := etltest.LoadCSV(t, w, "economy", "gdp2001.csv", head+
			"2001,620102,城关区,gdp,100,亿元\n2001,620103,七里河区,gdp,200,亿元\n2001,620104,西固区,gdp,300,亿元\n")
		rc := changes(t, "economy", first.Run.ID, 2)
		if n := count(rc, warehouse.ChangeAdded, 2001); n != 3 || len(rc.Changes) != 3 || count(rc, warehouse.ChangeRevised, 2001) != 0 {
			t.Fatalf("first load: totals %+v, %d changes; want 3 added", rc.Totals, len(rc.Changes))
		}
		second := etltest.LoadCSV(t, w, "economy", "gdp2001_revised.csv", head+
			"2001,620102,城关区,gdp,110,亿元\n2001,620103,七里河区,gdp,200,亿元\n2001,620104,西固区,gdp,333,亿元\n")
		rc = changes(t, "economy", second.Run.ID, 1)
		if n := count(rc, warehouse.ChangeRevised, 2001); n != 2 || len(rc.Changes) != 2 || count(rc, warehouse.ChangeAdded, 2001) != 0 {
			t.Fatalf("revising load: totals %+v, %d changes; want 2 revised", rc.Totals, len(rc.Changes))
		}
		c := rc.Changes[0]
		if c.Kind != warehouse.ChangeRevised || c.Subject != "gdp" || c.Region != "620102" || c.Period != "2001" || c.OldValue != "100" || c.NewValue != "110" {
			t.Errorf("first revision %+v, want gdp 620102 2001 100 → 110", c)
		}
		if len(c.History) != 2 || c.History[0].RunID != first.Run.ID || c.History[1].RunID != second.Run.ID || c.History[1].Value != "110" {
			t.Errorf("history of the revision %+v, want the first run's 100 then this run's 110", c.History)
		}
		// The same values again from another file: nothing added, nothing revised.
		third := etltest.LoadCSV(t, w, "economy", "gdp2001_again.csv", head+"2001,620102,城关区,gdp,110,亿元\n")
		if rc := changes(t, "economy", third.Run.ID, 10); len(rc.Totals) != 0 || len(rc.Changes) != 0 {
			t.Errorf("a load that changed nothing lists %+v", rc)
		}
	})

	t.Run("ledger", func(t *testing.T) {
		const head = "item_id,region,title,found_date,deadline,status,status_date,responsible_unit\n"
		first := etltest.LoadCSV(t, w, "ecology", "ledger1.csv", head+"CHG-1,兰州市,河道采砂,2001-01-05,2001-06-30,整改中,2001-02-01,市水务局\n")
		if rc := changes(t, "ecology", first.Run.ID, 10); count(rc, warehouse.ChangeAdded, 2001) != 2 {
			t.Fatalf("a new item and its first status: totals %+v, want 2 added (the item, its status)", rc.Totals)
		}
		second := etltest.LoadCSV(t, w, "ecology", "ledger2.csv", head+"CHG-1,兰州市,河道采砂,2001-01-05,2001-09-30,整改中,2001-02-01,市水务局\n")
		rc := changes(t, "ecology", second.Run.ID, 10)
		if len(rc.Changes) != 1 || rc.Changes[0].Field != "deadline" || rc.Changes[0].OldValue != "2001-06-30" || rc.Changes[0].NewValue != "2001-09-30" {
			t.Errorf("a moved deadline: %+v, want one revision of deadline 2001-06-30 → 2001-09-30", rc.Changes)
		}
	})

	t.Run("campaign", func(t *testing.T) {
		const head = "unit_code,unit,month,metric,value\n"
		// The demo reports this month too: its value is the history's first.
		first := etltest.LoadCSV(t, w, "campaign", "c1.csv", head+"620100,兰州市,2024-01,study_sessions,1234\n")
		second := etltest.LoadCSV(t, w, "campaign", "c2.csv", head+"620100,兰州市,2024-01,study_sessions,1235\n")
		rc := changes(t, "campaign", second.Run.ID, 10)
		if count(rc, warehouse.ChangeRevised, 2024) != 1 || len(rc.Changes) != 1 || rc.Changes[0].OldValue != "1234" || rc.Changes[0].NewValue != "1235" ||
			len(rc.Changes[0].History) != 3 || rc.Changes[0].History[1].RunID != first.Run.ID || rc.Changes[0].History[2].RunID != second.Run.ID {
			t.Errorf("a revised campaign value: %+v", rc)
		}
	})
}
