// Package rules holds the checks a reported campaign value passes, whichever way it arrives:
// a file loaded by the ETL or a reporting unit's form on the dashboard. One set of rules, so
// a value a form accepts is one a file would have loaded, and the other way round.
package rules

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"jinwei/warehouse/reasons"
)

// ProblemCategories are the seven kinds of problem the speech names, in its order (1–7).
var ProblemCategories = []string{"麻木僵化不思为", "懒散疲沓不勤为", "能力平庸不善为", "求稳怕乱不敢为", "粗枝大叶不细为", "拈轻怕重不想为", "私心作祟不正为"}

// byCategory are the metrics counted per problem category.
var byCategory = map[string]bool{"problems_found": true, "problems_rectified": true}

// ByCategory says whether metric is reported once per problem category (seven values).
func ByCategory(metric string) bool { return byCategory[metric] }

// Category reads a problem category, 1–7 or its name, for metric: 0 (and text empty or 0)
// for a metric not counted by category.
func Category(text, metric string) (int, error) {
	text = strings.TrimSpace(text)
	if !byCategory[metric] {
		if text != "" && text != "0" {
			return 0, reasons.New("metric %s is not counted by problem category", "指标 %s 不按问题类别统计", metric)
		}
		return 0, nil
	}
	if n, err := strconv.Atoi(text); err == nil && n >= 1 && n <= len(ProblemCategories) {
		return n, nil
	}
	for i, name := range ProblemCategories {
		if strings.Contains(text, name) {
			return i + 1, nil
		}
	}
	return 0, reasons.New("metric %s needs a problem category 1–7 or its name, got %q", "指标 %s 需填问题类别 1–7 或其名称，文件中是 %q", metric, text)
}

// Value reads one campaign value as written: a finite number, not negative (every campaign
// metric is a count or an amount), a whole number when its unit counts things, and at most
// MaxValue. ErrMissing for a blank or a missing mark.
func Value(text, metricName, unit string) (float64, error) {
	v, err := ParseNumber(text)
	switch {
	case errors.Is(err, ErrHuge) && v < 0:
		return 0, reasons.New("%s %w (%s)", "%s%w（%s）", metricName, ErrNegative, text)
	case errors.Is(err, ErrHuge):
		return 0, reasons.New("%s %w (%s)", "%s%w（%s）", metricName, ErrTooLarge, text)
	case errors.Is(err, ErrTiny) && Counts(unit):
		// Told it is too small, a reporter would write 0.000000001, and be told it is no
		// whole number.
		return 0, reasons.New("%s is counted in %s and %w (%s)", "%s以“%s”计，%w（%s）", metricName, unit, ErrNotWhole, text)
	case err != nil:
		return 0, err
	}
	switch {
	case v < 0:
		return 0, reasons.New("%s %w (%v)", "%s%w（%v）", metricName, ErrNegative, v)
	case v > MaxValue:
		return 0, reasons.New("%s %w (%v)", "%s%w（%v）", metricName, ErrTooLarge, v)
	case Counts(unit) && v != math.Trunc(v):
		return 0, reasons.New("%s is counted in %s and %w (%v)", "%s以“%s”计，%w（%v）", metricName, unit, ErrNotWhole, v)
	case v == 0:
		return 0, nil // "-0" is zero, never a value that prints as "-0"
	}
	return v, nil
}

// MaxValue bounds a campaign value: no unit counts ten million of anything in a month, so a
// larger value is a slip of the keyboard (or a hostile one), and a single such value would
// flatten every other unit's score on that metric.
const MaxValue = 1e7

// countUnits are the campaign's units that count things (sessions, tasks, problems,
// enterprises, complaints, households): a value in one of them is a whole number. Hours
// (学时) may be fractional.
var countUnits = map[string]bool{"次": true, "项": true, "个": true, "家": true, "件": true, "户": true, "人": true}

// Counts says whether a campaign unit counts things, so that its values are whole numbers.
func Counts(unit string) bool { return countUnits[unit] }

// ErrNegative is a negative campaign value.
var ErrNegative = reasons.New("cannot be negative", "不能为负数")

// ErrTooLarge is a campaign value above MaxValue.
var ErrTooLarge = reasons.New("is larger than any unit reports in a month", "超过一个单位一个月可能报送的上限")

// ErrNotWhole is a fractional value of a metric that counts things.
var ErrNotWhole = reasons.New("must be a whole number", "须为整数")

// ErrFutureMonth is a report of a month that has not begun.
var ErrFutureMonth = reasons.New("is in the future", "尚未开始")

// Month checks a reported month (its first day) against now: a month that has not begun
// cannot be reported.
func Month(month, now time.Time) error {
	if month.After(now) {
		return reasons.New("month %s %w", "月份 %s %w", month.Format("2006-01"), ErrFutureMonth)
	}
	return nil
}
