package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

func checksums(t *testing.T, dataDir string) []whtest.TableChecksum {
	t.Helper()
	w, err := warehouse.Open(warehouse.Config{DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	return whtest.Checksums(t, w)
}

// Back up a warehouse, destroy it, restore it: every table has its rows and content back.
func TestBackupDestroyRestore(t *testing.T) {
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "wh")
	t.Setenv("JINWEI_DEMO_DIR", filepath.Join("..", "..", "data"))
	t.Setenv("JINWEI_SOURCES_DIR", filepath.Join("..", "..", "data", "sources"))
	if out, err := runCLI(t, "demo", "load", "--data-dir", dataDir); err != nil {
		t.Fatalf("demo load: %v\n%s", err, out)
	}
	before := checksums(t, dataDir)
	if len(before) < 10 {
		t.Fatalf("only %d tables to compare", len(before))
	}
	backup := filepath.Join(dir, "backups", "b1")
	if out, err := runCLI(t, "backup", "--data-dir", dataDir, backup); err != nil || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if _, err := runCLI(t, "backup", "--data-dir", dataDir, backup); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("a second backup into the same folder: %v", err)
	}
	if err := os.RemoveAll(dataDir); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, "restore", "--data-dir", dataDir, backup); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	after := checksums(t, dataDir)
	if len(after) != len(before) {
		t.Fatalf("%d tables after restore, %d before", len(after), len(before))
	}
	for i := range before {
		if before[i] != after[i] {
			t.Errorf("table %s: %+v before, %+v after", before[i].Table, before[i], after[i])
		}
	}
	if _, err := runCLI(t, "restore", "--data-dir", dataDir, backup); err == nil || !strings.Contains(err.Error(), "already holds") {
		t.Errorf("restoring over a live warehouse: %v; want a refusal", err)
	}
	if _, err := runCLI(t, "restore", "--data-dir", filepath.Join(dir, "other"), dir); err == nil || !strings.Contains(err.Error(), "not a jinwei backup") {
		t.Errorf("restoring from a folder that is no backup: %v", err)
	}
}
