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
	widths := make([]int, len(res.Columns))
	cells := make([][]string, len(res.Rows))
	for i, c := range res.Columns {
		widths[i] = runewidth.StringWidth(c.Name)
	}
	for r, row := range res.Rows {
		cells[r] = make([]string, len(row))
		for i, v := range row {
			s := strings.ReplaceAll(cellText(v), "\n", " ")
			cells[r][i] = s
			widths[i] = max(widths[i], runewidth.StringWidth(s))
		}
	}
	line := func(vals []string) {
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = runewidth.FillRight(v, widths[i])
		}
		fmt.Fprintln(out, strings.TrimRight(strings.Join(parts, "  "), " "))
	}
	names := make([]string, len(res.Columns))
	rule := make([]string, len(res.Columns))
	for i, c := range res.Columns {
		names[i], rule[i] = c.Name, strings.Repeat("-", widths[i])
	}
	line(names)
	line(rule)
	for _, row := range cells {
		line(row)
	}
	fmt.Fprintf(out, "(%d rows)\n", len(res.Rows))
	return nil
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
