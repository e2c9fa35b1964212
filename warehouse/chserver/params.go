package chserver

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"jinwei/warehouse/ch"
)

// minRevisionWithParams is the native protocol revision from which a server takes query
// parameters ({name:Type}) beside the query (ClickHouse 22.x). clickhouse-go silently
// drops parameters for older servers, so jinwei binds them itself there.
const minRevisionWithParams = 54459

// placeholderRe finds {name:Type} in masked SQL; the type may hold parentheses and quotes,
// as in {at:DateTime64(3, 'UTC')}.
var placeholderRe = regexp.MustCompile(`\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]+?)\s*\}`)

// bindOnClient splices params into stmt as literals, for servers too old to take them
// beside the query (Debian's 18.16 among them). The result is what the engine makes of the
// same value (escapeParam's text, read back as the placeholder's type): a String becomes a
// quoted literal of exactly the value, a number the number it parses to, anything else a
// CAST of the quoted value to the placeholder's type, which the server parses. No value can
// end its literal early; the type comes from jinwei's own statement.
func bindOnClient(stmt string, params ch.Params) (string, error) {
	return ch.RewriteSQL(stmt, placeholderRe, func(g []string) (string, error) {
		name, typ := g[1], g[2]
		v, ok := params[name]
		if !ok {
			return "", fmt.Errorf("query parameter %s has no value", name)
		}
		lit, err := paramLiteral(v, typ)
		if err != nil {
			return "", fmt.Errorf("query parameter %s (%s): %w", name, typ, err)
		}
		return lit, nil
	})
}

func paramLiteral(v, typ string) (string, error) {
	base := typ
	for _, wrapper := range []string{"LowCardinality", "Nullable"} {
		if inner, ok := ch.UnwrapType(base, wrapper); ok {
			base = inner
		}
	}
	switch {
	case base == "String":
		return ch.QuoteString(v), nil
	case strings.HasPrefix(base, "Int") || strings.HasPrefix(base, "UInt"):
		bits, err := strconv.Atoi(strings.TrimPrefix(strings.TrimPrefix(base, "U"), "Int"))
		if err != nil || bits > 64 {
			break // Int128 and wider: the server parses the text
		}
		// Written back from the parsed number: the literal is exactly the value checked.
		if strings.HasPrefix(base, "U") {
			n, err := strconv.ParseUint(v, 10, bits)
			if err != nil {
				return "", fmt.Errorf("%q is not a %s", v, base)
			}
			return strconv.FormatUint(n, 10), nil
		}
		n, err := strconv.ParseInt(v, 10, bits)
		if err != nil {
			return "", fmt.Errorf("%q is not a %s", v, base)
		}
		return signedLiteral(strconv.FormatInt(n, 10)), nil
	case base == "Float32" || base == "Float64":
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return "", fmt.Errorf("%q is not a %s", v, base)
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			break // no literal spells these the same on every server version
		}
		return signedLiteral(strconv.FormatFloat(f, 'g', -1, 64)), nil
	}
	return "CAST(" + ch.QuoteString(v) + " AS " + typ + ")", nil
}

// signedLiteral brackets a negative number so `x - {n:Int8}` cannot become `x - -1`.
func signedLiteral(v string) string {
	if strings.HasPrefix(v, "-") {
		return "(" + v + ")"
	}
	return v
}
