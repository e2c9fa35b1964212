package dashboard_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// In a real browser at a phone's width: a unit's reporter is told beside the field that a
// ZIP is not a PDF, then records progress with a PDF and asks for closure; a verifier closes
// the item; a reporter of another unit finds neither the item nor its attachment.
func TestLedgerClosureInBrowser(t *testing.T) {
	t.Parallel()
	a, b := twoUnitItems(t)
	f := loopServer(t, a, b)
	dir := t.TempDir()
	evidence, fake := filepath.Join(dir, "验收报告.pdf"), filepath.Join(dir, "伪装.pdf")
	if err := os.WriteFile(evidence, []byte(pdf), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fake, []byte("PK\x03\x04 not a pdf PK\x05\x06"), 0o600); err != nil {
		t.Fatal(err)
	}
	item := f.srv.URL + "/ecology/items/" + a.ItemID
	s := lookBrowser(t)
	s.setViewport(t, phone)
	signInAs := func(user, at string) {
		t.Helper()
		err := chromedp.Do(s.step(t),
			chromedp.Navigate(at),
			chromedp.WaitVisible(chromedp.CSS("#login-user")),
			chromedp.SendKeys(chromedp.CSS("#login-user"), user),
			chromedp.SendKeys(chromedp.CSS("#login-password"), user+"-pw"),
			chromedp.Click(chromedp.CSS("#login-submit")),
			chromedp.WaitReady(chromedp.CSS("#user")),
		)
		if err != nil {
			t.Fatalf("sign in %s: %v", user, err)
		}
	}
	signOut := func() {
		t.Helper()
		s.eval(t, `(document.querySelector('form.logout').submit(), '')`)
		if err := chromedp.Do(s.step(t), chromedp.WaitVisible(chromedp.CSS("#login-user"))); err != nil {
			t.Fatalf("sign out: %v", err)
		}
	}
	waitText := func(sel, want string) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for !strings.Contains(s.eval(t, `(document.querySelector('`+sel+`') || {}).textContent || ''`), want) {
			if time.Now().After(deadline) {
				t.Fatalf("%s never read %q: %q", sel, want, s.eval(t, `document.body.innerText`))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	signInAs("alice", item)
	s.axe(t, "ledger item, reporter")
	if over := s.eval(t, phoneOverflow); over != "" {
		t.Errorf("the item page at 390 px is wider than the screen: %s", over)
	}
	err := chromedp.Do(s.step(t),
		chromedp.SetValue(chromedp.CSS("#progress-pct"), "70"),
		chromedp.SetUploadFiles(chromedp.CSS("#progress-files"), []string{fake}),
		chromedp.Click(chromedp.CSS("#progress-submit")),
	)
	if err != nil {
		t.Fatalf("send a ZIP as a PDF: %v: %.600s", err, s.eval(t, `document.body.innerText`))
	}
	waitText("#progress-files-error", "压缩包")
	s.screenshot(t, "ledger-item-refused-390", true)
	err = chromedp.Do(s.step(t),
		chromedp.SetValue(chromedp.CSS("#progress-pct"), "70"),
		chromedp.SendKeys(chromedp.CSS("#progress-note"), "已拆除违建，正在复绿"),
		chromedp.SetUploadFiles(chromedp.CSS("#progress-files"), []string{evidence}),
		chromedp.Click(chromedp.CSS("#progress-submit")),
	)
	if err != nil {
		t.Fatalf("send progress: %v", err)
	}
	waitText("#history-table tbody tr:last-child", "alice")
	waitText("#history-table tbody tr:last-child a.attachment", "验收报告.pdf")
	err = chromedp.Do(s.step(t),
		chromedp.SendKeys(chromedp.CSS("#request_closure-note"), "整改完成，申请销号"),
		chromedp.Click(chromedp.CSS("#request_closure-submit")),
	)
	if err != nil {
		t.Fatalf("request closure: %v", err)
	}
	waitText("#item-status", "申请销号")
	s.screenshot(t, "ledger-item-requested-390", true)
	signOut()

	signInAs("checker", item)
	waitText("#approve-form", "审核通过")
	s.axe(t, "ledger item, verifier")
	if err := chromedp.Do(s.step(t), chromedp.SendKeys(chromedp.CSS("#approve-note"), "现场核查通过"), chromedp.Click(chromedp.CSS("#approve-submit"))); err != nil {
		t.Fatalf("approve: %v", err)
	}
	waitText("#item-status", "已销号")
	waitText("#history-table tbody tr:last-child", "checker")
	signOut()

	signInAs("bob", f.srv.URL+"/ecology")
	if page := s.eval(t, `document.body.innerText`); strings.Contains(page, a.ItemID) || !strings.Contains(page, b.ItemID) {
		t.Errorf("bob's ledger shows alice's item %s, or not his own %s", a.ItemID, b.ItemID)
	}
	// The page says so in its language; the API in English, for scripts.
	for u, said := range map[string]string{item: "台账中没有问题编号为“" + a.ItemID + "”的问题", f.srv.URL + "/api/ecology/items/" + a.ItemID: "no ledger item"} {
		if err := chromedp.Do(s.step(t), chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
			t.Fatal(err)
		}
		if page := s.eval(t, `document.body.innerText`); strings.Contains(page, a.Title) || strings.Contains(page, "验收报告") || !strings.Contains(page, said) {
			t.Errorf("bob at %s sees: %.300s", u, page)
		}
	}
	s.check(t, f.srv.URL)
}
