package alerts

import (
	"strings"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/measure"
)

// A rank others share says so in the alert, as on the pages: "居第3位（共31个，3个并列）".
func TestRankNewsSaysATie(t *testing.T) {
	ind := warehouse.Indicator{Code: "gdp_growth", NameZh: "地区生产总值增速", Kind: measure.Rate, PriceBasis: measure.Constant, Direction: measure.HigherBetter}
	now := []place{
		{group: "all31", groupName: "全国31个省份", year: 2024, rank: 3, size: 31, tied: 3, change: 3, comparable: true},
		{group: "west12", groupName: "西部12省区市", year: 2024, rank: 2, size: 12, tied: 1, change: 1, comparable: true},
	}
	subject, body, ok := rankNews("甘肃省", ind, now, map[string][2]int{"all31": {2023, 6}, "west12": {2023, 3}})
	if !ok {
		t.Fatal("no news of two moves")
	}
	// The indicator is named as the pages name it: a growth rate says 实际.
	if !strings.Contains(subject, "地区生产总值增速（实际）排名") {
		t.Errorf("the alert's subject %q does not say the growth is real", subject)
	}
	for _, want := range []string{"全国31个省份中居第3位（共31个，3个并列）", "西部12省区市中居第2位（共12个）", "甘肃省地区生产总值增速（实际）在"} {
		if !strings.Contains(body, want) {
			t.Errorf("the alert lacks %q:\n%s", want, body)
		}
	}
}

// A size neither good nor bad (population) moves up and down its ranking; it does not win
// or lose places (进位/退位), in the subject or the lines.
func TestRankNewsOfASizeSaysItMoved(t *testing.T) {
	now := []place{{group: "all31", groupName: "全国31个省份", year: 2024, rank: 22, size: 31, tied: 1, change: 1, comparable: true}}
	before := map[string][2]int{"all31": {2024, 23}}
	for _, tc := range []struct {
		dir                 int
		subject, line, than string
	}{
		{measure.Neutral, "【名次变动】", "较此前的第23位上移1位", "与上年相比上移1位"},
		{measure.HigherBetter, "【进位】", "较此前的第23位进位1位", "与上年相比进位1位"},
	} {
		ind := warehouse.Indicator{Code: "population", NameZh: "年末常住人口", Kind: measure.Count, Direction: tc.dir}
		subject, body, ok := rankNews("甘肃省", ind, now, before)
		if !ok || !strings.HasPrefix(subject, tc.subject) || !strings.Contains(body, tc.line) || !strings.Contains(body, tc.than) {
			t.Errorf("direction %d: %q / %q, want %q, %q and %q", tc.dir, subject, body, tc.subject, tc.line, tc.than)
		}
	}
}

// Months due with no campaign figures loaded are news, said with the months they are: the
// alert watched the latest month with figures and said nothing of 20 months missing since.
func TestBehindNewsNamesTheMonthsNotLoaded(t *testing.T) {
	for _, tc := range []struct{ latest, due, title, body string }{
		{"2025-02", "2026-10", "【未载入】三抓三促2026-10月报已过截止日期，尚未载入", "此后2025-03至2026-10共20个月的月报已过截止日期，尚未载入。"},
		{"2026-09", "2026-10", "【未载入】三抓三促2026-10月报已过截止日期，尚未载入", "最近已载入的是2026-09月报；2026-10月报已过截止日期，尚未载入。"},
	} {
		title, body := behindNews(tc.latest, tc.due)
		if title != tc.title || !strings.Contains(body, tc.body) {
			t.Errorf("behindNews(%s, %s) = %q, %q; want %q and %q in it", tc.latest, tc.due, title, body, tc.title, tc.body)
		}
	}
}
