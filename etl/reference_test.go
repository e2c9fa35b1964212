package etl_test

import (
	"context"
	"testing"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// A regions file of code, name_zh and level (a fix of one county's name) blanked every
// other column of that county: its English name, its parent, its flags, and it left the
// county list. Columns a reference file leaves out keep what is stored for the keys it
// names; new keys take the defaults; a column sent with an empty cell takes its default.
func TestReferenceFileKeepsTheColumnsItLeavesOut(t *testing.T) {
	t.Parallel()
	w := whtest.Open(t)
	etltest.LoadCSV(t, w, "regions", "regions.csv", "code,name_zh,short_zh,name_en,level,parent_code,poverty_alleviated,counted\n"+
		"620100,兰州市,兰州,Lanzhou,city,620000,0,1\n"+
		"620103,七里河区,七里河,Qilihe District,county,620100,1,1\n")
	etltest.LoadCSV(t, w, "regions", "fix.csv", "code,name_zh,level\n620103,七里河区（改）,county\n620104,西固区,county\n")
	etltest.LoadCSV(t, w, "regions", "blank.csv", "code,name_zh,level,name_en\n620100,兰州市,city,\n")
	regions, err := w.Regions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]warehouse.Region{}
	for _, r := range regions {
		got[r.Code] = r
	}
	want := map[string]warehouse.Region{
		"620103": {Code: "620103", NameZh: "七里河区（改）", ShortZh: "七里河", NameEn: "Qilihe District", Level: "county", ParentCode: "620100", PovertyAlleviated: true, Counted: true},
		"620104": {Code: "620104", NameZh: "西固区", Level: "county", Counted: true},
		"620100": {Code: "620100", NameZh: "兰州市", ShortZh: "兰州", Level: "city", ParentCode: "620000", Counted: true},
	}
	for code, w := range want {
		if g := got[code]; g != w {
			t.Errorf("region %s:\n got %+v\nwant %+v", code, g, w)
		}
	}
}
