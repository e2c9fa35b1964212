package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"jinwei/warehouse"
	"jinwei/warehouse/rules"
	"jinwei/warehouse/scorecard"
)

// ReportField is one input of a unit's monthly report form: a campaign metric, or one of
// the seven problem categories of a metric counted by category.
type ReportField struct {
	// Key names the field in forms and JSON: the metric's code, with ":N" for category N,
	// the way a campaign file's metric column may write it.
	Key      string `json:"key"`
	Metric   string `json:"metric"`
	Category int    `json:"category,omitempty"`
	Label    string `json:"label"`
	Unit     string `json:"unit"`
	// Whole is set for a metric that counts things: its value is a whole number, typed on
	// a phone's digit keypad.
	Whole     bool   `json:"whole,omitempty"`
	Dimension string `json:"dimension"`
	// Hint says what the field takes, with last month's value when there is one.
	Hint  string `json:"hint"`
	Value string `json:"value"`
	Error string `json:"error,omitempty"`
}

// maxFieldText bounds what one field may hold: a count is a few digits.
const maxFieldText = 40

// metricName is a campaign metric's name in lang (Chinese when it has no English one).
func metricName(m warehouse.CampaignMetric, lang string) string {
	if lang == langEn && m.NameEn != "" {
		return m.NameEn
	}
	return m.NameZh
}

// reportFields lays out the form: every campaign metric in campaign_metric_defs' order,
// a metric counted by category as seven fields.
func reportFields(defs []warehouse.CampaignMetric, lang string) []ReportField {
	var out []ReportField
	for _, d := range defs {
		name := metricName(d, lang)
		if !rules.ByCategory(d.Code) {
			out = append(out, ReportField{Key: d.Code, Metric: d.Code, Label: name, Unit: d.Unit, Whole: rules.Counts(d.Unit), Dimension: d.Dimension})
			continue
		}
		for c := range rules.ProblemCategories {
			out = append(out, ReportField{Key: d.Code + ":" + strconv.Itoa(c+1), Metric: d.Code, Category: c + 1,
				Label: name + " · " + t(lang, "category_"+strconv.Itoa(c+1)), Unit: d.Unit, Whole: rules.Counts(d.Unit), Dimension: d.Dimension})
		}
	}
	return out
}

// errFormFields is a form with fields in error: each field's error is beside it.
var errFormFields = errors.New("some fields are not right")

// errUnknownField is a value for no field of the form.
var errUnknownField = errors.New("a value names no field of the form")

// checkValues reads the form's values into fields (text as typed), and with complete set
// (a submission, not a draft) the report's cells. Every value is checked by the rules the
// ETL loads campaign files with (warehouse/rules); a field's error is set beside it.
func checkValues(fields []ReportField, values map[string]string, defs []warehouse.CampaignMetric, complete bool, lang string) ([]warehouse.ReportCell, error) {
	byCode := map[string]warehouse.CampaignMetric{}
	for _, d := range defs {
		byCode[d.Code] = d
	}
	known := map[string]bool{}
	for _, f := range fields {
		known[f.Key] = true
	}
	var unknown []string
	for k := range values {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		if len(unknown) > 3 {
			unknown = append(unknown[:3], "…")
		}
		return nil, fmt.Errorf("%w: %q", errUnknownField, unknown)
	}
	var cells []warehouse.ReportCell
	bad := false
	for i := range fields {
		f := &fields[i]
		f.Value = values[f.Key]
		if utf8.RuneCountInString(f.Value) > maxFieldText {
			f.Value, f.Error, bad = "", t(lang, "report_too_long"), true
			continue
		}
		f.Value = strings.TrimSpace(f.Value)
		if !complete && f.Value == "" {
			continue
		}
		cat, err := rules.Category(strconv.Itoa(f.Category), f.Metric)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", f.Key, err)
		}
		d := byCode[f.Metric]
		v, err := rules.Value(f.Value, d.NameZh, d.Unit)
		switch {
		case errors.Is(err, rules.ErrMissing):
			f.Error = t(lang, "report_required")
		case errors.Is(err, rules.ErrNegative):
			f.Error = t(lang, "report_negative")
		case errors.Is(err, rules.ErrNotWhole):
			f.Error = t(lang, "report_not_whole")
		case errors.Is(err, rules.ErrTooLarge):
			f.Error = t(lang, "report_too_large")
		case errors.Is(err, rules.ErrTiny):
			f.Error = t(lang, "report_too_small")
		case err != nil:
			f.Error = t(lang, "report_not_number")
		default:
			cells = append(cells, warehouse.ReportCell{Metric: f.Metric, Category: cat, Value: v})
			continue
		}
		bad = true
	}
	if bad {
		return nil, errFormFields
	}
	return cells, nil
}

// fillFields puts values into the fields: a draft's text, or a report's numbers.
func fillFields(fields []ReportField, cells []warehouse.ReportCell) {
	byKey := map[string]float64{}
	for _, c := range cells {
		byKey[cellKey(c)] = c.Value
	}
	for i := range fields {
		if v, ok := byKey[fields[i].Key]; ok {
			fields[i].Value = strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
}

// hintFields says under each field what it takes, and last month's value.
func hintFields(fields []ReportField, last []warehouse.ReportCell, lang string) {
	prev := map[string]float64{}
	for _, c := range last {
		prev[cellKey(c)] = c.Value
	}
	for i := range fields {
		f := &fields[i]
		hint := t(lang, "report_hint")
		if f.Whole {
			hint = t(lang, "report_hint_whole")
		}
		f.Hint = fmt.Sprintf(hint, unitWord(f.Unit, lang))
		if v, ok := prev[f.Key]; ok {
			f.Hint += fmt.Sprintf(t(lang, "report_hint_last"), strconv.FormatFloat(v, 'f', -1, 64))
		}
	}
}

func cellKey(c warehouse.ReportCell) string {
	if c.Category > 0 {
		return c.Metric + ":" + strconv.Itoa(c.Category)
	}
	return c.Metric
}

// draftValues reads a draft's JSON body; a body that does not read gives no values.
func draftValues(body string) map[string]string {
	values := map[string]string{}
	if json.Unmarshal([]byte(body), &values) != nil {
		return map[string]string{}
	}
	return values
}

// reportChecks finds the figures of a submitted report its unit is asked to look at again
// (scorecard.Excesses) and says them to the page's reader: which revision, both figures
// named, and to a unit's own staff what to do if one is a slip.
func (s *Server) reportChecks(ctx context.Context, v *ReportView, defs []warehouse.CampaignMetric, cells []warehouse.ReportCell, lang string) error {
	if len(cells) == 0 {
		return nil
	}
	items, err := s.store.ScorecardItems(ctx)
	if err != nil {
		return err
	}
	month := scorecard.Report{}
	for _, c := range cells {
		month[c.Metric] += c.Value
	}
	if v.Checks = scorecard.Excesses(items, month); len(v.Checks) == 0 {
		return nil
	}
	names := map[string]string{}
	for _, d := range defs {
		names[d.Code] = metricName(d, lang)
	}
	for _, e := range v.Checks {
		v.CheckText = append(v.CheckText, fmt.Sprintf(t(lang, "report_check_excess"), names[e.Item.Num], formatNumber(e.Num), names[e.Item.Den], formatNumber(e.Den)))
	}
	if v.CanSubmit {
		v.CheckText = append(v.CheckText, t(lang, "report_check_fix"))
	}
	return nil
}
