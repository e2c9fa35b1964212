package etl

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
)

// Reference jobs load the dimensions: regions, their aliases, indicators, peer groups,
// campaign metrics and targets. Each file is small and is inserted as one record, so it
// lands whole; a reload replaces rows by key.
// Their names are the warehouse's vocabulary (warehouse/jobs.go).
const (
	JobRegions            = warehouse.JobRegions
	JobRegionAliases      = warehouse.JobRegionAliases
	JobIndicators         = warehouse.JobIndicators
	JobPeerGroups         = warehouse.JobPeerGroups
	JobCampaignMetrics    = warehouse.JobCampaignMetrics
	JobCampaignScoreItems = warehouse.JobCampaignScoreItems
	JobTargets            = warehouse.JobTargets
)

// refColumn maps a CSV header to a column of a dimension table.
type refColumn struct {
	name     string
	typ      arrow.DataType
	required bool
	// def stands in for an empty cell or a column the file leaves out.
	def string
	// check validates a cell; nil accepts anything.
	check func(string) error
}

var (
	str   = arrow.BinaryTypes.String
	flag  = arrow.PrimitiveTypes.Uint8
	float = arrow.PrimitiveTypes.Float64
)

// referenceTables gives each dimension job its table and columns, the key column first.
var referenceTables = map[string]struct {
	table   string
	columns []refColumn
}{
	JobRegions: {"regions", []refColumn{
		{name: "code", typ: str, required: true, check: checkRegionCode},
		{name: "name_zh", typ: str, required: true, check: checkNotEmpty},
		{name: "short_zh", typ: str},
		{name: "name_en", typ: str},
		{name: "level", typ: str, required: true, check: checkOneOf("nation", "province", "city", "county")},
		{name: "parent_code", typ: str},
		{name: "division_type", typ: str},
		{name: "macro_region", typ: str},
		{name: "poverty_alleviated", typ: flag, check: checkFlag},
		{name: "national_key", typ: flag, check: checkFlag},
		{name: "provincial_key", typ: flag, check: checkFlag},
		{name: "counted", typ: flag, def: "1", check: checkFlag},
		{name: "generated", typ: flag, check: checkFlag},
		{name: "source", typ: str},
	}},
	JobRegionAliases: {"region_aliases", []refColumn{
		{name: "alias", typ: str, required: true, check: checkNotEmpty},
		{name: "region_code", typ: str, required: true, check: checkRegionCode},
		{name: "note", typ: str},
	}},
	JobIndicators: {"indicators", []refColumn{
		{name: "code", typ: str, required: true, check: checkNotEmpty},
		{name: "name_zh", typ: str, required: true, check: checkNotEmpty},
		{name: "name_en", typ: str},
		{name: "unit", typ: str, required: true},
		// 1 higher is better, -1 lower is, 0 a size neither good nor bad (measure.Neutral).
		{name: "direction", typ: arrow.PrimitiveTypes.Int8, required: true, check: checkOneOf("1", "-1", "0")},
		{name: "frequency", typ: str, required: true, check: checkOneOf("year", "quarter", "month")},
		{name: "category", typ: str},
		{name: "description_zh", typ: str},
		{name: "description_en", typ: str},
		{name: "source", typ: str},
		// What the values are decides which comparisons mean something (warehouse/measure).
		{name: "kind", typ: str, def: "total", check: checkOneOf("total", "per_capita", "rate", "index", "share", "count")},
		{name: "price_basis", typ: str, def: "none", check: checkOneOf("current", "constant", "none")},
		{name: "base", typ: str},
		{name: "real_growth", typ: str},
	}},
	JobPeerGroups: {"peer_groups", []refColumn{
		{name: "code", typ: str, required: true, check: checkNotEmpty},
		{name: "name_zh", typ: str, required: true, check: checkNotEmpty},
		{name: "name_en", typ: str},
		{name: "description_zh", typ: str},
		{name: "builtin", typ: flag, def: "1", check: checkFlag},
	}},
	JobCampaignMetrics: {"campaign_metric_defs", []refColumn{
		{name: "code", typ: str, required: true, check: checkNotEmpty},
		{name: "name_zh", typ: str, required: true, check: checkNotEmpty},
		{name: "name_en", typ: str},
		{name: "dimension", typ: str, required: true, check: checkOneOf("study", "execution", "efficiency")},
		{name: "unit", typ: str},
		{name: "direction", typ: arrow.PrimitiveTypes.Int8, required: true, check: checkOneOf("1", "-1")},
	}},
	JobCampaignScoreItems: {"campaign_score_items", []refColumn{
		{name: "code", typ: str, required: true, check: checkNotEmpty},
		{name: "name_zh", typ: str, required: true, check: checkNotEmpty},
		{name: "name_en", typ: str},
		{name: "dimension", typ: str, required: true, check: checkOneOf("study", "execution", "efficiency")},
		{name: "formula", typ: str, required: true, check: checkOneOf("per_size", "rate", "stock")},
		{name: "num", typ: str, required: true, check: checkNotEmpty},
		{name: "den", typ: str},
		{name: "direction", typ: arrow.PrimitiveTypes.Int8, required: true, check: checkOneOf("1", "-1")},
		{name: "weight", typ: float, required: true, check: checkNonNegative},
		{name: "kinds", typ: str, required: true, check: checkNotEmpty},
		{name: "deadline", typ: flag, def: "0", check: checkMonths},
		{name: "min_spread", typ: float, def: "0", check: checkNonNegative},
		{name: "step", typ: float, def: "0", check: checkNonNegative},
		{name: "pool", typ: flag, def: "0", check: checkMonths},
		{name: "note", typ: str},
		{name: "note_en", typ: str},
	}},
	JobTargets: {"targets", []refColumn{
		{name: "target_code", typ: str, required: true, check: checkNotEmpty},
		{name: "name_zh", typ: str, required: true, check: checkNotEmpty},
		{name: "name_en", typ: str},
		{name: "region_code", typ: str, required: true},
		{name: "indicator_code", typ: str, required: true, check: checkNotEmpty},
		{name: "measure", typ: str, required: true, check: checkOneOf("level", "growth")},
		{name: "comparison", typ: str, required: true, check: checkOneOf(">=", "<=", ">", "<")},
		{name: "threshold", typ: float, check: checkNumberOrEmpty},
		{name: "compare_indicator_code", typ: str},
		{name: "compare_region_code", typ: str},
		{name: "year_from", typ: arrow.PrimitiveTypes.Uint16, required: true, check: checkYear},
		{name: "year_to", typ: arrow.PrimitiveTypes.Uint16, required: true, check: checkYear},
		{name: "note", typ: str},
		{name: "note_en", typ: str},
	}},
}

// IsReferenceJob says whether job loads a dimension.
func IsReferenceJob(job string) bool {
	_, ok := referenceTables[job]
	return ok
}

// LoadReference loads a dimension CSV for one of the reference jobs. The home region
// stands in for {home} in peer group members and target regions.
func (l *Loader) LoadReference(ctx context.Context, job, path, home string) (*Report, error) {
	if job == JobPeerGroups {
		return l.loadPeerGroups(ctx, path, home)
	}
	ref, ok := referenceTables[job]
	if !ok {
		return nil, fmt.Errorf("load %s: unknown reference job %q", path, job)
	}
	return l.runFile(ctx, job, path, "home="+home, func(s *runState) error {
		return loadReference(s, path, ref.table, ref.columns, home, nil)
	})
}

// loadPeerGroups loads peer groups from a CSV with the peer_groups columns plus a members
// column of space-separated region codes, where {home} stands for the home province.
// Members that left a group are marked removed.
func (l *Loader) loadPeerGroups(ctx context.Context, path, home string) (*Report, error) {
	regions, err := l.wh.Regions(ctx)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	known := map[string]bool{}
	for _, r := range regions {
		known[r.Code] = true
	}
	if !known[home] {
		return nil, fmt.Errorf("load %s: home region %q is not in the region dimension", path, home)
	}
	current, err := l.wh.PeerGroups(ctx)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	ref := referenceTables[JobPeerGroups]
	return l.runFile(ctx, JobPeerGroups, path, "home="+home, func(s *runState) error {
		members := newMembersBatch(s)
		err := loadReference(s, path, ref.table, ref.columns, home, func(rec []string, t *csvTable, line int) ([]FieldChange, error) {
			code := field(rec, t.column("code"))
			var codes []string
			for _, m := range strings.Fields(field(rec, t.column("members"))) {
				m = strings.ReplaceAll(m, "{home}", home)
				if !known[m] {
					return nil, reasons.New("member %q is not a known region code", "成员 %q 不是已知的地区代码", m)
				}
				if !slices.Contains(codes, m) {
					codes = append(codes, m)
				}
			}
			if len(codes) == 0 {
				return nil, reasons.New("group %s has no members", "对标组 %s 没有成员", code)
			}
			for _, m := range codes {
				members.add(code, m, false)
			}
			var changed []FieldChange
			for _, g := range current {
				if g.Code != code {
					continue
				}
				for _, old := range g.Members {
					if !slices.Contains(codes, old) {
						members.add(code, old, true)
					}
				}
				if was, now := slices.Sorted(slices.Values(g.Members)), slices.Sorted(slices.Values(codes)); !slices.Equal(was, now) {
					changed = append(changed, FieldChange{Column: "members", Old: strings.Join(was, " "), New: strings.Join(now, " ")})
				}
			}
			return changed, nil
		})
		if err != nil {
			return err
		}
		return members.flush()
	})
}

// maxReferenceRows is the most rows a dimension file may have: a dimension is read into
// one record in memory, and China's counties are 2,844, its townships some 39,000.
const maxReferenceRows = 100_000

// maxReferenceBytes bounds a dimension file's bytes, as maxReferenceRows bounds its rows:
// 100,000 rows of 2 KB each took the server from 344 MB to 1 GB for one preview.
const maxReferenceBytes = 32 << 20

// rowHook sees each valid row of a reference file and may reject it; it tells what the
// row changes beyond its table's columns (a peer group's members).
type rowHook func(rec []string, t *csvTable, line int) ([]FieldChange, error)

// loadReference reads a dimension CSV into one record for table. Required columns must be
// present; others keep their stored values when absent (defaults for new keys); columns
// the table does not know are left to the hook (the members of peer groups) or ignored.
// {home} in a cell stands for the home region.
func loadReference(s *runState, path, table string, cols []refColumn, home string, hook rowHook) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Size() > maxReferenceBytes {
		return reasons.New("%w: %d MB, more than any dimension holds (%d MB at most)", "%w：%d MB，超过任何代码表的大小（至多 %d MB）", errFileRejected, info.Size()>>20, maxReferenceBytes>>20)
	}
	t, err := openCSV(f)
	if err != nil {
		return err
	}
	var fields []arrow.Field
	var idx []int
	var used []refColumn
	var absent []string
	for _, c := range cols {
		i := t.column(c.name)
		if i < 0 && c.required {
			return reasons.New("%w: header %q lacks column %s", "%w：表头 %q 缺少“%s”列", errFileRejected, strings.Join(t.header, ","), c.name)
		}
		if i < 0 {
			absent = append(absent, c.name)
		}
		fields = append(fields, arrow.Field{Name: c.name, Type: c.typ})
		idx, used = append(idx, i), append(used, c)
	}
	if t.ambiguous != nil {
		return t.ambiguous
	}
	// A row replaces its key's row whole: a column the file leaves out keeps what is stored
	// for the keys it names (a fix of a few names is a file of code, name_zh and level), and
	// takes its default for new keys. An empty cell of a column present takes the default.
	// A dry run reads every stored column, to tell what the file changes.
	read := absent
	if s.dry {
		s.changes = &Changes{}
		read = nil
		for _, c := range cols[1:] {
			read = append(read, c.name)
		}
	}
	var stored map[string]map[string]string
	if len(read) > 0 {
		var err error
		if stored, err = s.wh.StoredColumns(s.ctx, table, cols[0].name, read); err != nil {
			return err
		}
	}
	fields = append(fields, arrow.Field{Name: "version", Type: arrow.PrimitiveTypes.Uint64})
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
	defer b.Release()
	version := uint64(s.loadedAt.UnixNano())
	seen := map[string]int{}
rows:
	for {
		rec, line, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		s.run.RowsRead++
		if s.run.RowsRead > maxReferenceRows {
			return reasons.New("%w: more than %d rows, more than any dimension has (a file of values belongs to a fact job)", "%w：多于 %d 行，超过任何代码表的行数（数值文件应按经济数据、生态整改或三抓三促载入）", errFileRejected, maxReferenceRows)
		}
		if len(rec) != len(t.header) {
			s.reject(line, "", "", rawLine(rec), rowShape(len(rec), len(t.header)))
			continue
		}
		cells := make([]string, len(used))
		for j, c := range used {
			if cells[j] = field(rec, idx[j]); cells[j] == "" {
				cells[j] = c.def
			}
			if home != "" {
				cells[j] = strings.ReplaceAll(cells[j], "{home}", home)
			}
			if kept, ok := stored[cells[0]]; ok && idx[j] < 0 {
				cells[j] = kept[c.name]
			}
			if c.check == nil {
				continue
			}
			if err := c.check(cells[j]); err != nil {
				s.reject(line, c.name, warehouse.LocationColumn+c.name, rawLine(rec), reasons.Of(err))
				continue rows
			}
		}
		key := cells[0]
		if first, dup := seen[key]; dup {
			s.reject(line, used[0].name, warehouse.LocationColumn+used[0].name, rawLine(rec), reasons.New("duplicate: line %d already defines %s", "重复：第 %d 行已定义 %s", first, key).Text)
			continue
		}
		var extra []FieldChange
		if hook != nil {
			extra, err = hook(rec, t, line)
			if t.ambiguous != nil {
				return t.ambiguous
			}
			if err != nil {
				s.reject(line, "", "", rawLine(rec), reasons.Of(err))
				continue
			}
		}
		if s.changes != nil {
			s.changes.note(line, key, used, cells, stored[key], extra)
		}
		seen[key] = line
		for j, v := range cells {
			appendCell(b.Field(j), v)
		}
		b.Field(len(used)).(*array.Uint64Builder).Append(version)
	}
	return s.insert(table, b.NewRecordBatch())
}

// appendCell appends a validated cell to its column.
func appendCell(fb array.Builder, v string) {
	switch bb := fb.(type) {
	case *array.StringBuilder:
		bb.Append(v)
	case *array.Uint8Builder:
		n, _ := strconv.Atoi(v)
		bb.Append(uint8(n))
	case *array.Int8Builder:
		n, _ := strconv.Atoi(v)
		bb.Append(int8(n))
	case *array.Uint16Builder:
		n, _ := strconv.Atoi(v)
		bb.Append(uint16(n))
	case *array.Float64Builder:
		if n, err := parseNumber(v); err == nil {
			bb.Append(n)
		} else {
			bb.AppendNull()
		}
	}
}

// membersBatch gathers peer group memberships.
type membersBatch struct {
	s *runState
	b *array.RecordBuilder
}

func newMembersBatch(s *runState) *membersBatch {
	return &membersBatch{s: s, b: array.NewRecordBuilder(memory.DefaultAllocator, warehouse.PeerGroupMembers.Schema)}
}

func (m *membersBatch) add(group, region string, removed bool) {
	c := &warehouse.PeerGroupMembers.Columns
	c.GroupCode.In(m.b).Append(group)
	c.RegionCode.In(m.b).Append(region)
	var r uint8
	if removed {
		r = 1
	}
	c.Removed.In(m.b).Append(r)
	c.Version.In(m.b).Append(uint64(m.s.loadedAt.UnixNano()))
}

func (m *membersBatch) flush() error {
	defer m.b.Release()
	rec := m.b.NewRecordBatch()
	if rec.NumRows() == 0 || m.s.dry {
		rec.Release()
		return nil
	}
	// Memberships are not rows of the file, so they do not count as rows loaded.
	defer rec.Release()
	return m.s.wh.Insert(m.s.ctx, warehouse.PeerGroupMembers.Name, rec)
}

func checkNotEmpty(v string) error {
	if v == "" {
		return reasons.New("is empty", "为空")
	}
	return nil
}

func checkRegionCode(v string) error {
	if len(v) != 6 || strings.Trim(v, "0123456789") != "" {
		return reasons.New("region code %q is not six digits", "地区代码 %q 不是六位数字", v)
	}
	return nil
}

func checkNumberOrEmpty(v string) error {
	if _, err := parseNumber(v); err != nil && err != errMissing {
		return err
	}
	return nil
}

func checkNonNegative(v string) error {
	n, err := parseNumber(v)
	if err != nil {
		return err
	}
	if n < 0 {
		return reasons.New("%s is negative", "%s 是负数", v)
	}
	return nil
}

func checkMonths(v string) error {
	if n, err := strconv.Atoi(v); err != nil || n < 0 || n > 24 {
		return reasons.New("%q is not a number of months from 0 to 24", "%q 不是 0 到 24 之间的月数", v)
	}
	return nil
}

func checkYear(v string) error {
	if n, err := strconv.Atoi(v); err != nil || n < 1949 || n > 2100 {
		return reasons.New("%q is not a year", "%q 不是年份", v)
	}
	return nil
}

func checkFlag(v string) error {
	if v != "" && v != "0" && v != "1" {
		return reasons.New("flag %q is not 0 or 1", "标志 %q 不是 0 或 1", v)
	}
	return nil
}

func checkOneOf(allowed ...string) func(string) error {
	return func(v string) error {
		if !slices.Contains(allowed, v) {
			return reasons.New("%q is not one of %s", "%q 不是以下之一：%s", v, reasons.List(allowed))
		}
		return nil
	}
}
