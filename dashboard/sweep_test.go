package dashboard_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"jinwei/dashboard"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// inProcess serves requests straight into the app, without a network round trip, so a
// sweep of thousands of parameter sets stays fast.
type inProcess struct{ h http.Handler }

func (p inProcess) get(path string) (int, string) {
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

func newApp(t *testing.T, store dashboard.Warehouse, home string) inProcess {
	t.Helper()
	return newAppWith(t, store, dashboard.Config{HomeRegion: home})
}

// newAppWith is newApp of a configuration of the test's own (a clock, headlines).
func newAppWith(t *testing.T, store dashboard.Warehouse, cfg dashboard.Config) inProcess {
	t.Helper()
	app, err := dashboard.New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return inProcess{app}
}

// sweepPaths is every page and JSON endpoint over the parameters a user can pick: each
// indicator × group × year × language, and the other pages' pickers likewise. Years are
// absent, out of range (1949, 2100 and the years just outside the data) and every year at
// which some indicator's coverage starts or ends (2012, 2015, 2016, 2018, 2019, 2023,
// 2024): an answer changes only where the data does, and all of those are there. Pages
// are swept in Chinese; English once per indicator and group (labels differ, not data);
// JSON answers do not depend on the language.
func sweepPaths(t *testing.T, w *warehouse.Warehouse) []string {
	t.Helper()
	ctx := context.Background()
	indicators, err := w.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := w.PeerGroups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	groupParams := []url.Values{{"group": {warehouse.CustomGroup}, "members": {"520000", "510000"}}, {}}
	for _, g := range groups {
		groupParams = append(groupParams, url.Values{"group": {g.Code}})
	}
	years := []string{"", "1949", "2011", "2012", "2015", "2016", "2018", "2019", "2023", "2024", "2025", "2100"}
	var paths []string
	add := func(base string, q url.Values, english bool) {
		qq := url.Values{}
		for k, v := range q {
			if v[0] != "" {
				qq[k] = v
			}
		}
		page := "/" + base
		if base == "cockpit" {
			page = "/"
		}
		paths = append(paths, "/api/"+base+"?"+qq.Encode(), page+"?"+qq.Encode())
		if english {
			qq.Set("lang", "en")
			paths = append(paths, page+"?"+qq.Encode())
		}
	}
	for _, ind := range indicators {
		for _, g := range groupParams {
			for i, y := range years {
				q := url.Values{"indicator": {ind.Code}, "year": {y}}
				for k, v := range g {
					q[k] = v
				}
				add("ranking", q, i == 0)
			}
		}
		add("cockpit", url.Values{"map": {ind.Code}}, true)
	}
	for _, g := range groups {
		add("cockpit", url.Values{"group": {g.Code}}, true)
	}
	for _, ind := range []string{"", "gdp", "rural_income", "urban_income", "population"} {
		for _, filter := range []string{"", "all", "poverty", "national_key", "provincial_key"} {
			for _, sort := range []string{"", "value", "growth", "change"} {
				add("counties", url.Values{"indicator": {ind}, "filter": {filter}, "sort": {sort}}, sort == "")
			}
		}
		for _, y := range []string{"1949", "2018", "2019", "2024", "2030", "-5", "99999"} {
			add("counties", url.Values{"indicator": {ind}, "year": {y}}, false)
		}
	}
	for _, d := range []string{"", "2020-01-01", "2023-03-31", "2023-06-30", "2024-12-31", "2030-01-01"} {
		add("ecology", url.Values{"as_of": {d}}, true)
	}
	// Values outside every enumerated parameter's choices, and dates and months in other
	// forms, answer with the choices there are.
	for _, q := range []url.Values{{"indicator": {"bogus"}}, {"group": {"bogus"}}, {"group": {warehouse.CustomGroup}}, {"year": {"abc"}}, {"year": {"-5"}}} {
		add("ranking", q, true)
	}
	for _, q := range []url.Values{{"group": {"bogus"}}, {"map": {"bogus"}}, {"year": {"abc"}}, {"year": {"1800"}}} {
		add("cockpit", q, true)
	}
	for _, q := range []url.Values{{"indicator": {"bogus"}}, {"filter": {"bogus"}}, {"sort": {"bogus"}}, {"year": {"abc"}}} {
		add("counties", q, true)
	}
	for _, d := range []string{"bogus", "2024-13-45", "2024/12/31", "20241231"} {
		add("ecology", url.Values{"as_of": {d}}, true)
	}
	for _, kind := range []string{"", "city", "county", "department", "bogus"} {
		for _, m := range []string{"", "2020-01-01", "2023-03-01", "2023-06-01", "2025-02-01", "2030-01-01", "2023-06", "x", "2023-13-01", "2023/06/01"} {
			add("campaign", url.Values{"kind": {kind}, "month": {m}}, m == "")
		}
	}
	add("ecology/items/GS-EC-0001", url.Values{}, true)
	for _, p := range []string{"", "2024", "2024-Q4", "2024-12", "2024-13", "24", "2024-Q5", "bogus"} {
		add("brief", url.Values{"period": {p}}, p == "")
	}
	for _, q := range []url.Values{{}, {"indicator": {"gdp"}, "region": {"620000"}, "year": {"2024"}}, {"indicator": {"gdp"}, "region": {"620000"}, "year": {"1949"}},
		{"indicator": {"gdp"}, "region": {"620000"}, "year": {"-5"}, "kind": {"decade"}, "no": {"999"}}, {"item": {"GS-EC-0001"}}, {"item": {"x"}},
		{"unit": {"620100"}, "month": {"2023-06-01"}}, {"unit": {"620100"}, "month": {"2030-13-01"}, "metric": {"x"}}} {
		add("lineage", q, true)
	}
	return paths
}

// sweptBadValue matches the values sweepPaths sends on purpose outside their parameters'
// choices (and a custom group without members), which are refused.
var sweptBadValue = regexp.MustCompile(`[?&](` + strings.Join([]string{
	`(indicator|group|map|filter|sort|kind)=(bogus|village|decade)`,
	`year=(abc|-5|1800|99999)`, `no=999`, `as_of=(bogus|2024-13-45|2024%2F12%2F31|20241231|2020-01-01|2030-01-01)`,
	`month=(x|2023-13-01|2023%2F06%2F01|2030-13-01)`, `period=(2024-13|24|2024-Q5|bogus)`,
}, "|") + `)(&|$)|^/(api/)?ranking\?group=custom(&lang=en)?$`)

// No parameter a user can pick answers 5xx: every page and JSON endpoint answers 200
// with the numbers or a reason that says what data there is, or, for a value outside a
// parameter's choices, 400 with the reason.
func TestSweepEveryParameterAnswers(t *testing.T) {
	t.Parallel()
	w := etltest.SharedDemo(t)
	app := newApp(t, w, etltest.Home)
	paths := sweepPaths(t, w)
	failed := 0
	spent := map[string]time.Duration{}
	defer func() {
		for k, d := range spent {
			t.Logf("%s: %v", k, d.Round(time.Millisecond))
		}
	}()
	for _, p := range paths {
		start := time.Now()
		status, body := app.get(p)
		base, _, _ := strings.Cut(p, "?")
		spent[base] += time.Since(start)
		// A value outside a parameter's choices, and only such a value, is refused with
		// the reason (400): a value the pickers offer answering 400 fails.
		refused := status == http.StatusBadRequest && sweptBadValue.MatchString(p) && (strings.Contains(body, `"param":`) || strings.Contains(body, `id="error-message"`))
		if status != http.StatusOK && !refused {
			failed++
			if failed <= 20 {
				t.Errorf("GET %s: %d %.200s", p, status, body)
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d requests did not answer 200, or 400 with the reason", failed, len(paths))
	}
	t.Logf("%d requests", len(paths))
}

// Every page answers for every home province, and a page never shows one province's units
// under another's name: the demo's cities, counties, ledger and campaign are Gansu's, so
// for any other home the unit pages say what is missing and how to load it.
func TestSweepEveryPageForEveryHome(t *testing.T) {
	t.Parallel()
	w := etltest.SharedDemo(t)
	regions, err := w.Regions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range regions {
		if r.Level != "province" || r.Code == etltest.Home {
			continue
		}
		app := newApp(t, w, r.Code)
		for _, p := range []string{"/", "/ranking", "/counties", "/ecology", "/campaign", "/api/counties", "/api/ecology", "/api/campaign", "/api/cockpit", "/api/ranking"} {
			status, body := app.get(p)
			checked++
			if status != http.StatusOK {
				t.Errorf("home %s GET %s: %d %.200s", r.Code, p, status, body)
				continue
			}
			// 兰州 and 七里河 are Gansu's units; they have no place on another home's pages.
			if strings.Contains(body, "兰州") || strings.Contains(body, "七里河") {
				t.Errorf("home %s GET %s shows Gansu's units", r.Code, p)
			}
			if strings.Contains(p, "counties") || strings.Contains(p, "ecology") || strings.Contains(p, "campaign") {
				if !strings.Contains(body, "missing-home") && !strings.Contains(body, `"missing"`) {
					t.Errorf("home %s GET %s does not say what is missing", r.Code, p)
				}
			}
		}
	}
	if checked < 300 {
		t.Fatalf("only %d pages checked", checked)
	}
}
