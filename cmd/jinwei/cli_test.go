package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"jinwei/dashboard"
	"jinwei/etl"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

func TestGlobalFlagsBeforeTheCommand(t *testing.T) {
	tests := []struct{ in, want []string }{
		{[]string{"--data-dir", "X", "migrate"}, []string{"migrate", "--data-dir", "X"}},
		{[]string{"--data-dir=X", "-home", "610000", "etl", "runs"}, []string{"etl", "runs", "--data-dir=X", "-home", "610000"}},
		{[]string{"--database", "d", "sql", "--", "-1"}, []string{"sql", "--database", "d", "--", "-1"}},
		{[]string{"migrate", "--data-dir", "X"}, []string{"migrate", "--data-dir", "X"}},
		{[]string{"--strict", "etl"}, []string{"--strict", "etl"}}, // not a global flag: left for the error
	}
	for _, tc := range tests {
		if got := globalFlagsLast(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("globalFlagsLast(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// Found by the red team: etl runs --limit -1 reached the engine and failed with a
// ClickHouse exception; --limit 0 listed nothing. Both are refused naming the flag.
func TestETLRunsLimitIsChecked(t *testing.T) {
	for _, limit := range []string{"-1", "0", "100000"} {
		_, err := runCLI(t, "etl", "runs", "--limit", limit, "--data-dir", testDataDir)
		if err == nil || !strings.Contains(err.Error(), "--limit "+limit+" is not between") {
			t.Errorf("etl runs --limit %s: %v, want it refused naming --limit", limit, err)
		}
	}
}

// The usage names every command and every job.
func TestUsageListsEveryCommandAndJob(t *testing.T) {
	for _, want := range append([]string{"serve", "migrate", "etl inspect", "etl load", "etl run JOB", "etl runs", "etl rejects",
		"demo load", "demo generate", "sql", "backup", "restore", "config check", "user add", "user import", "--unit", "--dry-run"},
		append(etl.JobNames(), dashboard.RoleNames()...)...) {
		if !strings.Contains(usage, want) {
			t.Errorf("usage lacks %q", want)
		}
	}
}

// A log line written while a progress line is shown first clears it, so the two never
// share a line on the screen.
func TestProgressLineClearedBeforeOtherOutput(t *testing.T) {
	var screen bytes.Buffer
	term := &terminal{out: &screen}
	log := slog.New(slog.NewTextHandler(term.beside(&screen), nil))
	show := progressPrinter(term)
	if show == nil {
		t.Fatal("no progress printer for a terminal")
	}
	term.show("a.csv: read 4096")
	log.Info("migrated warehouse")
	term.show("a.csv: read 8192")
	printTo := screen.String()
	logAt := strings.Index(printTo, "time=")
	if logAt < 0 || !strings.HasSuffix(printTo[:logAt], "read 4096"+clearLine) {
		t.Errorf("the log line did not clear the progress line first:\n%q", printTo)
	}
	if got := progressText(warehouse.Run{FilePath: "a.csv", RowsRead: 10, RowsLoaded: 6, RowsRejected: 1, RowsNoValue: 3}, time.Second); !strings.Contains(got, "rejected 1, no value 3") {
		t.Errorf("progress %q lacks the no-value count", got)
	}
	if progressPrinter(&screen) != nil {
		t.Error("progress shown on a stream that is not a terminal")
	}
}

// etl inspect proposes a mapping for an unfamiliar table and dry-runs it; etl load
// --dry-run reports what a load would do and records no run.
func TestETLInspectAndDryRun(t *testing.T) {
	common := []string{"--data-dir", testDataDir, "--database", whtest.NewDatabaseName()}
	for _, ref := range [][2]string{{"regions", "regions.csv"}, {"indicators", "indicators.csv"}} {
		if out, err := runCLI(t, append(common, "etl", "load", "--job", ref[0], filepath.Join("..", "..", "data", ref[1]))...); err != nil {
			t.Fatalf("load %s: %v\n%s", ref[1], err, out)
		}
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "各地区生产总值.csv")
	table := "表2-12 各地区生产总值\n单位：亿元\n地  区,2024年,2023年\n甘　肃,13020.5,12266.4\n宁　夏,5503.1,—\n合　计,18523.6,\n"
	if err := os.WriteFile(file, []byte(table), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, append(common, "etl", "inspect", file)...)
	for _, want := range []string{"layout period_across", "unit: 亿元", "region column: 地区", "indicator = 'gdp'",
		"dry run: read 6, would load 3, reject 0, no value 2, left out 1", "line 4: gdp 620000 甘肃省 2024 = 13020.5 亿元"} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("etl inspect: %v; output lacks %q:\n%s", err, want, out)
		}
	}
	mapping := filepath.Join(dir, "m.toml")
	if err := os.WriteFile(mapping, []byte("job = \"economy\"\n[columns]\nregion = \"地　区\"\n[fixed]\nindicator = \"gdp\"\n[wide]\nfield = \"period\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = runCLI(t, append(common, "etl", "load", "--job", "economy", "--dry-run", "--mapping", mapping, file)...)
	if err != nil || !strings.Contains(out, "dry run: read 6, would load 3, reject 0, no value 2, left out 1") {
		t.Errorf("etl load --dry-run: %v\n%s", err, out)
	}
	runs, err := runCLI(t, append(common, "etl", "runs", "--all")...)
	if err != nil || strings.Contains(runs, "economy") {
		t.Errorf("a dry run recorded a run: %v\n%s", err, runs)
	}
}

// Each reject is listed by its line and place; one with no place (a duplicate) reads
// "line 7: …", not "line 7 : …".
func TestPrintReportPlacesEachReject(t *testing.T) {
	var b strings.Builder
	printReport(&b, warehouse.Run{FilePath: "f.csv", Status: warehouse.RunFailed}, []warehouse.Reject{
		{Line: 3, Location: "column region", Reason: `unknown region "火星"`},
		{Line: 7, Reason: "duplicate: line 6 already gives gdp"},
	})
	for _, want := range []string{"\n  line 3 column region: unknown region \"火星\"\n", "\n  line 7: duplicate: line 6 already gives gdp\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, b.String())
		}
	}
}
