package dashboard

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Briefing period kinds: a briefing covers a month, a quarter or a year.
const (
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
	PeriodYear    = "year"
)

// Period is what a briefing covers: 2024, 2024-Q4 or 2024-12.
type Period struct {
	Kind string
	Year int
	// N is the month (1–12) or the quarter (1–4); 0 for a year.
	N int
}

var periodPattern = regexp.MustCompile(`^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$`)

// ParsePeriod reads a period as a briefing's URL writes it: 2024, 2024-Q4 or 2024-12.
func ParsePeriod(s string) (Period, error) {
	m := periodPattern.FindStringSubmatch(s)
	if m == nil {
		return Period{}, periodError{fmt.Sprintf("period %q is not a year (2024), a quarter (2024-Q4) or a month (2024-12)", s)}
	}
	p := Period{Kind: PeriodYear}
	p.Year, _ = strconv.Atoi(m[1])
	switch {
	case m[2] != "":
		p.Kind = PeriodQuarter
		p.N, _ = strconv.Atoi(m[2])
	case m[3] != "":
		p.Kind = PeriodMonth
		p.N, _ = strconv.Atoi(m[3])
	}
	if p.Year < firstYear || p.Year > lastYear {
		return Period{}, periodError{fmt.Sprintf("period %q: year out of range", s)}
	}
	return p, nil
}

// String writes the period as ParsePeriod reads it.
func (p Period) String() string {
	switch p.Kind {
	case PeriodQuarter:
		return fmt.Sprintf("%d-Q%d", p.Year, p.N)
	case PeriodMonth:
		return fmt.Sprintf("%d-%02d", p.Year, p.N)
	}
	return strconv.Itoa(p.Year)
}

// Last is the period's last day.
func (p Period) Last() time.Time {
	month := 12
	switch p.Kind {
	case PeriodQuarter:
		month = p.N * 3
	case PeriodMonth:
		month = p.N
	}
	return time.Date(p.Year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC)
}

// YearOfRecord is the latest year whose annual figures a briefing of the period can
// report: a year's figures exist once the year is over, so a month's or a quarter's
// briefing reports the year before unless the period ends the year.
func (p Period) YearOfRecord() int {
	if p.Last().Month() == time.December {
		return p.Year
	}
	return p.Year - 1
}

// Label names the period in a language: 2024年, 2024年第4季度, 2024年12月.
func (p Period) Label(lang string) string { return periodLabel(p.Kind, p.Year, p.N, lang) }

// periodCumulative is the kind of a figure summed from January to a month (1-3月累计), as
// the warehouse keeps it.
const periodCumulative = "ytd"

// periodLabel names a period of a kind in lang as every page does: 2024年, 2024年第4季度,
// 2024年12月, 2024年1-3月累计; a kind it does not know is named by its year.
func periodLabel(kind string, year, n int, lang string) string {
	switch kind {
	case PeriodQuarter:
		return fmt.Sprintf(t(lang, "period_quarter"), year, n)
	case PeriodMonth:
		return fmt.Sprintf(t(lang, "period_month"), year, n)
	case periodCumulative:
		return fmt.Sprintf(t(lang, "period_cumulative"), year, n)
	}
	return fmt.Sprintf(t(lang, "period_year"), year)
}

func init() { templateFuncs["period"] = periodLabel }

// periodError is a period that cannot be read: the asker's mistake, a 400.
type periodError struct{ msg string }

func (e periodError) Error() string { return e.msg }

// unfinishedPeriod is a period that has not ended yet: the asker's mistake, a 400.
type unfinishedPeriod struct{ period, today string }

func (e unfinishedPeriod) Error() string {
	return fmt.Sprintf("period %s has not ended yet (today is %s): a briefing covers a period once it is over", e.period, e.today)
}
