package etl

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"jinwei/warehouse"
)

// Load loads one file for any job: a dimension CSV for the reference jobs, or a fact file
// read with the mapping (nil: the first of mappings whose globs match the file name, else
// a long table whose headers name the fields).
func (l *Loader) Load(ctx context.Context, job, path, home string, mapping *Mapping, mappings []*Mapping) (*Report, error) {
	if IsReferenceJob(job) {
		return l.LoadReference(ctx, job, path, home)
	}
	if _, ok := families[job]; !ok {
		return nil, fmt.Errorf("load %s: unknown job %q (want %s)", path, job, strings.Join(JobNames(), ", "))
	}
	if mapping == nil {
		mapping, _ = FindMapping(mappings, job, path)
	}
	return l.LoadFile(ctx, job, path, mapping)
}

// JobNames lists every job, dimensions first.
func JobNames() []string {
	return slices.Clone(warehouse.Jobs)
}

// demoReferences are the demo's dimension files, in the order they depend on each other.
var demoReferences = []struct{ job, file string }{
	{JobRegions, "regions.csv"},
	{JobRegions, "generated/regions_counties.csv"},
	{JobRegionAliases, "region_aliases.csv"},
	{JobIndicators, "indicators.csv"},
	{JobCampaignMetrics, "campaign_metrics.csv"},
	{JobCampaignScoreItems, "campaign_scoring.csv"},
	{JobPeerGroups, "peer_groups.csv"},
	{JobTargets, "targets.csv"},
}

// LoadDemo loads the demo data set from dir: the dimensions, the published statistics in
// real/, and every generated file that a mapping in sources/ describes. Files loaded before
// are skipped, so a second call does no work, even where a file loaded since replaced
// some of the demo's values.
func (l *Loader) LoadDemo(ctx context.Context, dir, home string) ([]*Report, error) {
	ctx = context.WithValue(ctx, repeatKey{}, true)
	mappings, err := LoadMappings(filepath.Join(dir, "sources"))
	if err != nil {
		return nil, fmt.Errorf("load demo data: %w", err)
	}
	type step struct{ job, path string }
	var steps []step
	for _, r := range demoReferences {
		steps = append(steps, step{r.job, filepath.Join(dir, r.file)})
	}
	steps = append(steps, step{JobEconomy, filepath.Join(dir, "real", "province_annual.csv")})
	generated, err := os.ReadDir(filepath.Join(dir, "generated"))
	if err != nil {
		return nil, fmt.Errorf("load demo data: %w", err)
	}
	var mapped []step
	for _, e := range generated {
		path := filepath.Join(dir, "generated", e.Name())
		for _, job := range []string{JobEconomy, JobEcology, JobCampaign} {
			if _, ok := FindMapping(mappings, job, path); ok {
				mapped = append(mapped, step{job, path})
			}
		}
	}
	sort.SliceStable(mapped, func(i, j int) bool { return mapped[i].path < mapped[j].path })
	var reports []*Report
	for _, s := range append(steps, mapped...) {
		rep, err := l.Load(ctx, s.job, s.path, home, nil, mappings)
		if err != nil {
			return reports, fmt.Errorf("load demo data: %w", err)
		}
		reports = append(reports, rep)
	}
	return reports, nil
}
