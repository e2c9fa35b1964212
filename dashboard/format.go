package dashboard

import (
	"cmp"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
)

var templateFuncs = template.FuncMap{
	"num":   formatNumber,
	"exact": exactNumber,
	// withUnit heads a column or a field with its unit: 数值（元）, "Value (yuan)".
	"withUnit":       nameWithUnit,
	"pct":            func(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" },
	"inLang":         inLang,
	"zhOnly":         zhOnly,
	"zhIn":           zhIn,
	"reasonIn":       reasonIn,
	"refusalIn":      refusalIn,
	"saidIn":         saidIn,
	"englishReasons": englishReasons,
	"noteIn":         noteIn,
	"clock":          clock,
	"clockSec":       clockSec,
	"clockOf":        clockOf,
	"day":            day,
}

// clock writes a moment as the province reads it, in Beijing time, to the minute; clockSec
// to the second. Every page writes times so: some wrote UTC and a unit's report history
// Beijing time, and one moment read eight hours apart from page to page. (The API and the
// exports keep UTC with its zone, for programs.)
func clock(t time.Time) string { return t.In(warehouse.ProvinceTime).Format("2006-01-02 15:04") }

// day is the date of t in the province: a token made at 20:00 UTC was made the next day
// there.
func day(t time.Time) string { return t.In(warehouse.ProvinceTime).Format("2006-01-02") }

func clockSec(t time.Time) string { return t.In(warehouse.ProvinceTime).Format("2006-01-02 15:04:05") }

// clockOf is clockSec of a moment the warehouse wrote as text in UTC (an audit entry's, a
// ledger step's); text that does not read as one is shown as it is.
func clockOf(text string) string {
	t, err := time.ParseInLocation("2006-01-02 15:04:05.999999999", text, time.UTC)
	if err != nil {
		return text
	}
	return clockSec(t)
}

// inLang is text given in Chinese and English, in the page's language: the Chinese when
// there is no English.
func inLang(lang, zh, en string) string {
	if lang == langEn && en != "" {
		return en
	}
	return zh
}

// zhOnly says an English page shows such a text in Chinese (inLang found no English):
// the page marks it as Chinese, for readers and screen readers alike.
func zhOnly(lang, zh, en string) bool { return lang == langEn && en == "" && zh != "" }

// noteIn writes a note kept in both languages (a target's, a score item's) in the page's:
// on an English page without the English, the Chinese, marked as Chinese and said to be
// given in Chinese only.
func noteIn(lang, zh, en string) template.HTML {
	if zhOnly(lang, zh, en) {
		return template.HTML(`<span lang="zh-CN">` + template.HTMLEscapeString(zh) + `</span> <span class="why">` + template.HTMLEscapeString(t(lang, "note_zh_only")) + `</span>`)
	}
	return template.HTML(template.HTMLEscapeString(inLang(lang, zh, en)))
}

// reasonIn writes why the loader refused a row in the page's language: the loader words
// each reason in English and, where it can, in Chinese; on a Chinese page without the
// Chinese (a reject stored before there was one, or a reason quoting another program's
// error), the English, marked as English.
func reasonIn(lang, en, zh string) template.HTML {
	switch {
	case lang == langEn:
		return template.HTML(template.HTMLEscapeString(en))
	case zh != "":
		return template.HTML(template.HTMLEscapeString(zh))
	}
	return template.HTML(`<span lang="en">` + template.HTMLEscapeString(en) + `</span>`)
}

// saidIn is a text the loader wrote in English and, where it could, in Chinese
// (warehouse/reasons), as plain text in lang: the English where it has no Chinese.
func saidIn(lang, en, zh string) string { return inLang(lang, cmp.Or(zh, en), en) }

// errorIn is err's message in lang (saidIn).
func errorIn(lang string, err error) string {
	why := reasons.Of(err)
	return saidIn(lang, why.En, why.Zh)
}

// refusalIn is reasonIn for a sentence standing alone (a run's message, why a file was
// refused): the English, where it has no Chinese, is said to be the loader's own words.
func refusalIn(lang, en, zh string) template.HTML {
	out := reasonIn(lang, en, zh)
	if lang != langEn && zh == "" && en != "" {
		out += template.HTML(" <small>" + template.HTMLEscapeString(t(lang, "loader_english")) + "</small>")
	}
	return out
}

// zhIn says an English page shows text that is Chinese (a ledger item's title, a note its
// writer gave in Chinese): at least as many Han characters as Latin letters, as the page
// test judges it, so an English note quoting 销号 stays English. The page marks it, as
// zhOnly does.
func zhIn(lang, text string) bool {
	if lang != langEn {
		return false
	}
	han, latin := 0, 0
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			latin++
		}
	}
	return han > 0 && han >= latin
}

// formatNumber writes v with thousands separators and at most two decimals, trailing zeros
// dropped: 46381 → 46,381; 12345.67 → 12,345.67; 3.3 → 3.3.
func formatNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', 2, 64)
	return grouped(v, strings.TrimRight(strings.TrimRight(s, "0"), "."))
}

// exactNumber writes v with thousands separators and every decimal it has, never in
// exponent form: a value about to be loaded is checked against its file digit for digit
// (1349083.5 → 1,349,083.5; an upload's preview showed 1.3490835e+06). Fifteen significant
// digits, what a float64 holds of a decimal: a unit's conversion leaves noise past them
// (1234.14 亿元 in 万元 is 12341400.000000002).
func exactNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(math.Abs(v), 'g', 15, 64), 64)
	return grouped(v, strconv.FormatFloat(r, 'f', -1, 64))
}

// grouped is s, the digits of |v|, with v's sign and thousands separators.
func grouped(v float64, s string) string {
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && s != "0" {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
