package dashboard

import (
	"testing"

	"jinwei/warehouse"
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
