package etl

import (
	"strconv"
)

// Changes are what a dimension file would do to its table, told by its dry run (an
// upload's preview) before anything is written: an indicators file that turned GDP's
// direction to "lower is better" reversed every ranking of it, and its preview said
// nothing. Keys it adds, keys whose stored columns it changes (with each column's old and
// new value), and keys it repeats as they are.
type Changes struct {
	Added, Changed, Same int
	// Items are the first maxChangesShown added or changed keys, in file order.
	Items []Change
}

// Change is one key a file adds or changes.
type Change struct {
	Line   int
	Key    string
	Added  bool
	Fields []FieldChange
}

// FieldChange is one column of a key whose value the file changes.
type FieldChange struct {
	Column, Old, New string
}

// maxChangesShown is how many added or changed keys a preview lists (all are counted).
const maxChangesShown = 50

// note counts one valid row of the file against what is stored for its key (nil: a new
// key). extra are changes found by the job's own check (a peer group's members).
func (c *Changes) note(line int, key string, cols []refColumn, cells []string, stored map[string]string, extra []FieldChange) {
	ch := Change{Line: line, Key: key, Added: stored == nil}
	if !ch.Added {
		for j, col := range cols {
			if j == 0 || sameCell(col, stored[col.name], cells[j]) {
				continue
			}
			ch.Fields = append(ch.Fields, FieldChange{Column: col.name, Old: stored[col.name], New: cells[j]})
		}
		ch.Fields = append(ch.Fields, extra...)
	}
	switch {
	case ch.Added:
		c.Added++
	case len(ch.Fields) > 0:
		c.Changed++
	default:
		c.Same++
		return
	}
	if len(c.Items) < maxChangesShown {
		c.Items = append(c.Items, ch)
	}
}

// sameCell says whether a checked cell holds what is stored: numbers by value (the
// engine writes 0.5 where a file may write 0.50), the rest as written.
func sameCell(col refColumn, stored, cell string) bool {
	if col.typ == float {
		a, errA := strconv.ParseFloat(stored, 64)
		b, errB := strconv.ParseFloat(cell, 64)
		if errA == nil && errB == nil {
			return a == b
		}
	}
	return stored == cell
}
