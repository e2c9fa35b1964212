package dashboard

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// choiceError is a parameter outside the values a page knows (kind=bogus, sort=x,
// as_of=yesterday, year=1800): 400, with a reason that names the parameter in the reader's
// words and, for a choice, the values there are by name (links on the page, codes in the
// JSON).
type choiceError struct {
	Param, Value string
	// Choices are the values there are, each named in the page's language (Label).
	Choices []option
	// Format, for a free value (a year, a date), is what one looks like; Range, for a
	// number outside what a page shows, the range it shows.
	Format, Range string
	// Unfinished, for a period that has not ended, is today; Future, for a day after today,
	// too; Before, for a day before the first report, that report's day.
	Unfinished, Future, Before string
}

// Error is the reason in English with the codes there are, for scripts and the log (the
// choices' names are in the page's language).
func (e *choiceError) Error() string {
	if len(e.Choices) == 0 {
		return e.reason(langEn)
	}
	return e.reason(langEn) + " Choices: " + strings.Join(e.codes(), ", ") + "."
}

// paramWords are the parameters a page's address can carry, each named in words
// (param_word_*): a leader reads 指标, not indicator.
var paramWords = []string{"indicator", "group", "year", "map", "kind", "filter", "sort", "as_of", "month", "period", "members", "region", "no"}

// reason says what is wrong in the page's language; for a choice, listed says what there is.
func (e *choiceError) reason(lang string) string {
	what := e.Param
	if slices.Contains(paramWords, e.Param) {
		what = t(lang, "param_word_"+e.Param)
	}
	value := e.Value
	// A link's value is anyone's text: a few words of it say which it was.
	if r := []rune(value); len(r) > 40 {
		value = string(r[:40]) + "…"
	}
	subject := fmt.Sprintf(t(lang, "param_subject"), what, e.Param, value)
	switch {
	case e.Unfinished != "":
		return fmt.Sprintf(t(lang, "param_unfinished"), subject, e.Unfinished)
	case e.Future != "":
		return fmt.Sprintf(t(lang, "param_future"), subject, e.Future)
	case e.Before != "":
		return fmt.Sprintf(t(lang, "param_before"), subject, e.Before)
	case e.Range != "":
		return fmt.Sprintf(t(lang, "param_range"), subject, e.Range)
	case e.Format != "":
		return fmt.Sprintf(t(lang, "param_format"), subject, e.Format)
	}
	return fmt.Sprintf(t(lang, "param_choices"), subject)
}

// listed names the choices there are with their codes, for an answer that cannot link them.
func (e *choiceError) listed(lang string) string {
	if len(e.Choices) == 0 {
		return ""
	}
	names := make([]string, len(e.Choices))
	for i, o := range e.Choices {
		names[i] = o.Label
		if o.Label != o.Value {
			names[i] += fmt.Sprintf(t(lang, "in_parens"), o.Value)
		}
	}
	return " " + strings.Join(names, t(lang, "sep_list"))
}

// links are the choices as links: the page's address with the parameter set to each,
// keeping of the rest only what a page reads (paramWords, the language, a wall screen's
// settings), a short value each: every choice's link repeated the whole query, and a 64 KB
// address made a 1 MB page.
func (e *choiceError) links(c echo.Context) []option {
	q := url.Values{}
	for k, vs := range c.Request().URL.Query() {
		if !slices.Contains(paramWords, k) && !slices.Contains(viewParams, k) {
			continue
		}
		for _, v := range vs[:min(len(vs), 31)] { // members: at most every province
			if len(v) <= 64 {
				q.Add(k, v)
			}
		}
	}
	path := ownPath(c)
	links := make([]option, len(e.Choices))
	for i, o := range e.Choices {
		q.Set(e.Param, o.Value)
		links[i] = option{Value: path + "?" + q.Encode(), Label: o.Label}
	}
	return links
}

// viewParams are how a page is shown, not what it shows: kept on its links.
var viewParams = []string{"lang", "screen", "poll", "rotate"}

// codes are the choices' values, as the API lists them.
func (e *choiceError) codes() []string {
	codes := make([]string, len(e.Choices))
	for i, o := range e.Choices {
		codes[i] = o.Value
	}
	return codes
}

func badChoice(param, value string, choices []option) error {
	return &choiceError{Param: param, Value: value, Choices: choices}
}

func badFormat(param, value, format string) error {
	return &choiceError{Param: param, Value: value, Format: format}
}

// Years a page shows: a number outside them is out of range, not badly written.
const firstYear, lastYear = 1949, 2100

// parseYear reads a year parameter: a number from firstYear to lastYear.
func parseYear(param, value string) (int, error) {
	n, err := strconv.Atoi(value)
	if err != nil {
		return 0, badFormat(param, value, "2024")
	}
	if n < firstYear || n > lastYear {
		return 0, &choiceError{Param: param, Value: value, Range: fmt.Sprintf("%d–%d", firstYear, lastYear)}
	}
	return n, nil
}

// named are codes with their names.
func named(codes []string, name func(code string) string) []option {
	opts := make([]option, len(codes))
	for i, c := range codes {
		opts[i] = option{Value: c, Label: name(c)}
	}
	return opts
}

func indicatorChoices(inds []warehouse.Indicator, lang string) []option {
	opts := make([]option, len(inds))
	for i, x := range inds {
		opts[i] = option{Value: x.Code, Label: indicatorName(x, lang)}
	}
	return opts
}

// provinceChoices are the provinces by their short names, as a custom group's picker lists them.
func provinceChoices(regions []warehouse.Region, lang string) []option {
	var opts []option
	for _, r := range regions {
		if r.Level == "province" {
			opts = append(opts, option{Value: r.Code, Label: shortName(r, lang)})
		}
	}
	return opts
}

func groupChoices(groups []warehouse.PeerGroup, lang string) []option {
	opts := make([]option, len(groups))
	for i, g := range groups {
		opts[i] = option{Value: g.Code, Label: groupName(g, lang)}
	}
	return opts
}
