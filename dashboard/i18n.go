package dashboard

import (
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strconv"

	"github.com/pelletier/go-toml/v2"

	"jinwei/dashboard/alerts"
	"jinwei/warehouse"
	"jinwei/warehouse/rules"
)

// Language codes the pages speak; Chinese is the default.
const (
	langZh = "zh"
	langEn = "en"
)

// languages are the languages every label must exist in.
var languages = []string{langZh, langEn}

// The fixed words on the pages live in one flat file per language, `key = "text"`, so a
// translator edits text, not Go. TestLabelsComplete proves every key the templates, the Go
// code and the scripts use is in every file, and that no file keeps a key nobody uses.
//
//go:embed locale/*.toml
var localeFS embed.FS

// labelFamilies are the keys built at run time from a prefix and a value (t(lang,
// "status_"+s)): the completeness test cannot read them from the code, so they are listed
// here, and a prefix used in the code but missing here fails the test.
var labelFamilies = map[string][]string{
	"status_":            slices.Concat(warehouse.LedgerStatuses, runStatuses, auditOutcomes),
	"started_":           warehouse.StartedByKinds,
	"role_":              RoleNames(),
	"perm_":              permNames(),
	"reject_kind_":       warehouse.RejectKinds,
	"job_":               warehouse.Jobs,
	"counted_in_values_": countedJobs,
	"changes_":           {warehouse.ChangeAdded, warehouse.ChangeRevised},
	"original_":          originalStates,
	"category_":          problemCategoryKeys(),
	"kind_":              campaignKinds,
	"dim_":               {"study", "execution", "efficiency"},
	"filter_":            countyFilterOrder,
	"sort_":              countySorts,
	"param_word_":        paramWords,
	"direction_":         slices.Collect(maps.Values(directionWords)),
	"size_sort_":         countySorts,
	"target_":            {"green", "amber", "red", "no_data"},
	"metric_":            campaignTrendMetrics,
	"flag_":              {"poverty", "national_key", "provincial_key"},
	"basis_":             {"nominal", "real", "rate", "index", "plain"},
	"nav_":               {"counties", "ecology", "campaign"},
	"sc_rule_":           methodRules,
	"sc_status_":         scoreStatuses,
	"sc_unit_":           scoreUnitKinds,
	"brief_topic_":       {topicStanding, topicMoves, topicTargets, topicLedger, topicCampaign},
	"brief_reports_":     overdueStates,
	"state_":             reportStates,
	"report_action_":     {warehouse.ReportSubmitted, warehouse.ReportReturned},
	"unit_":              unitKinds,
	"error_":             errorKinds,
	"error_hint_":        errorKinds,
	"measure_":           measureUnits,
	"attach_":            attachmentRefusals,
	"layout_":            warehouse.Layouts,
	"audit_action_":      warehouse.AuditActions,
	"ledger_next_":       ledgerStages,
	"inspect_note_":      warehouse.NoteKinds,
	"reading_":           warehouse.Readings,
	"rfile_":             reportFileRefusals,
	"note_":              noteProblems,
	"step_":              closingSteps,
	"step_note_":         closingSteps,
	// The alerts page's rule kinds, rule sources, subscription kinds and delivery statuses.
	"alert_kind_":    warehouse.AlertKinds,
	"alert_source_":  {warehouse.RuleFromConfig, warehouse.RuleFromPage},
	"subscribe_":     {warehouse.SubscribeAlerts, warehouse.SubscribeBrief},
	"delivery_":      {warehouse.DeliveryPending, warehouse.DeliverySent, warehouse.DeliveryFailed},
	"subs_brief_":    briefTopics,
	"alert_bad_":     alerts.RuleFields,
	"alert_unknown_": ruleCatalogFields,
	"alert_by_":      ruleGroupings,
	"wall_refused_":  wallRefusals,
	// The console's refusals and limits, in Chinese only (see chineseOnly).
	"refused_": warehouse.RefusalKinds,
	"engine_":  engineErrorKinds,
	"limit_":   warehouse.LimitKinds,
}

// chineseOnly are the prefixes of labels only Chinese has: the SQL console's refusals and
// limits, which English pages give in the warehouse's own English.
var chineseOnly = []string{"refused_", "limit_"}

// labels are the words of every language, each completed with the keys any language or
// template knows, so a label missing from one file shows as its key (visible, and caught by
// TestLabelsComplete) instead of as nothing.
var labels = mustLabels()

// jsLabels are the labels the pages' scripts ask for (L('key') in static/*.js), by language,
// handed to them as JSON by the layout.
var jsLabels = mustJSLabels()

func mustLabels() map[string]map[string]string {
	raw, err := readLocales(localeFS)
	if err != nil {
		panic(err)
	}
	tkeys, err := templateLabelKeys(templateFS)
	if err != nil {
		panic(err)
	}
	return completeLabels(raw, tkeys)
}

// readLocales reads locale/LANG.toml for every language: a flat table of strings.
func readLocales(fsys fs.FS) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, lang := range languages {
		b, err := fs.ReadFile(fsys, "locale/"+lang+".toml")
		if err != nil {
			return nil, fmt.Errorf("labels: %w", err)
		}
		m := map[string]string{}
		if err := toml.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("labels: locale/%s.toml (flat key = \"text\" lines only): %w", lang, err)
		}
		out[lang] = m
	}
	return out, nil
}

// completeLabels gives every language every key that some language or template has; a key
// a language lacks is its own text.
func completeLabels(raw map[string]map[string]string, extra []string) map[string]map[string]string {
	all := slices.Clone(extra)
	for _, m := range raw {
		for k := range m {
			all = append(all, k)
		}
	}
	out := map[string]map[string]string{}
	for _, lang := range languages {
		m := map[string]string{}
		for _, k := range all {
			m[k] = k
		}
		for k, v := range raw[lang] {
			m[k] = v
		}
		out[lang] = m
	}
	return out
}

// templateLabelRE finds the labels a template uses: {{.L.key}} or {{$.L.key}}.
var templateLabelRE = regexp.MustCompile(`\.L\.([A-Za-z0-9_]+)`)

// jsLabelRE finds the labels a script uses: L('key') or L("key").
var jsLabelRE = regexp.MustCompile(`\bL\(['"]([A-Za-z0-9_]+)['"]\)`)

func templateLabelKeys(fsys fs.FS) ([]string, error) {
	return scanKeys(fsys, "templates/*.html", templateLabelRE)
}

func jsLabelKeys(fsys fs.FS) ([]string, error) {
	return scanKeys(fsys, "static/*.js", jsLabelRE)
}

func scanKeys(fsys fs.FS, glob string, re *regexp.Regexp) ([]string, error) {
	files, err := fs.Glob(fsys, glob)
	if err != nil {
		return nil, fmt.Errorf("labels: %s: %w", glob, err)
	}
	var keys []string
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("labels: %w", err)
		}
		for _, m := range re.FindAllSubmatch(b, -1) {
			keys = append(keys, string(m[1]))
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys), nil
}

func mustJSLabels() map[string]map[string]string {
	keys, err := jsLabelKeys(staticFS)
	if err != nil {
		panic(err)
	}
	out := map[string]map[string]string{}
	for _, lang := range languages {
		m := map[string]string{}
		for _, k := range keys {
			m[k] = t(lang, k)
		}
		out[lang] = m
	}
	return out
}

// problemCategoryKeys are the numbers of rules.ProblemCategories, 1–7, as label keys.
func problemCategoryKeys() []string {
	var out []string
	for i := range rules.ProblemCategories {
		out = append(out, strconv.Itoa(i+1))
	}
	return out
}

// t returns the label for key in lang; a key no file has is shown as itself, never as
// nothing (TestLabelsComplete fails on it first).
func t(lang, key string) string {
	if s, ok := labels[lang][key]; ok {
		return s
	}
	return key
}
