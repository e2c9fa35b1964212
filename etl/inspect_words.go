package etl

import (
	"fmt"
	"strings"

	"jinwei/warehouse"
)

// InspectNote is something inspect says of a file beside its shape: a kind (one of
// warehouse.NoteKinds), and the text it is about (a row's name, a unit, a sheet). Pages say
// it in the reader's language (inspect_note_KIND, with the text for %s); the CLI in English
// (String), in the words of the mapping file it proposes.
type InspectNote struct {
	Kind, Text string
}

// noteEnglish is each kind as the CLI says it, with %q for the note's text where it has one.
var noteEnglish = map[string]string{
	warehouse.NoteNoTable:           "%s: no row of two cells or more: no table found",
	warehouse.NoteNoIndicator:       "no indicator recognised in the 指标 line, the title or the headers: set fixed.indicator to its code",
	warehouse.NoteNoPeriod:          `no year in the title or the sheet name: set fixed.period (e.g. "2024")`,
	warehouse.NoteNoRegion:          "no region named in the title: set fixed.region_code",
	warehouse.NoteNoIndicatorColumn: "no indicator column, nor years across with an indicator in the title: name the columns in [columns]",
	warehouse.NoteTotalsLeftOut:     `%q rows are totals: left out (totals = "skip"); set totals to a region code to load them as that region`,
	warehouse.NoteUnitFromFile:      "unit from the file: %s",
	warehouse.NoteSheetsLeftOut:     "sheets laid out otherwise than %q are left out; inspect them with their own mapping",
	warehouse.NoteUnchecked:         "values first given from line %s on were not remembered, so repeats of them may have gone unnoticed; the load checks them all",
}

// String is the note in English, for the CLI.
func (n InspectNote) String() string {
	f, text := noteEnglish[n.Kind], n.Text
	switch {
	case n.Kind == warehouse.NoteNoTable:
		text = sheetName(text)
	case !strings.Contains(f, "%"):
		return f
	}
	return fmt.Sprintf(f, text)
}
