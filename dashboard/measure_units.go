package dashboard

import (
	"fmt"
	"slices"
)

// measureUnits are the units of measure the indicators and campaign metrics are loaded
// with (their files write them in Chinese). A page in English names them in English; a unit
// not listed here (a new file's) is shown as the file wrote it.
var measureUnits = []string{"元", "万元", "亿元", "万人", "个", "项", "次", "学时", "户", "家", "件", "上年=100"}

// unitWord is unit as a page in lang names it: 亿元 on a Chinese page, "100 million yuan"
// on an English one.
func unitWord(unit, lang string) string {
	if slices.Contains(measureUnits, unit) {
		return t(lang, "measure_"+unit)
	}
	return unit
}

func init() { templateFuncs["unit"] = unitWord }

// nameWithUnit is a name with its unit in brackets: 人均地区生产总值（元）, "GDP per capita
// (yuan)"; inside the name's own bracket if it ends in one.
func nameWithUnit(name, unit, lang string) string {
	return qualified(name, lang, unitWord(unit, lang))
}

// withUnit writes a number with its unit as prose has it: 52825元 and 5.8% in Chinese,
// "52825 yuan" and "5.8%" in English; an English unit that starts with a number is put in
// brackets, "13,020.5 (100 million yuan)", which read as two numbers side by side.
func withUnit(number, unit, lang string) string {
	if lang != langEn || unit == "%" || unit == "" {
		return number + unitWord(unit, lang)
	}
	if w := unitWord(unit, lang); w != "" && w[0] >= '0' && w[0] <= '9' {
		return number + fmt.Sprintf(t(lang, "in_parens"), w)
	}
	return number + " " + unitWord(unit, lang)
}
