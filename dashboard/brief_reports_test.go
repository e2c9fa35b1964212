package dashboard_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"jinwei/dashboard"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// Where units report through the form, a briefing names the units whose report of its
// last month is missing, late or returned, as /reports judges them (its every number
// equals that page's), and no longer counts the campaign's 未报 from the figures.
func TestBriefNamesUnitsLateOrMissingAsTheReportsPage(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	ctx := context.Background()
	const month = "2024-12" // due 5 January 2025
	due, _ := warehouse.Deadlines{}.For(month)
	for code, at := range map[string]time.Time{"620102": due.Add(-time.Hour), "620103": due.Add(time.Hour), "620104": due.Add(-time.Hour)} {
		u, err := w.Unit(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		sub := warehouse.Submission{Unit: u, Month: month, By: "clerk", Channel: warehouse.ChannelForm, At: at,
			Cells: []warehouse.ReportCell{{Metric: "study_sessions", Value: 3}}}
		if _, err := w.SubmitReport(ctx, warehouse.UnitScope(code), sub); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.ReturnReport(ctx, "620104", month, "province", "数据有误"); err != nil {
		t.Fatal(err)
	}
	f := newAuthServerOn(t, w)
	ops, _ := f.signedIn(t, "ops")
	getAs := func(u string, v any) {
		t.Helper()
		code, body := call(t, ops, "GET", f.srv.URL+u, nil, nil)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d %.300s", u, code, body)
		}
		if err := json.Unmarshal([]byte(body), v); err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
	}
	for lang, want := range map[string][]string{
		"zh": {"2024年12月月报（报送期限2025-01-05）", "迟报1个：七里河区", "退回后未重报1个：西固区"},
		"en": {"Reports of 2024-12 (due 2025-01-05)", "1 late: Qilihe", "1 returned and not sent again: Xigu"},
	} {
		q := "period=2024&lang=" + lang
		var b dashboard.Briefing
		getAs("/api/brief?"+q, &b)
		var found *dashboard.BriefSentence
		for _, sec := range b.Sections {
			for i, st := range sec.Sentences {
				if strings.HasPrefix(st.Link, "/reports?") {
					found = &sec.Sentences[i]
				}
				if strings.Contains(st.Text, "did not report") || strings.Contains(st.Text, "个单位未报") {
					t.Errorf("%s: the campaign's figures still say who did not report: %q", q, st.Text)
				}
			}
		}
		if found == nil {
			t.Fatalf("%s: no sentence links to /reports: %+v", q, b.Sections)
		}
		for _, w := range want {
			if !strings.Contains(found.Text, w) {
				t.Errorf("%s: %q lacks %q", q, found.Text, w)
			}
		}
		// The other 105 units' values of the month came with the province's file: none is
		// missing (the briefing said 未报105个 beside a scorecard that ranked them all).
		if strings.Contains(found.Text, "未报") || strings.Contains(found.Text, "missing") {
			t.Errorf("%s: units whose values a file gave are called missing: %q", q, found.Text)
		}
		if strings.Contains(found.Text, "城关") || strings.Contains(found.Text, "Chengguan") {
			t.Errorf("%s: the unit that reported on time is named: %q", q, found.Text)
		}
		checkSentenceNumbers(t, q, *found)
		var page map[string]any
		getAs(found.API, &page)
		for _, fact := range found.Facts {
			checkFact(t, q, *found, fact, page)
		}
	}
	// A month no unit reported through the form keeps its figures loaded by file: its
	// briefing does not judge the units by the form's deadlines (before, the submissions of
	// 2024-12 made the briefing of 2023 name every unit missing).
	var b dashboard.Briefing
	getAs("/api/brief?period=2023-12", &b)
	for _, sec := range b.Sections {
		for _, st := range sec.Sentences {
			if strings.HasPrefix(st.Link, "/reports?") {
				t.Errorf("period=2023-12: a month loaded by file is judged by the form: %q", st.Text)
			}
		}
	}
}
