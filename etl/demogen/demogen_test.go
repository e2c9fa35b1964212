package demogen

import (
	"bytes"
	"encoding/csv"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"jinwei/warehouse/scorecard"
)

// The generated set is the same for the same seed, and its county flags have the counts
// the speech gives.
func TestGenerateIsDeterministicAndFlagsCountiesAsTheSpeechCounts(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"real"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"real/gansu_counties.csv", "real/province_annual.csv", "gansu_county_names_en.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "data", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Generate(dir, "620000", DefaultSeed); err != nil {
		t.Fatal(err)
	}
	first, err := os.ReadFile(filepath.Join(dir, "generated", "regions_counties.csv"))
	if err != nil {
		t.Fatal(err)
	}
	campaign1, _ := os.ReadFile(filepath.Join(dir, "generated", "三抓三促月报_2024-06.csv"))
	if _, err := Generate(dir, "620000", DefaultSeed); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(filepath.Join(dir, "generated", "regions_counties.csv"))
	campaign2, _ := os.ReadFile(filepath.Join(dir, "generated", "三抓三促月报_2024-06.csv"))
	if !bytes.Equal(first, again) || !bytes.Equal(campaign1, campaign2) {
		t.Errorf("the same seed made different files")
	}
	rows, err := csv.NewReader(bytes.NewReader(first)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var counted, poverty, national, provincial int
	for _, r := range rows[1:] {
		if r[11] == "1" {
			counted++
		}
		if r[8] == "1" {
			poverty++
		}
		if r[9] == "1" {
			national++
		}
		if r[10] == "1" {
			provincial++
		}
		if r[12] != "1" {
			t.Errorf("%s is not labelled generated", r[1])
		}
		// Urban core districts of prefecture seats were never poverty counties.
		if r[8] == "1" && slices.Contains([]string{"城关区", "七里河区", "西固区", "安宁区", "金川区", "白银区", "肃州区"}, r[1]) {
			t.Errorf("%s, an urban core district, is flagged poverty-alleviated", r[1])
		}
		if (r[9] == "1" || r[10] == "1") && r[8] != "1" {
			t.Errorf("%s is a key-assistance county but not poverty-alleviated", r[1])
		}
	}
	if counted != 86 || poverty != 75 || national != 23 || provincial != 16 {
		t.Errorf("counted %d, poverty %d, national key %d, provincial key %d; want 86, 75, 23, 16", counted, poverty, national, provincial)
	}
	if _, err := Generate(dir, "620000", DefaultSeed+1); err != nil {
		t.Fatal(err)
	}
	other, _ := os.ReadFile(filepath.Join(dir, "generated", "三抓三促月报_2024-06.csv"))
	if bytes.Equal(other, campaign1) {
		t.Errorf("another seed made the same campaign report")
	}
}

// Generated ledger items never carry a real document's name or pose as its findings.
func TestGeneratedLedgerNamesNoRealDocument(t *testing.T) {
	cs := []county{{code: "620102", nameZh: "城关区", counted: true}, {code: "620121", nameZh: "永登县", counted: true}}
	items := makeLedger(cs, rand.New(rand.NewPCG(1, 2)))
	for _, it := range items {
		if !strings.HasPrefix(it.source, "示例·") {
			t.Errorf("%s: source %q does not say it is an example", it.id, it.source)
		}
		for _, real := range []string{"警示片", "黄河流域生态环境", "中央生态环境保护督察", "披露"} {
			if strings.Contains(it.source, real) || strings.Contains(it.title, real) {
				t.Errorf("%s: %q / %q names a real document (%s)", it.id, it.source, it.title, real)
			}
		}
	}
}

// The demo's stock items (problems and flagged households closed within their deadline,
// first in first out) tell the cities apart, as the campaign's are meant to: the files a
// demo loads are the generator's, and in a year's month and in the last no more than two
// of the 14 cities stand at 0 % and the rest spread over several values. The set before
// closed a share of each month's own cases only; its backlogs grew without end and 11
// cities stood at 0 %, scored 50 beside "624 of 870 rectified".
func TestGeneratedStocksTellCitiesApart(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"real/gansu_counties.csv", "real/province_annual.csv", "gansu_county_names_en.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "data", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Generate(dir, "620000", DefaultSeed); err != nil {
		t.Fatal(err)
	}
	items, err := scorecard.ReadItems(filepath.Join("..", "..", "data", "campaign_scoring.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// The monthly file's columns each stock item counts (a category's columns add up).
	columns := map[string]string{"发现问题": "problems_found", "整改问题": "problems_rectified", "一键报贫预警户数": "poverty_flagged", "一键报贫帮扶户数": "poverty_assisted"}
	var stocks []scorecard.Item
	for _, it := range items {
		if it.Formula == scorecard.Stock {
			if !slices.Contains(slices.Collect(maps.Values(columns)), it.Num) || !slices.Contains(slices.Collect(maps.Values(columns)), it.Den) {
				t.Fatalf("stock item %s counts %s of %s, which this test does not read from the files", it.Code, it.Num, it.Den)
			}
			stocks = append(stocks, it)
		}
	}
	if len(stocks) == 0 {
		t.Fatal("no stock items in campaign_scoring.csv")
	}
	cities := map[string][]scorecard.Report{}
	for _, m := range campaignMonths() {
		name := "三抓三促月报_" + m.Format("2006-01") + ".csv"
		made, err := os.ReadFile(filepath.Join(dir, "generated", name))
		if err != nil {
			t.Fatal(err)
		}
		shipped, err := os.ReadFile(filepath.Join("..", "..", "data", "generated", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(made, shipped) {
			t.Fatalf("data/generated/%s is not what `jinwei demo generate` makes: run it again", name)
		}
		text, err := simplifiedchinese.GBK.NewDecoder().Bytes(made)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(text)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[1:] {
			if r[0] != "地区" || !strings.HasSuffix(r[1], "00") {
				continue
			}
			rep := scorecard.Report{}
			for j, h := range rows[0] {
				if code, ok := columns[strings.SplitN(h, "（", 2)[0]]; ok {
					v, err := strconv.ParseFloat(r[j], 64)
					if err != nil {
						t.Fatalf("%s, %s, %s: %v", name, r[2], h, err)
					}
					rep[code] += v
				}
			}
			cities[r[1]] = append(cities[r[1]], rep)
		}
	}
	if len(cities) != 14 {
		t.Fatalf("%d cities in the reports, want 14", len(cities))
	}
	for _, month := range []int{11, 23} {
		for _, it := range stocks {
			var zero int
			distinct := map[float64]bool{}
			for _, reports := range cities {
				v := scorecard.Values([]scorecard.Item{it}, reports, 0)[month][it.Code]
				if v.Status != scorecard.OK {
					continue
				}
				distinct[math.Round(v.Value)] = true
				if v.Value == 0 {
					zero++
				}
			}
			if zero > 2 || len(distinct) < 5 {
				t.Errorf("%s in %s: %d of 14 cities at 0 %%, %d distinct values (%v); want at most 2 at 0 and at least 5 values",
					it.Code, campaignMonths()[month].Format("2006-01"), zero, len(distinct), slices.Sorted(maps.Keys(distinct)))
			}
		}
	}
}
