package etl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jinwei/warehouse/whtest"
)

// The stored content hash is the file's plain SHA-256, what sha256sum prints, so anyone
// can check a file against it; the same file again is still recognised as unchanged.
func TestContentHashIsPlainSHA256(t *testing.T) {
	ctx := context.Background()
	w := whtest.Open(t)
	l := NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	path := filepath.Join(t.TempDir(), "regions.csv")
	content := "code,name_zh,level\n620000,甘肃省,province\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Load(ctx, JobRegions, path, "620000", nil, nil); err != nil {
		t.Fatal(err)
	}
	again, err := l.Load(ctx, JobRegions, path, "620000", nil, nil)
	if err != nil || !again.Unchanged {
		t.Fatalf("the same file again: %+v, %v; want unchanged", again, err)
	}
	sum := sha256.Sum256([]byte(content))
	runs, err := w.RecentRuns(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 {
		t.Fatalf("%d runs, want 2", len(runs))
	}
	for _, r := range runs {
		if r.ContentHash != hex.EncodeToString(sum[:]) {
			t.Errorf("run %s stores %s, want sha256sum's %x", r.Status, r.ContentHash, sum)
		}
	}
}

// A file's vintage note comes from the SOURCES.md beside it, for every footnote citing it.
func TestVintageFromSourcesBesideTheFile(t *testing.T) {
	zh, en := vintageOf(filepath.Join("..", "data", "real", "province_annual.csv"))
	if !strings.Contains(zh, "第五次全国经济普查后修订") || !strings.Contains(en, "5th national economic census") {
		t.Errorf("province_annual.csv vintage %q / %q, want the 5th census revision in both languages", zh, en)
	}
	if zh, en := vintageOf(filepath.Join("..", "data", "real", "no_such.csv")); zh+en != "" {
		t.Errorf("a file the table does not name has vintage %q / %q", zh, en)
	}
	if zh, en := vintageOf(filepath.Join(t.TempDir(), "x.csv")); zh+en != "" {
		t.Errorf("a file without SOURCES.md has vintage %q / %q", zh, en)
	}
	// A table of two columns, as SOURCES.md files had before English: no English.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "SOURCES.md"), []byte("## Vintage per file\n\n| file | vintage |\n| --- | --- |\n| `a.csv` | 2023 年版 |\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if zh, en := vintageOf(filepath.Join(dir, "a.csv")); zh != "2023 年版" || en != "" {
		t.Errorf("two columns: vintage %q / %q, want 2023 年版 and none", zh, en)
	}
	// Rows without their outer pipes, as Markdown allows.
	if err := os.WriteFile(filepath.Join(dir, "SOURCES.md"), []byte("## Vintage per file\n\nfile | vintage | vintage in English\n--- | --- | ---\n`a.csv` | 2023 年版 | 2023 edition\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if zh, en := vintageOf(filepath.Join(dir, "a.csv")); zh != "2023 年版" || en != "2023 edition" {
		t.Errorf("rows without outer pipes: vintage %q / %q, want 2023 年版 / 2023 edition", zh, en)
	}
}

// A file loaded before its SOURCES.md gave the vintage in English is the same file when
// loaded again (unchanged), and the footnotes citing its committed run give the English
// from then on.
func TestVintageGivenLaterReachesTheCommittedRun(t *testing.T) {
	ctx := context.Background()
	w := whtest.Open(t)
	l := NewLoader(w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	dir := t.TempDir()
	path := filepath.Join(dir, "regions.csv")
	sources := func(table string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "SOURCES.md"), []byte("## Vintage per file\n\n"+table), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	sources("| file | vintage |\n| --- | --- |\n| `regions.csv` | 2023 年版 |\n")
	if err := os.WriteFile(path, []byte("code,name_zh,level\n620000,甘肃省,province\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	first, err := l.Load(ctx, JobRegions, path, "620000", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sources("| file | vintage | vintage in English |\n| --- | --- | --- |\n| `regions.csv` | 2023 年版 | 2023 edition |\n")
	if again, err := l.Load(ctx, JobRegions, path, "620000", nil, nil); err != nil || !again.Unchanged {
		t.Fatalf("the same file again: %+v, %v; want unchanged", again, err)
	}
	cited, err := w.RunLineage(ctx, []string{first.Run.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(cited) != 1 || cited[0].Vintage != "2023 年版" || cited[0].VintageEn != "2023 edition" {
		t.Errorf("the committed run as footnotes cite it: %+v; want 2023 年版 / 2023 edition", cited)
	}
}
