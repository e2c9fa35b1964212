package etl

import (
	"strings"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
)

// regionSuffixes are administrative suffixes a file may add or leave off (甘肃省/甘肃,
// 兰州市/兰州), longest first so 回族自治区 is tried before 自治区.
var regionSuffixes = []string{"维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "区", "盟"}

// regionMatcher finds regions by code or by name, with or without suffix.
type regionMatcher struct {
	byCode map[string]warehouse.Region
	byName map[string][]warehouse.Region
}

func newRegionMatcher(regions []warehouse.Region, aliases map[string]string) *regionMatcher {
	m := &regionMatcher{byCode: map[string]warehouse.Region{}, byName: map[string][]warehouse.Region{}}
	for _, r := range regions {
		m.byCode[r.Code] = r
		full, short := normalName(r.NameZh), normalName(r.ShortZh)
		for _, n := range uniq(full, short, trimRegionSuffix(full)) {
			m.byName[n] = append(m.byName[n], r)
		}
	}
	for alias, code := range aliases {
		alias = normalName(alias)
		if r, ok := m.byCode[code]; ok && len(m.byName[alias]) == 0 {
			m.byName[alias] = []warehouse.Region{r}
		}
	}
	return m
}

// match resolves a code and/or a name. When both are given they must agree.
func (m *regionMatcher) match(code, name string) (warehouse.Region, error) {
	if r, ok := m.byCode[code]; ok && name == "" {
		return r, nil // the common case: a clean code alone
	}
	code = strings.TrimSpace(toHalfWidth(code))
	// The name as every name is compared: 北　京 is 北京, 北京市① is 北京市.
	name = normalName(name)
	if code != "" {
		r, ok := m.byCode[normalizeCode(code)]
		if !ok {
			return warehouse.Region{}, reasons.New("unknown region code %q", "未知的地区代码 %q", code)
		}
		if name != "" && !m.sameRegion(r, name) {
			return warehouse.Region{}, reasons.New("region code %s is %s, but the row names %q", "地区代码 %s 是%s，该行写的却是 %q", r.Code, r.NameZh, name)
		}
		return r, nil
	}
	if name == "" {
		return warehouse.Region{}, reasons.New("no region code or name", "缺少地区代码或名称")
	}
	found := m.byName[name]
	if len(found) == 0 {
		found = m.byName[trimRegionSuffix(name)]
	}
	if len(found) > 1 {
		// Placeholders and functional zones (counted = 0, such as 620201 嘉峪关市) share names
		// with real divisions; a name means the real one.
		var counted []warehouse.Region
		for _, r := range found {
			if r.Counted {
				counted = append(counted, r)
			}
		}
		if len(counted) == 1 {
			found = counted
		}
	}
	switch len(found) {
	case 0:
		return warehouse.Region{}, reasons.New("unknown region %q", "未知的地区 %q", name)
	case 1:
		return found[0], nil
	}
	codes := make([]string, len(found))
	for i, r := range found {
		codes[i] = r.Code + " " + r.NameZh
	}
	return warehouse.Region{}, reasons.New("region name %q is ambiguous (%s): give the code", "地区名称 %q 有多个（%s）：请填写代码", name, reasons.List(codes))
}

func (m *regionMatcher) sameRegion(r warehouse.Region, name string) bool {
	for _, c := range append(m.byName[name], m.byName[trimRegionSuffix(name)]...) {
		if c.Code == r.Code {
			return true
		}
	}
	return false
}

// normalizeCode accepts codes written as numbers (620000.0) or with 12-digit statistical
// zero padding (620000000000).
func normalizeCode(code string) string {
	code = strings.TrimSuffix(code, ".0")
	if len(code) == 12 && strings.HasSuffix(code, "000000") {
		code = code[:6]
	}
	return code
}

func trimRegionSuffix(name string) string {
	for _, s := range regionSuffixes {
		if t := strings.TrimSuffix(name, s); t != name && t != "" {
			return t
		}
	}
	return name
}

func uniq(ss ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
