package etl

import "testing"

func TestNormName(t *testing.T) {
	tests := []struct{ in, name, note string }{
		{"北京", "北京", ""},
		{"北　京", "北京", ""},
		{"北  京", "北京", ""},
		{"北\u00a0京", "北京", ""},
		{"内蒙古\n自治区", "内蒙古自治区", ""},
		{"地\t区", "地区", ""},
		{" 　甘肃省 ", "甘肃省", ""},
		{"\ufeff地区", "地区", ""},
		{"北京①", "北京", "①"},
		{"地区生产总值*", "地区生产总值", "*"},
		{"地区生产总值（亿元）注1", "地区生产总值(亿元)", "注1"},
		{"人均GDP(注)", "人均GDP", "(注)"},
		{"备注", "备注", ""},
		{"ＧＤＰ２０２４", "GDP2024", ""},
		{"GDP  per capita", "GDP per capita", ""},
		{"2024年", "2024年", ""},
		{"gdp_per_capita", "gdp_per_capita", ""},
	}
	for _, tc := range tests {
		name, note := normName(tc.in)
		if name != tc.name || note != tc.note {
			t.Errorf("normName(%q) = %q, %q; want %q, %q", tc.in, name, note, tc.name, tc.note)
		}
	}
}

func TestRowNameRole(t *testing.T) {
	tests := []struct {
		in   string
		role rowRole
		rest string
	}{
		{"合计", roleTotal, "合计"},
		{"总计", roleTotal, "总计"},
		{"全省", roleTotal, "全省"},
		{"全国", roleItem, "全国"}, // the nation is a region (100000)
		{normalName("其中：第一产业"), roleSubItem, "第一产业"},
		{"#城镇", roleSubItem, "城镇"},
		{"兰州市", roleItem, "兰州市"},
	}
	for _, tc := range tests {
		role, rest := rowNameRole(tc.in)
		if role != tc.role || rest != tc.rest {
			t.Errorf("rowNameRole(%q) = %v, %q; want %v, %q", tc.in, role, rest, tc.role, tc.rest)
		}
	}
	if !indented("　城镇") || !indented("  乡村") || indented("北　京") || indented("   ") {
		t.Error("indented: a leading space marks a sub-item, inner padding does not")
	}
}

func TestHeaderUnit(t *testing.T) {
	tests := []struct{ in, want string }{
		{"地区生产总值(亿元)", "亿元"},
		{normalName("地区生产总值（亿元）"), "亿元"},
		{"地区生产总值(修订前)", ""},
		{"指标|单位:万人", "万人"},
		{normalName("计量单位：元/人"), "元/人"},
		{"增速(%)", "%"},
		{"2024年", ""},
	}
	for _, tc := range tests {
		if got := headerUnit(tc.in); got != tc.want {
			t.Errorf("headerUnit(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// A name is normalised once per distinct text, however many rows repeat it.
func TestNameCacheNormalisesOnce(t *testing.T) {
	var c nameCache
	for range 3 {
		if got := c.get("北　京"); got != "北京" {
			t.Fatalf("get = %q", got)
		}
	}
	if len(c.m) != 1 {
		t.Errorf("cache holds %d names, want 1", len(c.m))
	}
	if got := c.get("620000"); got != "620000" || len(c.m) != 1 {
		t.Errorf("a plain code is its own name and is not cached: %q, %d", got, len(c.m))
	}
}
