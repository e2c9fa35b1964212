package etl

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// errMissing marks a cell that statistics offices use to say "no data".
var errMissing = errors.New("no value")

// missingMarks are what statistics tables print for "no data".
var missingMarks = map[string]bool{"": true, "—": true, "——": true, "-": true, "--": true, "…": true, "...": true, "……": true, "NA": true, "N/A": true, "null": true, "NULL": true,
	// x: withheld as confidential (the yearbooks' 保密); ×, its typeset form.
	"x": true, "X": true, "×": true, "———": true, "－": true}

// parseNumber reads a number as statistics offices write it: full-width digits and signs,
// thousands separators, surrounding spaces. A missing mark returns errMissing.
func parseNumber(s string) (float64, error) {
	if plainNumber(s) {
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			return v, nil
		}
	}
	s = strings.TrimSpace(toHalfWidth(s))
	if missingMarks[s] {
		return 0, errMissing
	}
	clean := strings.ReplaceAll(s, ",", "")
	clean = strings.ReplaceAll(clean, " ", "")
	v, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if v != v || v > 1e300 || v < -1e300 {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return v, nil
}

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

// toHalfWidth maps full-width ASCII forms (０-９, ．, －, ，, ％ …) to their ASCII forms.
func toHalfWidth(s string) string {
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

// unitScale gives the factor from a unit to its base: 亿元 and 万元 to 元, 万人 to 人.
var unitScale = map[string]struct {
	base  string
	scale float64
}{
	"元":  {"元", 1},
	"万元": {"元", 1e4},
	"亿元": {"元", 1e8},
	"人":  {"人", 1},
	"万人": {"人", 1e4},
}

// convertUnit converts v from unit `from` to unit `to`. An empty from means the file did not
// say, and the value is taken to be in the indicator's unit.
func convertUnit(v float64, from, to string) (float64, error) {
	if from == to || from == "" {
		return v, nil
	}
	from, to = strings.TrimSpace(toHalfWidth(from)), strings.TrimSpace(to)
	if from == "" || from == to {
		return v, nil
	}
	f, okF := unitScale[from]
	t, okT := unitScale[to]
	if !okF || !okT || f.base != t.base {
		return 0, fmt.Errorf("unit %q cannot be converted to the indicator's unit %q", from, to)
	}
	return v * f.scale / t.scale, nil
}
