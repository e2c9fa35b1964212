package etl_test

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"

	"jinwei/etl"
	"jinwei/warehouse"
)

// published holds data/real/province_annual.csv: year → region code → indicator → value.
type published map[int]map[string]map[string]float64

func readPublished(t *testing.T) (published, []region) {
	t.Helper()
	rows := readCSV(t, filepath.Join("..", "data", "real", "province_annual.csv"))
	p := published{}
	for _, r := range rows[1:] {
		y, _ := strconv.Atoi(r[0])
		v, err := strconv.ParseFloat(r[4], 64)
		if err != nil {
			t.Fatal(err)
		}
		if p[y] == nil {
			p[y] = map[string]map[string]float64{}
		}
		if p[y][r[1]] == nil {
			p[y][r[1]] = map[string]float64{}
		}
		p[y][r[1]][r[3]] = v
	}
	var regions []region
	for _, r := range readCSV(t, filepath.Join("..", "data", "regions.csv"))[1:] {
		if r[4] == "province" || r[4] == "nation" {
			regions = append(regions, region{code: r[0], name: r[1], short: r[2]})
		}
	}
	return p, regions
}

type region struct{ code, name, short string }

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// padded typesets a two-character name as yearbooks do: 北京 → 北　京.
func padded(s string) string {
	if utf8.RuneCountInString(s) != 2 {
		return s
	}
	r := []rune(s)
	return string(r[0]) + "\u3000" + string(r[1])
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// shape is one kind of file bureaus publish, with the values it holds (keyed as runValues
// keys them).
type shape struct {
	name string
	file func(t *testing.T, dir string) string
	want map[string]float64
}

func writeWorkbook(t *testing.T, path, sheet string, rows [][]string, merges ...[2]string) string {
	t.Helper()
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			var val any = v
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				val = x // yearbooks store numbers as numbers
			}
			if err := f.SetCellValue(sheet, cell, val); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, m := range merges {
		if err := f.MergeCell(sheet, m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func csvText(rows [][]string, sep string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, sep))
		b.WriteString("\r\n")
	}
	return b.String()
}

func bureauShapes(t *testing.T) []shape {
	p, regions := readPublished(t)
	years := []int{2024, 2023, 2022}
	var shapes []shape

	// 1. A yearbook's 分地区 table: title, unit line, a two-row merged header, the nation
	// and the provinces by short name padded to three, a note mark, "—" where 西藏 2022 is
	// left blank, notes below. As XLSX and as a GB18030 CSV.
	yearbook := [][]string{{"2-12 各地区生产总值（2022—2024年）", "", "", ""}, {"", "", "", "单位：亿元"}, {"地  区", "地区生产总值", "", ""}, {"", "2024年", "2023年", "2022年"}}
	ybWant := map[string]float64{}
	for i, r := range regions {
		name := padded(r.short)
		if i == 1 {
			name += "①"
		}
		row := []string{name}
		for _, y := range years {
			v, ok := p[y][r.code]["gdp"]
			if !ok || (r.code == "540000" && y == 2022) {
				row = append(row, "—")
				continue
			}
			row = append(row, num(v))
			ybWant[fmt.Sprintf("gdp %s year%d-0", r.code, y)] = v
		}
		yearbook = append(yearbook, row)
	}
	yearbook = append(yearbook, []string{"注：①北京2024年数据为初步核算数。", "", "", ""}, []string{"资料来源：国家统计局。", "", "", ""})
	shapes = append(shapes, shape{"yearbook.xlsx", func(t *testing.T, dir string) string {
		return writeWorkbook(t, filepath.Join(dir, "2-12 各地区生产总值.xlsx"), "2-12", yearbook, [2]string{"A1", "D1"}, [2]string{"A3", "A4"}, [2]string{"B3", "D3"})
	}, ybWant})
	ybCSV := append([][]string{{"表2-12  各地区生产总值", "", "", ""}, {"", "", "", "单位：亿元"}, {"地  区", "2024年", "2023年", "2022年"}}, yearbook[4:]...)
	shapes = append(shapes, shape{"yearbook-gb18030.csv", func(t *testing.T, dir string) string {
		return writeBytes(t, "各地区生产总值.csv", encodeGB18030(t, csvText(ybCSV, ",")))
	}, ybWant})

	// 2. The national data portal's export: 数据库/指标/时间 lines, full names, years across
	// newest first, notes and the source line at the end.
	portal := [][]string{{"数据库：分省年度数据"}, {"指标：年末常住人口(万人)"}, {"时间：最近5年"}, {"地区", "2024年", "2023年", "2022年", "2021年", "2020年"}}
	portalWant := map[string]float64{}
	for _, r := range regions[1:] {
		row := []string{r.name}
		for y := 2024; y >= 2020; y-- {
			v, ok := p[y][r.code]["population"]
			if !ok {
				row = append(row, "")
				continue
			}
			row = append(row, num(v))
			portalWant[fmt.Sprintf("population %s year%d-0", r.code, y)] = v
		}
		portal = append(portal, row)
	}
	portal = append(portal, []string{"注：年末常住人口为年末时点数。"}, []string{"数据来源：国家统计局"})
	shapes = append(shapes, shape{"portal.csv", func(t *testing.T, dir string) string {
		return writeBytes(t, "分省年度数据.csv", encodeGB18030(t, csvText(portal, ",")))
	}, portalWant})

	// 3. A bureau's monthly release: the province and the months in the title, indicators
	// down with 其中 and indented sub-items, a unit column, 1–N月 cumulative with 同比.
	gs := p[2024]["620000"]
	release := [][]string{{"2024年1-12月甘肃省主要经济指标"}, {"指标", "单位", "1-12月", "同比增长(%)"},
		{"地区生产总值", "亿元", num(gs["gdp"]), num(gs["gdp_growth"])},
		{"　其中：第一产业增加值", "亿元", num(gs["gdp_primary"]), "5.9"},
		{"　　　　第二产业增加值", "亿元", num(gs["gdp_secondary"]), "6.2"},
		{"　　　　第三产业增加值", "亿元", num(gs["gdp_tertiary"]), "5.5"},
		{"社会消费品零售总额", "亿元", num(gs["retail_sales"]), "4.1"},
		{"地方一般公共预算收入", "亿元", num(gs["fiscal_revenue"]), "2.1"},
		{"居民人均可支配收入", "元", num(gs["resident_income"]), "6.5"},
		{"注：地区生产总值增速按不变价格计算。"}}
	relWant := map[string]float64{}
	for _, c := range []string{"gdp", "gdp_primary", "gdp_secondary", "gdp_tertiary", "retail_sales", "fiscal_revenue", "resident_income"} {
		relWant[fmt.Sprintf("%s 620000 ytd2024-12", c)] = gs[c]
	}
	shapes = append(shapes, shape{"release.xlsx", func(t *testing.T, dir string) string {
		return writeWorkbook(t, filepath.Join(dir, "2024年1-12月主要经济指标.xlsx"), "主要指标", release, [2]string{"A1", "D1"})
	}, relWant})

	// 4. A table of a group of provinces with a 合计 row and a 其中 row beneath it.
	west := []string{"150000", "450000", "500000", "510000", "520000", "530000", "540000", "610000", "620000", "630000", "640000", "650000"}
	group := [][]string{{"西部地区年末常住人口"}, {"单位：万人"}, {"地区", "2024年", "2023年"}}
	groupWant := map[string]float64{}
	sums := []float64{0, 0}
	for _, code := range west {
		for _, r := range regions {
			if r.code != code {
				continue
			}
			row := []string{r.short}
			for i, y := range []int{2024, 2023} {
				v := p[y][code]["population"]
				sums[i] += v
				row = append(row, num(v))
				groupWant[fmt.Sprintf("population %s year%d-0", code, y)] = v
			}
			group = append(group, row)
		}
	}
	group = append(group, []string{"合　计", num(sums[0]), num(sums[1])}, []string{"　其中：民族自治区", "9999", "9999"})
	shapes = append(shapes, shape{"group.xlsx", func(t *testing.T, dir string) string {
		return writeWorkbook(t, filepath.Join(dir, "西部人口.xlsx"), "Sheet1", group)
	}, groupWant})

	// 5. Excel's "Unicode text": UTF-16 LE with a byte order mark, tab-separated, a year in
	// the title, indicators across with their units in the headers.
	uni := [][]string{{"2023年各地区主要指标"}, {"地区", "地区生产总值(亿元)", "年末常住人口(万人)", "居民人均可支配收入(元)"}}
	uniWant := map[string]float64{}
	for _, r := range regions[1:] {
		row := []string{r.short}
		for _, c := range []string{"gdp", "population", "resident_income"} {
			v, ok := p[2023][r.code][c]
			if !ok {
				row = append(row, "…")
				continue
			}
			row = append(row, num(v))
			uniWant[fmt.Sprintf("%s %s year2023-0", c, r.code)] = v
		}
		uni = append(uni, row)
	}
	shapes = append(shapes, shape{"unicode.txt", func(t *testing.T, dir string) string {
		return writeBytes(t, "主要指标.txt", encodeUTF16(t, csvText(uni, "\t"), unicode.LittleEndian))
	}, uniWant})
	return shapes
}

// Every shape bureaus publish loads with the mapping inspect proposes, unchanged, and the
// values in the warehouse equal the published ones.
func TestBureauShapesLoadWithTheProposedMapping(t *testing.T) {
	w, l := benchWarehouse(t)
	ctx := context.Background()
	for _, sh := range bureauShapes(t) {
		t.Run(sh.name, func(t *testing.T) {
			path := sh.file(t, t.TempDir())
			in, err := l.Inspect(ctx, etl.JobEconomy, path)
			if err != nil {
				t.Fatalf("inspect: %v", err)
			}
			var report strings.Builder
			in.Print(&report)
			if in.DryRun == nil || in.DryRunError != "" || len(in.DryRun.Preview) == 0 {
				t.Fatalf("no clean dry run:\n%s", report.String())
			}
			if strings.HasPrefix(sh.name, "yearbook") && !slices.Contains(in.Sheets[0].Marked, "北京 ①") {
				t.Errorf("the note mark of 北京① is not reported: %q", in.Sheets[0].Marked)
			}
			// The proposed mapping as a user would save it, read back from its TOML.
			mp := filepath.Join(t.TempDir(), "proposed.toml")
			if err := os.WriteFile(mp, []byte(in.TOML), 0o600); err != nil {
				t.Fatal(err)
			}
			m, err := etl.LoadMapping(mp)
			if err != nil {
				t.Fatalf("the proposed mapping does not load: %v\n%s", err, in.TOML)
			}
			rep, err := l.LoadFile(ctx, etl.JobEconomy, path, m)
			if err != nil {
				t.Fatalf("load: %v\n%s", err, report.String())
			}
			if rep.Run.RowsRejected != 0 {
				t.Errorf("%d rejects: %+v", rep.Run.RowsRejected, rep.Rejects)
			}
			if rep.Run.RowsLoaded != in.DryRun.Run.RowsLoaded {
				t.Errorf("loaded %d, the dry run said %d", rep.Run.RowsLoaded, in.DryRun.Run.RowsLoaded)
			}
			assertValues(t, runValues(t, w, rep.Run.ID), sh.want)
			if t.Failed() || testing.Verbose() {
				t.Logf("inspect said:\n%s", report.String())
			}
		})
	}
}

// When nothing names the indicator, inspect says so and leaves a placeholder: it never
// guesses, and a load with the placeholder refuses.
func TestInspectLeavesAPlaceholderWhenNothingMatches(t *testing.T) {
	_, l := benchWarehouse(t)
	path := writeFile(t, "mystery.csv", "某表\n地区,2024年,2023年\n甘肃,1,2\n宁夏,3,4\n")
	in, err := l.Inspect(context.Background(), etl.JobEconomy, path)
	if err != nil {
		t.Fatal(err)
	}
	if in.Mapping.Fixed["indicator"] != "TODO" || in.DryRun != nil || len(in.Notes) == 0 || in.Notes[0].Kind != warehouse.NoteNoIndicator {
		t.Errorf("mapping %+v, notes %q, dry run %v; want a TODO indicator, a note, no dry run", in.Mapping, in.Notes, in.DryRun)
	}
}

// writeCorpus, when set, writes the XLSX shapes there too, to be saved as .xls by
// LibreOffice (see testdata/xls/README.md).
var writeCorpus = flag.String("write-xlsx-corpus", "", "also write the XLSX shapes to this directory")

// The legacy .xls workbooks LibreOffice saved from the XLSX shapes load, with the mapping
// inspect proposes, to the same values.
func TestLegacyXLSShapesLoad(t *testing.T) {
	w, l := benchWarehouse(t)
	ctx := context.Background()
	n := 0
	for _, sh := range bureauShapes(t) {
		base, ok := strings.CutSuffix(sh.name, ".xlsx")
		if !ok {
			continue
		}
		if *writeCorpus != "" {
			src := sh.file(t, t.TempDir())
			b, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(*writeCorpus, base+".xlsx"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		n++
		t.Run(base+".xls", func(t *testing.T) {
			path := filepath.Join("testdata", "xls", base+".xls")
			in, err := l.Inspect(ctx, etl.JobEconomy, path)
			if err != nil {
				t.Fatalf("inspect: %v", err)
			}
			var report strings.Builder
			in.Print(&report)
			if in.Format != "xls" || in.DryRun == nil || in.DryRunError != "" {
				t.Fatalf("no clean dry run:\n%s", report.String())
			}
			rep, err := l.LoadFile(ctx, etl.JobEconomy, path, in.Mapping)
			if err != nil {
				t.Fatalf("load: %v\n%s", err, report.String())
			}
			if rep.Run.RowsRejected != 0 {
				t.Errorf("%d rejects: %+v", rep.Run.RowsRejected, rep.Rejects)
			}
			assertValues(t, runValues(t, w, rep.Run.ID), sh.want)
			if t.Failed() {
				t.Logf("inspect said:\n%s", report.String())
			}
		})
	}
	if n != 3 {
		t.Errorf("%d XLSX shapes, want 3", n)
	}
}

// The demo's county workbook (a sheet per year, a two-row header of indicator over unit,
// codes beside the names) is inspected into the mapping data/sources/county_economy.toml
// spells out by hand, and dry-runs clean.
func TestInspectProposesTheCountyWorkbookMapping(t *testing.T) {
	_, l := benchWarehouse(t)
	ctx := context.Background()
	if _, err := l.LoadReference(ctx, etl.JobRegions, filepath.Join("..", "data", "generated", "regions_counties.csv"), gansu); err != nil {
		t.Fatal(err)
	}
	in, err := l.Inspect(ctx, etl.JobEconomy, filepath.Join("..", "data", "generated", "县域经济主要指标_2019-2024.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	var report strings.Builder
	in.Print(&report)
	m := in.Mapping
	if m.SheetField != "period" || m.HeaderRows != 2 || m.Columns["region_code"] != "代码" || m.Wide == nil || m.Wide.Headers["地区生产总值|(亿元)"] != "gdp" {
		t.Errorf("proposed mapping:\n%s", in.TOML)
	}
	if in.DryRun == nil || in.DryRunError != "" || in.DryRun.Run.RowsRejected != 0 || in.DryRun.Run.RowsLoaded != 6*86*4 {
		t.Errorf("dry run:\n%s", report.String())
	}
}

// A ledger's rows are all text: inspect reads one header row, not the items under it, and
// proposes the columns by their names.
func TestInspectProposesTheLedgerColumns(t *testing.T) {
	_, l := benchWarehouse(t)
	ctx := context.Background()
	if _, err := l.LoadReference(ctx, etl.JobRegions, filepath.Join("..", "data", "generated", "regions_counties.csv"), gansu); err != nil {
		t.Fatal(err)
	}
	in, err := l.Inspect(ctx, etl.JobEcology, filepath.Join("..", "data", "generated", "生态环境问题整改台账_2024-12.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if in.Sheets[0].HeaderRows != 1 || in.Mapping.Columns["item_id"] != "问题编号" || in.Mapping.Columns["region"] != "所在地区" {
		t.Errorf("header rows %d, mapping:\n%s", in.Sheets[0].HeaderRows, in.TOML)
	}
	if in.DryRun == nil || in.DryRunError != "" || in.DryRun.Run.RowsLoaded != 300 {
		t.Errorf("dry run %+v: %s", in.DryRun, in.DryRunError)
	}
}
