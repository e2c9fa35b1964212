package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"

	"jinwei/dashboard/api"
	"jinwei/warehouse"
)

// BriefFact is one number in a briefing's sentence: the value as the page the sentence
// links to has it, and how the sentence shows it. Name says which of that page's numbers
// it is; Of names the province, city, unit or target when the page shows several.
type BriefFact struct {
	Name  string  `json:"name"`
	Of    string  `json:"of,omitempty"`
	Value float64 `json:"value"`
	Shown string  `json:"shown"`
}

// BriefSentence is one sentence of a briefing, linked to the page (and its JSON twin)
// that shows every number in it.
type BriefSentence struct {
	Text  string      `json:"text"`
	Link  string      `json:"link"`
	API   string      `json:"api"`
	Facts []BriefFact `json:"facts"`
}

// BriefSection is a paragraph of a briefing about one topic.
type BriefSection struct {
	Topic     string          `json:"topic"`
	Heading   string          `json:"heading"`
	Sentences []BriefSentence `json:"sentences"`
}

// Briefing topics, in the order a briefing tells them.
const (
	topicStanding = "standing"
	topicMoves    = "moves"
	topicTargets  = "targets"
	topicLedger   = "ledger"
	topicCampaign = "campaign"
)

// Briefing is a briefing (简报) written from the warehouse's numbers for a period.
type Briefing struct {
	Period string `json:"period"`
	Lang   string `json:"lang"`
	Title  string `json:"title"`
	// Headline is the first sentence: the home province's standing on the headline
	// indicator.
	Headline string         `json:"headline"`
	Sections []BriefSection `json:"sections"`
	// DataVersion is the warehouse's data version the numbers were read at.
	DataVersion uint64    `json:"data_version"`
	MadeAt      time.Time `json:"made_at"`
	Generated   bool      `json:"generated"`
	// Sources are the loads of the numbers; the JSON's are briefAnswer's.
	Sources []warehouse.Lineage `json:"-"`
	charts  []chartView
}

// briefAnswer is GET /api/brief: the briefing with its sources' JSON shapes.
type briefAnswer struct {
	*Briefing
	Sources []api.Lineage `json:"sources"`
}

// briefDraft gathers a briefing while it is written.
type briefDraft struct {
	*Briefing
	lang    string
	home    warehouse.Region
	period  Period
	runs    map[string]bool
	sources []warehouse.Lineage
}

func (d *briefDraft) section(topic string, sentences []BriefSentence) {
	if len(sentences) > 0 {
		d.Sections = append(d.Sections, BriefSection{Topic: topic, Heading: t(d.lang, "brief_topic_"+topic), Sentences: sentences})
	}
}

func (d *briefDraft) addSources(ls []warehouse.Lineage) {
	for _, l := range ls {
		if !d.runs[l.RunID] {
			d.runs[l.RunID] = true
			d.sources = append(d.sources, l)
		}
	}
}

// compose writes the briefing of a period from the same queries the pages run, so each
// sentence's numbers are the numbers of the page it links to.
func (s *Server) compose(ctx context.Context, p Period, lang string) (*Briefing, error) {
	b := &Briefing{Period: p.String(), Lang: lang, DataVersion: s.dataVersion(ctx), MadeAt: time.Now().UTC()}
	b.Title = fmt.Sprintf(t(lang, "brief_title"), p.Label(lang))
	d := &briefDraft{Briefing: b, lang: lang, period: p, runs: map[string]bool{}}
	regions, err := s.store.Regions(ctx)
	if err != nil {
		return nil, err
	}
	d.home = warehouse.Region{Code: s.cfg.HomeRegion, NameZh: s.cfg.HomeRegion, NameEn: s.cfg.HomeRegion}
	if i := slices.IndexFunc(regions, func(r warehouse.Region) bool { return r.Code == s.cfg.HomeRegion }); i >= 0 {
		d.home = regions[i]
	}
	if err := s.briefStanding(ctx, d); err != nil {
		return nil, fmt.Errorf("briefing %s, rankings: %w", p, err)
	}
	if err := s.briefTargets(ctx, d); err != nil {
		return nil, fmt.Errorf("briefing %s, targets: %w", p, err)
	}
	if hasUnits(regions, s.cfg.HomeRegion) {
		if err := s.briefLedger(ctx, d, regions); err != nil {
			return nil, fmt.Errorf("briefing %s, ledger: %w", p, err)
		}
		if err := s.briefCampaign(ctx, d); err != nil {
			return nil, fmt.Errorf("briefing %s, campaign: %w", p, err)
		}
	}
	b.Sources = d.sources
	return b, nil
}

// briefLink is a sentence's page and its JSON twin, in the briefing's language.
func briefLink(path string, q url.Values, lang string) (link, api string) {
	if lang == langEn {
		q.Set("lang", langEn)
	}
	apiPath := "/api" + path
	if path == "/" {
		apiPath = "/api/cockpit"
	}
	enc := q.Encode()
	if enc == "" {
		return path, apiPath
	}
	return path + "?" + enc, apiPath + "?" + enc
}

// sentenceOf starts a sentence linked to a page.
func sentenceOf(path string, q url.Values, lang string) *sentence {
	link, api := briefLink(path, q, lang)
	return &sentence{lang: lang, out: BriefSentence{Link: link, API: api}}
}

// sentence is a sentence being written: clauses in the language's order, each number
// recorded as a fact as it is written.
type sentence struct {
	lang    string
	clauses []string
	out     BriefSentence
}

// num records a number shown in the sentence and returns how it is shown.
func (s *sentence) num(name, of string, v float64, shown string) string {
	s.out.Facts = append(s.out.Facts, BriefFact{Name: name, Of: of, Value: v, Shown: shown})
	return shown
}

// clause adds a clause: a label's format filled with args.
func (s *sentence) clause(format string, args ...any) {
	s.clauses = append(s.clauses, fmt.Sprintf(format, args...))
}

// words adds a clause without numbers.
func (s *sentence) words(text string) { s.clauses = append(s.clauses, text) }

// done joins the clauses as the language punctuates them.
func (s *sentence) done() BriefSentence {
	sep, end := "，", "。"
	if s.lang == langEn {
		sep, end = ", ", "."
	}
	text := ""
	for i, c := range s.clauses {
		if i > 0 {
			text += sep
		}
		text += c
	}
	s.out.Text = text + end
	return s.out
}

// briefNumber writes a number as a briefing's prose does: at most the given decimals,
// trailing zeros dropped; Chinese prose without thousands separators (52825元), English
// with them (52,825).
func briefNumber(v float64, decimals int, lang string) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if decimals > 0 {
		for s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		if s[len(s)-1] == '.' {
			s = s[:len(s)-1]
		}
	}
	if s == "-0" {
		s = "0"
	}
	if lang == langEn {
		f, _ := strconv.ParseFloat(s, 64)
		return formatNumber(f)
	}
	return s
}

// hasUnits says whether the warehouse holds cities or counties of the home province: the
// ledger and the campaign are about them (see homeUnits).
func hasUnits(regions []warehouse.Region, home string) bool {
	return slices.ContainsFunc(regions, func(r warehouse.Region) bool {
		return (r.Level == "city" || r.Level == "county") && inProvince(r.Code, home)
	})
}

// homeName is how a sentence names the home province: 我省 in Chinese, its name in English.
func (d *briefDraft) homeName() string {
	if d.lang == langEn {
		return shortName(d.home, langEn)
	}
	return t(d.lang, "brief_home")
}
