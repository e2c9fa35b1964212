// Package reasons says why a value or a row was refused in the two languages its readers
// use: English, which the loader's log, the command line and the stored reason read, and
// Chinese, kept beside it for the operator's Chinese pages. It owns a reason's two wordings
// and how one reason nests in another ("found date: …"); it never decides what is refused
// (the etl and rules checks do) nor which language a page shows (the dashboard does).
package reasons

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Text is one reason in both languages; Zh is empty where no Chinese wording exists (a
// reason stored before there was one, or one that quotes an error from elsewhere).
type Text struct{ En, Zh string }

// Err is an error saying t.
func (t Text) Err() *Error { return &Error{Text: t} }

// Error is a reason as an error: its message is the English wording.
type Error struct {
	Text
	wrapped []error
}

func (e *Error) Error() string { return e.En }

// Unwrap gives the errors New wrapped with %w, so errors.Is finds a sentinel through the
// reason (a form tells "negative" from "too large" so).
func (e *Error) Unwrap() []error { return e.wrapped }

// New words a reason: en and zh say the same thing with the same arguments (zh may take
// them in another order, %[2]s). An argument that is an error or a Text is written in each
// language as its own wording (an empty Text as nothing); one with no Chinese (an error
// from elsewhere) leaves the whole reason without Chinese, so a page shows it whole in
// English rather than half in each. %w wraps its argument, as in fmt.Errorf.
func New(en, zh string, args ...any) *Error {
	e := &Error{}
	enArgs, zhArgs := make([]any, len(args)), make([]any, len(args))
	whole := true
	for i, a := range args {
		t, isText := textOf(a)
		if !isText {
			enArgs[i], zhArgs[i] = a, a
			continue
		}
		enArgs[i], zhArgs[i] = t.En, t.Zh
		whole = whole && (t.Zh != "" || t.En == "")
	}
	en, wraps, _ := unwrapVerbs(en, false)
	for _, i := range wraps {
		if i < len(args) {
			if err, ok := args[i].(error); ok {
				e.wrapped = append(e.wrapped, err)
			}
		}
	}
	e.En = fmt.Sprintf(en, enArgs...)
	if whole {
		zh, _, quoted := unwrapVerbs(zh, true)
		for _, i := range quoted {
			if i < len(zhArgs) {
				zhArgs[i] = quoteZh(fmt.Sprint(zhArgs[i]))
			}
		}
		e.Zh = fmt.Sprintf(zh, zhArgs...)
	}
	return e
}

// verb finds a formatting verb with its flags, width, precision and argument index.
var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?(\[\d+\])?([a-zA-Z%])`)

// unwrapped holds unwrapVerbs' answers: a load words the same few formats for each of up
// to millions of rejects, and scanning each again costs more than the Sprintf. The formats
// are the program's own literals, so it stays small.
var unwrapped sync.Map // unwrapKey → unwrapping

type unwrapKey struct {
	format string
	zh     bool
}

type unwrapping struct {
	format        string
	wraps, quoted []int
}

// unwrapVerbs is format with each %w written as %v (Sprintf has no %w), and the indexes
// (from 0) of the arguments the %w verbs took. In a Chinese format (zh) each plain %q is
// written “%s”, without the spaces that stood around it, as Chinese quotes a value; quoted
// are the indexes of those arguments, for quoteZh.
func unwrapVerbs(format string, zh bool) (string, []int, []int) {
	key := unwrapKey{format, zh}
	if u, ok := unwrapped.Load(key); ok {
		u := u.(unwrapping)
		return u.format, u.wraps, u.quoted
	}
	u := scanVerbs(format, zh)
	unwrapped.Store(key, u)
	return u.format, u.wraps, u.quoted
}

func scanVerbs(format string, zh bool) unwrapping {
	var u unwrapping
	next := 0
	out := verb.ReplaceAllStringFunc(format, func(m string) string {
		g := verb.FindStringSubmatch(m)
		if g[4] == "%" {
			return m
		}
		index := g[1] + g[3]
		if index != "" {
			next, _ = strconv.Atoi(strings.Trim(index, "[]"))
			next--
		}
		defer func() { next++ }()
		switch {
		case g[4] == "w":
			u.wraps = append(u.wraps, next)
			return m[:len(m)-1] + "v"
		case zh && m == "%"+index+"q":
			u.quoted = append(u.quoted, next)
			return "“%" + index + "s”"
		}
		return m
	})
	if zh {
		out = strings.NewReplacer(" “", "“", "” ", "”").Replace(out)
	}
	u.format = out
	return u
}

// quoteZh writes s for Chinese quotes: as %q would, control characters and broken UTF-8
// escaped, but a double quote left as it is.
func quoteZh(s string) string {
	q := strconv.Quote(s)
	return strings.ReplaceAll(q[1:len(q)-1], `\"`, `"`)
}

// List lists items as each language does: "a, b" and "a、b".
func List(items []string) Text {
	return Text{En: strings.Join(items, ", "), Zh: strings.Join(items, "、")}
}

// Of is err's reason: its own if err is a reason (not one wrapped in other words), else
// its message in English only.
func Of(err error) Text {
	if e, ok := err.(*Error); ok {
		return e.Text
	}
	return Text{En: err.Error()}
}

func textOf(a any) (Text, bool) {
	switch v := a.(type) {
	case Text:
		return v, true
	case error:
		return Of(v), true
	}
	return Text{}, false
}
