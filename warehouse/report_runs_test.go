package warehouse_test

import (
	"testing"

	"jinwei/warehouse"
)

// A run's file is read as a unit's report only when it is one: 填报/UNIT/MONTH/rN, with the
// file the unit sent after it.
func TestReportRunOf(t *testing.T) {
	for _, c := range []struct {
		path string
		want warehouse.ReportRun
		ok   bool
	}{
		{"填报/620102/2026-11/r1", warehouse.ReportRun{Unit: "620102", Month: "2026-11", Revision: 1}, true},
		{"填报/D03/2026-11/r12/三抓三促/月报.xlsx", warehouse.ReportRun{Unit: "D03", Month: "2026-11", Revision: 12, File: "三抓三促/月报.xlsx"}, true},
		{"填报/620102/2026-11/r1x", warehouse.ReportRun{}, false},
		{"填报/620102/2026-11", warehouse.ReportRun{}, false},
		{"inbox/填报/620102/2026-11/r1", warehouse.ReportRun{}, false},
		{"三抓三促月报_2025-02.csv", warehouse.ReportRun{}, false},
	} {
		got, ok := warehouse.ReportRunOf(c.path)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("%s: %+v %v, want %+v %v", c.path, got, ok, c.want, c.ok)
		}
	}
}
