package scorecard_test

import (
	"fmt"
	"slices"
	"testing"

	"jinwei/warehouse/scorecard"
)

func TestExcesses(t *testing.T) {
	items := []scorecard.Item{
		{Code: "on_time_rate", Formula: scorecard.Rate, Num: "tasks_on_time", Den: "tasks_assigned"},
		{Code: "closed_in_time", Formula: scorecard.Stock, Num: "problems_rectified", Den: "problems_found"},
		{Code: "visits_pc", Formula: scorecard.PerSize, Num: "enterprise_visits"},
	}
	for _, tc := range []struct {
		name  string
		month scorecard.Report
		want  []string
	}{
		{"within", scorecard.Report{"tasks_on_time": 67, "tasks_assigned": 76, "problems_rectified": 20, "problems_found": 25}, nil},
		{"equal is within", scorecard.Report{"tasks_on_time": 76, "tasks_assigned": 76}, nil},
		{"a slip", scorecard.Report{"tasks_on_time": 12345, "tasks_assigned": 123, "problems_rectified": 20, "problems_found": 25}, []string{"on_time_rate 12345>123"}},
		// A stock clears earlier months' cases first: more closed than found this month is
		// a backlog being cleared, not asked about.
		{"a stock's backlog cleared", scorecard.Report{"tasks_on_time": 2, "tasks_assigned": 1, "problems_rectified": 9, "problems_found": 0}, []string{"on_time_rate 2>1"}},
		// The largest value a form takes against none assigned.
		{"none assigned", scorecard.Report{"tasks_on_time": 1e7, "tasks_assigned": 0}, []string{"on_time_rate 1e+07>0"}},
		{"one side unreported", scorecard.Report{"tasks_on_time": 12345, "problems_found": 0}, nil},
		{"a per-size item has no denominator", scorecard.Report{"enterprise_visits": 99}, nil},
	} {
		var got []string
		for _, e := range scorecard.Excesses(items, tc.month) {
			got = append(got, fmt.Sprintf("%s %g>%g", e.Item.Code, e.Num, e.Den))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
