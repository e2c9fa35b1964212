package reasons_test

import (
	"errors"
	"fmt"
	"testing"

	"jinwei/warehouse/reasons"
)

var errSentinel = reasons.New("not a number", "不是数字")

func TestNewWordsBothLanguages(t *testing.T) {
	cases := []struct {
		name   string
		r      *reasons.Error
		en, zh string
	}{
		{"plain", reasons.New("unknown region %q", "未知的地区 %q", "火星"), `unknown region "火星"`, `未知的地区“火星”`},
		{"reordered", reasons.New("line %d gives %s", "%[2]s 已见于第 %[1]d 行", 7, "gdp"), "line 7 gives gdp", "gdp 已见于第 7 行"},
		{"nested reason", reasons.New("found date: %v", "发现日期：%v", reasons.New("%q is not a date", "%q 不是日期", "x")),
			`found date: "x" is not a date`, `发现日期：“x”不是日期`},
		{"nested text", reasons.New("a: %v", "甲：%v", reasons.Text{En: "b", Zh: "乙"}), "a: b", "甲：乙"},
		{"wrapped sentinel", reasons.New("%q is %w", "%q %w", "一千", errSentinel), `"一千" is not a number`, `“一千”不是数字`},
		// An error from elsewhere has no Chinese: the reason keeps none rather than mix.
		{"foreign error", reasons.New("found date: %v", "发现日期：%v", errors.New("disk on fire")), "found date: disk on fire", ""},
		{"foreign text", reasons.New("a: %v", "甲：%v", reasons.Text{En: "b"}), "a: b", ""},
		{"empty text", reasons.New("a%v", "甲%v", reasons.Text{}), "a", "甲"},
		// Chinese quotes a value in its own marks, escaping control characters as %q does
		// but not a double quote; an indexed %q too.
		{"quoted", reasons.New("status %q", "状态 %q 不对", "say \"hi\"\x07"), `status "say \"hi\"\a"`, `状态“say "hi"\a”不对`},
		{"indexed quote", reasons.New("%q then %d", "%[2]d，%[1]q", "甲", 2), `"甲" then 2`, `2，“甲”`},
		{"a percent kept", reasons.New("%q is 5%%", "%q 是 5%%", "甲"), `"甲" is 5%`, `“甲”是 5%`},
		// A reason wrapped in other words is that error's, in English only.
		{"wrapped in fmt", reasons.New("a: %v", "甲：%v", fmt.Errorf("ctx: %w", errSentinel)), "a: ctx: not a number", ""},
	}
	for _, c := range cases {
		if c.r.En != c.en || c.r.Zh != c.zh || c.r.Error() != c.en {
			t.Errorf("%s: %q / %q (Error %q), want %q / %q", c.name, c.r.En, c.r.Zh, c.r.Error(), c.en, c.zh)
		}
	}
}

// %w wraps as fmt.Errorf does: a form tells one sentinel from another through the reason.
func TestNewWrapsSentinels(t *testing.T) {
	err := error(reasons.New("%s %w (%v)", "%s%w（%v）", "交办任务数", errSentinel, 2.5))
	if !errors.Is(err, errSentinel) {
		t.Errorf("%v does not wrap the sentinel", err)
	}
	if err := reasons.New("%[2]w of %[1]s", "%[1]s 的 %[2]w", "甲", errSentinel); !errors.Is(err, errSentinel) || err.En != "not a number of 甲" || err.Zh != "甲 的 不是数字" {
		t.Errorf("an indexed %s: %+v", "%w", err)
	}
	other := errors.New("other")
	if err := reasons.New("%v then %w", "%v，%w", other, errSentinel); errors.Is(err, other) || !errors.Is(err, errSentinel) {
		t.Errorf("%s wrapped what a %s verb wrote", "%w", "%v")
	}
	if errors.Is(reasons.New("%q is %v", "%q %v", "x", errSentinel), errSentinel) {
		t.Errorf("a %s verb wrapped its argument; only %s should", "%v", "%w")
	}
}

func TestOf(t *testing.T) {
	if got := reasons.Of(reasons.New("no title", "缺少标题")); got != (reasons.Text{En: "no title", Zh: "缺少标题"}) {
		t.Errorf("Of a reason: %+v", got)
	}
	if got := reasons.Of(fmt.Errorf("load f.csv: %w", errSentinel)); got != (reasons.Text{En: "load f.csv: not a number"}) {
		t.Errorf("Of an error wrapping a reason: %+v, want its own English only", got)
	}
}
