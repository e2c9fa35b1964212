package dashboard

import (
	"testing"

	"jinwei/warehouse"
)

// A change of a ledger item or a campaign metric is named in the page's language: a
// field by its column's label, a status and a problem category in words, a value in its
// unit; codes nobody named stay as they are.
func TestChangeRowsNameWhatChanged(t *testing.T) {
	names := dimensionNames{
		regions: map[string]warehouse.Region{"620100": {Code: "620100", NameZh: "兰州市", NameEn: "Lanzhou"}},
		metrics: []warehouse.CampaignMetric{{Code: "problems_found", NameZh: "发现突出问题数", NameEn: "Problems found", Unit: "个"}},
	}
	ledger, campaign := names, names
	ledger.job, campaign.job = warehouse.JobEcology, warehouse.JobCampaign
	for _, c := range []struct {
		name                          string
		n                             dimensionNames
		change                        warehouse.ValueChange
		lang                          string
		subject, region, field, shown string
	}{
		{"ledger deadline", ledger, warehouse.ValueChange{Subject: "GS-001", Region: "620100", Field: "deadline", OldValue: "2024-06-30", NewValue: "2024-12-31"},
			"zh", "GS-001", "兰州市", "整改时限", "2024-12-31"},
		{"ledger status in English", ledger, warehouse.ValueChange{Subject: "GS-001", Field: "status", NewValue: "整改中 50% 已拆除"},
			"en", "GS-001", "", "Status", "In progress 50% 已拆除"},
		{"ledger field nobody named", ledger, warehouse.ValueChange{Subject: "GS-001", Field: "colour", NewValue: "x"},
			"zh", "GS-001", "", "colour", "x"},
		{"campaign category", campaign, warehouse.ValueChange{Subject: "problems_found", Region: "620100", Field: "category_2", NewValue: "1234"},
			"zh", "发现突出问题数（懒散疲沓不勤为）", "兰州市", "数值", "1,234个"},
		{"campaign unit not a region", campaign, warehouse.ValueChange{Subject: "problems_found", Region: "D017", Field: "value", NewValue: "3"},
			"en", "Problems found", "D017", "Value", "3 items"},
	} {
		r := c.n.row(c.change, c.lang)
		if r.SubjectName != c.subject || r.RegionName != c.region || r.FieldName != c.field || r.New != c.shown {
			t.Errorf("%s: %q %q %q %q; want %q %q %q %q", c.name, r.SubjectName, r.RegionName, r.FieldName, r.New, c.subject, c.region, c.field, c.shown)
		}
	}
}

// A changed value's period is named as the pages name periods (it read "2023 1-12").
func TestChangePeriodsAreNamed(t *testing.T) {
	for _, c := range []struct{ period, lang, want string }{
		{"2023 1-03", "zh", "2023年1-3月累计"},
		{"2023 1-12", "en", "2023 months 1–12 (cumulative)"},
		{"2023Q2", "zh", "2023年第2季度"},
		{"2023-03", "zh", "2023年3月"},
		{"2023", "zh", "2023"},
		{"2024-12-31", "zh", "2024-12-31"},
		{"", "zh", ""},
	} {
		if got := changePeriod(c.period, c.lang); got != c.want {
			t.Errorf("changePeriod(%q, %s) = %q, want %q", c.period, c.lang, got, c.want)
		}
	}
}
