package demogen

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// county is one county-level division of the province, with the flags the demo gives it.
type county struct {
	code, nameZh, nameEn, prefecture, prefectureName, divisionType string
	counted                                                        bool
	poverty, nationalKey, provincialKey                            bool
}

// lastToExit are the eight counties a Xinhua report (2020-11-22) names as the last of
// Gansu's 75 poverty counties to exit; the demo flags them, and makes up the rest.
var lastToExit = []string{"东乡族自治县", "临夏县", "宕昌县", "西和县", "礼县", "岷县", "通渭县", "镇原县"}

// Counts the speech gives for the province's 86 counties.
const (
	povertyCounties       = 75
	nationalKeyCounties   = 23
	provincialKeyCounties = 16
)

// readCounties reads the real division codes and the English names beside them.
func readCounties(dataDir string) ([]county, error) {
	rows, err := readCSV(filepath.Join(dataDir, "real", "gansu_counties.csv"))
	if err != nil {
		return nil, err
	}
	names, err := readCSV(filepath.Join(dataDir, "gansu_county_names_en.csv"))
	if err != nil {
		return nil, err
	}
	en := map[string]string{}
	for _, r := range names[1:] {
		en[r[0]] = r[2]
	}
	var out []county
	for _, r := range rows[1:] {
		out = append(out, county{code: r[0], nameZh: r[1], nameEn: en[r[0]], prefecture: r[2], prefectureName: r[3],
			divisionType: r[4], counted: r[5] == "1"})
	}
	if len(out) < 86 {
		return nil, fmt.Errorf("%s lists %d counties, want at least 86", filepath.Join(dataDir, "real", "gansu_counties.csv"), len(out))
	}
	return out, nil
}

// urbanCores are the urban core districts of prefecture seats and the prosperous
// county-level cities, which were never poverty counties: Lanzhou's 城关/七里河/西固/安宁/
// 红古, the cores of Jinchang, Baiyin, Jiuquan and Zhangye, and Yumen and Dunhuang. The
// generated flags never fall on them.
var urbanCores = []string{"城关区", "七里河区", "西固区", "安宁区", "红古区", "金川区", "白银区", "肃州区", "甘州区", "玉门市", "敦煌市"}

// flagCounties marks 75 of the 86 counted counties as poverty-alleviated (the eight last
// to exit among them, rural counties before urban districts), and among those 23 national
// and 16 provincial key-assistance counties (the eight last to exit are national ones).
func flagCounties(cs []county, rng *rand.Rand) {
	var rural, urban []int
	for i, c := range cs {
		if !c.counted {
			continue
		}
		if c.divisionType == "市辖区" || c.divisionType == "县级市" {
			urban = append(urban, i)
		} else {
			rural = append(rural, i)
		}
	}
	rng.Shuffle(len(rural), func(a, b int) { rural[a], rural[b] = rural[b], rural[a] })
	rng.Shuffle(len(urban), func(a, b int) { urban[a], urban[b] = urban[b], urban[a] })
	// Urban cores go last, after the shuffle (which draws from rng as before, so every
	// other generated file stays as it was), and are never reached.
	slices.SortStableFunc(urban, func(a, b int) int {
		return boolRank(slices.Contains(urbanCores, cs[a].nameZh)) - boolRank(slices.Contains(urbanCores, cs[b].nameZh))
	})
	if len(rural)+len(urban)-countCores(cs, urban) < povertyCounties {
		panic("demogen: fewer counties outside the urban cores than poverty counties to flag")
	}
	// The last eight first, so they are always among the poverty and national key counties.
	slices.SortStableFunc(rural, func(a, b int) int {
		return boolRank(slices.Contains(lastToExit, cs[b].nameZh)) - boolRank(slices.Contains(lastToExit, cs[a].nameZh))
	})
	order := append(rural, urban...)
	for n, i := range order[:povertyCounties] {
		cs[i].poverty = true
		switch {
		case n < nationalKeyCounties:
			cs[i].nationalKey = true
		case n < nationalKeyCounties+provincialKeyCounties:
			cs[i].provincialKey = true
		}
	}
}

func countCores(cs []county, idx []int) int {
	n := 0
	for _, i := range idx {
		if slices.Contains(urbanCores, cs[i].nameZh) {
			n++
		}
	}
	return n
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// writeCountyRegions writes the counties as rows of the region dimension.
func writeCountyRegions(path string, cs []county) error {
	rows := [][]string{{"code", "name_zh", "short_zh", "name_en", "level", "parent_code", "division_type", "macro_region",
		"poverty_alleviated", "national_key", "provincial_key", "counted", "generated", "source"}}
	for _, c := range cs {
		rows = append(rows, []string{c.code, c.nameZh, shortName(c.nameZh), c.nameEn, "county", c.prefecture, c.divisionType, "",
			flag(c.poverty), flag(c.nationalKey), flag(c.provincialKey), flag(c.counted), "1",
			"NBS 2023 统计用区划代码; 脱贫县与重点帮扶县标记为演示生成数据 (generated: no public list was found)"})
	}
	return writeCSV(path, rows, false)
}

// shortName drops a county's suffix unless that leaves a single character (岷县 stays).
func shortName(name string) string {
	for _, s := range []string{"自治县", "县", "区", "市"} {
		if t := strings.TrimSuffix(name, s); t != name && len([]rune(t)) > 1 {
			return t
		}
	}
	return name
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return rows, nil
}
