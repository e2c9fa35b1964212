package main

import (
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// While `serve` holds the warehouse, a reference (dimension) load is handed to it like a
// fact load: before, the server had inboxes for the fact jobs only and answered `no job
// "regions" in the config`.
func TestReferenceLoadIsHandedToTheRunningServer(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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

// ownerOnlyTree fails the test unless every folder under dir is 0700 and every file 0600.
func ownerOnlyTree(t *testing.T, dir string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		} else {
			files++
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil || files == 0 {
		t.Fatalf("backup %s: %d files, %v", dir, files, err)
	}
}

// A backup is readable by its user only (folders 0700, files 0600). The CLI alone backs up
// wherever its operator says; the running server writes only inside backups_dir (default
// data_dir/backups), whether asked by the CLI or straight through its admin API.
func TestBackupsAreOwnerOnlyAndTheServerWritesOnlyInItsFolder(t *testing.T) {
	t.Parallel()
	p := newProcEnv(t, "JINWEI_LOAD_DEMO=false")
	local := filepath.Join(p.dir, "elsewhere", "b0")
	if out := p.run(t, "backup", local); !strings.Contains(out, "backed up") {
		t.Fatalf("local backup: %s", out)
	}
	ownerOnlyTree(t, local)

	_, info, _ := p.serve(t)
	nightly := filepath.Join(p.dataDir, "backups", "nightly")
	if out := p.run(t, "backup", nightly); !strings.Contains(out, "the jinwei server (pid") {
		t.Fatalf("backup handed to the server: %s", out)
	}
	ownerOnlyTree(t, nightly)

	outside := filepath.Join(p.dir, "elsewhere", "b1")
	out, err := p.command("backup", outside).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "only inside backups_dir") {
		t.Errorf("backup outside backups_dir through the server: %v\n%s", err, out)
	}
	for _, dir := range []string{outside, filepath.Join(p.dir, "evil"), "/tmp/jinwei-evil-backup-" + filepath.Base(p.dir)} {
		for _, q := range []string{dir, "../../evil", "../" + filepath.Base(p.dataDir)} {
			req, _ := http.NewRequest(http.MethodPost, "http://"+info.Addr+"/api/admin/backup?"+url.Values{"dir": {q}}.Encode(), nil)
			req.Header.Set("Authorization", "Bearer "+info.Token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("admin API backup to %q: %d, want 400", q, res.StatusCode)
			}
		}
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("%s was written", dir)
		}
	}
	if _, err := os.Stat(filepath.Join(p.dir, "evil")); err == nil {
		t.Errorf("a backup escaped backups_dir")
	}
}
