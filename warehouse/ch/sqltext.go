package ch

import (
	"regexp"
	"strings"
)

// MaskSQL returns stmt with the insides of string literals, quoted identifiers and comments
// blanked out, byte for byte, so patterns run on the mask match only SQL code while their
// positions still point into stmt. It is not a parser: it knows just enough of ClickHouse's
// lexer (quotes with backslash escapes or doubled quotes, -- and /* */ comments) to keep a
// rewrite out of text it must not touch.
func MaskSQL(stmt string) string {
	b := []byte(stmt)
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '\'' || b[i] == '"' || b[i] == '`':
			q := b[i]
			for i++; i < len(b); i++ {
				if b[i] == '\\' && i+1 < len(b) {
					b[i], b[i+1] = '_', '_'
					i++
					continue
				}
				if b[i] == q {
					if i+1 < len(b) && b[i+1] == q {
						b[i], b[i+1] = '_', '_'
						i++
						continue
					}
					break
				}
				b[i] = '_'
			}
		case b[i] == '-' && i+1 < len(b) && b[i+1] == '-':
			for ; i < len(b) && b[i] != '\n'; i++ {
				b[i] = ' '
			}
		case b[i] == '/' && i+1 < len(b) && b[i+1] == '*':
			end := strings.Index(string(b[i+2:]), "*/")
			stop := len(b)
			if end >= 0 {
				stop = i + 2 + end + 2
			}
			for ; i < stop; i++ {
				b[i] = ' '
			}
			i--
		}
	}
	return string(b)
}

// RewriteSQL replaces every match of re in stmt's code (outside literals and comments) with
// what fn returns. fn gets the match and its groups as written in stmt, unmasked, and may
// fail; the first failure stops the rewrite.
func RewriteSQL(stmt string, re *regexp.Regexp, fn func(groups []string) (string, error)) (string, error) {
	mask := MaskSQL(stmt)
	var out strings.Builder
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(mask, -1) {
		groups := make([]string, len(m)/2)
		for g := range groups {
			if m[2*g] >= 0 {
				groups[g] = stmt[m[2*g]:m[2*g+1]]
			}
		}
		rep, err := fn(groups)
		if err != nil {
			return "", err
		}
		out.WriteString(stmt[last:m[0]])
		out.WriteString(rep)
		last = m[1]
	}
	out.WriteString(stmt[last:])
	return out.String(), nil
}

// QuoteString writes s as a ClickHouse string literal that reads back as exactly s.
func QuoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`\'`)
		case 0:
			b.WriteString(`\0`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// UnwrapType returns T for Wrapper(T).
func UnwrapType(typ, wrapper string) (string, bool) {
	if strings.HasPrefix(typ, wrapper+"(") && strings.HasSuffix(typ, ")") {
		return strings.TrimSpace(typ[len(wrapper)+1 : len(typ)-1]), true
	}
	return "", false
}

// EscapeParam writes a parameter's value as ClickHouse reads parameter text, with backslash
// escapes: unescaped, a line break or a backslash in a value would change or cut it.
func EscapeParam(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(s)
}
