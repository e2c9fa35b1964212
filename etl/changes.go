package etl

import (
	"slices"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
)

// Changes are what a dimension file would do to its table, told by its dry run (an
// upload's preview) before anything is written: an indicators file that turned GDP's
// direction to "lower is better" reversed every ranking of it, and its preview said
// nothing. Keys it adds, keys whose stored columns it changes (with each column's old and
// new value), and keys it repeats as they are.
type Changes struct {
	Added, Changed, Same int
	// Turned counts the keys whose direction the file turns (an indicator's, a metric's):
	// each is listed, past maxChangesShown too.
	Turned int
	// Items are the first maxChangesShown added or changed keys, in file order, and every
	// turned one.
	Items []Change
}

// Change is one key a file adds or changes.
type Change struct {
	Line int
	Key  string
	// NameZh and NameEn are the key's names as the file gives them (an indicator's), if
	// its table has names.
	NameZh, NameEn string
	Added          bool
	Fields         []FieldChange
}

// FieldChange is one column of a key whose value the file changes.
type FieldChange struct {
	Column, Old, New string
}

// DirectionColumn is the column that says whether higher or lower is better: turning it
// turns every ranking of the indicator.
const DirectionColumn = "direction"

// maxChangesShown is how many added or changed keys a preview lists (all are counted).
const maxChangesShown = 50

// note counts one valid row of the file against what is stored for its key (nil: a new
// key). extra are changes found by the job's own check (a peer group's members).
func (c *Changes) note(line int, key string, cols []refColumn, cells []string, stored map[string]string, extra []FieldChange) {
	ch := Change{Line: line, Key: key, Added: stored == nil}
	if i := slices.IndexFunc(cols, func(c refColumn) bool { return c.name == "name_zh" }); i >= 0 {
		ch.NameZh = cells[i]
	}
	if i := slices.IndexFunc(cols, func(c refColumn) bool { return c.name == "name_en" }); i >= 0 {
		ch.NameEn = cells[i]
	}
	if !ch.Added {
		for j, col := range cols {
			if j == 0 || sameCell(col, stored[col.name], cells[j]) {
				continue
			}
			ch.Fields = append(ch.Fields, FieldChange{Column: col.name, Old: stored[col.name], New: cells[j]})
		}
		ch.Fields = append(ch.Fields, extra...)
	}
	turned := slices.ContainsFunc(ch.Fields, func(f FieldChange) bool { return f.Column == DirectionColumn })
	switch {
	case ch.Added:
		c.Added++
	case len(ch.Fields) > 0:
		c.Changed++
	default:
		c.Same++
		return
	}
	if turned {
		c.Turned++
	}
	if len(c.Items) < maxChangesShown || turned {
		c.Items = append(c.Items, ch)
	}
}

// sameCell says whether a checked cell holds what is stored, as the load would store it
// (appendCell): numbers by value (a year written 02020, a flag left empty for 0, 1,000
// for 1000 were told as changes), text as written.
func sameCell(col refColumn, stored, cell string) bool {
	switch col.typ {
	case str:
		return stored == cell
	case float:
		a, errA := parseNumber(stored)
		b, errB := parseNumber(cell)
		if errA != nil || errB != nil {
			return (errA != nil) == (errB != nil) // both empty (NULL)
		}
		return a == b
	}
	return storedInt(col, stored) == storedInt(col, cell)
}

// storedInt is an integer cell as its column stores it.
func storedInt(col refColumn, v string) int64 {
	n, _ := strconv.Atoi(v)
	switch col.typ {
	case flag:
		return int64(uint8(n))
	case arrow.PrimitiveTypes.Int8:
		return int64(int8(n))
	case arrow.PrimitiveTypes.Uint16:
		return int64(uint16(n))
	}
	return int64(n)
}
