package demogen

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
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
