package guard_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// The parse tree prints aliases as "(alias x)" after a name, raw, so a quoted name or alias
// holding that text read ambiguously: the guard read the table `regions (alias q)` as the
// table regions. Every statement holding the text is refused, saying why; ordinary aliases
// still run.
func TestGuardRefusesNamesThatSpellAnAlias(t *testing.T) {
	w := whtest.Open(t)
	ctx := context.Background()
	for _, stmt := range []string{
		"SELECT * FROM `regions (alias q)`",
		"SELECT * FROM `regions (alias q)` AS r",
		"SELECT code AS `x (alias y)` FROM regions",
		"SELECT `code (alias c)` FROM regions",
		"SELECT `sum (alias s)`(1)",
		"SELECT count() FROM regions WHERE code IN `regions (alias q)`",
		"SELECT 'text (alias x)' AS t",
	} {
		_, err := w.GuardedQuery(ctx, stmt, hostileLimits)
		var refused *warehouse.RefusedError
		if !errors.As(err, &refused) || !strings.Contains(refused.Reason, "(alias") {
			t.Errorf("%s: %v; want refused for the alias marker", stmt, err)
		}
	}
	res, err := w.GuardedQuery(ctx, "SELECT r.code AS c, count() AS n FROM regions AS r GROUP BY c", untimedLimits)
	if err != nil || len(res.Columns) != 2 || res.Columns[0].Name != "c" {
		t.Errorf("ordinary aliases: %v, %v", res, err)
	}
}
