package dashboard_test

import (
	"strings"
	"testing"

	"jinwei/etl/etltest"
)

// showHomeTip opens the tooltip of the home province's datum in a chart, as hovering it
// does, and waits for the tooltip's source link.
const showHomeTip = `(function (id) {
  var c = echarts.getInstanceByDom(document.getElementById(id));
  var s = c.getOption().series[0].data;
  for (var i = 0; i < s.length; i++) {
    if (s[i] && s[i].lineage && s[i].lineage.indexOf('region=620000') >= 0) {
      c.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: i });
      return String(i);
    }
  }
  return 'none';
})`

// In a real browser, on a desktop and at 390 px, a chart's tooltip names the number's
// source as a link (axe-clean), and the link opens the lineage of that number: the file
// and line it was loaded from.
func TestChartTooltipLeadsToLineageInBrowser(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	s := lookBrowser(t)
	for _, v := range []viewport{desktop, phone} {
		s.setViewport(t, v)
		for _, tc := range []struct{ page, chart, want string }{
			{"/ranking?indicator=gdp_per_capita&group=west12&year=2024", "ranking", "/lineage?indicator=gdp_per_capita&region=620000&year=2024"},
			{"/?map=gdp_per_capita", "china-map", "/lineage?indicator=gdp_per_capita&region=620000&year=2024"},
		} {
			s.load(t, srv.URL+tc.page)
			if i := s.eval(t, showHomeTip+`('`+tc.chart+`')`); i == "none" {
				t.Fatalf("%s: no datum of the home province carries its lineage", tc.chart)
			}
			waitFor(t, s, `String(!!document.querySelector('#`+tc.chart+` a.chart-source'))`, tc.chart+"'s tooltip link at "+v.name)
			if href := s.eval(t, `document.querySelector('#`+tc.chart+` a.chart-source').getAttribute('href')`); href != tc.want {
				t.Errorf("%s at %s: the tooltip links %q, want %q", tc.chart, v.name, href, tc.want)
			}
			// Its number grouped as the tables write it: 52,825 yuan, not 52825.
			if tip := s.eval(t, `document.querySelector('#`+tc.chart+` a.chart-source').parentNode.textContent`); !strings.Contains(tip, "52,825") {
				t.Errorf("%s at %s: the tooltip reads %q, want the value 52,825", tc.chart, v.name, tip)
			}
			s.axe(t, tc.chart+"-tooltip-"+v.name)
		}
		// The map's colour scale too.
		if got := s.eval(t, `(function () { var m = echarts.getInstanceByDom(document.getElementById('china-map')).getOption().visualMap[0]; return m.formatter(m.max) + ' ' + m.formatter(m.min); })()`); got != "228,167 52,825" {
			t.Errorf("the map's colour scale at %s reads %q, want 228,167 52,825", v.name, got)
		}
		s.eval(t, `(document.querySelector('#ranking a.chart-source, #china-map a.chart-source').click(), '')`)
		waitFor(t, s, `String(location.pathname === '/lineage' && !!document.getElementById('lineage-loads'))`, "the lineage page")
		if txt := s.text(t, "#lineage-loads"); !strings.Contains(txt, "province_annual.csv") {
			t.Errorf("the lineage the tooltip opened reads %q; want province_annual.csv and its line", txt)
		}
		// And the numbers printed on the ranking's bars and its national line (read 228167).
		s.load(t, srv.URL+"/ranking?indicator=gdp_per_capita&year=2024")
		if got := s.eval(t, `(function () { var s = echarts.getInstanceByDom(document.getElementById('ranking')).getOption().series[0];
			return s.label.formatter({value: 228167, name: '北京'}) + ' | ' + s.markLine.label.formatter({value: 95749}); })()`); got != "228,167 | 全国 95,749" {
			t.Errorf("the ranking's bar and national labels at %s read %q, want 228,167 | 全国 95,749", v.name, got)
		}
	}
	// The scorecard's bars and tooltip write scores to two decimals as its table does (a
	// bar read 59.3 beside the table's 59.30).
	s.load(t, srv.URL+"/campaign?month=2025-02")
	if got := s.eval(t, `(function () { var o = echarts.getInstanceByDom(document.getElementById('scorecard')).getOption();
		return o.series[0].label.formatter({value: 59.3, name: 'x'}) + ' | ' + o.tooltip[0].formatter([{seriesIndex: 0, seriesName: 'S', marker: '', value: 59.3, data: {}}]); })()`); got != "59.30 | <div>S <b>59.30</b></div>" {
		t.Errorf("the scorecard's bar label and tooltip read %q, want 59.30 in both", got)
	}
	s.check(t, srv.URL)
}
