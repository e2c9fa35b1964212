package dashboard

import (
	"io"

	"golang.org/x/crypto/bcrypt"

	"jinwei/warehouse"
)

// The tests make and check hundreds of passwords, which at the default cost took 22 s of the
// package's CPU: a test's passwords need no protection from guessing, so they are hashed at
// bcrypt's least cost.
func init() { passwordCost = bcrypt.MinCost }

// SetXLSXSheetRows lowers how many rows an XLSX sheet holds, so a test sees a result cut at
// a sheet's end without writing a million rows; it returns the function that undoes it.
func SetXLSXSheetRows(n int) (undo func()) {
	old := xlsxSheetRows
	xlsxSheetRows = n
	return func() { xlsxSheetRows = old }
}

// MaxSpooled is how many downloads are staged at once.
var MaxSpooled = DefaultSpool().Files

// LabelKeys are the keys of every label, for tests that look for one shown bare.
func LabelKeys() []string {
	var keys []string
	for k := range labels[langZh] {
		keys = append(keys, k)
	}
	return keys
}

// LabelFamilyPrefixes are the prefixes of the keys built at run time (status_, started_
// …): a value missing from its family shows as prefix+value, a key no list holds.
func LabelFamilyPrefixes() []string {
	var out []string
	for p := range labelFamilies {
		out = append(out, p)
	}
	return out
}

// ReportMonthDefault is the month a unit's report form opens on at now.
var ReportMonthDefault = reportMonthDefault

// WriteParquet writes rows of cols as a Parquet export does, one chunk.
func WriteParquet(w io.Writer, cols []warehouse.Column, rows [][]any) error {
	e := newParquetEncoder(w)
	if err := e.Columns(cols); err != nil {
		return err
	}
	if err := e.Rows(rows); err != nil {
		return err
	}
	return e.Close(false)
}

// SchemaNotes are the schema browser's notes in the language the engine's are not.
var SchemaNotes = schemaNotes
