package main

import (
	"context"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"jinwei/dashboard"
	"jinwei/etl"
	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
)

// defaultJobs is the config's jobs plus an inbox under the data directory's parent
// (var/inbox/JOB) for every job it does not name — fact and reference jobs alike — so
// uploads and loads handed over by the CLI (`jinwei etl load --job regions …` while serve
// runs) have somewhere to go. Jobs the config does not name run on demand only.
func defaultJobs(cfg *config) []etl.JobConfig {
	jobs := slices.Clone(cfg.Jobs)
	for _, name := range etl.JobNames() {
		if !slices.ContainsFunc(jobs, func(j etl.JobConfig) bool { return j.Name == name }) {
			jobs = append(jobs, etl.JobConfig{Name: name, Inbox: filepath.Join(filepath.Dir(filepath.Clean(cfg.DataDir)), "inbox", name)})
		}
	}
	return jobs
}

// newRunner builds the job runner from the config.
func newRunner(cfg *config, l *etl.Loader) (*etl.Runner, error) {
	mappings, err := etl.LoadMappings(cfg.SourcesDir)
	if err != nil {
		return nil, err
	}
	r, err := etl.NewRunner(l, cfg.HomeRegion, mappings, defaultJobs(cfg))
	if err != nil {
		return nil, err
	}
	r.Originals = cfg.originalsPolicy()
	return r, nil
}

// adminJobs lets the dashboard's admin API run jobs without importing etl.
type adminJobs struct {
	r       *etl.Runner
	running *inflight
}

func (a adminJobs) InFlight() []warehouse.Run { return a.running.list() }

var _ dashboard.Jobs = adminJobs{}

func (a adminJobs) RunJob(ctx context.Context, job string) ([]dashboard.JobResult, error) {
	reports, err := a.r.RunJob(ctx, job)
	out := make([]dashboard.JobResult, len(reports))
	for i, rep := range reports {
		out[i] = result(rep, nil)
	}
	return out, err
}

func (a adminJobs) Upload(ctx context.Context, job, name string, body io.Reader) (dashboard.JobResult, error) {
	rep, err := a.r.SaveUpload(ctx, job, name, body)
	if rep == nil {
		return dashboard.JobResult{}, err
	}
	return result(rep, err), nil
}

func result(rep *etl.Report, err error) dashboard.JobResult {
	res := dashboard.JobResult{Run: rep.Run, Rejects: rep.Rejects}
	if err != nil {
		why := reasons.Of(err)
		res.Error, res.ErrorZh = why.En, why.Zh
	}
	return res
}

var _ dashboard.Jobs = adminJobs{}

func (a adminJobs) Schedules(now time.Time) []dashboard.JobSchedule {
	var out []dashboard.JobSchedule
	for _, js := range a.r.Schedules(now) {
		out = append(out, dashboard.JobSchedule{Job: js.Name, Cron: js.Schedule, Inbox: js.Inbox, URL: js.URL, Next: js.Next, Error: js.Error})
	}
	return out
}

func (a adminJobs) Stage(ctx context.Context, job, name string, body io.Reader) (dashboard.StagedUpload, error) {
	st, err := a.r.StageUpload(ctx, job, name, body)
	if err != nil {
		return dashboard.StagedUpload{}, err
	}
	return stagedUpload(job, st), nil
}

func (a adminJobs) PreviewStaged(ctx context.Context, job, id string) (dashboard.StagedUpload, error) {
	st, err := a.r.PreviewStaged(ctx, job, id)
	if err != nil {
		return dashboard.StagedUpload{}, err
	}
	return stagedUpload(job, st), nil
}

// stagedUpload is what the upload page shows of a staged upload of job.
func stagedUpload(job string, st *etl.Staged) dashboard.StagedUpload {
	out := dashboard.StagedUpload{ID: st.ID, Name: st.Name, Job: job, Refusal: st.DryRunError, RefusalZh: st.DryRunErrorZh, Refused: st.Refused,
		Reading: st.Reading, Mapping: st.Mapping, MappingMatch: st.MappingMatch}
	if in := st.Inspection; in != nil {
		out.Format, out.Encoding, out.Separator = in.Format, in.Encoding, in.Separator
		for _, n := range in.Notes {
			if n.Kind != warehouse.NoteUnitFromFile { // the page gives each sheet's unit
				out.Notes = append(out.Notes, dashboard.StagedNote{Kind: n.Kind, Text: n.Text})
			}
		}
		for _, sh := range in.Sheets {
			out.Sheets = append(out.Sheets, dashboard.StagedSheet{Name: sh.Name, Layout: sh.Layout, RegionColumn: sh.RegionColumn,
				Unit: sh.Unit, Header: sh.Header, Indicators: sh.Indicators, HeaderLine: sh.HeaderLine, HeaderRows: sh.HeaderRows,
				DataRows: sh.DataRows, Cut: sh.Cut})
		}
	}
	if rep := st.DryRun; rep != nil {
		res := result(rep, nil)
		out.DryRun = &res
		if rep.UncheckedFrom > 0 {
			out.Notes = append(out.Notes, dashboard.StagedNote{Kind: warehouse.NoteUnchecked, Text: strconv.Itoa(rep.UncheckedFrom)})
		}
		for _, p := range rep.Preview {
			out.Preview = append(out.Preview, dashboard.PreviewRow{Line: p.Line, Indicator: p.Indicator, Region: p.Region,
				PeriodKind: p.Period.Kind, Year: p.Period.Year, PeriodNo: p.Period.No, Unit: p.Unit, Value: p.Value})
		}
		if ch := rep.Changes; ch != nil {
			out.Changes = &dashboard.StagedChanges{Added: ch.Added, Changed: ch.Changed, Same: ch.Same, Turned: ch.Turned}
			for _, it := range ch.Items {
				sc := dashboard.StagedChange{Line: it.Line, Key: it.Key, NameZh: it.NameZh, NameEn: it.NameEn, Added: it.Added}
				for _, f := range it.Fields {
					sc.Fields = append(sc.Fields, dashboard.StagedField(f))
				}
				out.Changes.Items = append(out.Changes.Items, sc)
			}
		}
	}
	return out
}

func (a adminJobs) LoadStaged(ctx context.Context, job, id string) (dashboard.JobResult, error) {
	rep, err := a.r.LoadStaged(ctx, job, id)
	if rep == nil {
		return dashboard.JobResult{}, err
	}
	return result(rep, err), nil
}
