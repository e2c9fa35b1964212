package etl

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Reference jobs load the dimensions: regions, indicators and peer groups. Each file is small
// and is inserted as one record, so it lands whole; a reload replaces rows by key.
const (
	JobRegions    = "regions"
	JobIndicators = "indicators"
	JobPeerGroups = "peer_groups"
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
	regionColumns = []refColumn{
		{name: "code", typ: arrow.BinaryTypes.String, required: true, check: checkRegionCode},
		{name: "name_zh", typ: arrow.BinaryTypes.String, required: true, check: checkNotEmpty},
		{name: "short_zh", typ: arrow.BinaryTypes.String},
		{name: "name_en", typ: arrow.BinaryTypes.String},
		{name: "level", typ: arrow.BinaryTypes.String, required: true, check: checkOneOf("nation", "province", "city", "county")},
		{name: "parent_code", typ: arrow.BinaryTypes.String},
		{name: "division_type", typ: arrow.BinaryTypes.String},
		{name: "macro_region", typ: arrow.BinaryTypes.String},
		{name: "poverty_alleviated", typ: arrow.PrimitiveTypes.Uint8, check: checkFlag},
		{name: "national_key", typ: arrow.PrimitiveTypes.Uint8, check: checkFlag},
		{name: "provincial_key", typ: arrow.PrimitiveTypes.Uint8, check: checkFlag},
		{name: "counted", typ: arrow.PrimitiveTypes.Uint8, check: checkFlag},
		{name: "generated", typ: arrow.PrimitiveTypes.Uint8, check: checkFlag},
		{name: "source", typ: arrow.BinaryTypes.String},
	}
	indicatorColumns = []refColumn{
		{name: "code", typ: arrow.BinaryTypes.String, required: true, check: checkNotEmpty},
		{name: "name_zh", typ: arrow.BinaryTypes.String, required: true, check: checkNotEmpty},
		{name: "name_en", typ: arrow.BinaryTypes.String},
		{name: "unit", typ: arrow.BinaryTypes.String, required: true},
		{name: "direction", typ: arrow.PrimitiveTypes.Int8, required: true, check: checkOneOf("1", "-1")},
		{name: "frequency", typ: arrow.BinaryTypes.String, required: true, check: checkOneOf("year", "quarter", "month")},
		{name: "category", typ: arrow.BinaryTypes.String},
		{name: "description_zh", typ: arrow.BinaryTypes.String},
		{name: "source", typ: arrow.BinaryTypes.String},
	}
	peerGroupColumns = []refColumn{
		{name: "code", typ: arrow.BinaryTypes.String, required: true, check: checkNotEmpty},
		{name: "name_zh", typ: arrow.BinaryTypes.String, required: true, check: checkNotEmpty},
		{name: "name_en", typ: arrow.BinaryTypes.String},
		{name: "description_zh", typ: arrow.BinaryTypes.String},
		{name: "builtin", typ: arrow.PrimitiveTypes.Uint8, def: "1", check: checkFlag},
	}
)

// LoadRegions loads the region dimension from a CSV with regionColumns.
func (l *Loader) LoadRegions(ctx context.Context, path string) (*Report, error) {
	return l.runFile(ctx, JobRegions, path, "", func(s *runState, f io.Reader) error {
		return loadReference(s, f, "regions", regionColumns, nil)
	})
}

// LoadIndicators loads the indicator dimension from a CSV with indicatorColumns.
func (l *Loader) LoadIndicators(ctx context.Context, path string) (*Report, error) {
	return l.runFile(ctx, JobIndicators, path, "", func(s *runState, f io.Reader) error {
		return loadReference(s, f, "indicators", indicatorColumns, nil)
	})
}

// LoadPeerGroups loads peer groups from a CSV with peerGroupColumns plus a members column of
// space-separated region codes, where {home} stands for the home province. Groups loaded
// from a file are built in; members that left a group are marked removed.
func (l *Loader) LoadPeerGroups(ctx context.Context, path, home string) (*Report, error) {
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
	return l.runFile(ctx, JobPeerGroups, path, "home="+home, func(s *runState, f io.Reader) error {
		members := newMembersBatch(s)
		err := loadReference(s, f, "peer_groups", peerGroupColumns, func(rec []string, t *csvTable, line int) error {
			code := field(rec, t.column("code"))
			var codes []string
			for _, m := range strings.Fields(field(rec, t.column("members"))) {
				m = strings.ReplaceAll(m, "{home}", home)
				if !known[m] {
					return fmt.Errorf("member %q is not a known region code", m)
				}
				if !slices.Contains(codes, m) {
					codes = append(codes, m)
				}
			}
			if len(codes) == 0 {
				return fmt.Errorf("group %s has no members", code)
			}
			for _, m := range codes {
				members.add(code, m, false)
			}
			for _, g := range current {
				if g.Code != code {
					continue
				}
				for _, old := range g.Members {
					if !slices.Contains(codes, old) {
						members.add(code, old, true)
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return members.flush()
	})
}

// rowHook sees each valid row of a reference file and may reject it.
type rowHook func(rec []string, t *csvTable, line int) error

// loadReference reads a dimension CSV into one record for table. Required columns must be
// present; others default when absent; columns the table does not know are left to the
// hook (the members of peer groups) or ignored.
func loadReference(s *runState, f io.Reader, table string, cols []refColumn, hook rowHook) error {
	t, err := openCSV(f)
	if err != nil {
		return err
	}
	var fields []arrow.Field
	var idx []int
	var used []refColumn
	for _, c := range cols {
		i := t.column(c.name)
		if i < 0 && c.required {
			return fmt.Errorf("%w: header %q lacks column %s", errFileRejected, strings.Join(t.header, ","), c.name)
		}
		fields = append(fields, arrow.Field{Name: c.name, Type: c.typ})
		idx, used = append(idx, i), append(used, c)
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
		if len(rec) != len(t.header) {
			s.reject(line, "", rawLine(rec), fmt.Sprintf("row has %d fields, the header has %d", len(rec), len(t.header)))
			continue
		}
		cells := make([]string, len(used))
		for j, c := range used {
			if cells[j] = field(rec, idx[j]); cells[j] == "" {
				cells[j] = c.def
			}
			if c.check == nil {
				continue
			}
			if err := c.check(cells[j]); err != nil {
				s.reject(line, "column "+c.name, rawLine(rec), err.Error())
				continue rows
			}
		}
		key := cells[0]
		if first, dup := seen[key]; dup {
			s.reject(line, "column "+used[0].name, rawLine(rec), fmt.Sprintf("duplicate: line %d already defines %s", first, key))
			continue
		}
		if hook != nil {
			if err := hook(rec, t, line); err != nil {
				s.reject(line, "", rawLine(rec), err.Error())
				continue
			}
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
	}
}

// membersBatch gathers peer group memberships.
type membersBatch struct {
	s *runState
	b *array.RecordBuilder
}

var membersSchema = arrow.NewSchema([]arrow.Field{
	{Name: "group_code", Type: arrow.BinaryTypes.String},
	{Name: "region_code", Type: arrow.BinaryTypes.String},
	{Name: "removed", Type: arrow.PrimitiveTypes.Uint8},
	{Name: "version", Type: arrow.PrimitiveTypes.Uint64},
}, nil)

func newMembersBatch(s *runState) *membersBatch {
	return &membersBatch{s: s, b: array.NewRecordBuilder(memory.DefaultAllocator, membersSchema)}
}

func (m *membersBatch) add(group, region string, removed bool) {
	f := m.b.Fields()
	f[0].(*array.StringBuilder).Append(group)
	f[1].(*array.StringBuilder).Append(region)
	var r uint8
	if removed {
		r = 1
	}
	f[2].(*array.Uint8Builder).Append(r)
	f[3].(*array.Uint64Builder).Append(uint64(m.s.loadedAt.UnixNano()))
}

func (m *membersBatch) flush() error {
	defer m.b.Release()
	rec := m.b.NewRecordBatch()
	if rec.NumRows() == 0 {
		rec.Release()
		return nil
	}
	// Memberships are not rows of the file, so they do not count as rows loaded.
	defer rec.Release()
	return m.s.wh.Insert(m.s.ctx, "peer_group_members", rec)
}

func checkNotEmpty(v string) error {
	if v == "" {
		return fmt.Errorf("is empty")
	}
	return nil
}

func checkRegionCode(v string) error {
	if len(v) != 6 || strings.Trim(v, "0123456789") != "" {
		return fmt.Errorf("region code %q is not six digits", v)
	}
	return nil
}

func checkFlag(v string) error {
	if v != "" && v != "0" && v != "1" {
		return fmt.Errorf("flag %q is not 0 or 1", v)
	}
	return nil
}

func checkOneOf(allowed ...string) func(string) error {
	return func(v string) error {
		if !slices.Contains(allowed, v) {
			return fmt.Errorf("%q is not one of %s", v, strings.Join(allowed, ", "))
		}
		return nil
	}
}

// LoadDemo loads the demo data set from dir: the dimensions, then every economy file under
// dir/real. Files loaded before are skipped, so a second call does no work.
func (l *Loader) LoadDemo(ctx context.Context, dir, home string) ([]*Report, error) {
	steps := []func() (*Report, error){
		func() (*Report, error) { return l.LoadRegions(ctx, filepath.Join(dir, "regions.csv")) },
		func() (*Report, error) { return l.LoadIndicators(ctx, filepath.Join(dir, "indicators.csv")) },
		func() (*Report, error) { return l.LoadPeerGroups(ctx, filepath.Join(dir, "peer_groups.csv"), home) },
		func() (*Report, error) { return l.LoadEconomy(ctx, filepath.Join(dir, "real", "province_annual.csv")) },
	}
	var reports []*Report
	for _, step := range steps {
		start := time.Now()
		rep, err := step()
		if err != nil {
			return reports, fmt.Errorf("load demo data: %w", err)
		}
		l.log.Info("demo data", "job", rep.Run.Job, "file", rep.Run.FilePath, "status", rep.Run.Status,
			"rows_loaded", rep.Run.RowsLoaded, "rows_rejected", rep.Run.RowsRejected, "duration", time.Since(start).Round(time.Millisecond))
		reports = append(reports, rep)
	}
	return reports, nil
}
