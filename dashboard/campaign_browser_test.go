package dashboard_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jinwei/etl/etltest"
)

// In a real browser a county's row opens its breakdown (raw, normalised, points per item)
// and the hint; the methodology page draws; the console stays clean.
func TestCampaignBreakdownInBrowser(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	s := browser(t)
	s.open(t, "campaign-counties", srv.URL+"/campaign?kind=county&month=2024-06-01")
	if v := s.eval(t, `String(document.querySelector('#score-table details.breakdown').open)`); v != "false" {
		t.Errorf("the breakdown is open before a click")
	}
	if _, err := chromedp.Run(s.step(t), chromedp.Click(chromedp.CSS(`#score-table details.breakdown summary`))); err != nil {
		t.Fatal(err)
	}
	if v := s.eval(t, `String(document.querySelector('#score-table details.breakdown').open && document.querySelector('#score-table details.breakdown table.items').getBoundingClientRect().height > 50)`); v != "true" {
		t.Errorf("the breakdown did not open on a click")
	}
	if txt := s.eval(t, `document.querySelector('#score-table details.breakdown').textContent`); !strings.Contains(txt, "可升至第") && !strings.Contains(txt, "可加") && !strings.Contains(txt, "暂无可提分项") {
		t.Errorf("hint %q", txt)
	}
	s.open(t, "campaign-method", srv.URL+"/campaign/method")
	if txt := s.text(t, "#method-rules"); !strings.Contains(txt, "中位") {
		t.Errorf("method rules %q", txt)
	}
	s.open(t, "campaign-method-en", srv.URL+"/campaign/method?lang=en")
	// On a phone the scorecard (its breakdowns open) and the method fit the screen: wide
	// tables scroll inside their boxes.
	s.setViewport(t, phone)
	for _, path := range []string{"/campaign?kind=county", "/campaign/method?lang=en"} {
		s.load(t, srv.URL+path)
		s.eval(t, `(document.querySelectorAll('details.breakdown').forEach(function (d) { d.open = true }), '')`)
		if over := s.eval(t, phoneOverflow); over != "" {
			t.Errorf("%s at 390 px: wider than the screen: %s", path, over)
		}
	}
	s.check(t, srv.URL)
}
