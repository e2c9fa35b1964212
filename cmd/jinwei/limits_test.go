package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// While `serve` holds the warehouse, a reference (dimension) load is handed to it like a
// fact load: before, the server had inboxes for the fact jobs only and answered `no job
// "regions" in the config`.
func TestReferenceLoadIsHandedToTheRunningServer(t *testing.T) {
	p := newProcEnv(t, "JINWEI_LOAD_DEMO=false")
	p.serve(t)
	file := filepath.Join(p.dir, "new_county.csv")
	if err := os.WriteFile(file, []byte("code,name_zh,short_zh,name_en,level,parent_code,division_type,macro_region,source\n"+
		"620999,测试县,测试,Test County,county,620100,县,,test\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := p.command("etl", "load", "--job", "regions", file).CombinedOutput()
	if err != nil {
		t.Fatalf("etl load --job regions: %v\n%s", err, out)
	}
	for _, want := range []string{"holds the warehouse: handing the files to it", "new_county.csv: committed", "loaded 1, rejected 0"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// What killed runs leave on disk is removed when serve starts: files in its own temporary
// folder (spool files of a server warehouse, multipart or excelize files) and the .part
// files of uploads and fetches cut off in an inbox. Other files stay.
func TestServeRemovesWhatKilledRunsLeft(t *testing.T) {
	p := newProcEnv(t, "JINWEI_LOAD_DEMO=false")
	stale := []string{
		filepath.Join(p.dataDir, tempDirName, "multipart-2280731"),
		filepath.Join(p.dataDir, tempDirName, "result-123.csv"),
		filepath.Join(p.dataDir, tempDirName, "excelize-9", "sheet1.xml"),
		filepath.Join(p.dir, "inbox", "economy", ".gdp.csv.4711.part"),
		filepath.Join(p.dir, "inbox", "regions", ".regions.csv.12.part"),
	}
	kept := filepath.Join(p.dir, "inbox", "economy", "failed", "kept.csv")
	for _, f := range append(stale, kept) {
		if err := os.MkdirAll(filepath.Dir(f), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("left by a killed process"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p.serve(t)
	for _, f := range stale {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s is still there after serve started", f)
		}
	}
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("a loaded file's record went: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(p.dataDir, tempDirName)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("serve's temporary folder: %v %v; want it, mode 0700", fi, err)
	}
}
