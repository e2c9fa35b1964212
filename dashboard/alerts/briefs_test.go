package alerts_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jinwei/dashboard"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// A subscriber of the yearly briefing gets it once by mail: its sentences in the text and
// its PDF attached, a PDF that opens (pdftotext reads it) and holds the headline sentence.
func TestBriefingSubscriberGetsThePDFOnce(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("the test reads the PDF with pdftotext (Debian's poppler-utils): ", err)
	}
	r := newRig(t)
	ctx := context.Background()
	if err := r.w.PutAccount(ctx, warehouse.Account{Name: "zhang", Role: "viewer", PasswordHash: "$2a$x"}); err != nil {
		t.Fatal(err)
	}
	if err := r.w.PutSubscription(ctx, warehouse.Subscription{User: "zhang", Kind: warehouse.SubscribeBrief, Topic: "year", Email: "zhang@example.test", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	b, err := dashboard.NewBriefer(dashboard.Config{HomeRegion: etltest.Home}, r.w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	r.svc.SetBriefs(b.ForAlerts())
	r.evaluate(t, 0)
	r.evaluate(t, 0) // queued once
	if err := r.svc.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	mails := r.smtp.WaitMail(t, 1, 2*time.Minute)
	if err := r.svc.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	if mails = r.smtp.Mail(); len(mails) != 1 {
		t.Fatalf("%d mails, want the briefing once", len(mails))
	}
	m := mails[0]
	archived, err := r.w.Briefs(ctx)
	if err != nil || len(archived) != 1 {
		t.Fatalf("archive after mailing: %v, %v; want the mailed briefing kept", archived, err)
	}
	headline := archived[0].Headline
	if !strings.Contains(headline, "我省") || !strings.Contains(m.Text, headline) || !strings.HasPrefix(m.Subject, "【简报】") {
		t.Errorf("mail %q lacks the headline %q:\n%s", m.Subject, headline, m.Text)
	}
	var pdf []byte
	for name, data := range m.Attachments {
		if strings.HasSuffix(name, ".pdf") {
			pdf = data
		}
	}
	if len(pdf) == 0 {
		t.Fatalf("no PDF attached: %v", m.Attachments)
	}
	path := filepath.Join(t.TempDir(), "brief.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext cannot read the attached PDF: %v", err)
	}
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if !strings.Contains(squash(string(out)), squash(headline)) {
		t.Errorf("the PDF lacks the headline %q; it reads:\n%s", headline, out)
	}
}
