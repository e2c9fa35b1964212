package etl

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A statistics table's names are typeset, not typed: yearbooks pad two-character names to
// the width of three (北　京, 地  区), cells break lines inside a long header, full-width
// letters and digits stand beside half-width ones, and a trailing ① or * points to a
// footnote. normName reduces every name the ETL compares (regions, indicators, metrics,
// headers, markers and mapping keys) to one form, so a name copied from the file, from the
// mapping or from the dimension tables is the same string.

// noteMarkRe matches a footnote mark at the end of a name: circled or parenthesised
// numbers, asterisks, ※, superscript digits, 注1 / 注① / （注）. It runs before NFKC, which
// would turn ① into a plain 1.
var noteMarkRe = regexp.MustCompile(`(?:[\x{2460}-\x{2473}\x{2474}-\x{2487}\x{2776}-\x{277F}\x{24EB}-\x{24F4}*＊※\x{00B9}\x{00B2}\x{00B3}\x{2070}-\x{2079}]|[（(]注[0-9０-９\x{2460}-\x{2473}]*[）)]|注[0-9０-９\x{2460}-\x{2473}]+)+$`)

// normName returns the name in its one form and the footnote mark it carried ("" for none).
func normName(s string) (name, note string) {
	if plainName(s) {
		return s, ""
	}
	s = strings.TrimPrefix(s, "\ufeff")
	s = strings.TrimFunc(s, isSpace)
	if loc := noteMarkRe.FindStringIndex(s); loc != nil && loc[0] > 0 {
		s, note = s[:loc[0]], s[loc[0]:]
	}
	s = norm.NFKC.String(s)
	return squeezeSpaces(s), note
}

// normalName is normName without the note.
func normalName(s string) string {
	n, _ := normName(s)
	return n
}

// plainName says whether s is ASCII letters, digits, '_', '-' and '.', the common code
// or header that needs no work (codes such as gdp or 620000 on every row).
func plainName(s string) bool {
	if s == "" {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// isSpace is every space a cell holds: ASCII, the ideographic space U+3000, no-break
// spaces, tabs and line breaks, and the zero-width ones word processors leave.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' || r == '\u200b' || r == '\ufeff' || r == '\u2007' || r == '\u202f'
}

// squeezeSpaces removes spaces next to a CJK character (padding inside 北　京, a line break
// inside a long header) and leaves one ASCII space between Latin words (GDP per capita).
func squeezeSpaces(s string) string {
	if !strings.ContainsFunc(s, isSpace) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var prev rune
	pending := false
	for _, r := range s {
		if isSpace(r) {
			pending = true
			continue
		}
		if pending && prev != 0 && prev < utf8.RuneSelf && r < utf8.RuneSelf {
			b.WriteByte(' ')
		}
		pending = false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// rowRole is what a row's name cell says about the row beyond the name.
type rowRole int

const (
	roleItem rowRole = iota
	// roleTotal is a 合计/总计/全省 row: the sum of the rows beside it, not a region.
	roleTotal
	// roleSubItem is a 其中： row, part of the item above it.
	roleSubItem
)

// totalNames are the rows that sum a table; 全国 is not among them, as the nation is a
// region of its own (100000).
var totalNames = map[string]bool{"合计": true, "总计": true, "总计合计": true, "全省": true, "全省合计": true, "全省总计": true, "全市": true, "全市合计": true, "全州": true, "全县": true, "小计": true, "总和": true, "全区": true, "全区合计": true}

// subItemPrefixes open a 其中 row; the rest is the sub-item's own name.
var subItemPrefixes = []string{"其中：", "其中:", "其中", "内：", "内:", "#"}

// rowNameRole reads a normalised name cell: its role and the name with a 其中： taken off.
func rowNameRole(n string) (rowRole, string) {
	if totalNames[n] {
		return roleTotal, n
	}
	for _, p := range subItemPrefixes {
		if rest, ok := strings.CutPrefix(n, p); ok && rest != "" {
			return roleSubItem, rest
		}
	}
	return roleItem, n
}

// indented says whether a raw cell starts with spaces: a sub-item typeset under the row
// above (城镇, 乡村 under a region). Whether it is a region of its own is for the caller.
func indented(raw string) bool {
	r, _ := utf8.DecodeRuneInString(raw)
	return raw != "" && isSpace(r) && strings.TrimFunc(raw, isSpace) != ""
}

// nameCache remembers the normal form of the few distinct names a file repeats on every
// row, so the per-row cost is a map lookup. Bounded: a hostile file of distinct names
// normalises them each time instead of filling memory.
type nameCache struct {
	m map[string]string
}

const maxCachedNames = 50_000

func (c *nameCache) get(s string) string {
	if plainName(s) {
		return s
	}
	if n, ok := c.m[s]; ok {
		return n
	}
	n := normalName(s)
	if c.m == nil {
		c.m = map[string]string{}
	}
	if len(c.m) < maxCachedNames {
		c.m[strings.Clone(s)] = n // not the row's text, which shares a block with others
	}
	return n
}
