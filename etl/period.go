package etl

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"jinwei/warehouse/reasons"
)

// Period is a reporting period: a year, a quarter, a month, or a cumulative run of months
// from January (year-to-date, "1-3月").
type Period struct {
	Kind string // year, quarter, month, ytd
	Year int
	No   int // quarter 1-4, month 1-12, last month of a ytd range; 0 for a year
}

func (p Period) String() string {
	switch p.Kind {
	case "quarter":
		return fmt.Sprintf("%dQ%d", p.Year, p.No)
	case "month":
		return fmt.Sprintf("%d-%02d", p.Year, p.No)
	case "ytd":
		return fmt.Sprintf("%d年1-%d月", p.Year, p.No)
	}
	return strconv.Itoa(p.Year)
}

// Text is the period in both languages: 2024, 2024Q1, 2024-03 and 2024年1-3月 in English
// (as files write them); 2024年, 2024年第一季度, 2024年3月 and 2024年1-3月 in Chinese.
func (p Period) Text() reasons.Text {
	var zh string
	switch p.Kind {
	case "quarter":
		zh = fmt.Sprintf("%d年第%s季度", p.Year, quarterZh[p.No])
	case "month":
		zh = fmt.Sprintf("%d年%d月", p.Year, p.No)
	case "ytd":
		zh = p.String()
	default:
		zh = fmt.Sprintf("%d年", p.Year)
	}
	return reasons.Text{En: p.String(), Zh: zh}
}

var quarterZh = [...]string{1: "一", 2: "二", 3: "三", 4: "四"}

var (
	reYear    = regexp.MustCompile(`^(\d{4})(?:年度?)?$`)
	reQuarter = regexp.MustCompile(`^(\d{4})年?(?:[-_ ]?[Qq]([1-4])|第?([1-4一二三四])季度?)$`)
	reMonth   = regexp.MustCompile(`^(\d{4})(?:[-/.年])(\d{1,2})月?$`)
	reYTD     = regexp.MustCompile(`^(\d{4})(?:年)?[-_ ]?(?:1|01|一)[-~～至到](\d{1,2}|[一二三四五六七八九十]+)月$`)
	reYTDCode = regexp.MustCompile(`^(\d{4})[-_]?YTD(\d{1,2})$`)
	cnNumber  = map[string]int{"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}
)

// parsePeriod reads the ways statistics files write periods: 2024, 2024年, 2024Q1,
// 2024年一季度, 2024-03, 2024年3月, 2024年1-3月, 2024YTD03.
func parsePeriod(s string) (Period, error) {
	s = strings.ReplaceAll(strings.TrimSpace(toHalfWidth(s)), " ", "")
	var p Period
	switch {
	case reYear.MatchString(s):
		m := reYear.FindStringSubmatch(s)
		p = Period{Kind: "year", Year: atoi(m[1])}
	case reQuarter.MatchString(s):
		m := reQuarter.FindStringSubmatch(s)
		p = Period{Kind: "quarter", Year: atoi(m[1]), No: smallNumber(m[2] + m[3])}
	case reYTD.MatchString(s):
		m := reYTD.FindStringSubmatch(s)
		p = Period{Kind: "ytd", Year: atoi(m[1]), No: smallNumber(m[2])}
	case reYTDCode.MatchString(s):
		m := reYTDCode.FindStringSubmatch(s)
		p = Period{Kind: "ytd", Year: atoi(m[1]), No: atoi(m[2])}
	case reMonth.MatchString(s):
		m := reMonth.FindStringSubmatch(s)
		p = Period{Kind: "month", Year: atoi(m[1]), No: atoi(m[2])}
	default:
		return Period{}, reasons.New("period %q is not a year, quarter, month or 1-N月 range", "时期 %q 不是年、季、月或 1-N月累计", s)
	}
	if p.Year < 1949 || p.Year > 2100 {
		return Period{}, reasons.New("period %q: year %d is out of range", "时期 %q：年份 %d 超出范围", s, p.Year)
	}
	if (p.Kind == "month" || p.Kind == "ytd") && (p.No < 1 || p.No > 12) {
		return Period{}, reasons.New("period %q: month %d is out of range", "时期 %q：月份 %d 超出范围", s, p.No)
	}
	return p, nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func smallNumber(s string) int {
	if n, ok := cnNumber[s]; ok {
		return n
	}
	return atoi(s)
}

// start is the first day of the period (of the year, for a year-to-date range).
func (p Period) start() time.Time {
	switch p.Kind {
	case "quarter":
		return time.Date(p.Year, time.Month(3*p.No-2), 1, 0, 0, 0, 0, time.UTC)
	case "month":
		return time.Date(p.Year, time.Month(p.No), 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(p.Year, 1, 1, 0, 0, 0, 0, time.UTC)
}

var (
	reDate      = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$`)
	reDateShort = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	reClock     = regexp.MustCompile(`^\d{1,2}:\d{2}(:\d{2})?$`)
)

// parseDate reads 2023-06-30, 2023/6/30, 2023年6月30日, 20230630, or a spreadsheet's date
// serial number (days since 1899-12-30).
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(toHalfWidth(s))
	// A spreadsheet's date with time (built-in format 22) is the day it falls on.
	if day, clock, ok := strings.Cut(s, " "); ok && reClock.MatchString(strings.TrimSpace(clock)) {
		s = day
	}
	s = strings.ReplaceAll(s, " ", "")
	m := reDate.FindStringSubmatch(s)
	if m == nil {
		m = reDateShort.FindStringSubmatch(s)
	}
	if m != nil {
		y, mo, d := atoi(m[1]), atoi(m[2]), atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Year() != y || int(t.Month()) != mo || t.Day() != d || y < 1949 || y > 2100 {
			return time.Time{}, reasons.New("%q is not a calendar date", "%q 不是有效日期", s)
		}
		return t, nil
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && n >= 18264 && n < 73051 { // 1950–2100
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n)), nil
	}
	return time.Time{}, reasons.New("%q is not a date (want 2023-06-30 or 2023年6月30日)", "%q 不是日期（应写作 2023-06-30 或 2023年6月30日）", s)
}
