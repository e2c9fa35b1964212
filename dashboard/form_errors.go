package dashboard

import (
	"html/template"
	"maps"
	"slices"
	"strings"
)

// fieldErrors says what is wrong with each field of a form, in the page's language, by the
// field's name: a refused form is shown again as it was typed, each fault beside its field.
type fieldErrors map[string]string

// add says what is wrong with field, after what was said of it already.
func (e *fieldErrors) add(lang, field, msg string) {
	if *e == nil {
		*e = fieldErrors{}
	}
	if old := (*e)[field]; old != "" {
		msg = old + t(lang, "sep_clause") + msg
	}
	(*e)[field] = msg
}

// fault marks the field with id whose value was refused: invalid, and described by its
// message (id-error), for a screen reader as the eye sees the message beside it.
func fault(e fieldErrors, field, id string) template.HTMLAttr {
	if e[field] == "" {
		return ""
	}
	return template.HTMLAttr(` aria-invalid="true" aria-describedby="` + template.HTMLEscapeString(id) + `-error"`)
}

// faultNote is the message fault points to, beside the field with id: nothing when the
// field's value was not refused.
func faultNote(e fieldErrors, field, id string) template.HTML {
	if e[field] == "" {
		return ""
	}
	return template.HTML(`<span class="field-error" id="` + template.HTMLEscapeString(id) + `-error">` + template.HTMLEscapeString(e[field]) + `</span>`)
}

func init() { templateFuncs["fault"], templateFuncs["faultNote"] = fault, faultNote }

// String lists the faults field by field, for the audit log.
func (e fieldErrors) String() string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(e)) {
		out = append(out, k+": "+e[k])
	}
	return strings.Join(out, "; ")
}
