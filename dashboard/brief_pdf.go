package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromiumNames are the programs tried for headless Chromium, in order.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// findChromium is the headless browser that prints briefings: path when given, else the
// first of chromiumNames on PATH; "" when there is none (the print page serves instead).
func findChromium(path string) string {
	if path != "" {
		if p, err := exec.LookPath(path); err == nil {
			return p
		}
		return ""
	}
	for _, n := range chromiumNames {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// errNoChromium says a PDF cannot be made here: no headless Chromium is installed.
var errNoChromium = errors.New("no headless Chromium installed: the briefing's print page prints instead")

// pdfTimeout bounds one PDF: browser start, page, charts and printing.
const pdfTimeout = 60 * time.Second

// A4 in inches, as the DevTools protocol measures paper.
const a4Width, a4Height = 8.27, 11.69

// printPDF prints a page on A4 with headless Chromium. The page is served from a loopback
// listener of its own with the embedded static files beside it, so its charts draw as in
// a browser, with no session and nothing else of the server reachable.
func printPDF(ctx context.Context, chromium string, html []byte) ([]byte, error) {
	if chromium == "" {
		return nil, errNoChromium
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("print briefing: listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/static/", staticHandler())
	mux.HandleFunc("/brief", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(html)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	ctx, cancel := context.WithTimeout(ctx, pdfTimeout)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		// The screen's layout at the paper's width: charts are drawn once, at the size they print.
		chromedp.WindowSize(760, 1075))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	err = chromedp.Do(bctx, chromedp.Navigate("http://"+ln.Addr().String()+"/brief"), chromedp.WaitReady(chromedp.CSS("footer#sources")))
	if err == nil {
		_, err = chromedp.Run(bctx, chromedp.Poll[chromedp.Void](chartsDrawn,
			chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(pdfTimeout)))
	}
	var res cdppage.PrintToPDFResult
	if err == nil {
		yes := true
		res, err = chromedp.Call(bctx, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PaperWidth: a4Width, PaperHeight: a4Height,
			PrintBackground: &yes, PreferCSSPageSize: &yes})
	}
	if err != nil {
		return nil, fmt.Errorf("print briefing with %s: %w", chromium, err)
	}
	return res.Data, nil
}

// chartsDrawn is true once every chart of the page has drawn (or the chart library is
// missing, and the page says so in each chart's place).
const chartsDrawn = `Array.prototype.every.call(document.querySelectorAll('[data-chart]'), function (el) {
  return el.getAttribute('data-rendered') === 'true' || typeof echarts === 'undefined';
})`
