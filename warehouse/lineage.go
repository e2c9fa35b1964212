package warehouse

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Lineage names a file and load behind numbers on a page.
type Lineage struct {
	RunID string
	Job   string
	// File is the file's base name, or a unit's report's path (see fileShown).
	File     string
	LoadedAt time.Time
	// Hash is the file's plain SHA-256, what sha256sum prints, so anyone can check a copy.
	Hash string
	// Vintage says which release of the figures the file holds (from data/real/SOURCES.md),
	// in Chinese and in English ("" when the file's table gives none).
	Vintage, VintageEn string
}

// RunLineage names the loads with these run ids, for a page's footnote: a page lists
// exactly the loads whose rows fed the numbers it shows.
func (w *Warehouse) RunLineage(ctx context.Context, runIDs []string) ([]Lineage, error) {
	runs := map[string]bool{}
	for _, id := range runIDs {
		if id != "" && id != "00000000-0000-0000-0000-000000000000" {
			runs[id] = true
		}
	}
	return w.lineage(ctx, runs)
}

// CampaignLineage names the loads whose reports a campaign page of month shows: the
// current reports of every month up to it, which its scorecard and trend are made of.
func (w *Warehouse) CampaignLineage(ctx context.Context, month string) ([]Lineage, error) {
	if month == "" {
		return nil, nil
	}
	res, err := w.named(ctx, "campaign_runs", Params{"month": month})
	if err != nil {
		return nil, err
	}
	var ids []string
	if err := res.each(func(rr *rowReader) { ids = append(ids, rr.str("id")) }); err != nil {
		return nil, fmt.Errorf("read campaign loads of %s: %w", month, err)
	}
	return w.RunLineage(ctx, ids)
}

// MergeLineage joins footnotes, each load once, in the order first seen.
func MergeLineage(lists ...[]Lineage) []Lineage {
	var out []Lineage
	for _, l := range lists {
		for _, s := range l {
			if !slices.ContainsFunc(out, func(x Lineage) bool { return x.RunID == s.RunID }) {
				out = append(out, s)
			}
		}
	}
	return out
}

func (w *Warehouse) lineage(ctx context.Context, runs map[string]bool) ([]Lineage, error) {
	if len(runs) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(runs))
	for id := range runs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	res, err := w.named(ctx, "run_lineage", Params{"runs": arrayParam(ids)})
	if err != nil {
		return nil, err
	}
	var out []Lineage
	err = res.each(func(rr *rowReader) {
		out = append(out, Lineage{RunID: rr.str("id"), Job: rr.str("job"), File: fileShown(rr.str("file_path")),
			LoadedAt: loadTime(rr.str("finished_at")), Hash: rr.str("content_hash"), Vintage: rr.str("vintage"), VintageEn: rr.str("vintage_en")})
	})
	return out, err
}

// baseName is a file's name without its folder (a load may name it with either slash).
func baseName(path string) string {
	return path[strings.LastIndexAny(path, `/\`)+1:]
}

// loadTime reads a load time as the engine prints a DateTime64(3, 'UTC').
func loadTime(s string) time.Time {
	t, _ := time.Parse("2006-01-02 15:04:05.000", s)
	return t
}

// SourceRow is one committed load of a number: the value as loaded, the load, and where in
// its file the value was.
type SourceRow struct {
	// Key says what the row is of: "" for an indicator value, metric[:category] for a
	// campaign report, "item" or a report date for a ledger item.
	Key   string
	Value string
	// Detail is what else the row says: the unit as written, the unit's name, the note.
	Detail string
	Line   int
	Sheet  string
	// Col is the 1-based column of the value's cell, 0 when not known.
	Col  int
	Load Lineage
	// Current is the newest load of its key, the one pages show; the others are revisions.
	Current bool
}

// Cell names a workbook cell as a spreadsheet does ("Sheet1!C5"); "" for a text file,
// whose line says where.
func (r SourceRow) Cell() string {
	if r.Sheet == "" {
		return ""
	}
	if r.Col == 0 {
		return fmt.Sprintf("%s!%d", r.Sheet, r.Line)
	}
	return fmt.Sprintf("%s!%s%d", r.Sheet, ColumnLetters(r.Col-1), r.Line)
}

// ColumnLetters names a 0-based column as a spreadsheet does: 0 → A, 26 → AA.
func ColumnLetters(col int) string {
	s := ""
	for col++; col > 0; col = (col - 1) / 26 {
		s = string(rune('A'+(col-1)%26)) + s
	}
	return s
}

// ValueSources lists every committed load of one indicator value, newest first.
func (w *Warehouse) ValueSources(ctx context.Context, indicator, region, kind string, year, no int) ([]SourceRow, error) {
	return w.sources(ctx, "lineage_value", Params{"indicator": indicator, "region": region, "kind": kind,
		"year": fmt.Sprint(year), "no": fmt.Sprint(no)})
}

// CampaignSources lists every committed load of a unit's report in a month (month as
// 2024-03-01), one metric or all ("").
func (w *Warehouse) CampaignSources(ctx context.Context, unit, month, metric string) ([]SourceRow, error) {
	return w.sources(ctx, "lineage_campaign", Params{"unit": unit, "month": month, "metric": metric})
}

// LedgerSources lists every committed load of a ledger item and its status reports.
func (w *Warehouse) LedgerSources(ctx context.Context, item string) ([]SourceRow, error) {
	return w.sources(ctx, "lineage_ledger", Params{"item": item})
}

// sources runs one of the lineage queries, whose rows come newest first within each key.
func (w *Warehouse) sources(ctx context.Context, query string, p Params) ([]SourceRow, error) {
	res, err := w.named(ctx, query, p)
	if err != nil {
		return nil, err
	}
	var out []SourceRow
	seen := map[string]bool{}
	err = res.each(func(rr *rowReader) {
		key := rr.str("row_key")
		out = append(out, SourceRow{Key: key, Value: rr.str("shown"), Detail: rr.str("detail"),
			Line: rr.int("line"), Sheet: rr.str("sheet"), Col: rr.int("col"), Current: !seen[key],
			Load: Lineage{RunID: rr.str("run"), File: fileShown(rr.str("file_path")), LoadedAt: loadTime(rr.str("loaded")),
				Hash: rr.str("content_hash"), Vintage: rr.str("vintage"), VintageEn: rr.str("vintage_en")}})
		seen[key] = true
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", query, err)
	}
	return out, nil
}
