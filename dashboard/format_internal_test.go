package dashboard

import (
	"testing"
	"time"
)

// Moments are written in the province's time (UTC+8), whatever the server's zone.
func TestMomentsAreWrittenInProvinceTime(t *testing.T) {
	late := time.Date(2026, 12, 4, 20, 30, 5, 0, time.UTC)
	for _, c := range []struct{ name, got, want string }{
		{"day", day(late), "2026-12-05"},
		{"day of a moment before 16:00 UTC", day(late.Add(-5 * time.Hour)), "2026-12-04"},
		{"day of a moment in another zone", day(time.Date(2026, 12, 4, 23, 0, 0, 0, time.FixedZone("EST", -5*3600))), "2026-12-05"},
		{"clock", clock(late), "2026-12-05 04:30"},
		{"clockSec", clockSec(late), "2026-12-05 04:30:05"},
		{"clockOf UTC text", clockOf("2026-12-04 20:30:05.123"), "2026-12-05 04:30:05"},
		{"clockOf other text", clockOf("yesterday"), "yesterday"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
}

// A note kept in both languages is written in the page's, escaped; on an English page
// without its English, in Chinese, marked and said to be so.
func TestNoteInThePagesLanguage(t *testing.T) {
	for _, c := range []struct{ lang, zh, en, want string }{
		{langZh, "以<全国>为参照", "Against the <nation>", "以&lt;全国&gt;为参照"},
		{langEn, "以<全国>为参照", "Against the <nation>", "Against the &lt;nation&gt;"},
		{langEn, "以<全国>为参照", "", `<span lang="zh-CN">以&lt;全国&gt;为参照</span> <span class="why">(given in Chinese only)</span>`},
		{langEn, "", "", ""},
	} {
		if got := string(noteIn(c.lang, c.zh, c.en)); got != c.want {
			t.Errorf("noteIn(%s, %q, %q) = %q, want %q", c.lang, c.zh, c.en, got, c.want)
		}
	}
}

func TestInSentence(t *testing.T) {
	for _, c := range []struct{ name, lang, want string }{
		{"Per-capita disposable income", langEn, "per-capita disposable income"},
		{"Rural per-capita disposable income", langEn, "rural per-capita disposable income"},
		{"GDP per capita", langEn, "GDP per capita"},
		{"GDP", langEn, "GDP"},
		{"CPI (year before = 100)", langEn, "CPI (year before = 100)"},
		{"retail sales", langEn, "retail sales"},
		{"居民人均可支配收入", langZh, "居民人均可支配收入"},
		{"", langEn, ""},
	} {
		if got := inSentence(c.name, c.lang); got != c.want {
			t.Errorf("inSentence(%q, %s) = %q, want %q", c.name, c.lang, got, c.want)
		}
	}
}
