package whtest

import (
	"context"
	"fmt"
	"os"
	"testing"

	"jinwei/warehouse"
)

func TestMain(m *testing.M) { os.Exit(Run(m)) }

// Open copies one migrated database rather than migrating each: the copy must be what a
// migration makes, table for table and row for row, and a copy of its own.
func TestOpenIsWhatMigratingMakes(t *testing.T) {
	ctx := context.Background()
	fresh := OpenEmpty(t)
	if _, err := fresh.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	opened, other := Open(t), Open(t)
	rows := func(w *warehouse.Warehouse, q string) string {
		t.Helper()
		res, err := Query(ctx, w, q, nil)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return fmt.Sprint(res.Rows)
	}
	for _, q := range []string{
		`SELECT name, engine, replaceAll(create_table_query, currentDatabase(), 'DB'), total_rows
			FROM system.tables WHERE database = currentDatabase() ORDER BY name`,
		"SELECT version, name, checksum FROM schema_migrations ORDER BY version",
		"SELECT * FROM reporting_units ORDER BY code",
		"SELECT count() >= 30 FROM system.tables WHERE database = currentDatabase()",
	} {
		if got, want := rows(opened, q), rows(fresh, q); got != want || want == "[]" || want == "[[0]]" {
			t.Errorf("%s\nOpen gives %s\nmigrating gives %s", q, got, want)
		}
	}
	// What one copy writes, no other copy sees: neither one made before nor one made after
	// (the copies' parts are links to the same files).
	if err := Exec(ctx, opened, "INSERT INTO region_aliases (alias, region_code) VALUES ('甲', '620000')", nil); err != nil {
		t.Fatal(err)
	}
	const aliases = "SELECT count() FROM region_aliases"
	if a, b, c := rows(opened, aliases), rows(other, aliases), rows(Open(t), aliases); a != "[[1]]" || b != "[[0]]" || c != "[[0]]" {
		t.Errorf("after a write to one copy: %s, %s and %s aliases in a copy made after, want 1, 0 and 0", a, b, c)
	}
}
