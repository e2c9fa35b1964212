package dashboard

// Language codes the pages speak; Chinese is the default.
const (
	langZh = "zh"
	langEn = "en"
)

// labels are the fixed words on the pages, by language.
var labels = map[string]map[string]string{
	langZh: {
		"app":            "进位 · 省域对标分析",
		"ranking":        "同类省份排名",
		"indicator":      "指标",
		"year":           "年份",
		"group":          "对标组",
		"show":           "查看",
		"rank":           "排名",
		"rank_in_group":  "组内排名",
		"rank_all":       "全国省份排名",
		"rank_change":    "名次变化",
		"up":             "进位 %d",
		"down":           "退位 %d",
		"same":           "持平",
		"no_prev":        "上年无数据",
		"vs_prev_year":   "较 %d 年",
		"ratio_nation":   "相当于全国",
		"nation":         "全国",
		"no_nation":      "全国无此年数据",
		"gap_next":       "距上一名",
		"first":          "已居首位",
		"gap_need":       "需%s %s（%+.1f%%）",
		"increase":       "增加",
		"decrease":       "降低",
		"value":          "数值",
		"region":         "地区",
		"table":          "数据表",
		"source":         "数据来源",
		"loaded":         "载入于",
		"lower_better":   "数值越低越好",
		"higher_better":  "数值越高越好",
		"not_in_group":   "本省不在所选对标组内",
		"no_data":        "所选年份没有数据",
		"home":           "本省",
		"switch_lang":    "English",
		"chart_title":    "%s（%s）%d年",
		"save_image":     "保存为图片",
		"data_view":      "数据视图",
		"unit":           "单位",
		"error":          "出错了",
		"not_found_hint": "请返回并重新选择。",
	},
	langEn: {
		"app":            "Jinwei · Provincial benchmarking",
		"ranking":        "Peer ranking",
		"indicator":      "Indicator",
		"year":           "Year",
		"group":          "Peer group",
		"show":           "Show",
		"rank":           "Rank",
		"rank_in_group":  "Rank in group",
		"rank_all":       "Rank among all provinces",
		"rank_change":    "Rank change",
		"up":             "up %d",
		"down":           "down %d",
		"same":           "unchanged",
		"no_prev":        "no value last year",
		"vs_prev_year":   "vs %d",
		"ratio_nation":   "Share of national",
		"nation":         "National",
		"no_nation":      "no national value for this year",
		"gap_next":       "Gap to next place",
		"first":          "already first",
		"gap_need":       "%s by %s (%+.1f%%)",
		"increase":       "increase",
		"decrease":       "decrease",
		"value":          "Value",
		"region":         "Region",
		"table":          "Data table",
		"source":         "Source",
		"loaded":         "loaded",
		"lower_better":   "lower is better",
		"higher_better":  "higher is better",
		"not_in_group":   "The home province is not in the chosen group",
		"no_data":        "No data for the chosen year",
		"home":           "home",
		"switch_lang":    "中文",
		"chart_title":    "%s (%s), %d",
		"save_image":     "Save as image",
		"data_view":      "Data view",
		"unit":           "Unit",
		"error":          "Something went wrong",
		"not_found_hint": "Go back and choose again.",
	},
}

// t returns the label for key in lang.
func t(lang, key string) string {
	if s, ok := labels[lang][key]; ok {
		return s
	}
	return labels[langZh][key]
}
