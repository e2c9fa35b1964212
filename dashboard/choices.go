package dashboard

import (
	"fmt"
	"strings"

	"jinwei/warehouse"
)

// choiceError is a parameter outside the values a page knows (kind=bogus, sort=x,
// as_of=yesterday). A link with a typo is a question, not a failure: it answers 200 with a
// reason that names the parameter and the values there are, on the page or in the JSON.
type choiceError struct {
	Param, Value string
	// Choices are the values there are; Format, for a free value (a year, a date), what
	// one looks like instead.
	Choices []string
	Format  string
	// Unfinished, for a period that has not ended, is today; Future, for a day after today,
	// too; Before, for a day before the first report, that report's day.
	Unfinished, Future, Before string
}

func (e *choiceError) Error() string {
	return e.reason(langEn)
}

// reason says it in the page's language.
func (e *choiceError) reason(lang string) string {
	if e.Unfinished != "" {
		return fmt.Sprintf(t(lang, "param_unfinished"), e.Param, e.Value, e.Unfinished)
	}
	if e.Future != "" {
		return fmt.Sprintf(t(lang, "param_future"), e.Param, e.Value, e.Future)
	}
	if e.Before != "" {
		return fmt.Sprintf(t(lang, "param_before"), e.Param, e.Value, e.Before)
	}
	if e.Format != "" {
		return fmt.Sprintf(t(lang, "param_format"), e.Param, e.Value, e.Format)
	}
	return fmt.Sprintf(t(lang, "param_choices"), e.Param, e.Value, strings.Join(e.Choices, ", "))
}

func badChoice(param, value string, choices []string) error {
	return &choiceError{Param: param, Value: value, Choices: choices}
}

func badFormat(param, value, format string) error {
	return &choiceError{Param: param, Value: value, Format: format}
}

func indicatorCodes(inds []warehouse.Indicator) []string {
	codes := make([]string, len(inds))
	for i, x := range inds {
		codes[i] = x.Code
	}
	return codes
}

func groupCodes(groups []warehouse.PeerGroup) []string {
	codes := make([]string, len(groups))
	for i, g := range groups {
		codes[i] = g.Code
	}
	return codes
}
