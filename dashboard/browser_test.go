package dashboard_test

import (
	"context"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"jinwei/etl/etltest"
)

// browser starts Debian's headless chromium, recording every URL the page requests.
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("page tests need Debian's chromium (make test installs it): %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1600),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 30*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	var mu sync.Mutex
	var requested []string
	err = chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requested = append(requested, e.Request.URL)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("enable network events: %v", err)
	}
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), requested...)
	}
}

// text reads an element's text, failing the test on error.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func eval(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return s
}

// A real browser opens the ranking page, the chart library draws the chart from local
// assets, the cards show Gansu's standing, the pickers and the language switch work, and
// no request leaves the machine.
func TestRankingPageInBrowser(t *testing.T) {
	srv := newServer(t, etltest.Demo(t))
	ctx, requests := browser(t)
	rendered := chromedp.WaitVisible(chromedp.CSS(`#chart-ranking[data-rendered="true"] canvas`))
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/ranking"), rendered); err != nil {
		t.Fatalf("open ranking page: %v", err)
	}
	rank, ratio, gap := text(t, ctx, "#card-rank .big"), text(t, ctx, "#card-ratio .big"), text(t, ctx, "#card-gap .note")
	title := eval(t, ctx, `echarts.getInstanceByDom(document.getElementById('chart-ranking')).getOption().title[0].text`)
	bars := eval(t, ctx, `String(echarts.getInstanceByDom(document.getElementById('chart-ranking')).getOption().series[0].data.length)`)
	if rank != "31/31" || ratio != "55.2%" || !strings.Contains(gap, "黑龙江") || title != "人均地区生产总值（元）2024年" || bars != "31" {
		t.Errorf("page shows rank %q ratio %q gap %q title %q bars %s", rank, ratio, gap, title, bars)
	}
	// Choose the western twelve and submit, then switch to English.
	err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#pick-group"), "west12"),
		chromedp.Submit(chromedp.CSS("#pick-group")),
		chromedp.WaitReady(chromedp.CSS(`#pick-group option[value="west12"][selected]`)),
		rendered,
	)
	if err != nil {
		t.Fatalf("pick a group: %v", err)
	}
	if rank = text(t, ctx, "#card-rank .big"); rank != "12/12" {
		t.Errorf("Gansu among the western twelve: %q, want 12/12", rank)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#lang-switch")), chromedp.WaitReady(chromedp.CSS(`html[lang="en"]`)), rendered); err != nil {
		t.Fatalf("switch language: %v", err)
	}
	if h := text(t, ctx, "#card-rank h3"); h != "Rank in group" {
		t.Errorf("English heading %q, want Rank in group", h)
	}
	host := mustHost(t, srv.URL)
	all := requests()
	if len(all) < 6 {
		t.Fatalf("only %d requests recorded: %v", len(all), all)
	}
	for _, u := range all {
		if strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "blob:") {
			continue
		}
		if mustHost(t, u) != host {
			t.Errorf("the page requested %s, off this machine's server %s", u, host)
		}
	}
}

func mustHost(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}
