package dashboard

import (
	"testing"

	"jinwei/warehouse"
	"strings"
)

// Who started a run is named in the page's language for every writer of runs: a unit's
// report showed its label's key, "started_report（clerk）".
func TestStartedByNamesEveryWriter(t *testing.T) {
	for _, c := range []struct{ lang, by, want string }{
		{langZh, warehouse.StartedByReport + ":clerk", "单位填报（clerk）"},
		{langEn, warehouse.StartedByReport + ":clerk", "Unit's report (clerk)"},
		{langZh, "upload:ops", "上传（ops）"},
	} {
		if got := startedByLabel(c.lang, c.by); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.lang, c.by, got, c.want)
		}
	}
}

// How an upload is read names the glob its name matched and the file configuring it: the
// mapping's name alone (campaign_monthly) told an operator nothing.
func TestReadingSaysWhyAMappingApplies(t *testing.T) {
	if got := readingLabel(langEn, warehouse.ReadByColumnNames, "", ""); !strings.HasPrefix(got, "No mapping is configured") {
		t.Errorf("read by column names: %q", got)
	}
	for _, c := range []struct{ lang, reading, want string }{
		{langZh, warehouse.ReadConfigured, "文件名符合“三抓三促月报*.csv”：按为这类文件配置的读法读取（campaign_monthly.toml）。"},
		{langEn, warehouse.ReadConfigured, "Its name matches “三抓三促月报*.csv”: read with the mapping configured for such files (campaign_monthly.toml)."},
		{langEn, "unheard_of", "unheard_of"},
	} {
		if got := readingLabel(c.lang, c.reading, "campaign_monthly", "三抓三促月报*.csv"); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.lang, c.reading, got, c.want)
		}
	}
}
