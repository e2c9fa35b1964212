package etl

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
)

// fieldSpec is one field of a family: its header aliases for files read without a mapping,
// and whether a row needs it (directly or through one of orElse).
type fieldSpec struct {
	name     string
	required bool
	orElse   []string
	aliases  []string
}

// family is one kind of data the ETL loads: its fields and how a row of them is validated
// and written.
type family struct {
	name   string
	fields []fieldSpec
	// newSink prepares validation and the Arrow batches for one run.
	newSink func(ctx context.Context, l *Loader, s *runState) (sink, error)
}

// sink validates field rows and writes them in batches.
type sink interface {
	// add validates a row; a non-nil problem rejects it, naming the field at fault.
	add(r fieldRow) *fieldProblem
	// flush writes what is left and waits for every write; abandon stops without writing.
	flush() error
	abandon()
}

type fieldProblem struct {
	field int // index of the field at fault, -1 for the row
	why   reasons.Text
	// kind says whether the row is wrong (a reject) or holds nothing to load.
	kind problemKind
}

// problemKind tells a wrong row from one that holds nothing to load. Only wrong rows are
// rejects: a "—" where a series had not started, or a 合计 row beside the regions it sums,
// is how statistics tables are printed, and counts neither toward the reject share nor
// against a strict load.
type problemKind uint8

const (
	kindReject problemKind = iota
	// kindNoValue: the value cell is empty or a missing mark (—, …, -, x).
	kindNoValue
	// kindSkipped: a total (合计) or sub-item (其中) row the mapping does not load.
	kindSkipped
)

// noValue is a row whose value cell holds no value.
var noValue = &fieldProblem{field: -1, kind: kindNoValue}

// skipped is a total or sub-item row left out.
var skipped = &fieldProblem{field: -1, kind: kindSkipped}

// problem is field's fault, worded in English and Chinese (reasons.New).
func problem(field int, en, zh string, args ...any) *fieldProblem {
	return &fieldProblem{field: field, why: reasons.New(en, zh, args...).Text}
}

// problemOf is field's fault as err words it.
func problemOf(field int, err error) *fieldProblem {
	return &fieldProblem{field: field, why: reasons.Of(err)}
}

// nameZh names the field for a Chinese reader: its first Chinese header, with its own name
// (数值（value）), which a mapping uses.
func (s fieldSpec) nameZh() string {
	for _, a := range s.aliases {
		if strings.ContainsFunc(a, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			return "“" + a + "”（" + s.name + "）"
		}
	}
	return s.name
}

func (f *family) knows(name string) bool { return f.index(name) >= 0 }

// index is the position of a field in the family's rows, or -1.
func (f *family) index(name string) int {
	return slices.IndexFunc(f.fields, func(s fieldSpec) bool { return s.name == name })
}

func (f *family) fieldNames() []string {
	out := make([]string, len(f.fields))
	for i, s := range f.fields {
		out[i] = s.name
	}
	return out
}

// families are the jobs that load facts through mappings.
var families = map[string]*family{
	JobEconomy:  economyFamily,
	JobEcology:  ecologyFamily,
	JobCampaign: campaignFamily,
}

// LoadFile loads one file of a fact family (economy, ecology, campaign) as one run, read
// with the mapping (nil means a long table whose headers name the fields).
func (l *Loader) LoadFile(ctx context.Context, job, path string, m *Mapping) (*Report, error) {
	fam, ok := families[job]
	if !ok {
		return nil, fmt.Errorf("load %s: unknown job %q", path, job)
	}
	if m == nil {
		m = &Mapping{Name: "default", Job: job}
	}
	if m.Job != job {
		return nil, fmt.Errorf("load %s: mapping %s is for %s, not %s", path, m.Name, m.Job, job)
	}
	return l.runFile(ctx, job, path, "mapping="+m.Name+m.fingerprint(), func(s *runState) error {
		s.mapping = m
		snk, err := fam.newSink(ctx, l, s)
		if err != nil {
			return err
		}
		rr, err := openRows(path, m, &s.source)
		if err != nil {
			snk.abandon()
			return err
		}
		defer rr.close()
		t := newTable(rr, m, fam)
		ra := newReadAhead(t)
		err = readTable(s, l, t, ra, snk)
		ra.close()
		if err != nil {
			snk.abandon()
			return err
		}
		return snk.flush()
	})
}

// readTable feeds a table's rows, read ahead by ra, to the sink, rejecting what the sink
// refuses.
func readTable(s *runState, l *Loader, t *table, ra *readAhead, snk sink) error {
	for {
		it, err := ra.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		s.run.RowsRead++
		if it.p != nil {
			s.line, s.sheet = it.p.line, it.p.sheet
		} else {
			s.line, s.sheet = it.r.line, it.r.sheet
		}
		if l.maxRows > 0 && s.run.RowsRead > l.maxRows {
			return reasons.New("%w: more than %d values", "%w：数值多于 %d 个", errFileRejected, l.maxRows)
		}
		r := it.r
		switch {
		case it.p != nil:
			s.reject(it.p.line, "", sheetLocation(it.p.sheet, it.p.line), it.p.raw, it.p.why)
		case it.control != nil:
			s.reject(r.line, t.fieldName(it.control.field), r.location(t, it.control.field), r.raw(), it.control.why)
		default:
			if fp := snk.add(r); fp != nil {
				switch fp.kind {
				case kindNoValue:
					s.run.RowsNoValue++
				case kindSkipped:
					s.run.RowsSkipped++
				default:
					s.reject(r.line, t.fieldName(fp.field), r.location(t, fp.field), r.raw(), fp.why)
				}
			}
		}
		if s.run.RowsRead%4096 == 0 {
			if err := s.checkRejectShare(l.MaxRejectShare); err != nil {
				return err
			}
			if err := s.writeRejectsDue(); err != nil {
				return err
			}
			if err := s.ctx.Err(); err != nil {
				return err
			}
			l.progress(s)
		}
	}
	// The chunk that ended the reading has arrived: every header was read before it was sent.
	if t.header == nil {
		return reasons.New("%w: the file is empty", "%w：文件是空的", errFileRejected)
	}
	return nil
}

// checkControl refuses text with control characters (other than tab and line breaks):
// they are never data, and they break screens and terminals that show the value.
func checkControl(r fieldRow) *fieldProblem {
	if r.clean {
		return nil
	}
	for i := range r.lay.keyCols {
		v := r.v(i)
		for j := 0; j < len(v); j++ {
			if c := v[j]; (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
				return problem(i, "control character U+%04X in the text", "文本中有控制字符 U+%04X", c)
			}
		}
	}
	return nil
}

func sheetLocation(sheet string, line int) string { return cellLocation(sheet, 0, line) }

// cellLocation is a line's cell in a sheet, col counted from 1 (0: the line as a whole);
// "" in a text file.
func cellLocation(sheet string, col uint16, line int) string {
	switch {
	case sheet == "":
		return ""
	case col == 0:
		return fmt.Sprintf("%s!%d", sheet, line)
	}
	return fmt.Sprintf("%s!%s%d", sheet, warehouse.ColumnLetters(int(col)-1), line)
}

// fingerprint changes when the mapping does, so a file reloaded under a changed mapping is
// read again.
func (m *Mapping) fingerprint() string {
	var b strings.Builder
	plain := *m
	plain.Wide = nil // printed below by value: a pointer would differ in every process
	fmt.Fprintf(&b, "%v", plain)
	if m.Wide != nil {
		fmt.Fprintf(&b, "%v", *m.Wide)
	}
	return b.String()
}

// now is the loader's clock, for "in the future" checks.
func (l *Loader) now() time.Time {
	if l.Clock != nil {
		return l.Clock()
	}
	return time.Now()
}
