package warehouse

import (
	"fmt"
	"strings"
)

// reportRunPath is the file a unit's submitted report is recorded under as a run:
// 填报/UNIT/MONTH/rREVISION, followed by /NAME when the unit sent a file.
const reportRunPath = "填报/%s/%s/r%d"

// ReportRun is a run's file read as a unit's report (填报): the unit, the month, the
// revision and the name of the file the unit sent, if any.
type ReportRun struct {
	Unit, Month string
	Revision    int
	File        string
}

// ReportRunOf reads a run's file path as a unit's report; ok is false for a loaded file.
func ReportRunOf(path string) (r ReportRun, ok bool) {
	rest, found := strings.CutPrefix(path, "填报/")
	if !found {
		return r, false
	}
	parts := strings.SplitN(rest, "/", 4)
	if len(parts) < 3 {
		return r, false
	}
	if _, err := fmt.Sscanf(parts[2], "r%d", &r.Revision); err != nil || fmt.Sprintf("r%d", r.Revision) != parts[2] {
		return r, false
	}
	r.Unit, r.Month = parts[0], parts[1]
	if len(parts) == 4 {
		r.File = parts[3]
	}
	return r, true
}

// fileShown is the file a page names for a load: its base name (a page never shows where a
// server keeps its files), or for a unit's report the whole report path, which says whose
// report of which month it was.
func fileShown(path string) string {
	if _, ok := ReportRunOf(path); ok {
		return path
	}
	return baseName(path)
}
