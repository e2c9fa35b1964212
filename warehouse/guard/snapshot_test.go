package guard_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// whSnapshot is what a statement could change: every table's row count and content hash,
// the engine's databases, and the connection's settings that the guard's limits touch.
type whSnapshot struct {
	tables    map[string]string
	databases string
	settings  string
}

// snapshot reads the warehouse directly, not through the guard, which would refuse it.
func snapshot(t *testing.T, w *warehouse.Warehouse) whSnapshot {
	t.Helper()
	ctx := context.Background()
	query := func(stmt string) *warehouse.Result {
		t.Helper()
		res, err := whtest.Query(ctx, w, stmt, nil)
		if err != nil {
			t.Fatalf("snapshot %q: %v", stmt, err)
		}
		return res
	}
	s := whSnapshot{tables: map[string]string{}}
	for _, row := range query("SELECT name, engine FROM system.tables WHERE database = currentDatabase() ORDER BY name").Rows {
		name, engine := row[0].(string), row[1].(string)
		if engine == "View" {
			s.tables[name] = "view"
			continue
		}
		res := query(fmt.Sprintf("SELECT count(), sum(cityHash64(*)) FROM `%s`", name))
		s.tables[name] = fmt.Sprint(res.Rows[0]...)
	}
	if len(s.tables) == 0 || s.tables["regions"] == "0 0" {
		t.Fatalf("snapshot found tables %v; want the demo data", s.tables)
	}
	s.databases = fmt.Sprint(query("SELECT name FROM system.databases ORDER BY name").Rows)
	s.settings = fmt.Sprint(query("SELECT getSetting('readonly'), getSetting('max_memory_usage'), " +
		"getSetting('max_execution_time'), getSetting('max_result_rows'), getSetting('max_result_bytes'), " +
		"getSetting('result_overflow_mode')").Rows)
	return s
}

// diff describes how b differs from a, or is empty.
func (a whSnapshot) diff(b whSnapshot) string {
	var out []string
	names := map[string]bool{}
	for n := range a.tables {
		names[n] = true
	}
	for n := range b.tables {
		names[n] = true
	}
	for n := range names {
		if a.tables[n] != b.tables[n] {
			out = append(out, fmt.Sprintf("table %s: %q became %q", n, a.tables[n], b.tables[n]))
		}
	}
	sort.Strings(out)
	if a.databases != b.databases {
		out = append(out, fmt.Sprintf("databases %s became %s", a.databases, b.databases))
	}
	if a.settings != b.settings {
		out = append(out, fmt.Sprintf("settings %s became %s", a.settings, b.settings))
	}
	return strings.Join(out, "; ")
}
