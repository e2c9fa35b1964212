package dashboard_test

// This file holds the page test alone, and its name puts it first: go test starts a
// package's parallel tests in the order of their files' names, and the page test, the
// package's longest (three minutes of a busy machine's five), started when most others had
// (at 74 s of 301 from look_test.go; its parts are its own, see below).

import (
	"strings"
	"sync"
	"testing"

	"jinwei/etl/etltest"
)

// One browser opens every page in both languages in demo mode, signed out and signed in as
// each role: each chart draws from local assets, axe-core finds no serious or critical
// violation, the sign-in form, the navigation and the console's buttons read right, every
// page fits a phone, nothing is requested off this machine, and screenshots of every page,
// language and role at the widths it is tried at are kept under test-output/screenshots
// (the dashboards at 1920 px as a wall screen shows them, in lookWall). The parts run in tabs
// of their own, pageTabs at once: each page waits on the server, the engine and the
// browser in turn, so one tab alone leaves the machine idle much of the time.
func TestEveryPageInBrowser(t *testing.T) {
	t.Parallel()
	srv := newLookServers(t)
	b := lookBrowser(t)
	base := srv.signed.srv.URL
	adminPages := operatorPages(t, srv.signed.w)
	t.Run("parts", func(t *testing.T) {
		// part queues one part of the test, to run in a tab of its own beside the others and
		// check at its end that the tab logged no error and requested nothing off this machine.
		type queued struct {
			name string
			fn   func(t *testing.T, s *session)
		}
		var parts []queued
		part := func(_ *testing.T, name string, fn func(t *testing.T, s *session)) {
			parts = append(parts, queued{name, fn})
		}
		defer func() {
			// The parts are subtests run from goroutines of this one, not parallel subtests:
			// those wait for a slot behind every parallel test of the package, and this test,
			// the package's longest, started its parts last (at 170 s of 330).
			next := make(chan queued, len(parts))
			for _, p := range parts {
				next <- p
			}
			close(next)
			var wg sync.WaitGroup
			for range pageTabs {
				wg.Go(func() {
					for p := range next {
						t.Run(p.name, func(t *testing.T) {
							s := lookTab(t, b)
							p.fn(t, s)
							s.check(t, srv.demo.URL, base)
						})
					}
				})
			}
			wg.Wait()
		}()
		// The longest first, so that the last to start are short. The rotation waits its
		// ten seconds beside the other parts.
		part(t, "wall-rotate", func(t *testing.T, s *session) {
			s.setViewport(t, wall)
			// With rotate, a wall moves on to the next page by itself, keeping its settings.
			// Asked to rotate every second, it stays the least, 10 s, on a page.
			s.load(t, srv.demo.URL+"/ranking?screen=wall&rotate=1&lang=en")
			if got := s.eval(t, `document.body.getAttribute('data-rotate')`); got != "10" {
				t.Errorf("rotate=1 shows each page for %s s; want at least 10", got)
			}
			waitFor(t, s, `String(location.pathname === '/counties' && location.search.indexOf('screen=wall') >= 0 && document.documentElement.lang === 'en')`, "the wall screen to rotate to the counties")
		})
		for _, lang := range []string{"zh", "en"} {
			part(t, "demo-"+lang, func(t *testing.T, s *session) { s.lookDemo(t, srv.demo.URL, lang) })
		}
		for _, lang := range []string{"zh", "en"} {
			part(t, "ops-"+lang, func(t *testing.T, s *session) { s.lookAsRole(t, base, "ops", lang, adminPages) })
		}
		for _, lang := range []string{"zh", "en"} {
			part(t, "print-"+lang, func(t *testing.T, s *session) {
				for _, p := range printedPages {
					s.print(t, "demo-"+p.name+"-"+lang, srv.demo.URL+withLang(p.path, lang), paperFor(lang))
				}
			})
			part(t, "wall-"+lang, func(t *testing.T, s *session) { s.lookWall(t, srv.demo.URL, lang) })
		}
		for _, role := range []string{"leader", "analyst", "filler", "checker"} {
			for _, lang := range []string{"zh", "en"} {
				part(t, role+"-"+lang, func(t *testing.T, s *session) { s.lookAsRole(t, base, role, lang, adminPages) })
			}
		}
		part(t, "signed-out", func(t *testing.T, s *session) {
			for _, lang := range []string{"zh", "en"} {
				s.look(t, "signed-out-login-"+lang, base+withLang("/login", lang), true, phone)
				if form, w := s.eval(t, visibleText+`('main.login label, #login-submit')`), strings.Join(signInText[lang], " "); form != w {
					t.Errorf("sign-in form in %s reads %q, want %q", lang, form, w)
				}
				// A wall screen's sign-in, as a screen whose token was revoked sees it.
				s.look(t, "signed-out-wall-"+lang, base+withLang("/wall?refused=ended", lang), false, wall, phone)
			}
		})
		part(t, "wall-token", func(t *testing.T, s *session) { s.wallWithToken(t, srv.signed) })
	})
	// Last, alone, as it writes to the demo warehouse the parts above read.
	t.Run("wall-redraw", func(t *testing.T) {
		s := lookTab(t, b)
		s.setViewport(t, wall)
		// A load (any write) starts a new data version: the wall screen redraws by itself.
		s.load(t, srv.demo.URL+"/?screen=wall&poll=1")
		s.eval(t, `window.drawnBefore = 'yes'`)
		etltest.LoadCSV(t, srv.w, "regions", "again.csv", "code,name_zh,short_zh,name_en,level,parent_code\n620000,甘肃省,甘肃,Gansu,province,100000\n")
		waitFor(t, s, `String(window.drawnBefore !== 'yes' && document.readyState === 'complete')`, "the wall screen to redraw after the data changed")
		s.check(t, srv.demo.URL)
	})
}

// pageTabs is how many tabs the page test reads pages in at once.
const pageTabs = 2
