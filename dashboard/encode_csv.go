package dashboard

import (
	"encoding/csv"
	"io"

	"jinwei/warehouse"
)

// csvEncoder writes UTF-8 CSV with a byte-order mark, so that Excel shows Chinese text.
type csvEncoder struct {
	w   io.Writer
	csv *csv.Writer
	rec []string
}

func newCSVEncoder(w io.Writer) encoder { return &csvEncoder{w: w, csv: csv.NewWriter(w)} }

func (e *csvEncoder) Columns(cols []warehouse.Column) error {
	if _, err := io.WriteString(e.w, "\ufeff"); err != nil {
		return err
	}
	e.rec = make([]string, len(cols))
	for i, col := range cols {
		e.rec[i] = col.Name
	}
	return e.csv.Write(e.rec)
}

func (e *csvEncoder) Rows(rows [][]any) error {
	for _, row := range rows {
		for i, v := range row {
			e.rec[i] = cellString(v)
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
