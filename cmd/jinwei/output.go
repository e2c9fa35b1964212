package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"

	"jinwei/warehouse"
)

var validFormats = map[string]bool{"table": true, "csv": true, "json": true}

// writeResult prints a result as an aligned table, CSV with a header, or JSON objects.
func writeResult(out io.Writer, res *warehouse.Result, format string) error {
	switch format {
	case "csv":
		w := csv.NewWriter(out)
		header := make([]string, len(res.Columns))
		for i, c := range res.Columns {
			header[i] = c.Name
		}
		_ = w.Write(header)
		for _, row := range res.Rows {
			rec := make([]string, len(row))
			for i, v := range row {
				rec[i] = cellText(v)
			}
			_ = w.Write(rec)
		}
		w.Flush()
		return w.Error()
	case "json":
		rows := make([]map[string]any, len(res.Rows))
		for i, row := range res.Rows {
			m := make(map[string]any, len(row))
			for j, v := range row {
				m[res.Columns[j].Name] = v
			}
			rows[i] = m
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	return writeTable(out, res)
}

func writeTable(out io.Writer, res *warehouse.Result) error {
	names := make([]string, len(res.Columns))
	for i, c := range res.Columns {
		names[i] = c.Name
	}
	tw := newTableWriter(out, names)
	tw.write(res.Rows)
	tw.close()
	return nil
}

// tableWriter prints rows in aligned columns as they come. The columns are as wide as
// their names and the first rows written, so a listing of a million rows need not be held
// to be measured; a later cell wider than its column pushes the rest of its line right.
type tableWriter struct {
	out    io.Writer
	names  []string
	widths []int
	rows   int
}

func newTableWriter(out io.Writer, names []string) *tableWriter {
	return &tableWriter{out: out, names: names}
}

func (tw *tableWriter) write(rows [][]any) {
	cells := make([][]string, len(rows))
	for r, row := range rows {
		cells[r] = make([]string, len(row))
		for i, v := range row {
			cells[r][i] = strings.ReplaceAll(cellText(v), "\n", " ")
		}
	}
	if tw.widths == nil {
		tw.widths = make([]int, len(tw.names))
		for i, n := range tw.names {
			tw.widths[i] = runewidth.StringWidth(n)
		}
		for _, row := range cells {
			for i, s := range row {
				tw.widths[i] = max(tw.widths[i], runewidth.StringWidth(s))
			}
		}
		rule := make([]string, len(tw.names))
		for i, w := range tw.widths {
			rule[i] = strings.Repeat("-", w)
		}
		tw.line(tw.names)
		tw.line(rule)
	}
	for _, row := range cells {
		tw.line(row)
	}
	tw.rows += len(rows)
}

func (tw *tableWriter) line(vals []string) {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = runewidth.FillRight(v, tw.widths[i])
	}
	fmt.Fprintln(tw.out, strings.TrimRight(strings.Join(parts, "  "), " "))
}

// close ends the table with its count of rows (and its header, when no row came).
func (tw *tableWriter) close() {
	if tw.widths == nil {
		tw.write(nil)
	}
	fmt.Fprintf(tw.out, "(%d rows)\n", tw.rows)
}

func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		b, _ := json.Marshal(x)
		return string(b)
	}
	return fmt.Sprint(v)
}
