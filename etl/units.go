package etl

import (
	"regexp"
	"slices"
	"strings"

	"jinwei/warehouse/reasons"
)

// A statistics table says its unit once, above it ("单位：亿元", "计量单位：万人"), in a
// column of its own, or in a header (地区生产总值（亿元）); the values under it are in that
// unit. The mapping need not repeat it, and when it does the two must agree.

// unitLineRe finds a unit line in a normalised cell (NFKC makes the colon half-width).
var unitLineRe = regexp.MustCompile(`(?:计量)?单位:\s*([^\s,;，；)）]+)`)

// indicatorLineRe finds the national data portal's "指标：地区生产总值(亿元)" line.
var indicatorLineRe = regexp.MustCompile(`^指标:\s*(.+)$`)

// unitInText returns the unit a normalised cell states with 单位：, or "".
func unitInText(n string) string {
	if m := unitLineRe.FindStringSubmatch(n); m != nil {
		return m[1]
	}
	return ""
}

// noteAbove reads a row above the header: a unit line sets the file's unit, an 指标 line
// or a title is kept for the report.
func (t *table) noteAbove(cells []string) {
	for i, c := range cells {
		n := normalName(c)
		if n == "" || slices.Contains(cells[:i], c) { // a merged title fills every cell
			continue
		}
		if u := unitInText(n); u != "" {
			t.fileUnit = u
			continue
		}
		if m := indicatorLineRe.FindStringSubmatch(n); m != nil {
			t.indicatorLine = m[1]
			if u := headerUnit(m[1]); u != "" && t.fileUnit == "" {
				t.fileUnit = u
			}
			continue
		}
		t.titles = append(t.titles, n)
	}
}

// applyFileUnits gives the values of a sheet the unit the file states, where no unit column
// does and the mapping fixes none; a unit the mapping fixes that the file contradicts is an
// error naming both.
func (t *table) applyFileUnits(base []string) error {
	if t.unitIdx < 0 || t.keyCols[t.unitIdx] >= 0 {
		return nil
	}
	fixed := normalName(t.m.Fixed["unit"])
	fileUnit, from := t.fileUnit, reasons.New("the unit line above the table", "表上方的单位行").Text
	if vi := t.keyCols[t.valueIdx]; vi >= 0 {
		if u := headerUnit(t.header[vi]); u != "" {
			fileUnit, from = u, reasons.New("the header %q", "表头 %q", t.header[vi]).Text
		}
	}
	if fixed != "" {
		if fileUnit != "" && fileUnit != fixed {
			return reasons.New("the mapping fixes unit %q, but the file says %q (%s)", "读法规定单位为 %q，文件却写 %q（%s）", fixed, fileUnit, from)
		}
		for _, wc := range t.wideCols {
			if wc.unit != "" && wc.unit != fixed {
				return reasons.New("the mapping fixes unit %q, but the file says %q (the header %q)", "读法规定单位为 %q，文件却写 %q（表头 %q）", fixed, wc.unit, t.header[wc.col])
			}
		}
		return nil
	}
	base[t.unitIdx] = fileUnit
	return nil
}

// knownUnits are units a header may name in brackets; anything else in brackets
// (修订前, 不含港澳台) is part of the name.
var knownUnits = map[string]bool{"%": true, "‰": true, "元": true, "万元": true, "亿元": true, "千元": true, "人": true, "万人": true,
	"元/人": true, "吨": true, "万吨": true, "公顷": true, "千公顷": true, "万亩": true, "亩": true, "户": true, "万户": true, "个": true,
	"千瓦时": true, "万千瓦时": true, "亿千瓦时": true, "公里": true, "千米": true, "平方公里": true, "立方米": true, "万立方米": true,
	"亿立方米": true, "上年=100": true, "美元": true, "万美元": true, "亿美元": true, "件": true, "项": true, "岁": true, "年": true,
	"辆": true, "万辆": true, "床": true, "张": true, "所": true, "家": true, "次": true, "万人次": true, "百分点": true, "个百分点": true}

// headerUnit finds a unit written in a header: 地区生产总值（亿元）, or 单位：亿元 in a row of
// a merged header.
func headerUnit(h string) string {
	for _, part := range strings.Split(h, "|") {
		if u := unitInText(part); u != "" {
			return u
		}
		for _, m := range reUnit.FindAllStringSubmatch(part, -1) {
			if u := strings.TrimSpace(m[1]); knownUnits[u] {
				return u
			}
		}
	}
	return ""
}
