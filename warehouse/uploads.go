package warehouse

import (
	"strings"

	"jinwei/warehouse/reasons"
)

// What the loader tells an operator of a file sent to it before it is loaded: how each
// sheet's table is laid out, what inspect noted, and how the file is read. etl makes them
// and the pages name them (layout_…, inspect_note_…, reading_… in the locale files); they
// stand here because etl and the dashboard never import each other.

// The layouts inspect tells a sheet's table by.
const (
	LayoutLong                     = "long"                     // one value per row
	LayoutPeriodAcross             = "period_across"            // regions down, periods across, one indicator
	LayoutIndicatorAcross          = "indicator_across"         // regions down, indicators across, one period
	LayoutPeriodAcrossIndicatorsDn = "period_across_indicators" // indicators down, periods across, one region
)

// Layouts are the layouts inspect tells.
var Layouts = []string{LayoutLong, LayoutPeriodAcross, LayoutIndicatorAcross, LayoutPeriodAcrossIndicatorsDn}

// The kinds of what inspect notes of a file beside its shape; some come with a text.
const (
	NoteNoTable           = "no_table"            // text: the sheet ("" for a text file)
	NoteNoIndicator       = "no_indicator"        // a table of one indicator that names none known
	NoteNoPeriod          = "no_period"           // a table of one period that names no year
	NoteNoRegion          = "no_region"           // a table of one region that names none
	NoteNoIndicatorColumn = "no_indicator_column" // a long table without an indicator column
	NoteTotalsLeftOut     = "totals_left_out"     // text: the first total row's name
	NoteUnitFromFile      = "unit_from_file"      // text: the unit
	NoteSheetsLeftOut     = "sheets_left_out"     // text: the sheet the others differ from
	// NoteUnchecked is the dry run's, not inspect's: values from the line in its text on
	// were not checked for repeats.
	NoteUnchecked = "unchecked"
)

// NoteKinds are the kinds of what inspect notes.
var NoteKinds = []string{NoteNoTable, NoteNoIndicator, NoteNoPeriod, NoteNoRegion, NoteNoIndicatorColumn, NoteTotalsLeftOut, NoteUnitFromFile, NoteSheetsLeftOut, NoteUnchecked}

// How a file sent by a person is read: by the mapping configured for its name, as inspect
// read it, or by its column names.
const (
	ReadConfigured    = "configured"
	ReadInspected     = "inspected"
	ReadByColumnNames = "column_names"
)

// Readings are the ways a file sent by a person is read.
var Readings = []string{ReadConfigured, ReadInspected, ReadByColumnNames}

// Where in a file a reject is (etl_rejects.location): a sheet's cell ("2-12!B7"), or in a
// text file a column by its header (LocationColumn+"地区") or a field the mapping fixes
// (LocationField+"period"). The pages say the last two in the reader's words (LocationText).
const (
	LocationColumn = "column "
	LocationField  = "field "
)

// LocationText says where in a file a reject is, in both languages: “地区”列 for
// "column 地区"; a sheet's cell is the same in both.
func LocationText(loc string) reasons.Text {
	if col, ok := strings.CutPrefix(loc, LocationColumn); ok {
		return reasons.New("column %s", "“%s”列", col).Text
	}
	if field, ok := strings.CutPrefix(loc, LocationField); ok {
		return reasons.New("field %s", "字段 %s", field).Text
	}
	return reasons.Text{En: loc, Zh: loc}
}
