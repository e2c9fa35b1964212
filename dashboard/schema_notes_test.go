package dashboard_test

import (
	"context"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"jinwei/dashboard"
	"jinwei/etl/etltest"
)

// The console's schema browser speaks the page's language: the Chinese page showed the
// engine's English notes ("first day of the reported month"), the English one 学习/执行/效能.
// Every note on a Chinese page holds Chinese, every note on an English page English words,
// and the notes file names only tables and columns there are.
func TestSchemaNotesInThePagesLanguage(t *testing.T) {
	w := etltest.SharedDemo(t)
	schema, err := w.Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range schema {
		names = append(names, tb.Name)
		for _, c := range tb.Columns {
			names = append(names, tb.Name+"."+c.Name)
		}
	}
	notes, err := dashboard.SchemaNotes()
	if err != nil {
		t.Fatal(err)
	}
	for lang, byName := range notes {
		for name := range byName {
			if !slices.Contains(names, name) {
				t.Errorf("schema_notes.toml [%s] names %s, which the schema browser does not show", lang, name)
			}
		}
	}
	english := regexp.MustCompile(`[A-Za-z]{3,}`)
	f := newAuthServer(t)
	analyst, _ := f.signedIn(t, "analyst")
	for lang, ok := range map[string]func(string) bool{
		"zh": func(s string) bool {
			return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
		},
		"en": english.MatchString,
	} {
		page := pageBody(t, analyst, f.srv.URL+"/console?lang="+lang)
		shown := regexp.MustCompile(`<span class="comment"[^>]*>([^<]*)</span>|<summary title="([^"]*)"`).FindAllStringSubmatch(page, -1)
		if len(shown) < 50 {
			t.Fatalf("the %s console shows %d notes; want the schema's", lang, len(shown))
		}
		for _, m := range shown {
			if note := html.UnescapeString(m[1] + m[2]); note != "" && !ok(note) {
				t.Errorf("the %s console shows a note in the other language: %q", lang, note)
			}
		}
	}
}
