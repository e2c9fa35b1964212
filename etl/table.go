package etl

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
	"jinwei/warehouse/rules"
)

// fieldRow is one record of a family's fields (by the family's field order), with where
// it came from. A row of a long layout reads its fields from its cells when asked, so the
// reader need not copy every field of every row; a wide layout's rows carry vals.
type fieldRow struct {
	vals  []string
	line  int
	sheet string
	// col is the 0-based column of the value cell in a wide layout, -1 in a long one.
	col int
	// cells is the source row, kept to show a rejected row as it was.
	cells []string
	// lay is the header the row was read under, to name a rejected field's column.
	lay *sheetLayout
	// clean says no field of the row can hold a control character: its source row holds
	// none, nor do the layout's base values. (Never set for a wide layout, whose header
	// text becomes values.)
	clean bool
}

// sheetLayout is one sheet's header and the columns of the fields in it. A new one is made
// for each sheet and never changed, so rows read ahead can point to theirs.
type sheetLayout struct {
	header  []string
	keyCols []int
	// base holds, by field index, the value of a field no column gives: the mapping's fixed
	// value, or the sheet's name.
	base []string
	// baseClean says no base value holds a control character.
	baseClean bool
}

// v returns field i of the row.
func (r fieldRow) v(i int) string {
	if r.vals != nil {
		return r.vals[i]
	}
	return r.lay.field(r.cells, i)
}

// field is field i of a row read under the layout.
func (l *sheetLayout) field(cells []string, i int) string {
	if col := l.keyCols[i]; col >= 0 {
		return field(cells, col)
	}
	return l.base[i]
}

func (r fieldRow) raw() string { return rawLine(r.cells) }

// column is the 1-based column of the cell field i came from (in a wide layout the value's
// own cell, when i is the value), or 0 when no column gives it: with the line and sheet it
// is where /lineage says a number came from.
func (r fieldRow) column(i int, isValue bool) uint16 {
	c := -1
	switch {
	case isValue && r.col >= 0:
		c = r.col
	case r.lay != nil && i >= 0 && i < len(r.lay.keyCols):
		c = r.lay.keyCols[i]
	}
	if c < 0 || c >= 1<<16-1 {
		return 0
	}
	return uint16(c + 1)
}

// location names where a row or one of its fields is: "Sheet1!C5" in a workbook,
// "column X" in a CSV.
// fieldName is the name of the family's field i, or "" for the whole row (-1).
func (t *table) fieldName(i int) string {
	if i < 0 || i >= len(t.fam.fields) {
		return ""
	}
	return t.fam.fields[i].name
}

func (r fieldRow) location(t *table, field int) string {
	col := r.col
	if field >= 0 && (r.col < 0 || field != t.valueIdx) {
		if i := r.lay.keyCols[field]; i >= 0 {
			col = i
		}
	}
	if r.sheet != "" {
		if col < 0 {
			return fmt.Sprintf("%s!%d", r.sheet, r.line)
		}
		return fmt.Sprintf("%s!%s%d", r.sheet, warehouse.ColumnLetters(col), r.line)
	}
	if col >= 0 && col < len(r.lay.header) {
		return warehouse.LocationColumn + r.lay.header[col]
	}
	if field >= 0 {
		return warehouse.LocationField + t.fam.fields[field].name
	}
	return ""
}

// defaultStops are footnote openings that end a statistics table.
var defaultStops = []string{"注：", "注:", "注 ", "资料来源", "数据来源", "说明：", "说明:"}

// table gives meaning to a file's rows: finds the header of each sheet (skipping titles),
// combines merged header rows, stops at footnotes, and turns each data row into field
// rows: one per row in a long layout, one per value column in a wide one.
type table struct {
	rr  rowReader
	m   *Mapping
	fam *family

	sheet  string
	header []string
	// keyCols holds, by field index, the column a field is read from, or -1.
	keyCols []int
	lay     *sheetLayout
	// fixed holds, by field index, a value the mapping gives (or "").
	fixed    []string
	sheetIdx int
	wideIdx  int
	valueIdx int
	unitIdx  int
	wideCols []wideColumn
	stopped  bool
	// fileUnit is the unit a line above the header states (单位：亿元); indicatorLine the
	// 指标：line of a portal export; titles the other lines above the header.
	fileUnit      string
	indicatorLine string
	titles        []string
	names         nameCache
	queue         []fieldRow // the field rows of the last source row, read from head on
	head          int
	vals          stringBlocks
}

type wideColumn struct {
	col   int
	value string
	unit  string
}

type rowProblem struct {
	line  int
	sheet string
	raw   string
	why   reasons.Text
}

func newTable(rr rowReader, m *Mapping, fam *family) *table {
	m = m.normalised()
	t := &table{rr: rr, m: m, fam: fam, sheet: "\x00", fixed: make([]string, len(fam.fields)),
		sheetIdx: fam.index(m.SheetField), valueIdx: fam.index("value"), unitIdx: fam.index("unit"), wideIdx: -1}
	for k, v := range m.Fixed {
		t.fixed[fam.index(k)] = v
	}
	if m.Wide != nil {
		t.wideIdx = fam.index(m.Wide.Field)
	}
	return t
}

// next returns the next field row, or a rowProblem for a row that cannot be split, or io.EOF.
func (t *table) next() (fieldRow, *rowProblem, error) {
	if t.head == len(t.queue) {
		t.queue, t.head = t.queue[:0], 0
	}
	for len(t.queue) == 0 {
		src, err := t.rr.next()
		if err != nil {
			return fieldRow{}, nil, err
		}
		if src.sheet != t.sheet {
			if err := t.readHeader(src); err != nil {
				return fieldRow{}, nil, err
			}
			continue
		}
		if t.stopped || t.isStop(src.cells) {
			t.stopped = true
			continue
		}
		if p := t.split(src); p != nil {
			return fieldRow{}, p, nil
		}
	}
	t.head++
	return t.queue[t.head-1], nil, nil
}

// maxQuotedHeader is how much of a header a refusal quotes: a header of one 40,000-character
// cell came back whole in the message, to the page and the log.
const maxQuotedHeader = 300

// readHeader starts a new sheet (or the one CSV "sheet"): skips rows up to the header
// marker, reads the header rows, and finds the columns of the fields.
func (t *table) readHeader(first sourceRow) error {
	t.sheet, t.stopped = first.sheet, false
	t.fileUnit, t.indicatorLine, t.titles = "", "", nil
	where := reasons.New("header", "表头").Text
	if first.sheet != "" {
		where = reasons.New("sheet %s header", "工作表 %s 的表头", first.sheet).Text
	}
	row := first
	var err error
	if t.m.HeaderMarker != "" {
		for !slices.ContainsFunc(row.cells, func(c string) bool { return cleanHeader(c) == t.m.HeaderMarker }) {
			t.noteAbove(row.cells)
			if row, err = t.rr.next(); err != nil {
				if err == io.EOF {
					return reasons.New("%w: %s: no row holds the header marker %q", "%w：%s：没有一行含表头标记 %q", errFileRejected, where, t.m.HeaderMarker)
				}
				return err
			}
			if row.sheet != first.sheet {
				return reasons.New("%w: %s: no row holds the header marker %q", "%w：%s：没有一行含表头标记 %q", errFileRejected, where, t.m.HeaderMarker)
			}
		}
	} else {
		// Without a marker the header is the first row of two cells or more: a title or a
		// unit line above it holds one.
		for filled(row.cells) < 2 {
			t.noteAbove(row.cells)
			next, err := t.rr.next()
			if err != nil || next.sheet != first.sheet {
				break // a one-column "table": read as it was, and refused for what it lacks
			}
			row = next
		}
	}
	rows := [][]string{row.cells}
	for i := 1; i < max(t.m.HeaderRows, 1); i++ {
		next, err := t.rr.next()
		if err != nil || next.sheet != first.sheet {
			return reasons.New("%w: %s: the header has fewer than %d rows", "%w：%s：表头不足 %d 行", errFileRejected, where, t.m.HeaderRows)
		}
		rows = append(rows, next.cells)
	}
	t.header = combineHeader(rows)
	if err := t.resolveColumns(); err != nil {
		return reasons.New("%w: %s %q: %v", "%w：%s %q：%v", errFileRejected, where, rules.Clipped(strings.Join(t.header, ","), maxQuotedHeader), err)
	}
	base := slices.Clone(t.fixed)
	if t.sheetIdx >= 0 {
		base[t.sheetIdx] = t.sheet
	}
	if err := t.applyFileUnits(base); err != nil {
		return reasons.New("%w: %s: %v", "%w：%s：%v", errFileRejected, where, err)
	}
	t.lay = &sheetLayout{header: t.header, keyCols: t.keyCols, base: base,
		baseClean: !slices.ContainsFunc(base, func(v string) bool { return !controlFree([]byte(v)) })}
	return nil
}

// combineHeader joins the header rows of each column with "|", dropping empty parts and a
// part repeated from the row above (a merged cell spanning rows).
func combineHeader(rows [][]string) []string {
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	out := make([]string, width)
	for c := 0; c < width; c++ {
		var parts []string
		for _, r := range rows {
			if c >= len(r) {
				continue
			}
			p := cleanHeader(r[c])
			if p != "" && (len(parts) == 0 || parts[len(parts)-1] != p) {
				parts = append(parts, p)
			}
		}
		out[c] = strings.Join(parts, "|")
	}
	return out
}

// cleanHeader is a header cell's name, as every name is compared (see normName); a
// footnote mark on it (地区生产总值①) is left off.
func cleanHeader(s string) string { return normalName(s) }

// lastPart is a combined header's bottom row.
func lastPart(h string) string {
	if i := strings.LastIndex(h, "|"); i >= 0 {
		return h[i+1:]
	}
	return h
}

func (t *table) findColumn(names ...string) int {
	for _, n := range names {
		n = cleanHeader(n)
		for i, h := range t.header {
			if h == n || strings.EqualFold(lastPart(h), n) || strings.EqualFold(h, n) {
				return i
			}
		}
	}
	return -1
}

func (t *table) resolveColumns() error {
	t.keyCols, t.wideCols = make([]int, len(t.fam.fields)), nil
	for fi, f := range t.fam.fields {
		want := f.aliases
		if h, ok := t.m.Columns[f.name]; ok {
			want = []string{h}
		} else if len(t.m.Columns) > 0 || t.m.Wide != nil {
			// A mapping that names its columns is taken at its word: no guessing from aliases.
			want = nil
		}
		t.keyCols[fi] = t.findColumn(want...)
		if h, ok := t.m.Columns[f.name]; ok && t.keyCols[fi] < 0 {
			return reasons.New("no column %q for %s", "缺少列 %[1]q（%[2]s）", h, reasons.Text{En: f.name, Zh: f.nameZh()})
		}
	}
	if w := t.m.Wide; w != nil {
		used := map[int]bool{}
		for _, i := range t.keyCols {
			used[i] = true
		}
		for i, h := range t.header {
			if used[i] || h == "" || slices.Contains(w.Ignore, h) || slices.Contains(w.Ignore, lastPart(h)) {
				continue
			}
			t.wideCols = append(t.wideCols, wideColumn{col: i, value: wideValue(w, h), unit: headerUnit(h)})
		}
		if len(t.wideCols) == 0 {
			return reasons.New("no value columns", "没有数值列")
		}
	}
	var missing, missingZh []string
	for _, f := range t.fam.fields {
		if f.required && !t.provides(f.name) && !t.providesAlternative(f) {
			missing = append(missing, f.name)
			missingZh = append(missingZh, f.nameZh())
		}
	}
	if len(missing) > 0 {
		return reasons.New("lacks %s", "缺少 %s", reasons.Text{En: strings.Join(missing, ", "), Zh: strings.Join(missingZh, "、")})
	}
	return nil
}

func (t *table) provides(field string) bool {
	if t.keyCols[t.fam.index(field)] >= 0 {
		return true
	}
	if _, ok := t.m.Fixed[field]; ok {
		return true
	}
	if t.m.SheetField == field {
		return true
	}
	return t.m.Wide != nil && (t.m.Wide.Field == field || field == "value")
}

// providesAlternative accepts a field given through one of its alternatives (a region by
// code or by name; a period or a year).
func (t *table) providesAlternative(f fieldSpec) bool {
	for _, alt := range f.orElse {
		if t.provides(alt) {
			return true
		}
	}
	return false
}

// wideValue is what a value column's header means: the mapping's word for the whole header
// or for one of its rows (e.g. the indicator above a unit row), else the header's last row.
func wideValue(w *WideLayout, h string) string {
	if v, ok := w.Headers[h]; ok {
		return v
	}
	for _, part := range strings.Split(h, "|") {
		if v, ok := w.Headers[part]; ok {
			return v
		}
	}
	return lastPart(h)
}

var reUnit = regexp.MustCompile(`[（(]([^（）()]+)[）)]`)

func (t *table) isStop(cells []string) bool {
	for _, c := range cells {
		c = trimCell(c)
		if c == "" {
			continue
		}
		for _, s := range defaultStops {
			if strings.HasPrefix(c, s) {
				return true
			}
		}
		n := c
		if !plainName(c) { // a code or a year opens no footnote
			n = t.names.get(c)
			for _, s := range normalStops {
				if strings.HasPrefix(n, s) {
					return true
				}
			}
		}
		for _, s := range t.m.StopAt {
			if strings.HasPrefix(n, s) {
				return true
			}
		}
		return false
	}
	return false
}

// normalStops are defaultStops in the normal form of names (注: with a half-width colon).
var normalStops = func() []string {
	var out []string
	for _, s := range defaultStops {
		// "注 " loses its space and would stop at 注册…; 注: and 注： stay.
		if n := normalName(s); n != "注" {
			out = append(out, n)
		}
	}
	return out
}()

// filled counts a row's distinct non-empty cells: a title merged across the table's
// width fills every cell with itself, and is still one cell.
func filled(cells []string) int {
	n := 0
	for i, c := range cells {
		if c = trimCell(c); c != "" && !slices.Contains(cells[:i], c) {
			n++
		}
	}
	return n
}

// split turns one data row into field rows on the queue.
func (t *table) split(src sourceRow) *rowProblem {
	if t.m.Wide == nil && src.sheet == "" && len(src.cells) > len(t.header) {
		return &rowProblem{line: src.line, raw: rawLine(src.cells), why: reasons.New("row has %d fields, the header has %d (a misquoted line, or a number written 1,234 without quotes?)",
			"该行有 %d 个字段，表头有 %d 个（引号不配对，或数值中的千位逗号未加引号？）", len(src.cells), len(t.header)).Text}
	}
	if t.m.Wide == nil && src.sheet == "" && len(src.cells) != len(t.header) {
		return &rowProblem{line: src.line, raw: rawLine(src.cells), why: reasons.New("row has %d fields, the header has %d (a cut-off or misquoted line?)",
			"该行有 %d 个字段，表头有 %d 个（行被截断或引号不配对？）", len(src.cells), len(t.header)).Text}
	}
	if len(src.cells) > len(t.header) && !blank(src.cells[len(t.header):]) {
		return &rowProblem{line: src.line, sheet: src.sheet, raw: rawLine(src.cells), why: rowShape(len(src.cells), len(t.header))}
	}
	if t.m.Wide == nil {
		t.queue = append(t.queue, fieldRow{line: src.line, sheet: src.sheet, col: -1, cells: src.cells, lay: t.lay, clean: src.clean && t.lay.baseClean})
		return nil
	}
	base := t.vals.take(len(t.fixed))
	for i := range base {
		base[i] = t.lay.field(src.cells, i)
	}
	for _, wc := range t.wideCols {
		v := field(src.cells, wc.col)
		vals := t.vals.take(len(base))
		copy(vals, base)
		vals[t.wideIdx] = wc.value
		vals[t.valueIdx] = v
		if wc.unit != "" && t.unitIdx >= 0 && t.keyCols[t.unitIdx] < 0 {
			vals[t.unitIdx] = wc.unit
		}
		t.queue = append(t.queue, fieldRow{vals: vals, line: src.line, sheet: src.sheet, col: wc.col, cells: src.cells, lay: t.lay})
	}
	return nil
}
