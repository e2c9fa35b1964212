package etl

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// Mapping describes how one kind of source file is laid out, so that a file with merged
// headers, title and footnote rows, or years across the columns can be read without code.
// Mappings are TOML files; see data/sources/*.toml and the README.
type Mapping struct {
	// Name identifies the mapping in runs and errors; the file name without .toml.
	Name string `toml:"-"`
	// Job is the family the rows belong to: economy, ecology or campaign.
	Job string `toml:"job,omitempty"`
	// Match lists file-name globs (e.g. "县域经济*.xlsx") the mapping applies to.
	Match []string `toml:"match,omitempty"`
	// Format is csv, xlsx or json; empty means by the file's extension.
	Format string `toml:"format,omitempty"`
	// Encoding of CSV files: auto (UTF-8, else GB18030), utf-8, gbk or gb18030.
	Encoding string `toml:"encoding,omitempty"`
	// Sheets of an XLSX to read; empty means every sheet.
	Sheets []string `toml:"sheets,omitempty"`
	// HeaderRows is how many rows make the header (merged headers span several); default 1.
	HeaderRows int `toml:"header_rows,omitempty"`
	// HeaderMarker is a header cell that marks the header row; rows above it (titles) are
	// skipped. Empty means the first non-empty row is the header.
	HeaderMarker string `toml:"header_marker,omitempty"`
	// StopAt ends the table at a row whose first non-empty cell starts with one of these
	// (footnotes such as 注：or 资料来源).
	StopAt []string `toml:"stop_at,omitempty"`
	// Columns maps a field to the header that holds it. A header of several rows is written
	// with "|" between its rows, or by its last row alone.
	Columns map[string]string `toml:"columns,omitempty"`
	// Fixed gives fields that the file does not hold, such as the unit or the period of a
	// table whose title says it.
	Fixed map[string]string `toml:"fixed,omitempty"`
	// Wide, when set, reads every column not named in Columns as one value each.
	Wide *WideLayout `toml:"wide,omitempty"`
	// SheetField, when set, puts each sheet's name into this field (e.g. a sheet per year).
	SheetField string `toml:"sheet_field,omitempty"`
	// Totals says what a 合计/总计/全省 row is: "skip" (the default: the sum of the rows
	// beside it) or the code of the region it is the total of.
	Totals string `toml:"totals,omitempty"`
	// SubItems says what a 其中：row (or an indented name that is no region) is: "skip"
	// (the default) or "load", as the item it names.
	SubItems string `toml:"sub_items,omitempty"`
}

// WideLayout turns a row with values across the columns into one row per column.
type WideLayout struct {
	// Field is what the across-headers name: period, indicator or metric.
	Field string `toml:"field,omitempty"`
	// Headers maps header text to the field's value; a header it does not list is taken
	// as the value itself (e.g. "2024年" as a period).
	Headers map[string]string `toml:"headers,omitempty"`
	// Ignore lists headers of columns that are neither keys nor values (e.g. 序号).
	Ignore []string `toml:"ignore,omitempty"`
}

// LoadMapping reads a mapping file.
func LoadMapping(path string) (*Mapping, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mapping %s: %w", path, err)
	}
	var m Mapping
	dec := toml.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) {
			return nil, fmt.Errorf("mapping %s: unknown key: %s", path, strict.String())
		}
		return nil, fmt.Errorf("mapping %s: %w", path, err)
	}
	m.Name = strings.TrimSuffix(filepath.Base(path), ".toml")
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("mapping %s: %w", path, err)
	}
	return &m, nil
}

// LoadMappings reads every *.toml in dir.
func LoadMappings(dir string) ([]*Mapping, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.toml"))
	if err != nil {
		return nil, err
	}
	var out []*Mapping
	for _, p := range paths {
		m, err := LoadMapping(p)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// FindMapping returns the first mapping of job whose globs match the file's name.
func FindMapping(mappings []*Mapping, job, path string) (*Mapping, bool) {
	for _, m := range mappings {
		if m.Job == job && m.Matching(path) != "" {
			return m, true
		}
	}
	return nil, false
}

// Matching is the first of the mapping's globs the file's name matches, or "".
func (m *Mapping) Matching(path string) string {
	base := filepath.Base(path)
	for _, g := range m.Match {
		if ok, _ := filepath.Match(g, base); ok {
			return g
		}
	}
	return ""
}

func (m *Mapping) check() error {
	if _, ok := families[m.Job]; !ok {
		return fmt.Errorf("job %q is not economy, ecology or campaign", m.Job)
	}
	switch m.Format {
	case "", "csv", "xlsx", "xls", "json":
	default:
		return fmt.Errorf("format %q is not csv, xlsx, xls or json", m.Format)
	}
	switch strings.ToLower(m.Encoding) {
	case "", "auto", "utf-8", "utf8", "gbk", "gb18030", "utf-16":
	default:
		return fmt.Errorf("encoding %q is not auto, utf-8, utf-16, gbk or gb18030", m.Encoding)
	}
	switch m.SubItems {
	case "", "skip", "load":
	default:
		return fmt.Errorf("sub_items %q is not skip or load", m.SubItems)
	}
	if m.HeaderRows < 0 || m.HeaderRows > 5 {
		return fmt.Errorf("header_rows %d is not between 1 and 5", m.HeaderRows)
	}
	fam := families[m.Job]
	for f := range m.Columns {
		if !fam.knows(f) {
			return fmt.Errorf("columns: %s has no field %q (fields: %s)", m.Job, f, strings.Join(fam.fieldNames(), ", "))
		}
	}
	for f := range m.Fixed {
		if !fam.knows(f) {
			return fmt.Errorf("fixed: %s has no field %q", m.Job, f)
		}
	}
	if m.Wide != nil && !fam.knows(m.Wide.Field) {
		return fmt.Errorf("wide: %s has no field %q", m.Job, m.Wide.Field)
	}
	return nil
}

// format is the file format: the mapping's, else the file extension's.
func (m *Mapping) format(path string) string {
	if m != nil && m.Format != "" {
		return m.Format
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		return "xlsx"
	case ".json":
		return "json"
	case ".xls":
		return "xls"
	}
	return "csv"
}

// normalised is a copy of the mapping with every name a file is compared with (headers,
// the marker, wide headers and ignores, stops) in the normal form of names, so a header
// copied from the file with its padding (地  区) or full-width letters still matches.
func (m *Mapping) normalised() *Mapping {
	c := *m
	c.HeaderMarker = normalName(m.HeaderMarker)
	if m.Columns != nil {
		c.Columns = make(map[string]string, len(m.Columns))
		for k, v := range m.Columns {
			c.Columns[k] = normalHeader(v)
		}
	}
	c.StopAt = make([]string, len(m.StopAt))
	for i, v := range m.StopAt {
		c.StopAt[i] = normalName(v)
	}
	if m.Wide != nil {
		w := *m.Wide
		w.Headers = make(map[string]string, len(m.Wide.Headers))
		for k, v := range m.Wide.Headers {
			w.Headers[normalHeader(k)] = v
		}
		w.Ignore = make([]string, len(m.Wide.Ignore))
		for i, v := range m.Wide.Ignore {
			w.Ignore[i] = normalHeader(v)
		}
		c.Wide = &w
	}
	return &c
}

// normalHeader normalises each row of a combined header ("指标|（单位）") on its own.
func normalHeader(h string) string {
	parts := strings.Split(h, "|")
	for i, p := range parts {
		parts[i] = normalName(p)
	}
	return strings.Join(parts, "|")
}
