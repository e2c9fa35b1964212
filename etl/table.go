package etl

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// fieldRow is one record of a family's fields, with where it came from.
type fieldRow struct {
	fields map[string]string
	line   int
	sheet  string
	// col is the 0-based column of the value cell in a wide layout, -1 in a long one.
	col int
	raw string
}

// location names where a row or one of its cells is: "Sheet1!C5" in a workbook, "column X"
// in a CSV.
func (r fieldRow) location(t *table, field string) string {
	col := r.col
	if field != "" && (r.col < 0 || field != t.valueField()) {
		if i, ok := t.keyCols[field]; ok {
			col = i
		}
	}
	if r.sheet != "" {
		if col < 0 {
			return fmt.Sprintf("%s!%d", r.sheet, r.line)
		}
		return fmt.Sprintf("%s!%s%d", r.sheet, columnLetters(col), r.line)
	}
	if col >= 0 && col < len(t.header) {
		return "column " + t.header[col]
	}
	if field != "" {
		return "field " + field
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

	sheet    string
	header   []string
	keyCols  map[string]int
	wideCols []wideColumn
	stopped  bool
	queue    []fieldRow
	rowsRead int
	// rowErr is set when the last source row could not be read as a whole (e.g. too short):
	// the caller rejects it.
	rowErr *rowProblem
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
	why   string
}

func newTable(rr rowReader, m *Mapping, fam *family) *table {
	return &table{rr: rr, m: m, fam: fam, sheet: "\x00"}
}

// valueField is the field each wide cell fills.
func (t *table) valueField() string { return "value" }

// next returns the next field row, or a rowProblem for a row that cannot be split, or io.EOF.
func (t *table) next() (fieldRow, *rowProblem, error) {
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
		t.rowsRead++
		if p := t.split(src); p != nil {
			return fieldRow{}, p, nil
		}
	}
	r := t.queue[0]
	t.queue = t.queue[1:]
	return r, nil, nil
}

// readHeader starts a new sheet (or the one CSV "sheet"): skips rows up to the header
// marker, reads the header rows, and finds the columns of the fields.
func (t *table) readHeader(first sourceRow) error {
	t.sheet, t.stopped = first.sheet, false
	where := "header"
	if first.sheet != "" {
		where = "sheet " + first.sheet + " header"
	}
	row := first
	var err error
	if t.m.HeaderMarker != "" {
		for !slices.ContainsFunc(row.cells, func(c string) bool { return cleanHeader(c) == t.m.HeaderMarker }) {
			if row, err = t.rr.next(); err != nil {
				if err == io.EOF {
					return fmt.Errorf("%w: %s: no row holds the header marker %q", errFileRejected, where, t.m.HeaderMarker)
				}
				return err
			}
			if row.sheet != first.sheet {
				return fmt.Errorf("%w: %s: no row holds the header marker %q", errFileRejected, where, t.m.HeaderMarker)
			}
		}
	}
	rows := [][]string{row.cells}
	for i := 1; i < max(t.m.HeaderRows, 1); i++ {
		next, err := t.rr.next()
		if err != nil || next.sheet != first.sheet {
			return fmt.Errorf("%w: %s: the header has fewer than %d rows", errFileRejected, where, t.m.HeaderRows)
		}
		rows = append(rows, next.cells)
	}
	t.header = combineHeader(rows)
	if err := t.resolveColumns(); err != nil {
		return fmt.Errorf("%w: %s %q: %v", errFileRejected, where, strings.Join(t.header, ","), err)
	}
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

func cleanHeader(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	return strings.Join(strings.Fields(toHalfWidthSpaces(s)), "")
}

func toHalfWidthSpaces(s string) string { return strings.ReplaceAll(s, "\u3000", " ") }

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
	t.keyCols, t.wideCols = map[string]int{}, nil
	for _, f := range t.fam.fields {
		want := f.aliases
		if h, ok := t.m.Columns[f.name]; ok {
			want = []string{h}
		} else if len(t.m.Columns) > 0 || t.m.Wide != nil {
			// A mapping that names its columns is taken at its word: no guessing from aliases.
			want = nil
		}
		if i := t.findColumn(want...); i >= 0 {
			t.keyCols[f.name] = i
		} else if h, ok := t.m.Columns[f.name]; ok {
			return fmt.Errorf("no column %q for %s", h, f.name)
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
			return fmt.Errorf("no value columns")
		}
	}
	var missing []string
	for _, f := range t.fam.fields {
		if f.required && !t.provides(f.name) && !t.providesAlternative(f) {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("lacks %s", strings.Join(missing, ", "))
	}
	return nil
}

func (t *table) provides(field string) bool {
	if _, ok := t.keyCols[field]; ok {
		return true
	}
	if _, ok := t.m.Fixed[field]; ok {
		return true
	}
	if t.m.SheetField == field {
		return true
	}
	return t.m.Wide != nil && (t.m.Wide.Field == field || field == t.valueField())
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

// headerUnit finds a unit written in a header, e.g. 地区生产总值（亿元）.
func headerUnit(h string) string {
	for _, part := range strings.Split(h, "|") {
		if m := reUnit.FindStringSubmatch(part); m != nil {
			if _, ok := unitScale[m[1]]; ok || m[1] == "%" {
				return m[1]
			}
		}
	}
	return ""
}

func (t *table) isStop(cells []string) bool {
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		for _, s := range append(defaultStops, t.m.StopAt...) {
			if strings.HasPrefix(c, s) {
				return true
			}
		}
		return false
	}
	return false
}

// split turns one data row into field rows on the queue.
func (t *table) split(src sourceRow) *rowProblem {
	raw := rawLine(src.cells)
	if t.m.Wide == nil && src.sheet == "" && len(src.cells) != len(t.header) {
		return &rowProblem{line: src.line, raw: raw, why: fmt.Sprintf("row has %d fields, the header has %d (a cut-off or misquoted line?)", len(src.cells), len(t.header))}
	}
	if len(src.cells) > len(t.header) && !blank(src.cells[len(t.header):]) {
		return &rowProblem{line: src.line, sheet: src.sheet, raw: raw, why: fmt.Sprintf("row has %d fields, the header has %d", len(src.cells), len(t.header))}
	}
	base := map[string]string{}
	for k, v := range t.m.Fixed {
		base[k] = v
	}
	if t.m.SheetField != "" {
		base[t.m.SheetField] = src.sheet
	}
	for f, i := range t.keyCols {
		base[f] = field(src.cells, i)
	}
	if t.m.Wide == nil {
		t.queue = append(t.queue, fieldRow{fields: base, line: src.line, sheet: src.sheet, col: -1, raw: raw})
		return nil
	}
	for _, wc := range t.wideCols {
		v := field(src.cells, wc.col)
		if v == "" {
			continue // an empty cell of a wide table holds no data point
		}
		fields := make(map[string]string, len(base)+3)
		for k, x := range base {
			fields[k] = x
		}
		fields[t.m.Wide.Field] = wc.value
		fields[t.valueField()] = v
		if wc.unit != "" && fields["unit"] == "" && t.fam.knows("unit") {
			fields["unit"] = wc.unit
		}
		t.queue = append(t.queue, fieldRow{fields: fields, line: src.line, sheet: src.sheet, col: wc.col, raw: raw})
	}
	return nil
}

// columnLetters names a 0-based column as a spreadsheet does: 0 → A, 26 → AA.
func columnLetters(col int) string {
	s := ""
	for col++; col > 0; col = (col - 1) / 26 {
		s = string(rune('A'+(col-1)%26)) + s
	}
	return s
}
