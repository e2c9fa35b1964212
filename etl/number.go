package etl

import (
	"strings"

	"jinwei/warehouse/reasons"
	"jinwei/warehouse/rules"
)

// errMissing marks a cell that statistics offices use to say "no data".
var errMissing = rules.ErrMissing

// parseNumber and toHalfWidth read numbers as statistics offices write them; the rules live
// in warehouse/rules, which the dashboard's report form checks with too.
func parseNumber(s string) (float64, error) { return rules.ParseNumber(s) }

func toHalfWidth(s string) string { return rules.HalfWidth(s) }

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
		return 0, reasons.New("unit %q cannot be converted to the indicator's unit %q", "单位 %q 无法换算为指标的单位 %q", from, to)
	}
	return v * f.scale / t.scale, nil
}
