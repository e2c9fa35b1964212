package dashboard_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jinwei/dashboard"
	"jinwei/dashboard/api"
	"jinwei/etl/etltest"
)

// pdfText is the text of a PDF as pdftotext (poppler-utils) reads it, without white space:
// lines break inside a sentence on paper.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatalf("the PDF tests read PDFs with pdftotext (poppler-utils; make test installs it): %v", err)
	}
	path := filepath.Join(t.TempDir(), "brief.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// An admin archives a briefing: it is listed with the data version it was made from, its
// page shows its headline, and its PDF, printed by headless Chromium, contains it. Others
// may read the archive but not add to it.
func TestBriefArchiveWithPDF(t *testing.T) {
	t.Parallel()
	f, _ := newOperatorServer(t)
	ops, token := f.signedIn(t, "ops")
	ops.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := ops.PostForm(f.srv.URL+"/briefs", url.Values{"_csrf": {token}, "period": {"2024"}, "lang": {"zh"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/briefs?made=") {
		t.Fatalf("archive answered %d to %s", res.StatusCode, res.Header.Get("Location"))
	}
	var list struct {
		Briefs []api.ArchivedBrief `json:"briefs"`
	}
	if err := json.Unmarshal([]byte(body(t, ops, f.srv.URL+"/api/briefs")), &list); err != nil {
		t.Fatal(err)
	}
	version, err := f.w.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Briefs) != 1 {
		t.Fatalf("archive lists %d briefings, want 1", len(list.Briefs))
	}
	b := list.Briefs[0]
	if b.Period != "2024" || b.MadeBy != "ops" || b.DataVersion != version || b.PDFBytes == 0 || !strings.HasPrefix(b.Headline, "2024年我省人均地区生产总值") {
		t.Errorf("archived %+v; want 2024 by ops at data version %d with a PDF", b, version)
	}
	if page := body(t, ops, f.srv.URL+"/briefs/"+b.ID); !strings.Contains(page, b.Headline) {
		t.Errorf("the archived page lacks its headline %q", b.Headline)
	}
	res, err = ops.Get(f.srv.URL + "/briefs/" + b.ID + "/pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.Header.Get("Content-Type") != "application/pdf" || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("PDF served as %s, %s", res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	if text := pdfText(t, pdf); !strings.Contains(text, squeeze(b.Headline)) {
		t.Errorf("the PDF's text lacks the headline %q:\n%.600s", b.Headline, text)
	}
	if !strings.Contains(body(t, ops, f.srv.URL+"/briefs"), "/briefs/"+b.ID+"/pdf") {
		t.Errorf("the archive page does not offer the PDF")
	}
	leader, ltoken := f.signedIn(t, "leader")
	res, err = leader.PostForm(f.srv.URL+"/briefs", url.Values{"_csrf": {ltoken}, "period": {"2024"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer archived a briefing: %d", res.StatusCode)
	}
	if got := status(t, leader, http.MethodGet, f.srv.URL+"/briefs/"+b.ID, nil); got != http.StatusOK {
		t.Errorf("a viewer cannot read the archive: %d", got)
	}
	if got := status(t, leader, http.MethodGet, f.srv.URL+"/briefs/not-an-id", nil); got != http.StatusNotFound {
		t.Errorf("an unknown briefing answered %d", got)
	}
}

// The Briefer renders for delivery outside a request: an English month's briefing whose
// PDF holds its headline.
func TestBrieferRendersPDF(t *testing.T) {
	t.Parallel()
	b, err := dashboard.NewBriefer(dashboard.Config{HomeRegion: etltest.Home}, etltest.SharedDemo(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	period, err := b.LatestPeriod(ctx, dashboard.PeriodMonth)
	if err != nil || period != "2025-02" {
		t.Fatalf("latest month %q (%v), want 2025-02", period, err)
	}
	r, err := b.Render(ctx, period, "en")
	if err != nil {
		t.Fatal(err)
	}
	if r.DataVersion == 0 || !strings.HasPrefix(r.Headline, "In 2024, Gansu's GDP per capita was 52,825") || len(r.PDF) == 0 {
		t.Fatalf("rendered %q at version %d with %d PDF bytes (%s)", r.Headline, r.DataVersion, len(r.PDF), r.NoPDF)
	}
	if text := pdfText(t, r.PDF); !strings.Contains(text, squeeze(r.Headline)) {
		t.Errorf("the PDF's text lacks the headline %q:\n%.600s", r.Headline, text)
	}
	if !strings.Contains(string(r.HTML), "ledger-cities") || !strings.Contains(string(r.HTML), "<footer class=\"sources\"") {
		t.Errorf("the print page lacks the ledger chart or the sources")
	}
}
