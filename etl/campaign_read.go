package etl

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
)

// MaxReadCampaignRows caps the values ReadCampaignFile reads: a unit's month is one row
// of some 30 values, the province's whole monthly file a few thousand.
const MaxReadCampaignRows = 20000

// ReadCampaignFile reads a campaign file with the mapping (nil: a long table whose headers
// name the fields) as a load would, checking each row's unit, month, metric and category by
// the same rules, and writes nothing: a unit's own file, sent from its report page, is read
// this way and then submitted like the unit's form, whose checks take the values as written.
// A file that cannot be read at all (not the layout, empty, cut off, more than
// MaxReadCampaignRows values) is an error.
func (l *Loader) ReadCampaignFile(ctx context.Context, path string, m *Mapping) ([]warehouse.ReportFileRow, error) {
	if m == nil {
		m = &Mapping{Name: "default", Job: JobCampaign}
	}
	if m.Job != JobCampaign {
		return nil, fmt.Errorf("read %s: mapping %s is for %s, not %s", path, m.Name, m.Job, JobCampaign)
	}
	s := &runState{ctx: ctx, wh: l.wh, run: &warehouse.Run{ID: "read", Job: JobCampaign, FilePath: path}, mapping: m, dry: true}
	snk, err := newCampaignSink(ctx, l, s)
	if err != nil {
		return nil, err
	}
	defer snk.abandon()
	rr, err := openRows(path, m, &s.source)
	if err != nil {
		return nil, reasons.New("read %s: %w", "读取 %s：%w", path, err)
	}
	defer rr.close()
	t := newTable(rr, m, campaignFamily)
	col := &campaignCollector{c: snk.(*campaignSink), t: t}
	ra := newReadAhead(t)
	// Every row is wanted with its reason, however many are wrong: no share refuses the file.
	// But not without end: each row read is kept, so a file of short rows made memory grow
	// about 25,000 times its size (a 1 MB CSV of "x" lines, 12.5 M rows, took a server to
	// 12 GB and six minutes).
	err = readTable(s, &Loader{wh: l.wh, log: l.log, MaxRejectShare: 1, maxRows: MaxReadCampaignRows}, t, ra, col)
	ra.close()
	if err != nil {
		return nil, reasons.New("read %s: %w", "读取 %s：%w", path, err)
	}
	for _, rj := range s.rejects {
		col.rows = append(col.rows, warehouse.ReportFileRow{Line: rj.Line, Location: rj.Location, Problem: rj.Reason, ProblemZh: rj.ReasonZh})
	}
	return col.rows, nil
}

// campaignCollector is a sink that keeps each row as read instead of writing it.
type campaignCollector struct {
	c    *campaignSink
	t    *table
	rows []warehouse.ReportFileRow
}

func (k *campaignCollector) add(r fieldRow) *fieldProblem {
	cl, p := k.c.cell(r)
	if p != nil {
		return p
	}
	k.rows = append(k.rows, warehouse.ReportFileRow{Line: r.line, Location: r.location(k.t, cValue), UnitCode: cl.code, UnitName: cl.name,
		Month: cl.month.start().Format("2006-01"), Metric: cl.metric.Code, Category: cl.category, Value: r.v(cValue)})
	return nil
}

func (k *campaignCollector) flush() error { return nil }

func (k *campaignCollector) abandon() {}

// ReportFileReader reads units' own files in the monthly report's layout for the
// dashboard's report pages: the campaign mapping matching the file's name, else the first
// campaign mapping there is (the province's monthly report), in any encoding the readers
// detect, since a unit's Excel may save its text as UTF-8, GBK or UTF-16.
type ReportFileReader struct {
	Loader   *Loader
	Mappings []*Mapping
	// TempDir holds each file while it is read ("": the system's).
	TempDir string
}

// ReportFiles reads units' own files with the runner's mappings.
func (r *Runner) ReportFiles() ReportFileReader {
	return ReportFileReader{Loader: r.l, Mappings: r.mappings}
}

// ReadReportFile reads data, of format csv, xlsx or xls as its content showed, named name
// by its sender.
func (r ReportFileReader) ReadReportFile(ctx context.Context, name, format string, data []byte) ([]warehouse.ReportFileRow, error) {
	m, ok := FindMapping(r.Mappings, JobCampaign, name)
	if !ok {
		for _, c := range r.Mappings {
			if c.Job == JobCampaign {
				m, ok = c, true
				break
			}
		}
	}
	var layout Mapping
	if ok {
		layout = *m
	} else {
		layout = Mapping{Name: "default", Job: JobCampaign}
	}
	layout.Format, layout.Encoding = format, "auto"
	f, err := os.CreateTemp(r.TempDir, "report-*."+format)
	if err != nil {
		return nil, fmt.Errorf("keep %s while it is read: %w", filepath.Base(name), err)
	}
	defer os.Remove(f.Name())
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("keep %s while it is read: %w", filepath.Base(name), err)
	}
	rows, err := r.Loader.ReadCampaignFile(ctx, f.Name(), &layout)
	if err != nil {
		// The temporary path means nothing to the sender; the name it sent does.
		why := reasons.Of(err)
		sent := func(s string) string {
			s = strings.ReplaceAll(s, f.Name(), filepath.Base(name))
			return strings.ReplaceAll(s, filepath.Base(f.Name()), filepath.Base(name))
		}
		return nil, reasons.Text{En: sent(why.En), Zh: sent(why.Zh)}.Err()
	}
	return rows, nil
}
