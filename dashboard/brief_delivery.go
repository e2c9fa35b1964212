package dashboard

import (
	"context"
	"fmt"
	"strings"

	"jinwei/dashboard/alerts"
)

// ForAlerts is the briefing renderer as the alerts' sender uses it: subscribers get the
// briefing's title and sentences in the mail and its PDF attached (the print page where no
// Chromium is installed); each briefing mailed is kept in the archive too.
func (b *Briefer) ForAlerts() alerts.Briefs { return briefMail{b} }

type briefMail struct{ b *Briefer }

func (m briefMail) Latest(ctx context.Context, kind string) (string, error) {
	return m.b.LatestPeriod(ctx, kind)
}

func (m briefMail) Render(ctx context.Context, period string) (*alerts.Attachment, error) {
	r, err := m.b.Render(ctx, period, langZh)
	if err != nil {
		return nil, err
	}
	if _, err := m.b.Archive(ctx, r, "alerts"); err != nil {
		return nil, err
	}
	lines := []string{r.Title}
	// Chinese sentences run on after their 。; English ones need a space.
	gap := ""
	if r.Lang == langEn {
		gap = " "
	}
	for _, sec := range r.Sections {
		var para []string
		for _, s := range sec.Sentences {
			para = append(para, s.Text)
		}
		lines = append(lines, sec.Heading+t(r.Lang, "sep_label")+strings.Join(para, gap))
	}
	a := &alerts.Attachment{Name: fmt.Sprintf("简报_%s.pdf", r.Period), ContentType: "application/pdf", Data: r.PDF,
		Text: strings.Join(lines, "\n")}
	if r.PDF == nil {
		a.Name, a.ContentType, a.Data = fmt.Sprintf("简报_%s.html", r.Period), "text/html; charset=utf-8", r.HTML
	}
	return a, nil
}
