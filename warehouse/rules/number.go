package rules

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"jinwei/warehouse/reasons"
)

// ErrMissing marks a cell that statistics offices use to say "no data".
var ErrMissing = reasons.New("no value", "没有数值")

// ErrNotNumber is text that reads as no number, or as no finite one.
var ErrNotNumber = reasons.New("not a number", "不是数字")

// ErrHuge is a number past any statistic (beyond ±MaxStatistic): no number a table means.
var ErrHuge = reasons.New("too large to be a statistic (more than 10^15)", "数值过大（超过 10^15），不可能是统计数")

// ErrTiny is a number nearer zero than any statistic without being zero (under
// MinStatistic, or so near that a float holds it as 0): no number a table means either.
var ErrTiny = reasons.New("too small to be a statistic (not zero, yet under 10^-9)", "数值过小（不为零而小于 10^-9），不可能是统计数")

// MaxStatistic and MinStatistic bound a statistic's size in any unit tables use: China's
// GDP in 元 is 1.3e14, and no table prints a billionth. A number past them is a slip, a
// wrong column or a hostile file (1e300 and 1e-320 were accepted and printed in full, as
// hundreds of digits, in an upload's preview).
const MaxStatistic, MinStatistic = 1e15, 1e-9

// missingMarks are what statistics tables print for "no data".
var missingMarks = map[string]bool{"": true, "—": true, "——": true, "-": true, "--": true, "…": true, "...": true, "……": true, "NA": true, "N/A": true, "null": true, "NULL": true,
	// x: withheld as confidential (the yearbooks' 保密); ×, its typeset form.
	"x": true, "X": true, "×": true, "———": true, "－": true}

// ParseNumber reads a number as statistics offices write it: full-width digits and signs,
// thousands separators, surrounding spaces. A missing mark returns ErrMissing; a number
// past ±MaxStatistic returns ErrHuge with ±Inf, its sign; one not zero but nearer zero
// than MinStatistic, ErrTiny.
func ParseNumber(s string) (float64, error) {
	if plainNumber(s) {
		if v, err := strconv.ParseFloat(s, 64); err == nil && statistic(v, s) {
			return v + 0, nil // -0 is 0
		}
	}
	s = strings.TrimSpace(HalfWidth(s))
	if missingMarks[s] {
		return 0, ErrMissing
	}
	// A workbook's formula without its stored result (a program that writes files without
	// calculating them) comes as "=" and the formula: it was read as an empty cell.
	if strings.HasPrefix(s, "=") {
		return 0, reasons.New("%q is %w but a formula: a workbook saved without calculating holds no result for it (open it in Excel or WPS and save it again)",
			"%q %w，而是公式：未经计算保存的工作簿中没有其结果（请用 Excel 或 WPS 打开后重新保存）", Clipped(s, 60), ErrNotNumber)
	}
	clean := strings.ReplaceAll(s, " ", "")
	if strings.Contains(clean, ",") {
		// A comma groups thousands; "3,5" (a decimal comma) or "1,2,3" is no number we
		// can read without guessing, and reading it as 35 or 123 would be a guess.
		if !groupedNumber.MatchString(clean) {
			return 0, reasons.New("%q is %w", "%q %w", s, ErrNotNumber)
		}
		clean = strings.ReplaceAll(clean, ",", "")
	}
	// strconv also reads hexadecimal ("0x1p4"), underscores, "Inf" and "NaN": none is how
	// a statistics table writes a number.
	if !decimalNumber.MatchString(clean) {
		return 0, reasons.New("%q is %w", "%q %w", s, ErrNotNumber)
	}
	// The pattern leaves strconv only numbers, finite or past a float's range (±Inf with
	// ErrRange); the sign of a huge one is returned with ErrHuge.
	v, err := strconv.ParseFloat(clean, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, reasons.New("%q is %w", "%q %w", s, ErrNotNumber)
	}
	switch {
	case statistic(v, clean):
		return v + 0, nil
	case math.Abs(v) > MaxStatistic:
		return math.Copysign(math.Inf(1), v), reasons.New("%q: %w", "%q：%w", s, ErrHuge)
	}
	return 0, reasons.New("%q: %w", "%q：%w", s, ErrTiny)
}

// CheckStatistic says whether a value computed from one read (converted to another unit)
// is within a statistic's bounds: nil, ErrHuge or ErrTiny. 1e15 亿元 is 1e23 元.
func CheckStatistic(v float64) error {
	switch a := math.Abs(v); {
	case a > MaxStatistic:
		return ErrHuge
	case a != 0 && a < MinStatistic:
		return ErrTiny
	}
	return nil
}

// statistic says whether v, read from text, is within the bounds of a statistic: a zero
// read from digits that are not all zero ("1e-400") is a number too small for a float.
func statistic(v float64, text string) bool {
	if v == 0 {
		mantissa, _, _ := strings.Cut(strings.ToLower(text), "e")
		return strings.Trim(mantissa, "0.-+") == ""
	}
	return CheckStatistic(v) == nil
}

// CutPercent takes a trailing percent sign (% or ％, spaces around it allowed) off a number
// as written: "5.2%" in a column of percentages is 5.2. ok says a sign was there.
func CutPercent(s string) (number string, ok bool) {
	number, ok = strings.CutSuffix(strings.TrimSpace(HalfWidth(s)), "%")
	return strings.TrimSpace(number), ok
}

// decimalNumber is a decimal number as written in tables: sign, digits, point, exponent.
var decimalNumber = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// groupedNumber is one with commas between groups of three digits before the point.
var groupedNumber = regexp.MustCompile(`^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$`)

// plainNumber says whether s holds only ASCII digits, a sign and a point: the common case,
// parsed without any cleaning.
func plainNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

// HalfWidth maps full-width ASCII forms (０-９, ．, －, ，, ％ …) to their ASCII forms.
func HalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '！' && r <= '～':
			return r - '！' + '!'
		case r == '\u3000':
			return ' '
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, s)
}

// Clipped is s cut to n characters, marked where it was cut: what a reason quotes of a
// value or a header that may be as long as a cell holds.
func Clipped(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
