// Package demogen writes the generated part of the demo data set: what is not published
// openly (county flags, county and city economy, the rectification ledger, the campaign's
// monthly reports), made up deterministically from a seed and labelled generated, in the
// file formats statistics offices send (XLSX with merged headers, GBK CSV, wide tables).
package demogen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// DefaultSeed makes the committed demo files; any other seed makes another plausible set.
const DefaultSeed = 20230213

// Generate writes the generated demo files into dataDir/generated, reading the real
// statistics and county codes from dataDir. It returns the files written.
func Generate(dataDir, home string, seed uint64) ([]string, error) {
	out := filepath.Join(dataDir, "generated")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x5DEECE66D))
	cs, err := readCounties(dataDir)
	if err != nil {
		return nil, err
	}
	prov, err := readProvince(dataDir, home)
	if err != nil {
		return nil, err
	}
	flagCounties(cs, rng)
	ps := profiles(cs, rng)
	files := []string{
		filepath.Join(out, "regions_counties.csv"),
		filepath.Join(out, "县域经济主要指标_2019-2024.xlsx"),
		filepath.Join(out, "市州地区生产总值_季度累计.csv"),
	}
	if err := writeCountyRegions(files[0], cs); err != nil {
		return nil, err
	}
	if err := writeCountyEconomy(files[1], cs, ps, prov); err != nil {
		return nil, err
	}
	if err := writeCityQuarterly(files[2], cs, ps, prov, rng); err != nil {
		return nil, err
	}
	ledgers, err := writeLedgers(out, makeLedger(cs, rng))
	if err != nil {
		return nil, err
	}
	reports, err := writeCampaignReports(out, campaignUnits(cs, rng), rng)
	if err != nil {
		return nil, err
	}
	files = append(append(files, ledgers...), reports...)
	readme := filepath.Join(out, "README.md")
	if err := os.WriteFile(readme, []byte(generatedReadme(seed)), 0o644); err != nil {
		return nil, err
	}
	return append(files, readme), nil
}

func generatedReadme(seed uint64) string {
	return fmt.Sprintf(`# Generated demo data (演示用生成数据)

Everything in this folder is made up by `+"`jinwei demo generate`"+` with seed %d, because it is
not published as open data. It is shaped like the real figures (county GDP adds up to
about the province's published GDP; the counts of 脱贫县 and key-assistance counties follow
the speech), and every file says it is generated. Do not quote these numbers.

- regions_counties.csv: the real county codes and names (NBS 2023) with generated flags:
  75 脱贫县 (including the eight that a Xinhua report names as the last to exit, and never
  an urban core district of a prefecture seat such as Lanzhou's 城关/七里河/西固/安宁), 23
  national and 16 provincial key-assistance counties.
- 县域经济主要指标_2019-2024.xlsx: a sheet per year, title row, merged two-row header,
  counties down and indicators across, footnote.
- 市州地区生产总值_季度累计.csv: the cities' cumulative quarterly GDP (1-3月 … 1-12月), GBK.
- 生态环境问题整改台账_YYYY-MM.xlsx: the rectification ledger at each quarter's end; items
  come from neutral example sources (示例·专项排查, 示例·督察反馈, 示例·省级检查,
  示例·日常监管) and never carry a real document's name.
- 三抓三促月报_YYYY-MM.csv: 24 monthly campaign reports, GBK, units down and metrics across.
`, seed)
}
