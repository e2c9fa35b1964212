package dashboard

import (
	"context"
	"fmt"
	"io"
	"time"

	"jinwei/warehouse"
)

// Jobs is what the admin API and the operator pages need from the ETL: loads on demand and
// uploads, the schedules, and uploads previewed (inspected and dry-run) before they load.
// cmd wires it, so the dashboard never imports the etl package.
type Jobs interface {
	// RunJob loads what is waiting in the job's inbox (and its URL) now.
	RunJob(ctx context.Context, job string) ([]JobResult, error)
	// Upload saves a file into the job's inbox and loads it.
	Upload(ctx context.Context, job, name string, body io.Reader) (JobResult, error)
	// InFlight lists the loads running now, with their counts so far.
	InFlight() []warehouse.Run
	// Schedules lists the configured jobs with their next scheduled run after now.
	Schedules(now time.Time) []JobSchedule
	// Stage keeps an uploaded file aside, inspects it and dry-runs it, writing nothing.
	Stage(ctx context.Context, job, name string, body io.Reader) (StagedUpload, error)
	// PreviewStaged inspects and dry-runs a staged upload (by its ID) again, as Stage did.
	PreviewStaged(ctx context.Context, job, id string) (StagedUpload, error)
	// LoadStaged loads a staged upload (by its ID) as an upload.
	LoadStaged(ctx context.Context, job, id string) (JobResult, error)
}

// JobSchedule is one configured job: its cron, inbox, URL source and next run.
type JobSchedule struct {
	Job, Cron, Inbox, URL string
	// Next is zero for a job run on demand only; Error says why its cron does not parse.
	Next  time.Time
	Error string
}

// StagedUpload is an uploaded file waiting for the operator's go, with what inspect and a
// dry run made of it.
type StagedUpload struct {
	ID, Name, Job string
	// Format, Encoding and Separator are what inspect found (fact jobs only).
	Format, Encoding, Separator string
	Sheets                      []StagedSheet
	Notes                       []StagedNote
	// Reading is how the dry run read the file, and its load will (warehouse.Readings);
	// Mapping names the configured mapping it read it with, and MappingMatch the glob of
	// it that the file's name matched.
	Reading, Mapping, MappingMatch string
	// DryRun is the load that wrote nothing; Refusal says why the load would be refused.
	DryRun  *JobResult
	Preview []PreviewRow
	// Changes, for a dimension file, are what it would change in its table.
	Changes *StagedChanges
	Refusal string
	// RefusalZh is Refusal in Chinese; empty where it has no Chinese wording.
	RefusalZh string
	// Refused says the load would refuse the file itself: it is offered no load.
	Refused bool
}

// StagedChanges are what a dimension file would change in its table, against what is
// stored: keys added, keys changed (the first few listed with their columns), keys the
// same.
type StagedChanges struct {
	Added, Changed, Same int
	// Turned counts the keys whose direction turns (each is listed).
	Turned int
	Items  []StagedChange
}

// StagedChange is one key a dimension file adds or changes.
type StagedChange struct {
	Line           int
	Key            string
	NameZh, NameEn string
	Added          bool
	Fields         []StagedField
}

// StagedField is a column whose value a file changes.
type StagedField struct{ Column, Old, New string }

// Grave says whether a change turns an indicator's direction: every ranking of it, and
// each move's 进位 or 退位, turn with it.
func (f StagedField) Grave() bool { return f.Column == "direction" }

// directionWords name an indicator's directions as its file writes them (1, -1, 0).
var directionWords = map[string]string{"1": "higher", "-1": "lower", "0": "none"}

// directionChange says a turned direction in words, in brackets: （越高越好 → 越低越好）.
func directionChange(lang, from, to string) string {
	word := func(d string) string {
		if w, ok := directionWords[d]; ok {
			return t(lang, "direction_"+w)
		}
		return d
	}
	return fmt.Sprintf(t(lang, "in_parens"), word(from)+" → "+word(to))
}

func init() { templateFuncs["directionChange"] = directionChange }

// Unlisted is how many added or changed keys the list leaves out.
func (c *StagedChanges) Unlisted() int { return max(c.Added+c.Changed-len(c.Items), 0) }

// Grave says whether the file turns any direction.
func (c *StagedChanges) Grave() bool { return c.Turned > 0 }

// StagedSheet is one sheet (or a text file's table) as inspect read it. Layout is one of
// warehouse.Layouts.
type StagedSheet struct {
	Name, Layout, RegionColumn, Unit string
	Header, Indicators               []string
	HeaderLine, HeaderRows, DataRows int
	// Cut says the sheet goes on past the rows inspect read: DataRows counts those only.
	Cut bool
}

// maxShownColumns is how many of a sheet's column names its preview lists: a table of
// 10,000 year columns made a page of 228 KB of names.
const maxShownColumns = 60

// ShownColumns are the column names the preview lists; UnshownColumns how many it leaves out.
func (s StagedSheet) ShownColumns() []string { return s.Header[:min(len(s.Header), maxShownColumns)] }

// UnshownColumns is how many column names the preview leaves out.
func (s StagedSheet) UnshownColumns() int { return max(len(s.Header)-maxShownColumns, 0) }

// HeaderEnd is the line of the header's last row.
func (s StagedSheet) HeaderEnd() int { return s.HeaderLine + max(s.HeaderRows, 1) - 1 }

// StagedNote is what inspect noted of a staged file: a kind (warehouse.NoteKinds) and the
// text it is about, if any.
type StagedNote struct{ Kind, Text string }

// PreviewRow is one row a dry run would load, as the warehouse would hold it: codes, a
// period of a kind (year, quarter, month, ytd), the value in the indicator's unit.
type PreviewRow struct {
	Line                          int
	Indicator, Region, PeriodKind string
	Year, PeriodNo                int
	Unit                          string
	Value                         float64
}
