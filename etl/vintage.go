package etl

import (
	"os"
	"path/filepath"
	"strings"
)

// vintageOf reads the vintage of a file from the SOURCES.md beside it: the row naming the
// file in its "Vintage per file" table (| `name` | vintage | vintage in English |).
// Statistics are revised (the 5th economic census revised GDP back to 1992), so every
// footnote says which release a number is from. A file without such a note has none; a
// table without the English column gives none in English.
func vintageOf(path string) (zh, en string) {
	b, err := os.ReadFile(filepath.Join(filepath.Dir(path), "SOURCES.md"))
	if err != nil {
		return "", ""
	}
	name := filepath.Base(path)
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "## ") {
			in = strings.HasPrefix(strings.ToLower(line), "## vintage per file")
			continue
		}
		// A row's outer pipes are optional in Markdown.
		row := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), "|"), "|")
		cells := strings.Split(row, "|")
		if !in || len(cells) < 2 {
			continue
		}
		if strings.Trim(strings.TrimSpace(cells[0]), "`") == name {
			if len(cells) >= 3 {
				en = strings.TrimSpace(cells[2])
			}
			return strings.TrimSpace(cells[1]), en
		}
	}
	return "", ""
}
