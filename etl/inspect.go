package etl

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
)

// Inspection is what Inspect reads from a file: how it is stored, how each sheet's table is
// laid out, the mapping that loads it, and (Inspect's, not an upload's preview, which runs
// its own) what a load with that mapping would do. A page can show it as it is; the CLI
// prints it.
type Inspection struct {
	Path      string
	Format    string // csv, xlsx or json
	Encoding  string // for text: utf-8, utf-8 (BOM), utf-16le, utf-16be or gb18030
	Separator string // for text: "," "\t" or ";"
	Sheets    []SheetInspection
	// Mapping is the proposed mapping, TOML its text. Placeholders (a field inspect could
	// not tell) are named in Notes; a mapping with none loads the file unchanged.
	Mapping *Mapping
	TOML    string
	Notes   []InspectNote
	// DryRun is a load of the file with the proposed mapping that wrote nothing; nil when
	// the mapping has placeholders. DryRunError says why it failed.
	DryRun      *Report
	DryRunError string
}

// SheetInspection is one sheet's (or a text file's) table.
type SheetInspection struct {
	Name          string
	Titles        []string // lines above the header
	Unit          string   // from a 单位：line or the 指标：line
	IndicatorLine string   // the national data portal's 指标：…
	HeaderLine    int      // 1-based row of the header's first row
	HeaderRows    int
	Header        []string // combined, normalised
	Layout        string   // one of warehouse.Layouts; "" for a job other than economy
	RegionColumn  string
	// Indicators are the indicator codes recognised, by header, 指标 line, title or rows.
	Indicators []string
	DataRows   int
	// Cut says the sheet goes on past the rows inspect reads: DataRows counts those only.
	Cut bool
	// Marked are the names that carried a footnote mark (北京①, 2023年*), with the mark:
	// the mark is set aside and the name matched without it.
	Marked []string
}

// inspectRows is how many rows of a sheet inspect reads.
const inspectRows = 400

// placeholder marks a value inspect could not tell; a load refuses it.
const placeholder = "TODO"

// Inspect reads a file of job (economy is the one whose mapping it proposes; other jobs
// get the structure only), proposes a mapping and dry-runs it when it is complete.
func (l *Loader) Inspect(ctx context.Context, job, path string) (*Inspection, error) {
	in, err := l.inspect(ctx, job, path)
	if err != nil {
		return nil, err
	}
	if in.Complete() {
		rep, err := l.DryRun(ctx, job, path, in.Mapping)
		in.DryRun = rep
		if err != nil {
			in.DryRunError = err.Error()
		}
	}
	return in, nil
}

// Complete says whether the proposed mapping has no placeholder: it loads the file as it is.
func (in *Inspection) Complete() bool { return !strings.Contains(in.TOML, placeholder) }

// inspect is Inspect without the dry run.
func (l *Loader) inspect(ctx context.Context, job, path string) (*Inspection, error) {
	if _, ok := families[job]; !ok {
		return nil, fmt.Errorf("inspect %s: job %q is not economy, ecology or campaign", path, job)
	}
	in := &Inspection{Path: path}
	format, err := fileFormat(path, nil)
	if err != nil {
		return nil, reasons.New("inspect %s: %w", "检查 %s：%w", path, err)
	}
	in.Format = format
	if format == "csv" {
		if in.Encoding, in.Separator, err = textEncoding(path); err != nil {
			return nil, reasons.New("inspect %s: %w", "检查 %s：%w", path, err)
		}
	}
	sheets, err := readSheets(path, job)
	if err != nil {
		return nil, reasons.New("inspect %s: %w", "检查 %s：%w", path, err)
	}
	regions, err := l.regionMatcher(ctx)
	if err != nil {
		return nil, err
	}
	inds, err := l.wh.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	k := newIndicatorKnowledge(inds)
	m := &Mapping{Name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), Job: job}
	for i, sh := range sheets {
		si, sm, notes := inspectSheet(sh, regions, k, job)
		in.Sheets = append(in.Sheets, si)
		if i == 0 {
			*m = *sm
			m.Name, m.Job = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), job
			m.Match = []string{filepath.Base(path)}
			in.Notes = append(in.Notes, notes...)
		}
	}
	if len(sheets) > 1 && m.Fixed["period"] != "" && !slices.ContainsFunc(sheets, func(sh inspectedSheet) bool {
		_, err := parsePeriod(sh.name)
		return err != nil
	}) {
		// A sheet per year (2024年, 2023年 …): each sheet's name is its period.
		delete(m.Fixed, "period")
		m.SheetField = "period"
	}
	if (format == "xlsx" || format == "xls") && len(sheets) > 1 {
		// Sheets laid out alike (a sheet per year) share the mapping; others are named.
		var same []string
		for _, si := range in.Sheets {
			if slices.Equal(si.Header, in.Sheets[0].Header) {
				same = append(same, si.Name)
			}
		}
		if len(same) < len(in.Sheets) {
			m.Sheets = same
			in.Notes = append(in.Notes, InspectNote{warehouse.NoteSheetsLeftOut, same[0]})
		}
	}
	in.Mapping = m
	b, err := toml.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("inspect %s: write the mapping: %w", path, err)
	}
	in.TOML = string(b)
	return in, nil
}

// textEncoding names a text file's encoding and separator as the reader will take them.
func textEncoding(path string) (enc, sep string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", "", err
	}
	head = head[:n]
	text := head
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		enc, text = "utf-16le", []byte(decodeHead(head))
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		enc, text = "utf-16be", []byte(decodeHead(head))
	case utf16Encoding(head) != nil:
		enc, text = "utf-16 without a byte order mark", []byte(decodeHead(head))
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		enc = "utf-8 (BOM)"
	case validUTF8Prefix(head):
		enc = "utf-8"
	default:
		enc = "gb18030"
	}
	return enc, string(detectSeparator(text)), nil
}

type inspectedSheet struct {
	name string
	rows []sourceRow
	cut  bool // the sheet goes on past rows
}

// readSheets reads the first rows of every sheet. A text file's one table (its sheet has
// no name) is read no further: the rest of a large file would only be passed over.
func readSheets(path, job string) ([]inspectedSheet, error) {
	rr, err := openRows(path, &Mapping{Name: "inspect", Job: job}, &sourceProgress{})
	if err != nil {
		return nil, err
	}
	defer rr.close()
	var out []inspectedSheet
	for {
		row, err := rr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].name != row.sheet {
			out = append(out, inspectedSheet{name: row.sheet})
		}
		sh := &out[len(out)-1]
		if len(sh.rows) < inspectRows {
			sh.rows = append(sh.rows, row)
			continue
		}
		sh.cut = true
		if sh.name == "" {
			break
		}
	}
	if len(out) == 0 {
		return nil, reasons.New("%w: the file is empty", "%w：文件是空的", errFileRejected)
	}
	return out, nil
}

// indicatorKnowledge finds indicators by code or name in headers, titles and rows.
type indicatorKnowledge struct {
	byName map[string]warehouse.Indicator
	byCode map[string]warehouse.Indicator
	names  []string // longest first, for finding a name inside a title
}

func newIndicatorKnowledge(inds []warehouse.Indicator) *indicatorKnowledge {
	k := &indicatorKnowledge{byName: map[string]warehouse.Indicator{}, byCode: map[string]warehouse.Indicator{}}
	for _, i := range inds {
		n := normalName(i.NameZh)
		k.byName[n] = i
		k.byCode[i.Code] = i
		k.names = append(k.names, n)
	}
	sort.Slice(k.names, func(a, b int) bool { return len(k.names[a]) > len(k.names[b]) })
	return k
}

// find reads a cell or header as an indicator: by code or by name (see indicatorByName),
// or by one row of a merged header (地区生产总值 over （亿元）).
func (k *indicatorKnowledge) find(text string) (warehouse.Indicator, bool) {
	n := normalName(text)
	if i, ok := k.byCode[n]; ok {
		return i, true
	}
	if i, ok := indicatorByName(k.byName, n); ok || !strings.Contains(n, "|") {
		return i, ok
	}
	for _, part := range strings.Split(n, "|") {
		if i, ok := indicatorByName(k.byName, part); ok {
			return i, true
		}
	}
	return warehouse.Indicator{}, false
}

// inTitle finds the one indicator a title names (the longest name it contains).
func (k *indicatorKnowledge) inTitle(titles ...string) (warehouse.Indicator, bool) {
	for _, n := range k.names {
		for _, t := range titles {
			if strings.Contains(t, n) {
				return k.byName[n], true
			}
		}
	}
	return warehouse.Indicator{}, false
}

var (
	reTitleYear = regexp.MustCompile(`((?:19|20)\d\d)年`)
	// reCumulative is a bureau release's "1-6月" / "1—6月" / "1～6月" header.
	reCumulative = regexp.MustCompile(`^1[-—–~～至](\d{1,2})月`)
	reMonthOnly  = regexp.MustCompile(`^(\d{1,2})月`)
)

// inspectSheet reads one sheet's layout and proposes its mapping.
func inspectSheet(sh inspectedSheet, regions *regionMatcher, k *indicatorKnowledge, job string) (SheetInspection, *Mapping, []InspectNote) {
	si := SheetInspection{Name: sh.name}
	m := &Mapping{Job: job, Fixed: map[string]string{}, Columns: map[string]string{}}
	var notes []InspectNote
	t := &table{m: &Mapping{}}
	h := 0
	for h < len(sh.rows) && filled(sh.rows[h].cells) < 2 {
		t.noteAbove(sh.rows[h].cells)
		h++
	}
	si.Titles, si.Unit, si.IndicatorLine = t.titles, t.fileUnit, t.indicatorLine
	if h == len(sh.rows) {
		return si, m, []InspectNote{{warehouse.NoteNoTable, sh.name}}
	}
	si.HeaderLine = sh.rows[h].line
	// Header rows: rows under the first that hold no number in the value columns (a merged
	// header's lower rows: units, years under an indicator).
	n := 1
	for h+n < len(sh.rows) && n < 4 && headerLike(sh.rows[h+n].cells) && continues(sh.rows[h+n-1].cells, sh.rows[h+n].cells) {
		n++
	}
	hdr := make([][]string, n)
	for i := range n {
		hdr[i] = sh.rows[h+i].cells
	}
	si.HeaderRows, si.Header = n, combineHeader(hdr)
	var data [][]string
	for _, r := range sh.rows[h+n:] {
		if t.isStop(r.cells) {
			break
		}
		data = append(data, r.cells)
	}
	si.DataRows, si.Cut = len(data), sh.cut && len(data) == len(sh.rows)-h-n
	if n > 1 {
		m.HeaderRows = n
	}

	// The region column: the one whose cells are most often regions.
	regionCol, best := -1, 0
	for c := range si.Header {
		hits := 0
		for _, row := range data {
			if v := field(row, c); v != "" {
				if _, err := regions.match("", v); err == nil {
					hits++
				}
			}
		}
		if hits > best && hits*3 >= len(data) {
			regionCol, best = c, hits
		}
	}
	// The indicator column: cells that are indicators.
	indCol, best := -1, 0
	for c := range si.Header {
		if c == regionCol {
			continue
		}
		hits := 0
		for _, row := range data {
			if _, ok := k.find(field(row, c)); ok {
				hits++
			}
		}
		if hits > best && hits*3 >= len(data) {
			indCol, best = c, hits
		}
	}
	var periodCols, indicatorCols, unitCols, otherCols []int
	for c, hd := range si.Header {
		if c == regionCol || c == indCol || hd == "" {
			continue
		}
		last := lastPart(hd)
		switch {
		case isPeriodHeader(last):
			periodCols = append(periodCols, c)
		case last == "单位" || last == "计量单位":
			unitCols = append(unitCols, c)
		case strings.Contains(hd, "同比") || strings.Contains(hd, "增长") || strings.Contains(hd, "增速") || strings.Contains(hd, "比上年"):
			// A growth column (同比) beside the values: an indicator only when one is named so.
			if _, ok := k.find(hd); ok {
				indicatorCols = append(indicatorCols, c)
			} else {
				otherCols = append(otherCols, c)
			}
		default:
			if _, ok := k.find(last); ok {
				indicatorCols = append(indicatorCols, c)
			} else if _, ok := k.find(hd); ok {
				indicatorCols = append(indicatorCols, c)
			} else {
				otherCols = append(otherCols, c)
			}
		}
	}
	titleText := append(slices.Clone(si.Titles), sh.name)
	var ignore []string
	for _, c := range otherCols {
		if regionCol >= 0 && m.Columns["region_code"] == "" && codeColumn(regions, data, c) {
			m.Columns["region_code"] = si.Header[c] // codes beside the names: matched by code
			continue
		}
		ignore = append(ignore, si.Header[c])
	}
	if len(unitCols) > 0 {
		m.Columns["unit"] = si.Header[unitCols[0]]
	}
	switch {
	case regionCol >= 0 && len(periodCols) > 0 && indCol < 0:
		// 分地区 table: regions down, years (or months) across, one indicator.
		si.Layout = warehouse.LayoutPeriodAcross
		m.HeaderMarker, m.Columns["region"] = lastPart(si.Header[regionCol]), si.Header[regionCol]
		m.Wide = &WideLayout{Field: "period", Ignore: ignore}
		if ind, ok := indicatorFor(k, si, titleText, periodCols); ok {
			m.Fixed["indicator"], si.Indicators = ind.Code, []string{ind.Code}
		} else {
			m.Fixed["indicator"] = placeholder
			notes = append(notes, InspectNote{Kind: warehouse.NoteNoIndicator})
		}
		m.Wide.Headers = periodHeaders(si.Header, periodCols, titleText)
	case regionCol >= 0 && len(indicatorCols) > 0:
		// Regions down, indicators across.
		si.Layout = warehouse.LayoutIndicatorAcross
		m.HeaderMarker, m.Columns["region"] = lastPart(si.Header[regionCol]), si.Header[regionCol]
		m.Wide = &WideLayout{Field: "indicator", Headers: map[string]string{}, Ignore: ignore}
		for _, c := range indicatorCols {
			ind, _ := k.find(si.Header[c])
			m.Wide.Headers[si.Header[c]] = ind.Code
			si.Indicators = append(si.Indicators, ind.Code)
		}
		for _, c := range periodCols {
			m.Wide.Ignore = append(m.Wide.Ignore, si.Header[c])
		}
		if p := titlePeriod(titleText); p != "" {
			m.Fixed["period"] = p
		} else {
			m.Fixed["period"] = placeholder
			notes = append(notes, InspectNote{Kind: warehouse.NoteNoPeriod})
		}
	case indCol >= 0 && len(periodCols) > 0:
		// A province's table: indicators down, periods across (years, or 1–N月 with 同比).
		si.Layout = warehouse.LayoutPeriodAcrossIndicatorsDn
		m.HeaderMarker, m.Columns["indicator"] = lastPart(si.Header[indCol]), si.Header[indCol]
		m.Wide = &WideLayout{Field: "period", Ignore: ignore, Headers: periodHeaders(si.Header, periodCols, titleText)}
		for _, row := range data {
			if ind, ok := k.find(field(row, indCol)); ok && !slices.Contains(si.Indicators, ind.Code) {
				si.Indicators = append(si.Indicators, ind.Code)
			}
		}
		m.SubItems = "load" // 其中 rows under an indicator are indicators of their own
		if r, ok := titleRegion(regions, titleText); ok {
			m.Fixed["region_code"] = r.Code
		} else {
			m.Fixed["region_code"] = placeholder
			notes = append(notes, InspectNote{Kind: warehouse.NoteNoRegion})
		}
	default:
		si.Layout = warehouse.LayoutLong
		for _, f := range families[job].fields {
			for _, hd := range si.Header {
				if slices.Contains(f.aliases, strings.ToLower(lastPart(hd))) {
					m.Columns[f.name] = hd
					break
				}
			}
		}
		if regionCol >= 0 && families[job].knows("region") && m.Columns["region_code"] == "" {
			m.Columns["region"] = si.Header[regionCol]
		}
		if indCol >= 0 && job == JobEconomy {
			m.Columns["indicator"] = si.Header[indCol]
		}
		for f := range m.Columns {
			if !families[job].knows(f) {
				delete(m.Columns, f)
			}
		}
		if len(m.Columns) == 0 {
			m.Columns = nil
		}
		if _, ok := m.Columns["indicator"]; !ok && job == JobEconomy {
			notes = append(notes, InspectNote{Kind: warehouse.NoteNoIndicatorColumn})
			m.Fixed["indicator"] = placeholder
		}
	}
	for _, row := range append(hdr, data...) {
		for _, c := range row {
			if n, note := normName(c); note != "" && !slices.Contains(si.Marked, n+" "+note) {
				si.Marked = append(si.Marked, n+" "+note)
			}
		}
	}
	if regionCol >= 0 {
		si.RegionColumn = si.Header[regionCol]
		for _, row := range data {
			if role, _ := rowNameRole(normalName(field(row, regionCol))); role == roleTotal {
				notes = append(notes, InspectNote{warehouse.NoteTotalsLeftOut, field(row, regionCol)})
				break
			}
		}
	}
	if si.Unit != "" {
		notes = append(notes, InspectNote{warehouse.NoteUnitFromFile, si.Unit})
	}
	if len(m.Fixed) == 0 {
		m.Fixed = nil
	}
	if len(m.Columns) == 0 {
		m.Columns = nil
	}
	if job != JobEconomy {
		// The layouts are an economic table's: a campaign file (units down, metrics
		// across) is not a "long" table, whatever inspect took it for.
		si.Layout = ""
	}
	return si, m, notes
}

// codeColumn says whether most cells of column c are region codes.
func codeColumn(regions *regionMatcher, data [][]string, c int) bool {
	hits := 0
	for _, row := range data {
		if v := field(row, c); v != "" {
			if _, err := regions.match(v, ""); err == nil {
				hits++
			}
		}
	}
	return hits > 0 && hits*2 >= len(data)
}

// continues says whether a row goes on the header row above it: its first cell is empty or
// the same (a cell merged down), as under a merged header; a row of text that fills its
// own first cell (a ledger's items) is data.
func continues(above, row []string) bool {
	first := field(row, 0)
	return first == "" || first == field(above, 0)
}

func sheetName(s string) string {
	if s == "" {
		return "the file"
	}
	return "sheet " + s
}

// headerLike says whether a row under the header's first row continues it: no cell after
// the first reads as a number.
func headerLike(cells []string) bool {
	some := false
	for i, c := range cells {
		c = trimCell(c)
		if c == "" {
			continue
		}
		some = true
		if _, err := parseNumber(c); i > 0 && (err == nil || err == errMissing) {
			return false
		}
	}
	return some
}

// isPeriodHeader says whether a header names a period: 2024, 2024年, 2024年1-6月, 1-6月, 6月.
func isPeriodHeader(h string) bool {
	if _, err := parsePeriod(h); err == nil {
		return true
	}
	return reCumulative.MatchString(h) || reMonthOnly.MatchString(h)
}

// periodHeaders maps headers that name a period without its year (1-6月, 6月) to the full
// period, with the year from the title; full periods need no entry.
func periodHeaders(header []string, cols []int, titles []string) map[string]string {
	out := map[string]string{}
	year := titleYear(titles)
	for _, c := range cols {
		h := lastPart(header[c])
		if _, err := parsePeriod(h); err == nil {
			continue
		}
		if year == "" {
			out[header[c]] = placeholder
			continue
		}
		if m := reCumulative.FindStringSubmatch(h); m != nil {
			out[header[c]] = year + "年1-" + m[1] + "月"
		} else if m := reMonthOnly.FindStringSubmatch(h); m != nil {
			out[header[c]] = year + "年" + m[1] + "月"
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func titleYear(titles []string) string {
	for _, t := range titles {
		if m := reTitleYear.FindStringSubmatch(t); m != nil {
			return m[1]
		}
	}
	return ""
}

// titlePeriod is the period a title or sheet name states: a year.
func titlePeriod(titles []string) string { return titleYear(titles) }

// indicatorFor finds the indicator of a table with periods across: the 指标 line, a header
// above the periods, or the title.
func indicatorFor(k *indicatorKnowledge, si SheetInspection, titles []string, periodCols []int) (warehouse.Indicator, bool) {
	if si.IndicatorLine != "" {
		if i, ok := k.find(si.IndicatorLine); ok {
			return i, true
		}
	}
	for _, part := range strings.Split(si.Header[periodCols[0]], "|") {
		if i, ok := k.find(part); ok {
			return i, true
		}
	}
	return k.inTitle(titles...)
}

// titleRegion finds the region a title names (甘肃省2024年1-6月主要经济指标).
func titleRegion(regions *regionMatcher, titles []string) (warehouse.Region, bool) {
	for _, t := range titles {
		for i := range t {
			for _, n := range []int{6, 5, 4, 3, 2} {
				end := i
				for c := 0; c < n && end < len(t); c++ {
					_, size := utf8.DecodeRuneInString(t[end:])
					end += size
				}
				if r, err := regions.match("", t[i:end]); err == nil && r.Level == "province" {
					return r, true
				}
			}
		}
	}
	return warehouse.Region{}, false
}

// Print writes the inspection for a person: what was found, the proposed mapping, and the
// dry run's preview and rejects.
func (in *Inspection) Print(w io.Writer) {
	fmt.Fprintf(w, "%s: %s", in.Path, in.Format)
	if in.Encoding != "" {
		fmt.Fprintf(w, ", %s, separated by %q", in.Encoding, in.Separator)
	}
	fmt.Fprintln(w)
	for _, s := range in.Sheets {
		more := ""
		if s.Cut {
			more = fmt.Sprintf(" in the first %d rows", inspectRows)
		}
		if s.Layout != "" {
			more += ", layout " + s.Layout
		}
		fmt.Fprintf(w, "%s: header at row %d (%d rows), %d data rows%s\n", sheetName(s.Name), s.HeaderLine, s.HeaderRows, s.DataRows, more)
		for _, t := range s.Titles {
			fmt.Fprintf(w, "  title: %s\n", t)
		}
		if s.IndicatorLine != "" {
			fmt.Fprintf(w, "  指标: %s\n", s.IndicatorLine)
		}
		if s.Unit != "" {
			fmt.Fprintf(w, "  unit: %s\n", s.Unit)
		}
		fmt.Fprintf(w, "  header: %s\n", strings.Join(s.Header, " ¦ "))
		if s.RegionColumn != "" {
			fmt.Fprintf(w, "  region column: %s\n", s.RegionColumn)
		}
		if len(s.Indicators) > 0 {
			fmt.Fprintf(w, "  indicators: %s\n", strings.Join(s.Indicators, ", "))
		}
		if len(s.Marked) > 0 {
			fmt.Fprintf(w, "  note marks (set aside): %s\n", strings.Join(s.Marked, ", "))
		}
	}
	for _, n := range in.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	fmt.Fprintf(w, "\nproposed mapping (save as data/sources/%s.toml, or pass with --mapping):\n\n%s\n", in.Mapping.Name, in.TOML)
	if in.DryRun == nil {
		fmt.Fprintln(w, "no dry run: fill in the TODO placeholders first")
		return
	}
	PrintDryRun(w, in.DryRun)
	if len(in.DryRun.Preview) == 0 && in.DryRun.Run.RowsLoaded > 0 {
		fmt.Fprintf(w, "  (rows of %s are not previewed)\n", in.Mapping.Job)
	}
	if in.DryRunError != "" {
		fmt.Fprintf(w, "would fail: %s\n", in.DryRunError)
	}
}

// PrintDryRun writes a dry run's counts, its preview rows and the rows it would reject.
func PrintDryRun(w io.Writer, rep *Report) {
	r := rep.Run
	fmt.Fprintf(w, "dry run: read %d, would load %d, reject %d, no value %d, left out %d\n", r.RowsRead, r.RowsLoaded, r.RowsRejected, r.RowsNoValue, r.RowsSkipped)
	for _, p := range rep.Preview {
		fmt.Fprintf(w, "  line %d: %s %s %s %s = %s %s\n", p.Line, p.Indicator, p.Region, p.RegionZh, p.Period, strconv.FormatFloat(p.Value, 'f', -1, 64), p.Unit)
	}
	if rep.UncheckedFrom > 0 {
		fmt.Fprintf(w, "  values first given from line %d on were not remembered (the dry run remembers %d), so repeats of them may have gone unnoticed; the load checks them all\n", rep.UncheckedFrom, maxSeenKeys)
	}
	for i, rj := range rep.Rejects {
		if i == 20 {
			fmt.Fprintf(w, "  … %d more would be rejected\n", len(rep.Rejects)-20)
			break
		}
		fmt.Fprintf(w, "  would reject line %d %s: %s\n", rj.Line, rj.Location, rj.Reason)
	}
}
