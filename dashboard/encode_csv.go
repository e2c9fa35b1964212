package dashboard

import (
	"encoding/csv"
	"io"
	"regexp"
	"strings"

	"jinwei/warehouse"
)

// csvEncoder writes UTF-8 CSV with a byte-order mark, so that Excel shows Chinese text.
type csvEncoder struct {
	w   io.Writer
	csv *csv.Writer
	rec []string
	// number marks the columns of numeric types, whose cells are never formulas.
	number []bool
}

func newCSVEncoder(w io.Writer) encoder { return &csvEncoder{w: w, csv: csv.NewWriter(w)} }

func (e *csvEncoder) Columns(cols []warehouse.Column) error {
	if _, err := io.WriteString(e.w, "\ufeff"); err != nil {
		return err
	}
	e.rec = make([]string, len(cols))
	e.number = make([]bool, len(cols))
	for i, col := range cols {
		e.rec[i] = csvCell(col.Name, false)
		e.number[i] = numericType(col.Type)
	}
	return e.csv.Write(e.rec)
}

func (e *csvEncoder) Rows(rows [][]any) error {
	for _, row := range rows {
		for i, v := range row {
			e.rec[i] = csvCell(v, e.number[i])
		}
		if err := e.csv.Write(e.rec); err != nil {
			return err
		}
	}
	return nil
}

// Close ends the file; a cut result is told by the download's X-Jinwei-Truncated header,
// since a CSV has no place for a note that is not a row.
func (e *csvEncoder) Discard() {}

func (e *csvEncoder) Close(bool) error {
	e.csv.Flush()
	return e.csv.Error()
}

// plainNumber is a number as text ("-5", "+1.5e3"): Excel reads it as that number, never as
// a formula, so it keeps its sign.
var plainNumber = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// csvCell writes a value for a CSV made for Excel. A text cell that Excel (or LibreOffice)
// would read as a formula — starting with = + - @, a tab or a carriage return, e.g. a ledger
// cell =HYPERLINK(…) — is written as text, after a leading apostrophe (OWASP's advice for
// CSV injection); numbers (a numeric column, a number value, or text that is just a
// number such as "-5") stay numbers. A column name is a text cell too.
func csvCell(v any, number bool) string {
	s := cellString(v)
	if number || s == "" || plainNumber.MatchString(s) {
		return s
	}
	switch v.(type) {
	case int64, uint64, float64, bool:
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// numericType says whether a ClickHouse column type holds numbers only.
func numericType(t string) bool {
	t = strings.TrimSuffix(strings.TrimPrefix(t, "Nullable("), ")")
	for _, p := range []string{"Int", "UInt", "Float", "Decimal", "BFloat"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}
