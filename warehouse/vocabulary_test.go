package warehouse_test

import (
	"context"
	"io/fs"
	"regexp"
	"slices"
	"testing"

	"jinwei/sql"
	"jinwei/warehouse"
	"jinwei/warehouse/rules"
	"jinwei/warehouse/whtest"
)

var enumValue = regexp.MustCompile(`'((?:[^'\\]|\\.)*)' = \d+`)

// The words the program stores are defined once in Go and are exactly those the schema
// holds: a ledger item's statuses, a run's statuses, the fact jobs run_changes reads, and
// the seven problem categories a campaign value is counted by.
func TestOneVocabularyMatchesTheSchema(t *testing.T) {
	w := whtest.Open(t)
	enum := func(table, column string) []string {
		t.Helper()
		res, err := whtest.Query(context.Background(), w, `SELECT type FROM system.columns
			WHERE database = currentDatabase() AND table = {t:String} AND name = {c:String}`, warehouse.Params{"t": table, "c": column})
		if err != nil || len(res.Rows) != 1 {
			t.Fatalf("%s.%s: %v %v", table, column, res, err)
		}
		var out []string
		for _, m := range enumValue.FindAllStringSubmatch(res.Rows[0][0].(string), -1) {
			out = append(out, m[1])
		}
		return out
	}
	same := func(what string, code, schema []string) {
		t.Helper()
		a, b := slices.Clone(code), slices.Clone(schema)
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Errorf("%s: Go says %q, the schema %q", what, code, schema)
		}
	}
	same("ledger statuses", warehouse.LedgerStatuses, enum("ecology_status_events", "status"))
	if got := enum("etl_runs", "status"); !slices.Equal(warehouse.RunStatuses, got) {
		t.Errorf("run statuses: Go says %q, the schema %q", warehouse.RunStatuses, got)
	}
	q, err := fs.ReadFile(sql.Queries, "queries/run_changes.sql")
	if err != nil {
		t.Fatal(err)
	}
	var branches []string
	for _, m := range regexp.MustCompile(`\{job:String\} = '(\w+)'`).FindAllStringSubmatch(string(q), -1) {
		if !slices.Contains(branches, m[1]) {
			branches = append(branches, m[1])
		}
	}
	same("fact jobs", warehouse.FactJobs, branches)
	m, err := fs.ReadFile(sql.Migrations, "migrations/001_schema_v1.sql")
	if err != nil {
		t.Fatal(err)
	}
	if c := regexp.MustCompile(`problem_category UInt8 COMMENT '1-(\d)`).FindStringSubmatch(string(m)); c == nil || c[1] != "7" || len(rules.ProblemCategories) != 7 {
		t.Errorf("problem categories: Go has %d, the schema %v", len(rules.ProblemCategories), c)
	}
}
