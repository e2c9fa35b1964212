package dashboard_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// In a real browser an admin signs in, opens the upload page from the navigation, drops a
// file, reads its dry-run preview (the reject's code and the refusal), loads it, and opens
// the run from the loaded list.
func TestUploadInBrowser(t *testing.T) {
	t.Parallel()
	f, jobs := newOperatorServer(t)
	file := filepath.Join(t.TempDir(), "gdp.csv")
	if err := os.WriteFile(file, []byte("year,region_code,indicator,value\n2025,620000,gdp,13800\n2025,999999,gdp,2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := browser(t, chromedp.Flag("ignore-certificate-errors", true))
	err := chromedp.Do(s.step(t),
		chromedp.Navigate(f.srv.URL+"/ranking"),
		chromedp.WaitVisible(chromedp.CSS("#login-user")),
		chromedp.SendKeys(chromedp.CSS("#login-user"), "ops"),
		chromedp.SendKeys(chromedp.CSS("#login-password"), "ops-pw"),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#nav-admin")),
		chromedp.Click(chromedp.CSS("#nav-admin")),
		chromedp.WaitVisible(chromedp.CSS("#admin-nav")),
		chromedp.Navigate(f.srv.URL+"/admin/upload"),
		chromedp.WaitVisible(chromedp.CSS("#upload-files")),
		chromedp.SetValue(chromedp.CSS("#upload-job"), "economy"),
		chromedp.SetUploadFiles(chromedp.CSS("#upload-files"), []string{file}),
		chromedp.Click(chromedp.CSS("#upload-preview")),
		chromedp.WaitVisible(chromedp.CSS(".staged")),
	)
	if err != nil {
		t.Fatalf("sign in and preview an upload: %v", err)
	}
	preview := s.text(t, ".staged")
	for _, want := range []string{"gdp.csv", "unknown_region", "1,349,083.5", "可载入 1 条"} {
		if !strings.Contains(preview, want) {
			t.Errorf("the preview lacks %q: %s", want, preview)
		}
	}
	if len(jobs.loaded) != 0 {
		t.Fatalf("loaded before the operator's go: %v", jobs.loaded)
	}
	if err := chromedp.Do(s.step(t), chromedp.Click(chromedp.CSS(".upload-load")), chromedp.WaitVisible(chromedp.CSS("#loaded"))); err != nil {
		t.Fatalf("load the upload: %v", err)
	}
	if len(jobs.loaded) != 1 || !strings.HasSuffix(jobs.loaded[0], "gdp.csv") {
		t.Errorf("loaded %v, want the staged gdp.csv", jobs.loaded)
	}
	s.check(t, f.srv.URL)
}
