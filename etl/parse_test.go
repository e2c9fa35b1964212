package etl

import (
	"math"
	"strings"
	"testing"

	"jinwei/warehouse"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in   string
		want Period
		err  string
	}{
		{"2024", Period{"year", 2024, 0}, ""},
		{"2024年", Period{"year", 2024, 0}, ""},
		{"2024年度", Period{"year", 2024, 0}, ""}, // as yearbooks head their columns; it was refused
		{"２０２４", Period{"year", 2024, 0}, ""},
		{"2024Q1", Period{"quarter", 2024, 1}, ""},
		{"2024年一季度", Period{"quarter", 2024, 1}, ""},
		{"2024年第3季度", Period{"quarter", 2024, 3}, ""},
		{"2024-03", Period{"month", 2024, 3}, ""},
		{"2024年3月", Period{"month", 2024, 3}, ""},
		{"2024年1-3月", Period{"ytd", 2024, 3}, ""},
		{"2024年1—3月", Period{}, "not a year"},
		{"2024年1-12月", Period{"ytd", 2024, 12}, ""},
		{"2024YTD06", Period{"ytd", 2024, 6}, ""},
		{"2024-13", Period{}, "month 13 is out of range"},
		{"1800", Period{}, "out of range"},
		{"last year", Period{}, "not a year"},
		{"", Period{}, "not a year"},
	}
	for _, tc := range tests {
		got, err := parsePeriod(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parsePeriod(%q) = %v, %v; want error containing %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parsePeriod(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

// A period is worded as files write it in English and as Chinese says it: a duplicate's
// reason said "2025 的地区生产总值".
func TestPeriodText(t *testing.T) {
	for _, tc := range []struct {
		p      Period
		en, zh string
	}{
		{Period{"year", 2024, 0}, "2024", "2024年"},
		{Period{"quarter", 2024, 3}, "2024Q3", "2024年第三季度"},
		{Period{"month", 2024, 3}, "2024-03", "2024年3月"},
		{Period{"ytd", 2024, 6}, "2024年1-6月", "2024年1-6月"},
	} {
		if got := tc.p.Text(); got.En != tc.en || got.Zh != tc.zh {
			t.Errorf("%v: %+v, want %q / %q", tc.p, got, tc.en, tc.zh)
		}
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		missing bool
		err     bool
	}{
		{"46381", 46381, false, false},
		{" 1,234.5 ", 1234.5, false, false},
		{"１２，３４５．６", 12345.6, false, false},
		{"-3.3", -3.3, false, false},
		{"－3.3", -3.3, false, false},
		{"—", 0, true, false},
		{"…", 0, true, false},
		{"-", 0, true, false},
		{"", 0, true, false},
		{"12a", 0, false, true},
		{"1e999", 0, false, true},
		{"NaN", 0, false, true},
		{"<script>", 0, false, true},
	}
	for _, tc := range tests {
		got, err := parseNumber(tc.in)
		switch {
		case tc.missing:
			if err != errMissing {
				t.Errorf("parseNumber(%q) = %v, %v; want missing", tc.in, got, err)
			}
		case tc.err:
			if err == nil || err == errMissing {
				t.Errorf("parseNumber(%q) = %v, %v; want an error", tc.in, got, err)
			}
		case err != nil || got != tc.want:
			t.Errorf("parseNumber(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestConvertUnit(t *testing.T) {
	tests := []struct {
		v        float64
		from, to string
		want     float64
		err      bool
	}{
		{5, "", "亿元", 5, false},
		{5, "亿元", "亿元", 5, false},
		{123456, "万元", "亿元", 12.3456, false},
		{1.5, "亿元", "万元", 15000, false},
		{2502, "万人", "人", 25020000, false},
		{5, "%", "亿元", 0, true},
		{5, "万人", "亿元", 0, true},
	}
	for _, tc := range tests {
		got, err := convertUnit(tc.v, tc.from, tc.to)
		if tc.err != (err != nil) || math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("convertUnit(%v, %q, %q) = %v, %v; want %v (error %v)", tc.v, tc.from, tc.to, got, err, tc.want, tc.err)
		}
	}
}

func TestRegionMatcher(t *testing.T) {
	m := newRegionMatcher([]warehouse.Region{
		{Code: "620000", NameZh: "甘肃省", ShortZh: "甘肃"},
		{Code: "640000", NameZh: "宁夏回族自治区", ShortZh: "宁夏"},
		{Code: "620100", NameZh: "兰州市", ShortZh: "兰州"},
		{Code: "622900", NameZh: "临夏回族自治州", ShortZh: "临夏"},
		{Code: "622921", NameZh: "临夏县", ShortZh: "临夏县"},
		{Code: "620200", NameZh: "嘉峪关市", ShortZh: "嘉峪关", Counted: true},
		{Code: "620201", NameZh: "嘉峪关市", ShortZh: "嘉峪关"},
	}, map[string]string{"陇上江南": "621200", "兰州市区": "620100"})
	tests := []struct {
		code, name string
		want       string
		err        string
	}{
		{"620000", "", "620000", ""},
		{"620000", "甘肃省", "620000", ""},
		{"620000", "甘肃", "620000", ""},
		{"620000000000", "", "620000", ""},
		{"", "甘肃", "620000", ""},
		{"", "甘肃省", "620000", ""},
		{"", "宁夏", "640000", ""},
		{"", "宁夏回族自治区", "640000", ""},
		{"", "兰州", "620100", ""},
		{"", "临夏县", "622921", ""},
		{"", "兰州市区", "620100", ""},
		{"", "嘉峪关市", "620200", ""},
		{"620201", "嘉峪关市", "620201", ""},
		{"", "陇上江南", "", "unknown region"},
		{"620000", "陕西省", "", "but the row names"},
		{"999999", "", "", "unknown region code"},
		{"", "火星", "", "unknown region"},
		{"", "", "", "no region"},
		{"", "临夏", "", "ambiguous"},
	}
	for _, tc := range tests {
		got, err := m.match(tc.code, tc.name)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("match(%q, %q) = %v, %v; want error containing %q", tc.code, tc.name, got.Code, err, tc.err)
			}
			continue
		}
		if err != nil || got.Code != tc.want {
			t.Errorf("match(%q, %q) = %v, %v; want %s", tc.code, tc.name, got.Code, err, tc.want)
		}
	}
}

func TestTrimCellTrimsAsTrimSpace(t *testing.T) {
	for _, in := range []string{
		"", " ", "gdp", " gdp ", "亿元", " 亿元", "亿元 ", "\u3000亿元\u3000", "\u00a012.5", "12.5\u00a0",
		"\t兰州\n", "亿元\x01", "\x01gdp", "\xff\xfe", "\u2003 ", "元\u2028",
	} {
		if got, want := trimCell(in), strings.TrimSpace(in); got != want {
			t.Errorf("trimCell(%q) = %q, TrimSpace gives %q", in, got, want)
		}
	}
}
