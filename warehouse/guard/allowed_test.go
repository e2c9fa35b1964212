package guard_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// gdpPerCapita2024 selects the provinces' per-capita GDP in 2024 (the nation, 100000, left
// out); in the published figures Gansu's 52 825 yuan is the lowest, 31st of 31.
const gdpPerCapita2024 = "indicator_code = 'gdp_per_capita' AND year = 2024 AND region_code != '100000'"

// An analyst's query is allowed and answers what the engine answers unguarded.
type allowedCase struct {
	name  string
	stmt  string
	check func(t *testing.T, r *warehouse.GuardedResult)
}

var allowedStatements = []allowedCase{
	{name: "window rank", stmt: "SELECT region_code, rank() OVER (ORDER BY value DESC) AS r FROM indicator_values_current WHERE " + gdpPerCapita2024,
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantRows(t, r, 31)
			wantCell(t, r, rowWhere(t, r, 0, "620000"), 1, "31")
		}},
	{name: "join", stmt: "SELECT r.name_zh, v.value FROM indicator_values_current AS v JOIN regions AS r ON r.code = v.region_code WHERE v." +
		strings.ReplaceAll(gdpPerCapita2024, "AND ", "AND v.") + " AND r.code = '620000'",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantRows(t, r, 1)
			wantCell(t, r, 0, 0, "甘肃省")
			wantCell(t, r, 0, 1, "52825")
		}},
	{name: "CTE with window and subquery", stmt: "WITH ranked AS (SELECT region_code, value, rank() OVER (ORDER BY value DESC) AS r FROM indicator_values_current WHERE " +
		gdpPerCapita2024 + ") SELECT r, value, (SELECT count() FROM ranked) AS of FROM ranked WHERE region_code = '620000'",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantRows(t, r, 1)
			wantCell(t, r, 0, 0, "31")
			wantCell(t, r, 0, 1, "52825")
			wantCell(t, r, 0, 2, "31")
		}},
	{name: "lag over years", stmt: "SELECT year, value - lagInFrame(value) OVER (ORDER BY year ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS change " +
		"FROM indicator_values_current WHERE indicator_code = 'gdp_per_capita' AND region_code = '620000' AND year IN (2023, 2024) ORDER BY year",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantRows(t, r, 2)
			wantCell(t, r, 1, 0, "2024")
			wantCell(t, r, 1, 1, "3014")
		}},
	{name: "share of the nation", stmt: "SELECT round(100 * v.value / n.value, 1) AS pct FROM indicator_values_current AS v " +
		"JOIN indicator_values_current AS n ON n.indicator_code = v.indicator_code AND n.year = v.year AND n.region_code = '100000' " +
		"WHERE v.indicator_code = 'gdp_per_capita' AND v.year = 2024 AND v.region_code = '620000'",
		check: func(t *testing.T, r *warehouse.GuardedResult) { wantCell(t, r, 0, 0, "55.2") }},
	{name: "subquery in IN", stmt: "SELECT count() FROM regions WHERE code IN (SELECT region_code FROM indicator_values_current WHERE indicator_code = 'gdp_per_capita' AND year = 2024)",
		check: func(t *testing.T, r *warehouse.GuardedResult) { wantCell(t, r, 0, 0, "32") }},
	{name: "CTE name in IN", stmt: "WITH p AS (SELECT code FROM regions WHERE level = 'province') SELECT count() FROM regions WHERE code IN p",
		check: func(t *testing.T, r *warehouse.GuardedResult) { wantCell(t, r, 0, 0, "31") }},
	{name: "group by and order", stmt: "SELECT macro_region, count() AS n FROM regions WHERE level = 'province' GROUP BY macro_region ORDER BY n DESC, macro_region",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantRows(t, r, 4)
			wantCell(t, r, 0, 0, "west")
			wantCell(t, r, 0, 1, "12")
			wantCell(t, r, 3, 0, "northeast")
			wantCell(t, r, 3, 1, "3")
		}},
	{name: "aggregate combinators", stmt: "SELECT countIf(level = 'province'), countIf(level = 'city'), uniqExact(macro_region), countDistinct(level) FROM regions",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantCell(t, r, 0, 0, "31")
			wantCell(t, r, 0, 1, "14")
			wantCell(t, r, 0, 3, "4")
		}},
	{name: "parametric aggregate", stmt: "SELECT quantileExact(0.5)(value), min(value), argMin(region_code, value) FROM indicator_values_current WHERE " + gdpPerCapita2024,
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantCell(t, r, 0, 1, "52825")
			wantCell(t, r, 0, 2, "620000")
		}},
	{name: "arrays", stmt: "SELECT arrayMap(x -> x * 2, [1, 2, 3]) AS a, arraySum(a), has(a, 4), arrayStringConcat(arraySort(groupArray(short_zh)), ',') LIKE '%甘肃%' FROM regions WHERE level = 'province'",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantCell(t, r, 0, 0, "[2 4 6]")
			wantCell(t, r, 0, 1, "12")
			wantCell(t, r, 0, 2, "1")
			wantCell(t, r, 0, 3, "1")
		}},
	{name: "array join", stmt: "SELECT x FROM regions ARRAY JOIN [1, 2] AS x WHERE code = '620000' ORDER BY x",
		check: func(t *testing.T, r *warehouse.GuardedResult) { wantRows(t, r, 2) }},
	{name: "formatting", stmt: "SELECT formatReadableQuantity(52825), toString(2024), round(52825 / 1000, 1), formatReadableSize(1048576), concat(short_zh, '省') FROM regions WHERE code = '620000'",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantCell(t, r, 0, 0, "52.83 thousand")
			wantCell(t, r, 0, 1, "2024")
			wantCell(t, r, 0, 2, "52.8")
			wantCell(t, r, 0, 3, "1.00 MiB")
			wantCell(t, r, 0, 4, "甘肃省")
		}},
	{name: "dates and case", stmt: "SELECT toYear(toDate('2024-06-30')), dateDiff('day', toDate('2024-01-01'), toDate('2024-12-31')), " +
		"formatDateTime(toDate('2024-03-01'), '%Y年%m月'), CASE WHEN 1 > 2 THEN 'no' ELSE 'yes' END, if(NULL IS NULL, 'null', 'value')",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantCell(t, r, 0, 0, "2024")
			wantCell(t, r, 0, 1, "365")
			wantCell(t, r, 0, 2, "2024年03月")
			wantCell(t, r, 0, 3, "yes")
			wantCell(t, r, 0, 4, "null")
		}},
	{name: "SQL-standard names", stmt: "SELECT SUBSTR('甘肃省', 1, 2), POWER(2, 10), LCASE('GS'), COUNT(*) FROM regions WHERE code = '620000'",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantCell(t, r, 0, 1, "1024")
			wantCell(t, r, 0, 2, "gs")
			wantCell(t, r, 0, 3, "1")
		}},
	{name: "union, intersect, except", stmt: "SELECT 'a' AS x UNION ALL (SELECT 'b' INTERSECT SELECT 'b') UNION ALL (SELECT 'c' EXCEPT SELECT 'c')",
		check: func(t *testing.T, r *warehouse.GuardedResult) { wantRows(t, r, 2) }},
	{name: "exists", stmt: "SELECT count() FROM regions AS r WHERE level = 'province' AND EXISTS (SELECT 1 FROM indicator_values_current WHERE region_code = '620000')",
		check: func(t *testing.T, r *warehouse.GuardedResult) { wantCell(t, r, 0, 0, "31") }},
	{name: "own database named", stmt: "SELECT count() FROM {db}.regions WHERE level = 'province'",
		check: func(t *testing.T, r *warehouse.GuardedResult) { wantCell(t, r, 0, 0, "31") }},
	{name: "hostile text is only data", stmt: "SELECT count() FROM regions WHERE name_zh = '''; DROP TABLE regions; --'",
		check: func(t *testing.T, r *warehouse.GuardedResult) { wantCell(t, r, 0, 0, "0") }},
	{name: "semicolon in a quoted alias", stmt: "SELECT 1 AS `a;DROP TABLE regions`",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			if r.Columns[0].Name != "a;DROP TABLE regions" {
				t.Errorf("column is %q", r.Columns[0].Name)
			}
		}},
	{name: "comments", stmt: "/* leading */ SELECT -- why\n count() FROM regions WHERE level = 'province' /* trailing; */",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantCell(t, r, 0, 0, "31")
			if r.Statement != "SELECT count() FROM regions WHERE level = 'province'" {
				t.Errorf("statement as run is %q; want it without comments", r.Statement)
			}
		}},
	{name: "Chinese alias", stmt: "SELECT short_zh AS `省份` FROM regions WHERE code = '620000'",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantCell(t, r, 0, 0, "甘肃")
			if r.Columns[0].Name != "省份" {
				t.Errorf("column is %q", r.Columns[0].Name)
			}
		}},
	{name: "order kept through the row cap", stmt: "SELECT region_code FROM indicator_values_current WHERE " + gdpPerCapita2024 + " ORDER BY value LIMIT 3",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantRows(t, r, 3)
			wantCell(t, r, 0, 0, "620000")
		}},
	{name: "order of a whole result", stmt: "SELECT region_code, value FROM indicator_values_current WHERE " + gdpPerCapita2024 + " ORDER BY value DESC",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantRows(t, r, 31)
			wantCell(t, r, 30, 0, "620000")
			for i := 1; i < len(r.Rows); i++ {
				if r.Rows[i][1].(float64) > r.Rows[i-1][1].(float64) {
					t.Fatalf("row %d (%v) comes after a smaller value (%v)", i, r.Rows[i], r.Rows[i-1])
				}
			}
		}},
	{name: "show tables", stmt: "SHOW TABLES",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			names := column(r, 0)
			if !slices.Contains(names, "indicator_values") || !slices.Contains(names, "regions") || len(names) < 10 {
				t.Errorf("SHOW TABLES answered %v", names)
			}
			// The tables closed to ad hoc SQL are not listed either (a red team read their
			// names there).
			for _, closed := range []string{"accounts", "sessions", "api_tokens", "audit_log"} {
				if slices.Contains(names, closed) {
					t.Errorf("SHOW TABLES lists the closed table %s", closed)
				}
			}
		}},
	{name: "show tables like", stmt: "SHOW TABLES LIKE 'indicator%'",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			names := column(r, 0)
			for _, n := range names {
				if !strings.HasPrefix(n, "indicator") {
					t.Errorf("SHOW TABLES LIKE 'indicator%%' answered %s", n)
				}
			}
			if !slices.Contains(names, "indicator_values") || !slices.Contains(names, "indicators") {
				t.Errorf("SHOW TABLES LIKE 'indicator%%' answered %v", names)
			}
		}},
	{name: "show tables of own database", stmt: "SHOW TABLES FROM {db} LIKE 'regions'",
		check: func(t *testing.T, r *warehouse.GuardedResult) { wantRows(t, r, 1) }},
	{name: "describe", stmt: "DESCRIBE TABLE indicator_values",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			i := rowWhere(t, r, 0, "value")
			wantCell(t, r, i, 1, "Float64")
			wantCell(t, r, i, 4, "in the indicator's unit")
		}},
	{name: "describe subquery", stmt: "DESCRIBE (SELECT 1 AS a, 'x' AS b)",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantRows(t, r, 2)
			wantCell(t, r, 0, 1, "UInt8")
		}},
	{name: "show create table", stmt: "SHOW CREATE TABLE regions",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			if s := fmt.Sprint(r.Rows[0][0]); !strings.Contains(s, "ReplacingMergeTree") {
				t.Errorf("SHOW CREATE TABLE answered %s", s)
			}
		}},
	{name: "explain", stmt: "EXPLAIN SELECT count() FROM regions WHERE level = 'province'",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			if len(r.Rows) == 0 || r.Columns[0].Name != "explain" {
				t.Errorf("EXPLAIN answered %v %v", r.Columns, r.Rows)
			}
		}},
	{name: "explain ast", stmt: "EXPLAIN AST SELECT 1",
		check: func(t *testing.T, r *warehouse.GuardedResult) {
			wantCell(t, r, 0, 0, "SelectWithUnionQuery (children 1)")
		}},
	{name: "explain union", stmt: "EXPLAIN SELECT 1 UNION ALL (SELECT 2 UNION ALL SELECT 3)",
		check: func(t *testing.T, r *warehouse.GuardedResult) { wantCell(t, r, 0, 0, "Union") }},
}

func TestGuardAllowsAnalystQueries(t *testing.T) {
	t.Parallel()
	w := etltest.SharedDemo(t)
	ctx := context.Background()
	for _, tc := range allowedStatements {
		t.Run(tc.name, func(t *testing.T) {
			stmt := strings.ReplaceAll(tc.stmt, "{db}", w.Database())
			r, err := w.GuardedQuery(ctx, stmt, warehouse.Limits{})
			if err != nil {
				t.Fatalf("refused or failed: %v", err)
			}
			if r.Truncated {
				t.Errorf("result marked truncated with %d rows", len(r.Rows))
			}
			tc.check(t, r)
		})
	}
}

func wantRows(t *testing.T, r *warehouse.GuardedResult, n int) {
	t.Helper()
	if len(r.Rows) != n {
		t.Fatalf("%d rows %v; want %d", len(r.Rows), r.Rows, n)
	}
}

// wantCell compares a cell as text: numbers in their shortest form, arrays as [a b].
func wantCell(t *testing.T, r *warehouse.GuardedResult, row, col int, want string) {
	t.Helper()
	if row >= len(r.Rows) || col >= len(r.Rows[row]) {
		t.Fatalf("no cell %d,%d in %v", row, col, r.Rows)
	}
	if got := fmt.Sprint(r.Rows[row][col]); got != want {
		t.Errorf("cell %d,%d (%s) = %q; want %q", row, col, r.Columns[col].Name, got, want)
	}
}

// rowWhere finds the row whose column col reads want.
func rowWhere(t *testing.T, r *warehouse.GuardedResult, col int, want string) int {
	t.Helper()
	for i, row := range r.Rows {
		if fmt.Sprint(row[col]) == want {
			return i
		}
	}
	t.Fatalf("no row with %s = %s in %v", r.Columns[col].Name, want, r.Rows)
	return -1
}

func column(r *warehouse.GuardedResult, col int) []string {
	var out []string
	for _, row := range r.Rows {
		out = append(out, fmt.Sprint(row[col]))
	}
	return out
}
