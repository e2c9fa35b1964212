package dashboard

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
