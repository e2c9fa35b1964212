package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jinwei/warehouse/scorecard"
	"jinwei/warehouse/whtest"
)

// runAsJinwei, in a process's environment, starts this test binary as jinwei itself (see
// TestMain): the tests that run jinwei as a separate process run the same main as the
// built program, without building and linking it once more.
const runAsJinwei = runAs + "=jinwei"

const runAs = "JINWEI_TEST_RUN_AS"

// testBinary is the program the tests run as jinwei, in an environment with runAsJinwei.
func testBinary(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("the test binary, to run as jinwei: %v", err)
	}
	return exe
}

// The binary must start, and say what is missing, on a machine without libchdb.so.
func TestBinaryRunsWithoutEngineLibrary(t *testing.T) {
	bin := testBinary(t)
	dir := t.TempDir()
	env := append(os.Environ(), runAsJinwei, "CHDB_LIB_PATH=/nonexistent/libchdb.so")
	help := exec.Command(bin, "--help")
	help.Dir, help.Env = dir, env
	out, err := help.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "jinwei serve") {
		t.Fatalf("--help: %v\n%s", err, out)
	}
	q := exec.Command(bin, "sql", "SELECT 1")
	q.Dir, q.Env = dir, env
	out, err = q.CombinedOutput()
	if err == nil {
		t.Fatalf("sql without the engine succeeded:\n%s", out)
	}
	for _, want := range []string{"libchdb.so", "/nonexistent/libchdb.so", "CHDB_LIB_PATH"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("error output lacks %q:\n%s", want, out)
		}
	}
}

func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, &out, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return out.String(), err
}

// One data directory for this process (chDB opens one per process), and only this one:
// test processes running side by side must not share it.
var testDataDir string

func TestMain(m *testing.M) {
	if os.Getenv(runAs) == "jinwei" {
		main()
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "jinwei-cmd-test-*")
	if err != nil {
		panic(err)
	}
	testDataDir = filepath.Join(dir, "wh")
	code := whtest.Run(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestSQLCommandPrintsTableCSVAndJSON(t *testing.T) {
	stmt := "SELECT arrayJoin([0, 1]) AS n, concat('甘肃', toString(n)) AS name"
	db := whtest.NewDatabaseName() // a run of its own: -count=2 runs the test twice in one process
	table, err := runCLI(t, "sql", "--data-dir", testDataDir, "--database", db, stmt)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table, "n  name") || !strings.Contains(table, "1  甘肃1") || !strings.Contains(table, "(2 rows)") {
		t.Errorf("table output:\n%s", table)
	}
	csv, err := runCLI(t, "sql", "--data-dir", testDataDir, "--database", db, "--format", "csv", stmt)
	if err != nil || csv != "n,name\n0,甘肃0\n1,甘肃1\n" {
		t.Errorf("csv output %q, %v", csv, err)
	}
	js, err := runCLI(t, "sql", "--data-dir", testDataDir, "--database", db, "--format", "json", stmt)
	var rows []map[string]any
	if err != nil || json.Unmarshal([]byte(js), &rows) != nil || len(rows) != 2 || rows[1]["name"] != "甘肃1" || rows[1]["n"] != 1.0 {
		t.Errorf("json output %q, %v", js, err)
	}
	if _, err := runCLI(t, "sql", "--data-dir", testDataDir, "--format", "xml", stmt); err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Errorf("unknown format: %v", err)
	}
	if _, err := runCLI(t, "sql", "--data-dir", testDataDir, "--database", db, "SELEC 1"); err == nil || !strings.Contains(err.Error(), "Syntax error") {
		t.Errorf("syntax error: %v", err)
	}
	if _, err := runCLI(t, "sql", "--data-dir", testDataDir, "--database", db, "DROP DATABASE "+db); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("the CLI let a DROP through: %v", err)
	}
}

func TestETLLoadCommandReportsRejectsAndSkipsReloads(t *testing.T) {
	dataDir := filepath.Join("..", "..", "data")
	// A database of its own: a second run in this process (-count=2) must not find the
	// first run's files loaded.
	common := []string{"--data-dir", testDataDir, "--database", whtest.NewDatabaseName()}
	if out, err := runCLI(t, append([]string{"demo", "load", "--config", filepath.Join(t.TempDir(), "none.toml")}, common...)...); err == nil {
		t.Fatalf("an explicit config that does not exist must fail; got:\n%s", out)
	}
	t.Setenv("JINWEI_DEMO_DIR", dataDir)
	if out, err := runCLI(t, append([]string{"demo", "load"}, common...)...); err != nil || !strings.Contains(out, "province_annual.csv: committed") {
		t.Fatalf("demo load: %v\n%s", err, out)
	}
	file := filepath.Join(t.TempDir(), "q.csv")
	if err := os.WriteFile(file, []byte("year,region,indicator,value\n2025,甘肃,gdp,1\n2025,火星,gdp,2\n2025,青海,gdp,3\n2025,宁夏,gdp,4\n2025,陕西,gdp,5\n2025,四川,gdp,6\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, append([]string{"etl", "load", "--job", "economy", file}, common...)...)
	if err != nil || !strings.Contains(out, "loaded 5, rejected 1") || !strings.Contains(out, `line 3 column region: unknown region "火星"`) {
		t.Fatalf("etl load: %v\n%s", err, out)
	}
	out, err = runCLI(t, append([]string{"etl", "load", "--job", "economy", file}, common...)...)
	if err != nil || !strings.Contains(out, ": unchanged") {
		t.Fatalf("reload: %v\n%s", err, out)
	}
	out, err = runCLI(t, append([]string{"etl", "load", "--job", "nope", file}, common...)...)
	if err == nil || !strings.Contains(err.Error(), `unknown job "nope"`) {
		t.Fatalf("unknown job: %v\n%s", err, out)
	}
	// A run id that names no run is said so: a well-formed one listed "(0 rows)", as a load
	// without rejects, and a malformed one the engine's exception with its SQL.
	for _, id := range []string{"01a246cd-5e16-7d86-ae34-f613a2d41099", "../x", `it's"x`} {
		out, err := runCLI(t, append([]string{"etl", "rejects", id}, common...)...)
		if want := fmt.Sprintf("etl rejects: no run %q", id); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("etl rejects %s: %v\n%s\nwant %q", id, err, out, want)
		}
	}
	// Loads that changed nothing (the reload above, a serve start's demo files) are listed
	// with --all only; the global flags may come before the command.
	runs, err := runCLI(t, append([]string{"etl", "runs"}, common...)...)
	if err != nil || strings.Contains(runs, "unchanged") || !strings.Contains(runs, "committed") {
		t.Fatalf("etl runs: %v\n%s", err, runs)
	}
	runs, err = runCLI(t, append(common, "etl", "runs", "--all")...)
	if err != nil || !strings.Contains(runs, "unchanged") || !strings.Contains(runs, "committed") {
		t.Fatalf("jinwei --data-dir … etl runs --all: %v\n%s", err, runs)
	}
}

func TestConfigFileEnvironmentAndFlags(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "jinwei.toml")
	if err := os.WriteFile(good, []byte("addr = \"127.0.0.1:9999\"\nhome_region = \"510000\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("JINWEI_HOME_REGION", "500000")
	cfg, _, err := parseFlags("serve", []string{"--config", good, "--data-dir", "/tmp/x"}, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9999" || cfg.HomeRegion != "500000" || cfg.DataDir != "/tmp/x" {
		t.Errorf("config %+v: want addr from file, home from env, data dir from flag", cfg)
	}
	weights := filepath.Join(dir, "weights.toml")
	if err := os.WriteFile(weights, []byte("[campaign.weights]\non_time_rate = 3\nspeed = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("JINWEI_DEMO_DIR", filepath.Join("..", "..", "data"))
	if _, _, err := parseFlags("serve", []string{"--config", weights}, io.Discard, nil); err == nil || !strings.Contains(err.Error(), `unknown item "speed"`) {
		t.Errorf("unknown weight item: %v; want an error naming it", err)
	}
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("adress = \"x\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := parseFlags("serve", []string{"--config", bad}, io.Discard, nil); err == nil || !strings.Contains(err.Error(), "adress") {
		t.Errorf("misspelt key: %v; want an error naming it", err)
	}
}

// The mappings go with the demo data: a demo_dir outside the repository finds its sources
// folder without a sources_dir of its own (before, sources_dir stayed data/sources, relative
// to wherever serve ran, and the units' files in the province layout were not understood).
func TestSourcesDirFollowsTheDemoData(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, file, env, want string }{
		{"default", "", "", filepath.Join("data", "sources")},
		{"demo_dir moved", "demo_dir = \"/srv/jinwei/data\"\n", "", "/srv/jinwei/data/sources"},
		{"sources_dir set", "demo_dir = \"/srv/jinwei/data\"\nsources_dir = \"/srv/mappings\"\n", "", "/srv/mappings"},
		{"environment", "demo_dir = \"/srv/jinwei/data\"\n", "/etc/jinwei/sources", "/etc/jinwei/sources"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".toml")
			if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			t.Setenv("JINWEI_SOURCES_DIR", tc.env)
			cfg, err := loadConfig(path, true)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.SourcesDir != tc.want {
				t.Errorf("sources_dir is %q, want %q", cfg.SourcesDir, tc.want)
			}
		})
	}
}

// The example config documents every key and must itself be valid.
func TestExampleConfigIsValid(t *testing.T) {
	cfg, err := loadConfig(filepath.Join("..", "..", "jinwei.example.toml"), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Jobs) != 3 || cfg.Campaign.Weights["on_time_rate"] != 2 || len(cfg.Headlines) != 6 || len(cfg.Alerts.Rules) != 5 || len(cfg.Alerts.Channels) != 4 {
		t.Errorf("example config read as %+v", cfg)
	}
}

// The example's weights are the defaults of data/campaign_scoring.csv, item for item, as
// the README says.
func TestExampleWeightsAreTheDefaults(t *testing.T) {
	cfg, err := loadConfig(filepath.Join("..", "..", "jinwei.example.toml"), true)
	if err != nil {
		t.Fatal(err)
	}
	items, err := scorecard.ReadItems(filepath.Join("..", "..", "data", "campaign_scoring.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Campaign.Weights) != len(items) {
		t.Errorf("example weighs %d items; the scoring file has %d", len(cfg.Campaign.Weights), len(items))
	}
	for _, it := range items {
		if w, ok := cfg.Campaign.Weights[it.Code]; !ok || w != it.Weight {
			t.Errorf("item %s: example weight %v (%v), default %v", it.Code, w, ok, it.Weight)
		}
	}
}
