package dashboard_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"jinwei/dashboard"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// #17's standing rule, as a reporter meets it: before the province publishes a month (通报)
// the unit sees its own score and no other unit's rank, score, name or code on any page or
// answer it may open; the scorecard pages themselves are closed to it. Once the month is
// published, its report shows the published ranks of its kind; other months stay as they
// were.
func TestReporterSeesOtherUnitsOnlyAfterPublication(t *testing.T) {
	t.Parallel()
	base, rep, publish, _ := reporterAndPublisher(t, "chengguan", "620102")
	// Other counties of Lanzhou, by code and by name.
	others := []string{"620103", "620104", "620105", "七里河区", "西固区", "安宁区"}
	standing := func(month string) (dashboard.ReportView, string, string) {
		t.Helper()
		code, body := call(t, rep, "GET", base+"/api/report/620102/"+month, nil, nil)
		var v dashboard.ReportView
		if code != http.StatusOK || json.Unmarshal([]byte(body), &v) != nil || v.Standing == nil {
			t.Fatalf("the report of %s: %d %.300s", month, code, body)
		}
		_, page := call(t, rep, "GET", base+"/report/620102/"+month, nil, nil)
		return v, body, page
	}
	for _, month := range []string{"2024-05", "2024-04"} {
		v, body, page := standing(month)
		if v.Standing.Own == nil || v.Standing.Own.Score == 0 || v.Standing.Own.Rank != 0 || v.Standing.Own.Hint != nil || len(v.Standing.Ranks) != 0 || v.Standing.Published != nil {
			t.Errorf("%s before publication: own %+v, %d ranks, published %v; want the own score only", month, v.Standing.Own, len(v.Standing.Ranks), v.Standing.Published)
		}
		// The score says its scale ("本单位得分 64.8" said nothing of it).
		if !strings.Contains(page, "<h3>本单位得分（0–100）</h3>") {
			t.Errorf("%s: the own score's card does not say its scale", month)
		}
		// The unit's own score carries its English name, as the campaign's JSON does.
		if !strings.Contains(between(body, `"own"`, `"ranks"`), `"name_en":"Chengguan District"`) {
			t.Errorf("%s: the own score's JSON %.200q has no English name", month, between(body, `"own"`, `"ranks"`))
		}
		for _, o := range others {
			if strings.Contains(body, o) || strings.Contains(page, o) {
				t.Errorf("%s before publication: the reporter's report shows %s", month, o)
			}
		}
	}
	for _, u := range []string{"/campaign?kind=county&month=2024-05-01", "/api/campaign?kind=county&month=2024-05-01", "/api/campaign?kind=city",
		"/api/brief?period=2024-05", "/brief?period=2024-05", "/api/lineage?unit=620103&month=2024-05-01", "/api/reports", "/api/sql", "/console"} {
		if code, body := call(t, rep, "GET", base+u, nil, nil); code != http.StatusForbidden {
			t.Errorf("a reporter asking %s: %d %.200s, want 403", u, code, body)
		}
	}
	publish("county")
	v, _, page := standing("2024-05")
	if v.Standing.Published == nil || len(v.Standing.Ranks) < 80 || v.Standing.Own == nil || v.Standing.Own.Rank == 0 {
		t.Fatalf("after publication: published %v, %d ranks, own %+v", v.Standing.Published, len(v.Standing.Ranks), v.Standing.Own)
	}
	for _, r := range v.Standing.Ranks {
		if r.Unit == "620102" && r.Rank != v.Standing.Own.Rank {
			t.Errorf("own published rank %d, own standing says %d", r.Rank, v.Standing.Own.Rank)
		}
	}
	if !strings.Contains(page, "七里河区") {
		t.Errorf("the report page after publication lists no other county")
	}
	if v, body, _ := standing("2024-04"); len(v.Standing.Ranks) != 0 || strings.Contains(body, "620103") {
		t.Errorf("2024-04, not published, after 2024-05 was: %d ranks", len(v.Standing.Ranks))
	}
}

// A unit scored on too few items (Jiayuguan, without a population) is told it is not
// ranked, and why, before and after its month is published; the published list shows it
// without a place.
func TestAUnitScoredOnTooFewItemsIsToldSo(t *testing.T) {
	t.Parallel()
	base, rep, publish, _ := reporterAndPublisher(t, "jiayuguan", "620200")
	card := func() string {
		t.Helper()
		_, page := call(t, rep, "GET", base+"/report/620200/2024-05", nil, nil)
		return between(page, `id="report-score"`, `</div>`)
	}
	// Why, to the reporter: no population is loaded for it (its items per resident do not
	// apply); "too few items" alone read as if it had reported too little (a red-team finding).
	if got := card(); !strings.Contains(got, "不排名：适用项权重合计不足三分之二（未载入本单位常住人口，按人口计的各项不适用）") {
		t.Errorf("before publication the score's card reads %q; want it not ranked, and why", got)
	}
	publish("city")
	if got := card(); !strings.Contains(got, "不排名：适用项权重合计不足三分之二") || strings.Contains(got, "待通报") {
		t.Errorf("after publication the score's card reads %q; want it not ranked, and why", got)
	}
	code, body := call(t, rep, "GET", base+"/api/report/620200/2024-05", nil, nil)
	var v dashboard.ReportView
	if code != http.StatusOK || json.Unmarshal([]byte(body), &v) != nil || v.Standing == nil || len(v.Standing.Ranks) != 14 {
		t.Fatalf("the report after publication: %d %.300s", code, body)
	}
	for _, r := range v.Standing.Ranks {
		if (r.Unit == "620200") != (r.Rank == 0) || (r.Unit == "620200") != r.Partial {
			t.Errorf("published %s at %d (partial %v); want Jiayuguan alone without a place, for too few items", r.Name, r.Rank, r.Partial)
		}
	}
	// The published list says why it has no place: it read "—", as a unit that sent nothing.
	_, page := call(t, rep, "GET", base+"/report/620200/2024-05", nil, nil)
	if row := between(between(page, `id="ranks-table"`, `</table>`), `<tr class="own">`, `</tr>`); !strings.Contains(row, ">不排名</span>") || strings.Contains(row, "—") {
		t.Errorf("Jiayuguan's row of the published ranking reads %q; want 不排名 and its score", row)
	}
	// In English, in English: the units' names were the published Chinese ones.
	_, page = call(t, rep, "GET", base+"/report/620200/2024-05?lang=en", nil, nil)
	if row := between(between(page, `id="ranks-table"`, `</table>`), `<tr class="own">`, `</tr>`); !strings.Contains(row, "<td>Jiayuguan") || !strings.Contains(row, ">Not ranked</span>") {
		t.Errorf("Jiayuguan's row of the English published ranking reads %q; want its English name, Not ranked", row)
	}
}

// reporterAndPublisher is a server with user, the reporter of unit, signed in, a publish
// that publishes a kind's 2024-05 as ops, and the server's warehouse.
func reporterAndPublisher(t *testing.T, user, unit string) (base string, rep *http.Client, publish func(kind string), w *warehouse.Warehouse) {
	t.Helper()
	f := newAuthServer(t, reporters(t, map[string]string{user: unit}))
	rep, _ = signedInReporter(t, f, user, unit)
	ops, opsCSRF := f.signedIn(t, "ops")
	return f.srv.URL, rep, func(kind string) {
		t.Helper()
		if code, body := call(t, ops, "POST", f.srv.URL+"/api/admin/campaign/publish?month=2024-05&kind="+kind, map[string]string{"X-CSRF-Token": opsCSRF}, nil); code != http.StatusOK {
			t.Fatalf("publish: %d %s", code, body)
		}
	}, f.w
}

// A unit with no report of the month reads 未报 on its card, with no score, before and after
// publication: it read 0.0 and "本月通报未列名次" (a red-team finding).
func TestAUnitThatDidNotReportIsToldSo(t *testing.T) {
	t.Parallel()
	base, rep, publish, w := reporterAndPublisher(t, "jinchang", "620300")
	if err := whtest.Exec(context.Background(), w, "ALTER TABLE campaign_metrics DELETE WHERE unit_code = '620300' AND month = '2024-05-01' SETTINGS mutations_sync = 2", nil); err != nil {
		t.Fatal(err)
	}
	for _, published := range []bool{false, true} {
		if published {
			publish("city")
		}
		for lang, want := range map[string]string{"zh": "本月未报：不排名", "en": "No report this month: not ranked"} {
			_, page := call(t, rep, "GET", base+"/report/620300/2024-05"+map[string]string{"zh": "", "en": "?lang=en"}[lang], nil, nil)
			card := between(page, `id="report-score"`, `</div>`)
			if !strings.Contains(card, `id="own-score">—</p>`) || !strings.Contains(card, want) {
				t.Errorf("published %v, %s: the score's card reads %q; want no score and %q", published, lang, card, want)
			}
		}
	}
}
