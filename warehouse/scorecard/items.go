package scorecard

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
)

// ReadItems reads score items from a scoring CSV (data/campaign_scoring.csv's columns:
// code, name_zh, name_en, dimension, formula, num, den, direction, weight, kinds, deadline,
// min_spread, step, pool, note, note_en). The warehouse holds the loaded copy; this reader serves the config
// check and the tests.
func ReadItems(path string) ([]Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read score items: %w", err)
	}
	defer f.Close()
	items, err := ParseItems(f)
	if err != nil {
		return nil, fmt.Errorf("read score items %s: %w", path, err)
	}
	return items, nil
}

// ParseItems parses a scoring CSV.
func ParseItems(r io.Reader) ([]Item, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no header")
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, need := range []string{"code", "name_zh", "dimension", "formula", "num", "direction", "weight", "kinds"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("no column %q", need)
		}
	}
	cell := func(row []string, name string) string {
		if i, ok := col[name]; ok && i < len(row) {
			return row[i]
		}
		return ""
	}
	num := func(row []string, name string) (float64, error) {
		s := cell(row, name)
		if s == "" {
			return 0, nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, fmt.Errorf("%s %q is not a number", name, s)
		}
		return v, nil
	}
	var items []Item
	for n, row := range rows[1:] {
		it := Item{Code: cell(row, "code"), NameZh: cell(row, "name_zh"), NameEn: cell(row, "name_en"), Dimension: cell(row, "dimension"),
			Formula: Formula(cell(row, "formula")), Num: cell(row, "num"), Den: cell(row, "den"), Kinds: ParseKinds(cell(row, "kinds")), Note: cell(row, "note"), NoteEn: cell(row, "note_en")}
		var vals [6]float64
		for i, name := range []string{"direction", "weight", "deadline", "min_spread", "step", "pool"} {
			if vals[i], err = num(row, name); err != nil {
				return nil, fmt.Errorf("line %d: %w", n+2, err)
			}
		}
		it.Direction, it.Weight, it.Deadline, it.MinSpread, it.Step, it.Pool = int(vals[0]), vals[1], int(vals[2]), vals[3], vals[4], int(vals[5])
		if err := it.Check(); err != nil {
			return nil, fmt.Errorf("line %d: %w", n+2, err)
		}
		items = append(items, it)
	}
	return items, nil
}
