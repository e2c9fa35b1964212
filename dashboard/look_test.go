package dashboard_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"jinwei/dashboard"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// axePath is axe-core's script, which `make test` copies from node_modules (package-lock.json)
// for the tests only: jinwei never serves it.
const axePath = "testdata/vendor/axe.min.js"

// viewport is a screen the pages are tried on.
type viewport struct {
	name   string
	w, h   int64
	mobile bool
}

var (
	desktop = viewport{"1440", 1440, 900, false}
	wall    = viewport{"1920", 1920, 1080, false}
	phone   = viewport{"390", 390, 844, true}
)

// axeRun runs axe-core on the page and lists its serious and critical violations, each with
// up to three of the elements at fault.
const axeRun = `axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  return JSON.stringify(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; }).map(function (v) {
    return v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(function (n) { return n.target.join(' ') + ' ' + (n.failureSummary || '').split('\n').slice(1, 2).join(''); }).join(' | ');
  }));
})`

// lookServers are the demo-mode server and the signed-in server, each over a demo
// warehouse of its own: accounts live in the warehouse, and a warehouse with accounts is
// no longer in demo mode.
type lookServers struct {
	w      *warehouse.Warehouse
	demo   *httptest.Server
	signed *authFixture
}

func newLookServers(t *testing.T) lookServers {
	t.Helper()
	w := etltest.Demo(t)
	app, err := dashboard.New(dashboard.Config{HomeRegion: etltest.Home}, w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	// The archive's list with a briefing in it (made without Chromium: the PDF test makes PDFs).
	if _, err := w.ArchiveBrief(context.Background(), warehouse.ArchivedBrief{Period: "2024", Lang: "zh", MadeBy: "ops", DataVersion: 1,
		Headline: "2024年我省人均地区生产总值52825元，居全国第31位。", HTML: "<!DOCTYPE html><title>2024</title>"}); err != nil {
		t.Fatal(err)
	}
	demo := httptest.NewServer(app)
	t.Cleanup(demo.Close)
	// Units send their own files on their report pages, read with the demo's mappings as
	// serve reads them (Config.ReportFiles), so the reporter's form is the one users see.
	sw := etltest.Demo(t)
	// The reporter's unit has reported the month its form opens on, with more tasks done
	// than assigned: its page asks it to check them, and that box is seen too.
	now := time.Now()
	etltest.SubmitForm(t, sw, "620102", dashboard.ReportMonthDefault(now), now, warehouse.ReportCell{Metric: "tasks_assigned", Value: 123}, warehouse.ReportCell{Metric: "tasks_on_time", Value: 12345})
	signed := newAuthServerOn(t, sw, withReportFiles(t, sw), func(c *dashboard.Config) {
		c.Jobs = &opJobs{staged: map[string][]byte{}}
		// A county's reporter (城关区) and the province's verifier, beside the fixture's
		// viewer, analyst and admin: every role signs in.
		for _, u := range []dashboard.User{{Name: "filler", Role: dashboard.RoleReporter, Unit: "620102"}, {Name: "checker", Role: dashboard.RoleVerifier}} {
			h, err := dashboard.HashPassword(u.Name + "-pw")
			if err != nil {
				t.Fatal(err)
			}
			u.PasswordHash = h
			c.Users = append(c.Users, u)
		}
	})
	return lookServers{w: w, demo: demo, signed: signed}
}

// lookBrowser is one chromium for a page test, with axe-core loaded into every document it
// opens.
func lookBrowser(t *testing.T) *session {
	t.Helper()
	// Every page, language, role and width in one browser takes many minutes on a busy
	// machine: the browser lives as long as the test may, and each step is bounded by
	// browserStep instead.
	life := time.Hour
	if d, ok := t.Deadline(); ok {
		life = time.Until(d)
	}
	s := browserFor(t, life, chromedp.Flag("ignore-certificate-errors", true))
	s.loadAxe(t)
	return s
}

// lookTab is a tab of the page test's browser b in a browser context of its own, with
// axe-core loaded into every document it opens.
//
// The tab asks for reduced motion, as a reader may: charts are drawn at once instead of
// animating for a second, which on a 2-core machine is most of a page's drawing time over
// the hundreds of views of the test. The animated charts are seen by the other browser
// tests (TestRankingPageInteractions checks both).
func lookTab(t *testing.T, b *session) *session {
	t.Helper()
	s := b.tab(t)
	s.loadAxe(t)
	s.reduceMotion(t)
	return s
}

// reduceMotion makes the tab's pages match (prefers-reduced-motion: reduce).
func (s *session) reduceMotion(t *testing.T) {
	t.Helper()
	reduce := emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}}
	if _, err := chromedp.Call(s.step(t), emulation.SetEmulatedMedia, reduce); err != nil {
		t.Fatalf("ask for reduced motion: %v", err)
	}
}

func (s *session) loadAxe(t *testing.T) {
	t.Helper()
	src, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core is missing (make test copies it from node_modules): %v", err)
	}
	if _, err := chromedp.Call(s.step(t), page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: string(src)}); err != nil {
		t.Fatalf("load axe-core: %v", err)
	}
}

// setViewport sizes the window as the given screen and lets the charts redraw.
func (s *session) setViewport(t *testing.T, v viewport) {
	t.Helper()
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
	if v.mobile {
		opts = append(opts, chromedp.EmulateMobile)
	}
	if err := chromedp.Do(s.step(t), chromedp.EmulateViewport(v.w, v.h, opts...)); err != nil {
		t.Fatalf("viewport %s: %v", v.name, err)
	}
	// app.js resizes the charts on the window's resize event; give it a frame or two.
	if _, err := chromedp.Run(s.step(t), chromedp.Evaluate[string](`new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(function () { r('') }) }) })`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("wait for a frame: %v", err)
	}
}

// load navigates and waits for the page and its charts.
func (s *session) load(t *testing.T, pageURL string) {
	t.Helper()
	if err := chromedp.Do(s.step(t), chromedp.Navigate(pageURL), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("open %s: %v", pageURL, err)
	}
	s.waitCharts(t, pageURL)
}

// screenshot keeps a PNG of the whole page, or of the screen only (cheaper: a wall's view
// is what people see there).
func (s *session) screenshot(t *testing.T, name string, full bool) {
	t.Helper()
	// Encoded for speed rather than size: the files are larger, and the page test spends
	// less of its time compressing pictures.
	yes := true
	params := page.CaptureScreenshotParams{OptimizeForSpeed: &yes}
	if full {
		params.CaptureBeyondViewport, params.FromSurface = &full, &full
	}
	png, err := chromedp.Run(s.step(t), chromedp.Action[[]byte](func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, tg, page.CaptureScreenshot, params)
		return r.Data, err
	}))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// axe fails the test for each serious or critical accessibility violation on the page.
func (s *session) axe(t *testing.T, what string) {
	t.Helper()
	out, err := chromedp.Run(s.step(t), chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: %v", what, err)
	}
	var violations []string
	if err := json.Unmarshal([]byte(out), &violations); err != nil {
		t.Fatalf("axe on %s answered %q: %v", what, out, err)
	}
	for _, v := range violations {
		t.Errorf("%s: %s", what, v)
	}
}

// look is what the page tests do on each page: draw it, check it with axe-core at desktop
// width, and keep screenshots at 1440 px and the other widths asked for, at each of which
// no two boxes may touch (touchingBoxes). At phone width, whose layout differs (the menu,
// stacked tiles), axe-core runs again, and nothing may make the page wider than the screen
// (tables scroll in their boxes).
func (s *session) look(t *testing.T, name, pageURL string, full bool, widths ...viewport) {
	t.Helper()
	s.setViewport(t, desktop)
	s.load(t, pageURL)
	s.axe(t, name)
	if m := bareKeyOnce(t).FindString(s.eval(t, pageWords)); m != "" {
		t.Errorf("%s shows a label's key where its words belong: %s", name, m)
	}
	if un := s.eval(t, unmarkedChinese); un != "" {
		t.Errorf("%s: Chinese on an English page not marked lang=\"zh-CN\" (screen readers read it as English): %s", name, un)
	}
	if lost := s.eval(t, lostLanguage); lost != "" {
		t.Errorf("%s: links and forms of an English page that lead to Chinese: %s", name, lost)
	}
	if broken := s.eval(t, brokenHeader); broken != "" {
		t.Errorf("%s at 1440 px: %s", name, broken)
	}
	for _, v := range append([]viewport{desktop}, widths...) {
		if v != desktop {
			s.setViewport(t, v)
		}
		if v == phone {
			s.axe(t, name+" at 390 px")
			if over := s.eval(t, phoneOverflow); over != "" {
				t.Errorf("%s at 390 px: wider than the screen: %s", name, over)
			}
			if cut := s.eval(t, cutTitles); cut != "" {
				t.Errorf("%s at 390 px: %s", name, cut)
			}
			if crowded := s.eval(t, crowdedNumbers); crowded != "" {
				t.Errorf("%s at 390 px: numbers printed over each other: %s", name, crowded)
			}
			if unsaid := s.eval(t, unhintedScrolls); unsaid != "" {
				t.Errorf("%s at 390 px: boxes that scroll sideways unsaid or out of a keyboard's reach: %s", name, unsaid)
			}
			if paged := s.eval(t, pagedLegends); paged != "" {
				t.Errorf("%s at 390 px: legends scrolled sideways, their names cut: %s", name, paged)
			}
		}
		// A phone's page is kept whole (narrow, so cheap): what scrolls by is read there too.
		s.screenshot(t, name+"-"+v.name, (v == desktop && full) || v == phone)
		if touching := s.eval(t, touchingBoxes); touching != "" {
			t.Errorf("%s at %s px: boxes one above the other without a gap: %s", name, v.name, touching)
		}
	}
}

// brokenHeader names the header's labels broken over two lines (English broke "Peer /
// ranking", "中 / 文" and "Sign / out" for an admin at 1440 px), and says so when the menu
// itself runs on two lines.
const brokenHeader = `(function () {
  var bad = [];
  document.querySelectorAll('header.top .brand, header.top nav a, header.top .lang, header.top form.logout > *').forEach(function (e) {
    if (e.offsetParent === null) return;
    var r = document.createRange();
    r.selectNodeContents(e);
    var tops = {};
    Array.prototype.forEach.call(r.getClientRects(), function (c) { if (c.width > 0) tops[Math.round(c.top)] = true; });
    if (Object.keys(tops).length > 1) bad.push('"' + e.textContent.trim() + '" is broken over two lines');
  });
  var rows = {};
  document.querySelectorAll('header.top nav a').forEach(function (a) { if (a.offsetParent !== null) rows[Math.round(a.getBoundingClientRect().top)] = true; });
  if (Object.keys(rows).length > 1) bad.push('the menu runs on ' + Object.keys(rows).length + ' lines');
  return bad.join('; ');
})()`

// pageWords is the page's HTML without what is code or data, not words: a column named
// unit_kind in the console's schema is not a label's key.
const pageWords = `(function () {
  var d = document.documentElement.cloneNode(true);
  d.querySelectorAll('code, pre, textarea, script, style').forEach(function (e) { e.remove(); });
  return d.outerHTML;
})()`

// bareKeyOnce is bareKey, made once for the page test's hundreds of pages.
var bareKeyOnce = func() func(t *testing.T) *regexp.Regexp {
	var once sync.Once
	var re *regexp.Regexp
	return func(t *testing.T) *regexp.Regexp {
		once.Do(func() { re = bareKey(t) })
		return re
	}
}()

// unmarkedChinese lists, on an English page, text in Chinese that no lang="zh…" encloses.
// An English sentence that quotes a Chinese term (No report (未报)) is English.
const unmarkedChinese = `(function () {
  if (document.documentElement.lang !== 'en') return '';
  var bad = [], w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), n;
  while ((n = w.nextNode()) && bad.length < 5) {
    var p = n.parentElement;
    var han = (n.data.match(/\p{Script=Han}/gu) || []).length, latin = (n.data.match(/[A-Za-z]/g) || []).length;
    if (han === 0 || han < latin || p.closest('script, style')) continue;
    var l = p.closest('[lang]');
    if (!l || l.lang.indexOf('zh') !== 0) bad.push((p.id ? '#' + p.id : p.tagName.toLowerCase()) + ' "' + n.data.trim().slice(0, 30) + '"');
  }
  return bad.join(', ');
})()`

// lostLanguage lists, on an English page, the links and forms to this site's pages that
// do not ask for English: the menu's links read /ranking?lang%3den, and every click led an
// English reader back to Chinese. The language switch leads to Chinese by design; a link
// that names its page's language (hreflang: an archived briefing is in the language it was
// made in), static files and the API have no language in their address.
const lostLanguage = `(function () {
  if (document.documentElement.lang !== 'en') return '';
  var bad = [];
  document.querySelectorAll('a[href], form[action]').forEach(function (e) {
    var raw = e.getAttribute('href') || e.getAttribute('action');
    if (raw.charAt(0) === '#' || e.id === 'lang-switch' || e.hasAttribute('hreflang')) return;
    var u = new URL(raw, location.href);
    if (u.origin !== location.origin || /^\/(static|api)\//.test(u.pathname)) return;
    // A form sent by GET replaces the query of its action with its fields.
    var english = e.tagName === 'FORM' && e.method === 'get' ? !!e.querySelector('input[name=lang][value=en]') : u.searchParams.get('lang') === 'en';
    if (!english && bad.length < 5) bad.push(e.tagName.toLowerCase() + ' ' + raw);
  });
  return bad.join(', ');
})()`

// cutTitles lists the charts whose title or subtitle is not whole (cut with an ellipsis), runs
// under the toolbox, or ends below where the plot starts: on a phone a scorecard's key to its
// colours was cut at 各项对照本… and an English title at "The seven problem categor…".
const cutTitles = `(function () {
  var bad = [], flat = function (s) { return String(s || '').replace(/\s+/g, ''); };
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var c = echarts.getInstanceByDom(el);
    if (!c) return;
    var want = [].concat(JSON.parse(document.getElementById(el.getAttribute('data-chart')).textContent).title || [])[0] || {};
    var got = (c.getOption().title || [])[0] || {};
    if (flat(got.text) !== flat(want.text) || flat(got.subtext) !== flat(want.subtext) ||
        (got.textStyle || {}).overflow === 'truncate' || (got.subtextStyle || {}).overflow === 'truncate') {
      bad.push(el.id + ' title cut');
      return;
    }
    var model = c.getModel().getComponent('title'), view = model && c.getViewOfComponentModel(model);
    if (!view) return;
    var box = function (e) { var b = e.getBoundingRect().clone(); b.applyTransform(e.getComputedTransform()); return b; };
    var r = box(view.group), line = box(view.group.childAt(0));
    if (line.x + line.width > c.getWidth() - 80) bad.push(el.id + ' title under the toolbox (to ' + Math.round(line.x + line.width) + ' px of ' + c.getWidth() + ')');
    var grid = c.getModel().getComponent('grid');
    if (grid && grid.coordinateSystem && r.y + r.height > grid.coordinateSystem.getRect().y) {
      bad.push(el.id + ' title ends at ' + Math.round(r.y + r.height) + ' px, below the top of the plot at ' + Math.round(grid.coordinateSystem.getRect().y));
    }
  });
  return bad.join('; ');
})()`

// crowdedNumbers lists, chart by chart, numbers drawn over each other: a phone's ranking
// chart read "50,000100,000150,000200,000" along its value axis.
const crowdedNumbers = `(function () {
  var bad = [];
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var c = echarts.getInstanceByDom(el);
    if (!c) return;
    var boxes = c.getZr().storage.getDisplayList().filter(function (e) {
      return (e.type === 'text' || e.type === 'tspan') && !e.invisible && /^[0-9][0-9,.]*%?$/.test(String(e.style.text || '').trim());
    }).map(function (e) {
      var b = e.getBoundingRect().clone();
      b.applyTransform(e.getComputedTransform());
      b.text = e.style.text;
      return b;
    });
    boxes.forEach(function (a, i) {
      boxes.slice(i + 1).forEach(function (b) {
        if (a.intersect(b) && Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 1 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 1 && bad.length < 5) {
          bad.push(el.id + ' ' + a.text + '/' + b.text);
        }
      });
    });
  });
  return bad.join(', ');
})()`

// phoneOverflow lists what makes the document wider than the window.
const phoneOverflow = `(function () {
  var w = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= w) return '';
  var bad = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right > w + 1 && bad.length < 5) bad.push((e.id ? '#' + e.id : e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ? '.' + e.className : '')) + ' ' + Math.round(r.right) + 'px');
  });
  return 'document ' + document.documentElement.scrollWidth + 'px: ' + bad.join(', ');
})()`

// unhintedScrolls names the boxes wider than they show, scrolling sideways, with no line
// above them saying so (the counties' values sat beyond a phone's edge, unseen), or with
// the line over the box's top (the operator tables' first row), or that no keyboard can
// scroll (neither it nor anything in it takes the focus). The code editor's own scroller is
// not a table.
const unhintedScrolls = `(function () {
  var bad = [];
  document.querySelectorAll('main *').forEach(function (e) {
    if (e.closest('.CodeMirror') || e.offsetParent === null || !/auto|scroll/.test(getComputedStyle(e).overflowX) || e.scrollWidth <= e.clientWidth + 1) return;
    var hint = e.previousElementSibling, name = e.id ? '#' + e.id : e.tagName.toLowerCase() + '.' + e.className;
    if ((!hint || !hint.classList.contains('scroll-hint') || hint.hidden) && bad.length < 3) bad.push(name);
    else if (hint.getBoundingClientRect().bottom > e.getBoundingClientRect().top + 1 && bad.length < 3) bad.push(name + ' (its hint printed over it)');
    else if (e.tabIndex < 0 && !e.querySelector('a[href], button, input, select, textarea, summary, [tabindex="0"]') && bad.length < 3) bad.push(name + ' (no keyboard can scroll it)');
  });
  return bad.join(', ');
})()`

// pagedLegends names the charts whose legend scrolls sideways, a page at a time: on a phone
// the ecology page's said "未整改 整改中 退回 已整…  1/2", the colours of the rest unnamed.
const pagedLegends = `(function () {
  var bad = [];
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var c = typeof echarts !== 'undefined' && echarts.getInstanceByDom(el), l = c && (c.getOption().legend || [])[0];
    if (l && l.show !== false && l.type === 'scroll' && bad.length < 3) bad.push('#' + el.id);
  });
  return bad.join(', ');
})()`

// dashboardPages are every page a viewer sees.
var dashboardPages = []struct{ name, path string }{
	{"cockpit", "/"},
	{"ranking", "/ranking"},
	{"counties", "/counties"},
	{"ecology", "/ecology"},
	{"ecology-item", "/ecology/items/GS-EC-0001"},
	{"campaign", "/campaign"},
	{"lineage", "/lineage?indicator=gdp&region=620000&year=2024"},
	{"brief", "/brief"},
	{"briefs", "/briefs"},
}

func withLang(path, lang string) string {
	if lang == "zh" {
		return path
	}
	if strings.Contains(path, "?") {
		return path + "&lang=" + lang
	}
	return path + "?lang=" + lang
}

// navText is the navigation's visible text per language: without the console, with it, and
// with the report status and operator links too (admins).
var navText = map[string][3]string{
	"zh": {"驾驶舱 同类省份排名 县域比较 生态整改 三抓三促 简报", "驾驶舱 同类省份排名 县域比较 生态整改 三抓三促 简报 SQL 控制台",
		"驾驶舱 同类省份排名 县域比较 生态整改 三抓三促 简报 填报进度 SQL 控制台 运维"},
	"en": {"Cockpit Peer ranking Counties Ecology Campaign Briefing", "Cockpit Peer ranking Counties Ecology Campaign Briefing SQL console",
		"Cockpit Peer ranking Counties Ecology Campaign Briefing Report status SQL console Operations"},
}

// printedPages are the pages printed to PDF in each language; every page is laid out for
// paper (printLayout), these go on through chromium's printing: the cockpit with its map
// and the ranking with its tables, on portrait paper in Chinese and landscape in English.
var printedPages = []struct{ name, path string }{dashboardPages[0], dashboardPages[1]}

// paperFor is the paper a page is printed on in the page test: Chinese on portrait,
// English on landscape, so that each page is seen on both.
func paperFor(lang string) viewport {
	if lang == "en" {
		return landscape
	}
	return portrait
}

// touchingBoxes names the white boxes of a page (charts, tables, the targets) that sit one
// right on top of the next: the cockpit's targets ran into its map.
const touchingBoxes = `(function () {
  var boxes = Array.prototype.filter.call(document.querySelectorAll('.chart-box, .targets, .table-view, .card'), function (b) { return b.offsetParent !== null; });
  var bad = [];
  boxes.forEach(function (a) {
    var ra = a.getBoundingClientRect();
    boxes.forEach(function (b) {
      var rb = b.getBoundingClientRect();
      var across = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      var gap = rb.top - ra.bottom;
      if (a !== b && !a.contains(b) && !b.contains(a) && across > 0 && gap > -1 && gap < 4) bad.push((a.id || a.className) + ' / ' + (b.id || b.className));
    });
  });
  return bad.join('; ');
})()`

// brokenLedgerCells lists the ledger's item IDs and statuses shown over more than one line
// (they broke as "GS-EC-/0006" and "In / progress").
const brokenLedgerCells = `(function () {
  var bad = [];
  document.querySelectorAll('#ledger-table tbody td:nth-child(1) a, #ledger-table tbody td:nth-child(8) a').forEach(function (a) {
    if (a.getClientRects().length > 1 && bad.length < 3) bad.push(a.textContent);
  });
  return bad.join(', ');
})()`

// lookDemo opens in one language every page demo mode shows (a viewer's pages, to all) at
// desktop and phone widths (at 1920 px as a wall shows them in lookWall) and laid out for
// paper, and the variants of the pickers.
func (s *session) lookDemo(t *testing.T, demo, lang string) {
	t.Helper()
	for _, p := range dashboardPages {
		s.look(t, "demo-"+p.name+"-"+lang, demo+withLang(p.path, lang), true, phone)
		if p.name == "cockpit" {
			// On a phone each target's state is in sight: the table scrolled sideways and
			// showed the targets' names only.
			s.setViewport(t, phone)
			if got := s.eval(t, `String([].every.call(document.querySelectorAll('#targets .rag'), function (e) { var r = e.getBoundingClientRect(); return r.width > 0 && r.right <= document.documentElement.clientWidth; }) && document.querySelectorAll('#targets .rag').length > 0)`); got != "true" {
				t.Errorf("demo-cockpit-%s at 390 px: a target's state is out of sight", lang)
			}
		}
		if p.name == "ecology" {
			// The status pie names its slices beside them on a screen, and gives only the
			// numbers on a phone, where the names ran off the canvas.
			pieLabel := `(function () { var f = echarts.getInstanceByDom(document.getElementById('ledger-status')).getOption().series[0].label.formatter, p = {name: 'N', value: 1092, seriesName: 'S'};
				return typeof f === 'function' ? f(p) : f.replace('{b}', p.name).replace('{c}', p.value); })()`
			desktopLabel := map[string]string{"zh": "N：1,092", "en": "N: 1,092"}[lang]
			for _, v := range []viewport{phone, desktop} {
				s.setViewport(t, v)
				if got, want := s.eval(t, pieLabel), map[bool]string{true: "1,092", false: desktopLabel}[v == phone]; got != want {
					t.Errorf("demo-ecology-%s at %s px: the status pie's labels read %q, want %q", lang, v.name, got, want)
				}
			}
		}
		_, _, done := s.printLayout(t, "demo-"+p.name+"-"+lang, paperFor(lang))
		done()
		if got := s.eval(t, visibleText+`('header.top nav a')`); got != navText[lang][0] {
			t.Errorf("demo %s nav on %s reads %q, want %q", lang, p.name, got, navText[lang][0])
		}
		if s.eval(t, `document.getElementById('demo-banner').innerText.trim()`) == "" {
			t.Errorf("demo %s %s: the demo banner is empty", lang, p.name)
		}
		if p.name == "ecology" {
			s.setViewport(t, desktop)
			if broken := s.eval(t, brokenLedgerCells); broken != "" {
				t.Errorf("demo-ecology-%s at 1440 px: IDs or statuses broken over lines: %s", lang, broken)
			}
			s.pagedTable(t, "demo-ecology-"+lang, "ledger-table", lang)
		}
	}
	// Opened on a phone (no resize since), a table's box closed and opened again takes its
	// hint away and back: the page listened for that only after a first resize.
	s.setViewport(t, phone)
	s.load(t, demo+withLang("/counties", lang))
	const toggle = `(function () {
  var d = document.querySelector('details.table-view');
  d.open = !d.open;
  return new Promise(function (r) { setTimeout(function () {
    var h = d.previousElementSibling;
    r(String(!!h && h.classList.contains('scroll-hint') && !h.hidden));
  }, 100); });
})()`
	for _, want := range []string{"false", "true"} {
		got, err := chromedp.Run(s.step(t), chromedp.Evaluate[string](toggle, chromedp.EvalAwaitPromise))
		if err != nil || got != want {
			t.Errorf("demo-counties-%s at 390 px: the table's box toggled, its hint shown %s (%v); want %s", lang, got, err, want)
		}
	}
	s.setViewport(t, desktop)
	for _, p := range []struct{ name, path string }{
		{"ranking-custom", "/ranking?indicator=gdp_growth&group=custom&members=340000&members=520000&members=510000&members=500000"},
		{"counties-poverty-growth", "/counties?filter=poverty&sort=growth&indicator=rural_income"},
		{"campaign-departments", "/campaign?kind=department"},
	} {
		s.look(t, "demo-"+p.name+"-"+lang, demo+withLang(p.path, lang), false)
	}
}

// pagedRange is what a long table's pager says of its rows, per language.
var pagedRange = map[string]string{"zh": "第 %d–%d 条，共 %d 条", "en": "%d–%d of %d"}

// pagedTable checks the pager of the long table id on the loaded page: 50 rows at a time,
// the next page, a search that finds a row of the last page, and every row on asking.
func (s *session) pagedTable(t *testing.T, name, id, lang string) {
	t.Helper()
	state := func() (shown int, pager string) {
		out := s.eval(t, fmt.Sprintf(`(function () {
  var t = document.getElementById(%[1]q), p = t.nextElementSibling;
  var shown = Array.prototype.filter.call(t.tBodies[0].rows, function (r) { return r.offsetParent !== null; }).length;
  return shown + '|' + (p.hidden ? '' : p.querySelector('.range').textContent);
})()`, id))
		n, text, _ := strings.Cut(out, "|")
		shown, _ = strconv.Atoi(n)
		return shown, text
	}
	click := func(sel string) {
		if err := chromedp.Do(s.step(t), chromedp.Click(chromedp.CSS("#"+id+" + .table-pager "+sel))); err != nil {
			t.Fatalf("%s: click %s: %v", name, sel, err)
		}
	}
	total, _ := strconv.Atoi(s.eval(t, fmt.Sprintf(`String(document.getElementById(%q).tBodies[0].rows.length)`, id)))
	if total <= 100 {
		t.Fatalf("%s: %d rows in #%s; the pager check wants more than two pages", name, total, id)
	}
	if shown, pager := state(); shown != 50 || pager != fmt.Sprintf(pagedRange[lang], 1, 50, total) {
		t.Errorf("%s: %d of %d rows show, the pager says %q; want the first 50 and %q", name, shown, total, pager, fmt.Sprintf(pagedRange[lang], 1, 50, total))
	}
	click(`[data-go="next"]`)
	if shown, pager := state(); shown != 50 || pager != fmt.Sprintf(pagedRange[lang], 51, 100, total) {
		t.Errorf("%s, next page: %d rows show, the pager says %q", name, shown, pager)
	}
	// throughItem opens the first item shown and comes back, as a reader does.
	throughItem := func() {
		s.eval(t, fmt.Sprintf(`(function () {
  var r = Array.prototype.find.call(document.getElementById(%q).tBodies[0].rows, function (r) { return r.offsetParent !== null && r.querySelector('a[href]'); });
  location.href = r.querySelector('a[href]').href;
  return '';
})()`, id))
		waitFor(t, s, fmt.Sprintf(`String(!document.getElementById(%q) && document.readyState === 'complete')`, id), name+": an item's page")
		if err := chromedp.Do(s.step(t), chromedp.NavigateBack()); err != nil {
			t.Fatalf("%s: back from an item: %v", name, err)
		}
		// Loaded, and its pageshow handled (in the same task as loadEventEnd).
		waitFor(t, s, fmt.Sprintf(`String(!!document.getElementById(%q) && performance.getEntriesByType('navigation')[0].loadEventEnd > 0)`, id), name+": the table again, back from an item")
	}
	// Back from an item of the second page, the reader is on the second page again, in the
	// order they sorted it by (the first column, descending: not the order it came in).
	firstShown := fmt.Sprintf(`Array.prototype.find.call(document.getElementById(%q).tBodies[0].rows, function (r) { return r.offsetParent !== null; }).cells[0].textContent.trim()`, id)
	for _, sorted := range []bool{false, true} {
		if sorted {
			for range 2 {
				if err := chromedp.Do(s.step(t), chromedp.Click(chromedp.CSS("#"+id+" th"))); err != nil {
					t.Fatalf("%s: sort: %v", name, err)
				}
			}
			click(`[data-go="next"]`)
		}
		before := s.eval(t, firstShown)
		throughItem()
		if shown, pager := state(); shown != 50 || pager != fmt.Sprintf(pagedRange[lang], 51, 100, total) || s.eval(t, firstShown) != before {
			t.Errorf("%s, back from an item of the second page (sorted %v): %d rows show from %s (%s before), the pager says %q", name, sorted, shown, s.eval(t, firstShown), before, pager)
		}
	}
	// The last row's first cell, searched for, is found though it is on the last page.
	last := s.eval(t, fmt.Sprintf(`document.getElementById(%q).tBodies[0].rows[%d].cells[0].textContent.trim()`, id, total-1))
	if err := chromedp.Do(s.step(t), chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`input.search[data-table=%q]`, id)), last)); err != nil {
		t.Fatalf("%s: search: %v", name, err)
	}
	if shown, pager := state(); shown < 1 || shown > 50 || pager != "" {
		t.Errorf("%s, searched for %q: %d rows show, the pager says %q; want its rows on one page, no pager", name, last, shown, pager)
	}
	found := s.eval(t, fmt.Sprintf(`Array.prototype.filter.call(document.getElementById(%q).tBodies[0].rows, function (r) { return r.offsetParent !== null; }).map(function (r) { return r.cells[0].textContent.trim(); }).join(' ')`, id))
	if !slices.Contains(strings.Fields(found), last) {
		t.Errorf("%s, searched for %q: the rows shown are %q", name, last, found)
	}
	// Back from an item found so, the search and its rows are as they were.
	searched, _ := state()
	throughItem()
	box := fmt.Sprintf(`document.querySelector('input.search[data-table=%q]').value`, id)
	if shown, pager := state(); shown != searched || pager != "" || s.eval(t, box) != last {
		t.Errorf("%s, back from an item found by %q: %d rows show (%d before), the pager says %q, the box reads %q", name, last, shown, searched, pager, s.eval(t, box))
	}
	s.eval(t, fmt.Sprintf(`(function () { var b = document.querySelector('input.search[data-table=%q]'); b.value = ''; b.dispatchEvent(new Event('input')); return ''; })()`, id))
	click(`[data-go="all"]`)
	if shown, pager := state(); shown != total || pager != "" {
		t.Errorf("%s, show all: %d of %d rows show, the pager says %q", name, shown, total, pager)
	}
}

// lookWall opens every dashboard page as a wall screen in one language.
func (s *session) lookWall(t *testing.T, demo, lang string) {
	t.Helper()
	s.setViewport(t, wall)
	for _, p := range dashboardPages {
		name := "wall-" + p.name + "-" + lang
		sep := "?"
		if strings.Contains(p.path, "?") {
			sep = "&"
		}
		s.load(t, demo+withLang(p.path+sep+"screen=wall", lang))
		s.axe(t, name)
		if bad := s.eval(t, wallCheck); bad != "" {
			t.Errorf("%s: %s", name, bad)
		}
		// The pages a wall turns through are one screen each: nobody scrolls a wall.
		if slices.Contains(wallRotation, p.path) {
			if h := s.eval(t, `String(document.documentElement.scrollHeight)`); h != strconv.FormatInt(wall.h, 10) {
				t.Errorf("%s is %s px tall on a %d px wall", name, h, wall.h)
			}
		}
		s.screenshot(t, name+"-1920", false)
	}
}

// wallRotation is the pages a wall screen turns through (app.js).
var wallRotation = []string{"/", "/ranking", "/counties", "/ecology", "/campaign"}

// lookAsRole signs in as a role and opens its pages in one language at desktop and phone
// widths.
// Signed in, the dashboards differ from demo mode's (every page and language in lookDemo)
// in the header (its links, the name, sign-out) and the footnotes' run ids (an admin's and
// an analyst's). The cockpit stands for them
// for each role, beside the role's own pages: the console for an analyst and an admin, and
// every operator page for an admin. Every account has its own subscriptions page: a
// leader's stands for them.
func (s *session) lookAsRole(t *testing.T, base, role, lang string, adminPages []struct{ name, path string }) {
	t.Helper()
	s.signIn(t, base, role)
	pages, nav := []struct{ name, path string }{dashboardPages[0], {"subscriptions", "/subscriptions"}}, 0
	switch role {
	case "analyst":
		pages, nav = []struct{ name, path string }{dashboardPages[0], {"console", "/console"}}, 1
	case "ops":
		pages, nav = append([]struct{ name, path string }{dashboardPages[0], {"console", "/console"}}, adminPages...), 2
	case "filler":
		// A reporter has its unit's report form and the ledger of its unit's items;
		// its navigation is its own (no province pages), read by axe's link-name.
		pages, nav = []struct{ name, path string }{{"report", "/report"}, {"ecology", "/ecology"}, {"subscriptions", "/subscriptions"}}, -1
	case "checker":
		pages, nav = []struct{ name, path string }{dashboardPages[0], {"reports", "/reports"}}, -1
	}
	for i, p := range pages {
		// The cockpit stands for the dashboards at desktop width. On a phone, phoneMenu
		// below opens a role's menu and checks that nothing, the footnotes' run ids either,
		// is wider than the screen; a role whose menu is not checked so is looked at there.
		widths := []viewport{phone}
		if p.path == "/" && nav >= 0 {
			widths = nil
		}
		s.look(t, role+"-"+p.name+"-"+lang, base+withLang(p.path, lang), false, widths...)
		// The role's own pages are laid out for A4 too (the dashboards' pages are in demo
		// mode); the report a unit signs and files is printed.
		switch {
		case role == "filler" && p.name == "report" && lang == "zh":
			if s.eval(t, `String(!!document.getElementById('report-checks'))`) != "true" {
				t.Errorf("the reporter's page does not ask it to check more tasks done than assigned")
			}
			s.print(t, role+"-"+p.name+"-zh", base+withLang(p.path, lang), portrait)
			s.setViewport(t, desktop)
		case i > 0 || role == "filler":
			_, _, done := s.printLayout(t, role+"-"+p.name+"-"+lang, paperFor(lang))
			done()
			s.setViewport(t, desktop)
		}
		if nav < 0 {
			continue
		}
		if i == 0 {
			s.phoneMenu(t, role+"-menu-"+lang, navText[lang][nav])
		}
		if got := s.eval(t, visibleText+`('header.top nav a')`); got != navText[lang][nav] {
			t.Errorf("%s %s nav on %s reads %q, want %q", role, lang, p.name, got, navText[lang][nav])
		}
		if p.name == "console" {
			s.setViewport(t, desktop)
			if got, w := s.eval(t, visibleText+`('#run, #cancel, #export-label, #save, #draw')`), strings.Join(consoleText[lang], " "); got != w {
				t.Errorf("console buttons in %s read %q, want %q", lang, got, w)
			}
			// The console with a result and its quick chart, as the README shows it.
			turn := consoleTurn(role)
			err := chromedp.Do(s.step(t), chromedp.Click(chromedp.CSS("#run")), chromedp.WaitVisible(chromedp.CSS("#result-table tbody tr")))
			turn.Unlock()
			if err == nil {
				err = chromedp.Do(s.step(t), chromedp.Click(chromedp.CSS("#draw")), chromedp.WaitVisible(chromedp.CSS("#quick-chart canvas")))
			}
			if err != nil {
				t.Fatalf("run a query in the console: %v (the console says %q)", err, s.eval(t, visibleText+`('#status')`))
			}
			s.axe(t, role+"-console-result-"+lang)
			s.screenshot(t, role+"-console-result-"+lang+"-1440", false)
			if role == "analyst" {
				// The console printed with its result and chart.
				_, _, done := s.printLayout(t, role+"-console-result-"+lang, paperFor(lang))
				done()
				s.setViewport(t, desktop)
			}
		}
	}
	s.signOut(t, role)
}

// consoleTurns hold one lock per account for the page test's console runs: the parts of a
// role run side by side in both languages as the same account, and the console refuses an
// account's statement while another of its own runs (as it should), which left the second
// tab waiting three minutes for rows that never came (CI, stop 38).
var consoleTurns sync.Map

// consoleTurn waits for the account's turn at the console and returns its held lock.
func consoleTurn(account string) *sync.Mutex {
	mu, _ := consoleTurns.LoadOrStore(account, new(sync.Mutex))
	m := mu.(*sync.Mutex)
	m.Lock()
	return m
}

// signIn signs the browser in as one of the fixture's users.
func (s *session) signIn(t *testing.T, base, user string) {
	t.Helper()
	err := chromedp.Do(s.step(t), chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#login-user")),
		chromedp.SendKeys(chromedp.CSS("#login-user"), user), chromedp.SendKeys(chromedp.CSS("#login-password"), user+"-pw"),
		chromedp.Click(chromedp.CSS("#login-submit")), chromedp.WaitVisible(chromedp.CSS("#logout")))
	if err != nil {
		t.Fatalf("sign in as %s: %v", user, err)
	}
}

func (s *session) signOut(t *testing.T, user string) {
	t.Helper()
	s.setViewport(t, desktop)
	if err := chromedp.Do(s.step(t), chromedp.Click(chromedp.CSS("#logout")), chromedp.WaitVisible(chromedp.CSS("#login-user"))); err != nil {
		t.Fatalf("sign out %s: %v", user, err)
	}
}

// phoneMenu opens the navigation's menu at phone width: its links (each role's own) show,
// and the opened header stays within the screen.
func (s *session) phoneMenu(t *testing.T, name, want string) {
	t.Helper()
	s.setViewport(t, phone)
	if err := chromedp.Do(s.step(t), chromedp.Click(chromedp.CSS("#menu-toggle")), chromedp.WaitVisible(chromedp.CSS("#main-nav a"))); err != nil {
		t.Fatalf("%s: open the menu: %v", name, err)
	}
	if got := s.eval(t, visibleText+`('#main-nav a')`); got != want {
		t.Errorf("%s reads %q, want %q", name, got, want)
	}
	if over := s.eval(t, phoneOverflow); over != "" {
		t.Errorf("%s: wider than the screen: %s", name, over)
	}
	s.axe(t, name)
	s.screenshot(t, name+"-390", false)
	if _, err := chromedp.Run(s.step(t), chromedp.Click(chromedp.CSS("#menu-toggle"))); err != nil {
		t.Fatalf("%s: close the menu: %v", name, err)
	}
}

// operatorPages are the admin's pages over the demo: its loads, one run with rejects (the
// run with most), schedules, upload and accounts.
func operatorPages(t *testing.T, w *warehouse.Warehouse) []struct{ name, path string } {
	t.Helper()
	runs, err := w.RecentRuns(context.Background(), 1000)
	if err != nil || len(runs) == 0 {
		t.Fatalf("the demo's runs: %d, %v", len(runs), err)
	}
	run := runs[0]
	for _, r := range runs {
		if r.RowsRejected > run.RowsRejected {
			run = r
		}
	}
	return []struct{ name, path string }{{"admin-loads", "/admin/loads"}, {"admin-run", "/admin/loads/" + run.ID},
		{"admin-run-changes", "/admin/loads/" + run.ID + "/changes"}, {"admin-schedules", "/admin/schedules"},
		{"admin-upload", "/admin/upload"}, {"admin-accounts", "/admin/accounts"}, {"admin-alerts", "/admin/alerts"}, {"reports", "/reports"}}
}

// wallWithToken is a wall screen's day: an admin makes a wall-screen token on the accounts
// page and signs out; the screen opens the link shown (asking for the cockpit, polling
// every second), lands on the cockpit's wall view with no token in its address, and, once
// the admin revokes the token, goes back to its sign-in saying why.
func (s *session) wallWithToken(t *testing.T, f *authFixture) {
	s.setViewport(t, desktop)
	s.signIn(t, f.srv.URL, "ops")
	s.load(t, f.srv.URL+"/admin/accounts")
	err := chromedp.Do(s.step(t), chromedp.SetValue(chromedp.CSS("#wall-name"), "wall-hall"), chromedp.Click(chromedp.CSS("#add-wall-token-submit")),
		chromedp.WaitVisible(chromedp.CSS("#wall-link")))
	if err != nil {
		t.Fatalf("make a wall-screen token: %v", err)
	}
	s.axe(t, "admin-accounts-wall-token")
	link := s.text(t, "#wall-link")
	_, token, ok := strings.Cut(link, "#token=")
	if !ok {
		t.Fatalf("wall link %q", link)
	}
	s.signOut(t, "ops")

	s.setViewport(t, wall)
	u := strings.Replace(link, "/wall#", "/wall?next="+url.QueryEscape("/?poll=1")+"#", 1)
	if err := chromedp.Do(s.step(t), chromedp.Navigate(u)); err != nil {
		t.Fatalf("open the wall link: %v", err)
	}
	waitFor(t, s, `String(location.pathname === '/' && document.body.classList.contains('wall') && document.readyState === 'complete')`, "the cockpit's wall view")
	s.load(t, s.eval(t, `location.href`))
	if href := s.eval(t, `location.href`); strings.Contains(href, token) || strings.Contains(href, "token") {
		t.Errorf("the token stayed in the address: %s", href)
	}
	if got := s.eval(t, `String(document.querySelectorAll('.tile').length)`); got == "0" {
		t.Errorf("the wall view shows no cockpit tiles")
	}
	if bad := s.eval(t, wallCheck); bad != "" {
		t.Errorf("wall view signed in with a token: %s", bad)
	}
	s.axe(t, "wall-token-cockpit")
	s.screenshot(t, "wall-token-cockpit-zh-1920", false)

	admin, csrf := f.signedIn(t, "ops")
	sum := sha256.Sum256([]byte(token))
	res, err := admin.PostForm(f.srv.URL+"/admin/tokens/"+hex.EncodeToString(sum[:])[:12]+"/revoke", url.Values{"_csrf": {csrf}})
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("revoke the wall's token: %v %v", res, err)
	}
	res.Body.Close()
	waitFor(t, s, `String(location.pathname === '/wall' && !!document.getElementById('wall-error'))`, "the revoked wall screen to be refused")
	if got, want := s.text(t, "#wall-error"), "本大屏的登录已失效"; !strings.Contains(got, want) {
		t.Errorf("the refused screen says %q, want %q", got, want)
	}
	s.axe(t, "wall-refused")
	s.screenshot(t, "wall-token-refused-zh-1920", false)
}

// A sheet of A4 as the print stylesheet's 12 mm margins leave it, in CSS px: 186 mm (703 px)
// by 273 mm (1032 px), across in portrait and down in landscape.
var (
	portrait  = viewport{"portrait", 703, 1032, false}
	landscape = viewport{"landscape", 1032, 703, false}
)

const a4Width, a4Height = 8.27, 11.69 // inches

// printLayout lays the loaded page out as chromium prints it on p (print media at the
// paper's width) and checks that the navigation, buttons and a report's hints on filling
// it in are gone, every chart fits the paper's width, and the page's title and, on a page
// with pickers or filters, what they chose stand on the first sheet. It returns the title and that line, and done, which puts
// the screen's media back (the window keeps the paper's width). Every page is laid out for
// paper; print takes some of them on through chromium's printing to PDF.
func (s *session) printLayout(t *testing.T, name string, p viewport) (title, context string, done func()) {
	t.Helper()
	s.setViewport(t, p)
	if _, err := chromedp.Call(s.step(t), emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("print media: %v", err)
	}
	done = func() {
		if _, err := chromedp.Call(s.step(t), emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
			t.Fatalf("screen media: %v", err)
		}
	}
	// The charts redraw for the paper's width on the resize that print media brings.
	s.setViewport(t, p)
	check := fmt.Sprintf(`(function () {
  var bad = [], w = %d, h = %d;
  document.querySelectorAll('header.top, form.pickers, form.filters, button, #report-form .hint').forEach(function (e) { if (e.offsetParent !== null) bad.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') + ' shows'); });
  // A long table's pages are for screens: paper has every row.
  document.querySelectorAll('tr.off-page').forEach(function (e) { if (e.offsetParent === null && bad.length < 5) bad.push('a row of ' + e.closest('table').id + ' is left off'); });
  // Nor a hand to open the footnote's fold.
  if (document.querySelector('details.more-sources:not([open])')) bad.push('the footnote folds sources away');
  document.querySelectorAll('[data-chart] canvas').forEach(function (c) {
    var r = c.getBoundingClientRect();
    if (r.right > w + 1 || r.width < w * 0.8) bad.push(c.parentNode.parentNode.id + ' is ' + Math.round(r.width) + ' px wide');
  });
  // The title, and on a page with pickers or filters what they chose (they do not print).
  ['h1', document.querySelector('form.pickers select, form.filters[method=get] select') ? '#print-context' : ''].forEach(function (sel) {
    if (!sel) return;
    var e = document.querySelector(sel);
    if (!e || !e.innerText.trim()) { bad.push(sel + ' is empty'); return; }
    if (sel === '#print-context' && document.documentElement.lang.indexOf('zh') === 0 && e.innerText.indexOf(': ') >= 0) bad.push(sel + ' has an ASCII colon on a Chinese page: ' + e.innerText);
    var bottom = e.getBoundingClientRect().bottom + window.scrollY;
    if (bottom > h) bad.push(sel + ' ends ' + Math.round(bottom) + ' px down, past the first sheet');
  });
  return bad.join('; ');
})()`, p.w, p.h)
	if bad := s.eval(t, check); bad != "" {
		t.Errorf("%s on %s paper: %s", name, p.name, bad)
	}
	title = s.eval(t, `document.querySelector('h1').innerText.trim()`)
	context = s.eval(t, `document.getElementById('print-context').innerText.trim()`)
	return title, context, done
}

// print opens the page, lays it out for paper (printLayout), prints it to PDF with
// chromium, and checks with pdftotext that the first page carries the page's title and
// what the pickers chose; the PDF is kept under test-output/print.
func (s *session) print(t *testing.T, name, pageURL string, p viewport) {
	t.Helper()
	s.setViewport(t, p)
	s.load(t, pageURL)
	title, context, done := s.printLayout(t, name, p)
	defer done()
	pdf, err := chromedp.Call(s.step(t), page.PrintToPDF, page.PrintToPDFParams{Landscape: ptrTo(p == landscape), PaperWidth: a4Width, PaperHeight: a4Height,
		PrintBackground: ptrTo(true)})
	if err != nil {
		t.Fatalf("print %s: %v", name, err)
	}
	dir := filepath.Join("..", "test-output", "print")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, name+"-"+p.name+".pdf")
	if err := os.WriteFile(file, pdf.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	// The sheet the PDF came out on: a stylesheet that names the paper's size can fix it
	// upright whatever the printer is asked for.
	info, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		t.Fatalf("pdfinfo (make test installs poppler-utils): %v", err)
	}
	var w, h float64
	if _, err := fmt.Sscanf(regexp.MustCompile(`Page size:\s+[\d.]+ x [\d.]+`).FindString(string(info)), "Page size: %g x %g", &w, &h); err != nil {
		t.Fatalf("%s: pdfinfo says %q: %v", name, info, err)
	}
	if (w > h) != (p == landscape) {
		t.Errorf("%s: printed %.0f × %.0f pt, want %s", name, w, h, p.name)
	}
	out, err := exec.Command("pdftotext", "-f", "1", "-l", "1", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (make test installs poppler-utils): %v", err)
	}
	// pdftotext spaces glyph runs as the font sets them ("2024 年简报"), so text is
	// compared without white space.
	first := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{title, context} {
		if !strings.Contains(squeeze(first), squeeze(want)) {
			t.Errorf("%s: page 1 of the %s print lacks %q:\n%s", name, p.name, want, first)
		}
	}
}

func ptrTo[T any](v T) *T { return &v }

// wallCheck lists what a wall screen must not show: controls, a light background, small type.
const wallCheck = `(function () {
  var bad = [];
  document.querySelectorAll('header.top, form.pickers, button, input, select').forEach(function (e) { if (e.offsetParent !== null) bad.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' shows'); });
  var bg = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
  if (bg[0] + bg[1] + bg[2] > 150) bad.push('background ' + bg.join(','));
  var h = parseFloat(getComputedStyle(document.querySelector('h1')).fontSize);
  if (h < 40) bad.push('title ' + h + 'px');
  // The pickers are hidden: a line says what they chose (the cockpit's group went unnamed).
  var ctx = document.getElementById('print-context');
  if (document.querySelector('form.pickers select') && (!ctx || ctx.offsetParent === null || ctx.textContent.trim() === '')) bad.push('no line says what the hidden pickers chose');
  // A footnote that folds sources away says how many (a wall listed 3 of 24 files as if all).
  var more = document.querySelector('footer.sources details.more-sources summary');
  if (more && more.getClientRects().length === 0) bad.push('the footnote leaves sources out without saying how many');
  return bad.join('; ');
})()`

// waitFor polls a JavaScript condition (a string 'true' when met) for up to browserStep.
func waitFor(t *testing.T, s *session, cond, what string) {
	t.Helper()
	deadline := time.Now().Add(browserStep)
	for {
		v, err := chromedp.Run(s.step(t), chromedp.Evaluate[string](cond))
		if err == nil && v == "true" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s (last %q, %v)", browserStep, what, v, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// visibleText is a JavaScript function of a selector: the visible text of what it selects.
const visibleText = `(function (sel) { return Array.prototype.map.call(document.querySelectorAll(sel), function (e) { return e.innerText.trim(); }).join(' '); })`

var (
	signInText  = map[string][]string{"zh": {"用户名", "密码", "登录"}, "en": {"User name", "Password", "Sign in"}}
	consoleText = map[string][]string{"zh": {"运行", "取消", "导出", "保存", "快速作图"}, "en": {"Run", "Cancel", "Export", "Save", "Quick chart"}}
)
