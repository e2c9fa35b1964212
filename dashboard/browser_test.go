package dashboard_test

import (
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"jinwei/etl/etltest"
)

// screenshotDir is where the page tests leave a screenshot of every page they open.
var screenshotDir = filepath.Join("..", "test-output", "screenshots")

// session is a headless Debian chromium recording what the page requests and logs.
type session struct {
	ctx      context.Context
	mu       sync.Mutex
	requests []string
	problems []string
}

func browser(t *testing.T, extra ...chromedp.ExecAllocatorOption) *session {
	t.Helper()
	// Only a guard against a hung browser: a session of a dozen pages took 115 s on a busy
	// 2-core machine, so the bound is far above what a working session needs.
	return browserFor(t, 5*time.Minute, extra...)
}

// browserStep bounds each step in a browser (open a page and wait for its charts, run axe,
// take a screenshot, sign in, wait for a redraw): far above what a working step takes on a
// busy 2-core machine, so that only a hung step reaches it, and it is named in the failure.
const browserStep = 3 * time.Minute

// step is the context for one step in the browser; it ends with the test at the latest.
func (s *session) step(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(s.ctx, browserStep)
	t.Cleanup(cancel)
	return ctx
}

// browserFor is a browser that lives at most the given time.
func browserFor(t *testing.T, limit time.Duration, extra ...chromedp.ExecAllocatorOption) *session {
	t.Helper()
	// Debian's chromium-headless-shell is chromium's own engine (Blink, V8, printing) built
	// without the desktop browser around it: the page test's hundreds of views cost a third
	// less CPU in it than in chromium's headless mode (370 → 255 CPU-s, 227 → 166 s), and
	// the two cores are the limit of make test. The product prints briefings with chromium
	// itself (brief_pdf.go), and its tests run that.
	path, err := exec.LookPath("chromium-headless-shell")
	if err != nil {
		t.Fatalf("page tests need Debian's chromium-headless-shell (make test installs it): %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1000),
	)
	opts = append(opts, extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return watch(t, ctx)
}

// tab opens a tab of the same browser in a browser context of its own (its own cookies,
// as a separate window of a private session would have), for steps that run beside the
// tab s; it closes when the test ends.
func (s *session) tab(t *testing.T) *session {
	t.Helper()
	ctx, cancel := chromedp.NewContext(s.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	return watch(t, ctx)
}

// watch starts recording what the tab at ctx requests and logs.
func watch(t *testing.T, ctx context.Context) *session {
	t.Helper()
	s := &session{ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			s.requests = append(s.requests, e.Request.URL)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				s.problems = append(s.problems, fmt.Sprintf("console.%s: %s", e.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			s.problems = append(s.problems, fmt.Sprintf("exception: %s at %s:%d", e.ExceptionDetails.Text, e.ExceptionDetails.URL, e.ExceptionDetails.LineNumber))
		}
	})
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("enable network events: %v", err)
	}
	if _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enable runtime events: %v", err)
	}
	// What the server's security policy blocks is said as an error, which check reports.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: policyViolations}); err != nil {
		t.Fatalf("watch for security policy violations: %v", err)
	}
	return s
}

func (s *session) text(t *testing.T, sel string) string {
	t.Helper()
	v, err := chromedp.Run(s.step(t), chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return strings.TrimSpace(v)
}

func (s *session) eval(t *testing.T, js string) string {
	t.Helper()
	v, err := chromedp.Run(s.step(t), chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// drawnCharts is JavaScript listing each chart that did not draw: no canvas, or a canvas
// whose sampled pixels are all one colour.
const drawnCharts = `(function () {
  var bad = [];
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var c = el.querySelector('canvas');
    if (!c || el.getAttribute('data-rendered') !== 'true') { bad.push(el.id + ': not drawn'); return; }
    var ctx = c.getContext('2d'), seen = {}, n = 0;
    for (var x = 0; x < c.width; x += Math.max(1, c.width / 40 | 0)) {
      for (var y = 0; y < c.height; y += Math.max(1, c.height / 40 | 0)) {
        var p = ctx.getImageData(x, y, 1, 1).data, k = p.join(',');
        if (!seen[k]) { seen[k] = 1; n++; }
      }
    }
    if (n < 3) bad.push(el.id + ': blank canvas');
  });
  return bad.join('; ');
})()`

// open loads a page, waits for every chart, checks that each drew, and saves a screenshot.
func (s *session) open(t *testing.T, name, pageURL string) {
	t.Helper()
	if err := chromedp.Do(s.step(t), chromedp.Navigate(pageURL), chromedp.WaitReady(chromedp.CSS("footer#sources"))); err != nil {
		t.Fatalf("open %s: %v", pageURL, err)
	}
	s.waitCharts(t, pageURL)
	s.screenshot(t, name, true)
}

// waitCharts waits for every chart of the loaded page to draw, and checks that each drew.
func (s *session) waitCharts(t *testing.T, pageURL string) {
	t.Helper()
	deadline := time.Now().Add(browserStep)
	for {
		pending := s.eval(t, `String(document.querySelectorAll('[data-chart]:not([data-rendered="true"])').length)`)
		if pending == "0" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s charts never finished drawing", pageURL, pending)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if bad := s.eval(t, drawnCharts); bad != "" {
		t.Errorf("%s: %s", pageURL, bad)
	}
}

// policyViolations logs as an error each thing the page's Content-Security-Policy blocked.
const policyViolations = `document.addEventListener('securitypolicyviolation', function (e) {
  console.error('blocked by the security policy: ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});`

// check fails the test for console errors, uncaught exceptions, and requests that left
// the test servers.
func (s *session) check(t *testing.T, serverURLs ...string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.problems {
		t.Errorf("browser reported %s", p)
	}
	hosts := map[string]bool{}
	for _, u := range serverURLs {
		hosts[mustHost(t, u)] = true
	}
	if len(s.requests) < 4 {
		t.Fatalf("only %d requests recorded: %v", len(s.requests), s.requests)
	}
	for _, u := range s.requests {
		if strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "blob:") {
			continue
		}
		if !hosts[mustHost(t, u)] {
			t.Errorf("the page requested %s, off this machine's servers %v", u, serverURLs)
		}
	}
}

// On the ranking page the cards show Gansu's standing, the chart's title is right, and the
// group picker and the language switch work.
func TestRankingPageInteractions(t *testing.T) {
	t.Parallel()
	srv := newServer(t, etltest.SharedDemo(t))
	s := browser(t)
	s.open(t, "ranking-default", srv.URL+"/ranking")
	rank, ratio, gap := s.text(t, "#card-rank .big"), s.text(t, "#card-ratio .big"), s.text(t, "#card-gap .note")
	title := s.eval(t, `echarts.getInstanceByDom(document.getElementById('ranking')).getOption().title[0].text`)
	bars := s.eval(t, `String(echarts.getInstanceByDom(document.getElementById('ranking')).getOption().series[0].data.length)`)
	if rank != "31/31" || ratio != "55.2%" || !strings.Contains(gap, "黑龙江") || title != "人均地区生产总值（元）2024年" || bars != "31" {
		t.Errorf("page shows rank %q ratio %q gap %q title %q bars %s", rank, ratio, gap, title, bars)
	}
	// Charts animate, unless the reader asked for reduced motion: then they are still.
	animated := `String(echarts.getInstanceByDom(document.getElementById('ranking')).getOption().animation)`
	if got := s.eval(t, animated); got != "true" && got != "auto" {
		t.Errorf("the ranking chart's animation is %s, want it animated", got)
	}
	s.reduceMotion(t)
	s.open(t, "ranking-still", srv.URL+"/ranking")
	if got := s.eval(t, animated); got != "false" {
		t.Errorf("with reduced motion asked for, the ranking chart's animation is %s, want false", got)
	}
	rendered := chromedp.WaitVisible(chromedp.CSS(`#ranking[data-rendered="true"] canvas`))
	err := chromedp.Do(s.step(t),
		chromedp.SetValue(chromedp.CSS("#pick-group"), "west12"),
		chromedp.Submit(chromedp.CSS("#pick-group")),
		chromedp.WaitReady(chromedp.CSS(`#pick-group option[value="west12"][selected]`)),
		rendered,
	)
	if err != nil {
		t.Fatalf("pick a group: %v", err)
	}
	if rank = s.text(t, "#card-rank .big"); rank != "12/12" {
		t.Errorf("Gansu among the western twelve: %q, want 12/12", rank)
	}
	if err := chromedp.Do(s.step(t), chromedp.Click(chromedp.CSS("#lang-switch")), chromedp.WaitReady(chromedp.CSS(`html[lang="en"]`)), rendered); err != nil {
		t.Fatalf("switch language: %v", err)
	}
	if h := s.text(t, "#card-rank h3"); h != "Rank among the 12 western provinces" {
		t.Errorf("English heading %q, want the group named: Rank among the 12 western provinces", h)
	}
	s.check(t, srv.URL)
}

func mustHost(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}
