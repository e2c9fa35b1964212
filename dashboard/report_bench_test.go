package dashboard_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"jinwei/dashboard"
	"jinwei/dashboard/api"
)

// BenchmarkSubmissionReachesProvince times a unit's submission from the moment it is sent
// to the moment the province's pages show it: the county scorecard with the unit's new
// score, and then the unit's report page as an admin sees it. The yardstick is the issue's: under a
// second. Each round submits a value that moves the unit's score, and both pages have been
// viewed (cached) before it, as on a working day. `make bench` prints the median and the
// worst beside the yardstick.
func BenchmarkSubmissionReachesProvince(b *testing.B) {
	f := newAuthServer(b, reporters(b, map[string]string{"chengguan": "620102"}))
	base := f.srv.URL
	rep := f.client(b)
	signIn(b, rep, base, "chengguan", "chengguan-pw")
	const unit, month = "620102", "2024-05"
	csrf := pageToken(b, rep, base+"/report/"+unit+"/"+month)
	ops, _ := f.signedIn(b, "ops")
	_, body := call(b, rep, "GET", base+"/api/report/"+unit+"/"+month, nil, nil)
	var form dashboard.ReportAnswer
	if err := json.Unmarshal([]byte(body), &form); err != nil || len(form.Fields) == 0 {
		b.Fatalf("report form: %v %.200s", err, body)
	}
	values := map[string]string{}
	for i, fl := range form.Fields {
		values[fl.Key] = strconv.Itoa(10 + i)
	}
	scorecardURL := base + "/api/campaign?kind=county&month=" + month + "-01"
	score := func() float64 {
		_, body := call(b, ops, "GET", scorecardURL, nil, nil)
		var d struct {
			Scorecard api.Scorecard `json:"scorecard"`
		}
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			b.Fatalf("scorecard: %v %.200s", err, body)
		}
		for _, u := range d.Scorecard.Units {
			if u.Code == unit {
				return u.Score
			}
		}
		b.Fatalf("the county scorecard has no %s", unit)
		return 0
	}
	reportShows := func(v string) bool {
		_, body := call(b, ops, "GET", base+"/report/"+unit+"/"+month, nil, nil)
		return containsValue(body, "study_sessions", v)
	}
	var toReport, toScorecard []time.Duration
	round := 0
	for b.Loop() {
		round++
		// Alternate between few and many study sessions: the unit's score moves each time.
		v := strconv.Itoa(1 + (round%2)*5000)
		values["study_sessions"] = v
		before := score()
		reportShows("")
		start := time.Now()
		code, body := call(b, rep, "POST", base+"/api/report/"+unit+"/"+month+"/submit", map[string]string{"X-CSRF-Token": csrf}, dashboard.ReportRequest{Values: values})
		if code != http.StatusOK {
			b.Fatalf("submit: %d %s", code, body)
		}
		for deadline := start.Add(time.Minute); score() == before; time.Sleep(2 * time.Millisecond) {
			if time.Now().After(deadline) {
				b.Fatal("the scorecard never showed the submission")
			}
		}
		toScorecard = append(toScorecard, time.Since(start))
		for deadline := start.Add(time.Minute); !reportShows(v); time.Sleep(2 * time.Millisecond) {
			if time.Now().After(deadline) {
				b.Fatal("the province's report page never showed the submission")
			}
		}
		toReport = append(toReport, time.Since(start))
	}
	b.ReportMetric(median(toScorecard).Seconds(), "s_to_scorecard")
	fmt.Printf("submission → county scorecard showing it: median %v, worst %v; → and the unit's report page: median %v, worst %v (%d rounds; yardstick 1 s)\n",
		median(toScorecard).Round(time.Millisecond), slices.Max(toScorecard).Round(time.Millisecond),
		median(toReport).Round(time.Millisecond), slices.Max(toReport).Round(time.Millisecond), len(toScorecard))
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// reportFieldValue is a report form's input: its key and value.
var reportFieldValue = regexp.MustCompile(`id="f-([^"]+)" name="[^"]+" value="([^"]*)"`)

// containsValue says whether a report page's field key holds v ("" for any value).
func containsValue(page, key, v string) bool {
	m := reportFieldValue.FindAllStringSubmatch(page, -1)
	for _, g := range m {
		if g[1] == key {
			return v == "" || g[2] == v
		}
	}
	return false
}
