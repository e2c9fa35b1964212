package dashboard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"jinwei/warehouse"
)

// BriefArchive keeps briefings as they were made (the warehouse's briefs table), so every
// host serving the warehouse lists the same archive.
type BriefArchive interface {
	ArchiveBrief(ctx context.Context, b warehouse.ArchivedBrief) (string, error)
	Briefs(ctx context.Context) ([]warehouse.ArchivedBrief, error)
	Brief(ctx context.Context, id string) (warehouse.ArchivedBrief, error)
}

// Briefer writes briefings outside a page request: for mail, chat robots and schedules.
type Briefer struct{ s *Server }

// NewBriefer returns a Briefer reading store with the pages' configuration (home province,
// headline indicator, campaign weights, Chromium).
func NewBriefer(cfg Config, store Warehouse, log *slog.Logger) (*Briefer, error) {
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	return &Briefer{s: &Server{cfg: cfg.withDefaults(), store: store, log: log, tmpl: tmpl}}, nil
}

// RenderedBrief is a briefing made for delivery.
type RenderedBrief struct {
	*Briefing
	// HTML is the printable page (A4): complete but for the charts' scripts and styles,
	// which it loads from /static/ of any jinwei server.
	HTML []byte
	// PDF is the page printed by headless Chromium; nil when none is installed (NoPDF says
	// why), and the page prints from a browser instead.
	PDF   []byte
	NoPDF string
}

// Render writes the briefing of period ("2024", "2024-Q4", "2024-12"; "" for the latest
// with data) in lang ("zh" or "en"), with its page and, where Chromium is installed, its PDF.
// Its DataVersion is the data version its numbers were read at.
func (b *Briefer) Render(ctx context.Context, period, lang string) (*RenderedBrief, error) {
	return b.s.renderBrief(ctx, period, lang, true)
}

// LatestPeriod is the newest period of a kind (PeriodMonth, PeriodQuarter, PeriodYear)
// the warehouse has numbers for: the last campaign month, the quarter of the last ledger
// report, the last year of the headline indicator.
func (b *Briefer) LatestPeriod(ctx context.Context, kind string) (string, error) {
	p, err := b.s.latestPeriod(ctx, kind)
	return p.String(), err
}

// Archive keeps a rendered briefing in the archive (/briefs) as made by by; it returns its id.
func (b *Briefer) Archive(ctx context.Context, r *RenderedBrief, by string) (string, error) {
	return b.s.archiveBrief(ctx, r, by)
}

func (cfg Config) withDefaults() Config {
	if cfg.DefaultIndicator == "" {
		cfg.DefaultIndicator = "gdp_per_capita"
	}
	if cfg.DefaultGroup == "" {
		cfg.DefaultGroup = "all31"
	}
	return cfg
}

// renderBrief composes a briefing and its print page, and prints the PDF when asked and
// Chromium is at hand.
func (s *Server) renderBrief(ctx context.Context, period, lang string, withPDF bool) (*RenderedBrief, error) {
	if lang != langEn {
		lang = langZh
	}
	p, err := s.periodOrLatest(ctx, period)
	if err != nil {
		return nil, err
	}
	br, err := s.compose(ctx, p, lang)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, "brief_print.html", s.briefView(br, printPage(br))); err != nil {
		return nil, fmt.Errorf("write briefing %s page: %w", p, err)
	}
	out := &RenderedBrief{Briefing: br, HTML: buf.Bytes()}
	if !withPDF {
		return out, nil
	}
	out.PDF, err = printPDF(ctx, findChromium(s.cfg.Chromium), out.HTML)
	if errors.Is(err, errNoChromium) {
		out.NoPDF = err.Error()
		return out, nil
	}
	return out, err
}

func (s *Server) archiveBrief(ctx context.Context, r *RenderedBrief, by string) (string, error) {
	return s.store.ArchiveBrief(ctx, warehouse.ArchivedBrief{Period: r.Period, Lang: r.Lang, MadeBy: by, DataVersion: r.DataVersion,
		Headline: r.Headline, HTML: string(r.HTML), PDF: r.PDF})
}

// periodOrLatest reads a period, or takes the latest year with headline figures.
func (s *Server) periodOrLatest(ctx context.Context, period string) (Period, error) {
	if period != "" {
		p, err := ParsePeriod(period)
		if err != nil {
			return p, err
		}
		// A briefing of a period still under way (or to come) would report the last full
		// year's figures under its name.
		today := s.now().In(warehouse.ProvinceTime).Format(time.DateOnly)
		if p.Last().Format(time.DateOnly) >= today {
			return p, unfinishedPeriod{period: period, today: today}
		}
		return p, nil
	}
	return s.latestPeriod(ctx, PeriodYear)
}

func (s *Server) latestPeriod(ctx context.Context, kind string) (Period, error) {
	switch kind {
	case PeriodMonth, PeriodQuarter:
		var last time.Time
		if months, err := s.campaignMonths(ctx); err != nil {
			return Period{}, err
		} else if len(months) > 0 {
			last = months[len(months)-1]
		}
		if kind == PeriodQuarter {
			dates, err := s.store.LedgerDates(ctx)
			if err != nil {
				return Period{}, err
			}
			if len(dates) > 0 && dates[len(dates)-1].After(last) {
				last = dates[len(dates)-1]
			}
		}
		if last.IsZero() {
			return Period{}, fmt.Errorf("no %s with data: %w", kind, warehouse.ErrNotFound)
		}
		if kind == PeriodMonth {
			return Period{Kind: PeriodMonth, Year: last.Year(), N: int(last.Month())}, nil
		}
		return Period{Kind: PeriodQuarter, Year: last.Year(), N: (int(last.Month())-1)/3 + 1}, nil
	case PeriodYear:
		years, err := s.headlineYears(ctx)
		if err != nil {
			return Period{}, err
		}
		if len(years) == 0 {
			return Period{}, fmt.Errorf("no year of %s with data: %w", s.cfg.DefaultIndicator, warehouse.ErrNotFound)
		}
		return Period{Kind: PeriodYear, Year: years[len(years)-1]}, nil
	}
	return Period{}, fmt.Errorf("period kind %q is not month, quarter or year", kind)
}

// headlineYears are the years of the headline indicator, oldest first.
func (s *Server) headlineYears(ctx context.Context) ([]int, error) {
	indicators, err := s.store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	for _, i := range indicators {
		if i.Code == s.cfg.DefaultIndicator {
			return i.Years, nil
		}
	}
	return nil, nil
}

// campaignMonths are the months of campaign reports, oldest first.
func (s *Server) campaignMonths(ctx context.Context) ([]time.Time, error) {
	months, err := s.store.CampaignMonths(ctx)
	if err != nil {
		return nil, err
	}
	var out []time.Time
	for _, m := range months {
		if t, err := time.Parse("2006-01-02", m); err == nil {
			out = append(out, t)
		}
	}
	return out, nil
}

// printPage is the frame of a briefing's print page: no navigation, no session.
func printPage(br *Briefing) page {
	return page{Lang: br.Lang, L: labels[br.Lang], JS: jsLabels[br.Lang], Nav: "brief", Title: br.Title}
}

// briefView is the briefing page's data.
type briefView struct {
	page
	B       *Briefing
	Periods []option
	Made    string
	// PrintLink is the print page of the same briefing.
	PrintLink string
}

func (s *Server) briefView(br *Briefing, p page) briefView {
	p.Title, p.Sources, p.Generated = br.Title, br.Sources, br.Generated
	for _, c := range br.charts {
		// Drawn at once, without animation: a printed chart is a still one, and a PDF
		// waits for every chart to finish.
		c.Option["animation"] = false
		p.addChart(c.ID, c.Height, c.Option)
	}
	v := briefView{page: p, B: br, Made: clock(br.MadeAt)}
	v.PrintLink = "/brief/print?period=" + br.Period
	if br.Lang == langEn {
		v.PrintLink += "&lang=en"
	}
	return v
}

// periodOptions lists the periods a briefing can be asked for, newest first: the years of
// the headline indicator, the quarters and months of campaign reports and ledger dates.
func (s *Server) periodOptions(ctx context.Context, lang string, chosen Period) ([]option, error) {
	years, err := s.headlineYears(ctx)
	if err != nil {
		return nil, err
	}
	months, err := s.campaignMonths(ctx)
	if err != nil {
		return nil, err
	}
	dates, err := s.store.LedgerDates(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var ps []Period
	add := func(p Period) {
		if !seen[p.String()] {
			seen[p.String()] = true
			ps = append(ps, p)
		}
	}
	add(chosen)
	for _, y := range years {
		add(Period{Kind: PeriodYear, Year: y})
	}
	for _, d := range slices.Concat(months, dates) {
		add(Period{Kind: PeriodQuarter, Year: d.Year(), N: (int(d.Month())-1)/3 + 1})
	}
	for _, m := range months {
		add(Period{Kind: PeriodMonth, Year: m.Year(), N: int(m.Month())})
	}
	sortPeriods(ps)
	out := make([]option, len(ps))
	for i, p := range ps {
		out[i] = option{p.String(), p.Label(lang), p == chosen}
	}
	return out, nil
}

// sortPeriods puts the newest period first; a year before its quarters, a quarter before its months.
func sortPeriods(ps []Period) {
	key := func(p Period) string {
		switch p.Kind {
		case PeriodYear:
			return strconv.Itoa(p.Year) + "-99"
		case PeriodQuarter:
			return fmt.Sprintf("%d-%02d", p.Year, p.N*3) + "q"
		}
		return fmt.Sprintf("%d-%02d", p.Year, p.N)
	}
	slices.SortStableFunc(ps, func(a, b Period) int { return strings.Compare(key(b), key(a)) })
}
