package dashboard

// SetXLSXSheetRows lowers how many rows an XLSX sheet holds, so a test sees a result go on
// to further sheets without writing a million rows; it returns the function that undoes it.
func SetXLSXSheetRows(n int) (undo func()) {
	old := xlsxSheetRows
	xlsxSheetRows = n
	return func() { xlsxSheetRows = old }
}
