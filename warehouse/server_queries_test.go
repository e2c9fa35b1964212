package warehouse_test

import (
	"context"
	"errors"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	jsql "jinwei/sql"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

var placeholderRe = regexp.MustCompile(`\{\s*(\w+)\s*:\s*([^{}]+?)\s*\}`)

// sampleParam is a value of typ that every query can take.
func sampleParam(name, typ string) string {
	switch {
	case strings.HasSuffix(name, "run_id"):
		return "00000000-0000-0000-0000-000000000000"
	case strings.HasPrefix(typ, "Array("):
		return "[]"
	case strings.HasPrefix(typ, "Date"):
		return "2024-01-01"
	case strings.HasPrefix(typ, "UUID"):
		return "00000000-0000-0000-0000-000000000000"
	case strings.Contains(typ, "Int"), strings.HasPrefix(typ, "Float"):
		return "1"
	}
	return "x"
}

// Every named query of sql/queries goes to the test server with sample parameters. A current
// server must run them all. Debian's 18.16 lacks much of what the dashboards' queries use
// (window functions, WITH … AS subqueries, DateTime64 and its functions, query parameters),
// so there the test only checks that whatever fails is the server's own refusal of the SQL,
// not jinwei's binding or the protocol, and names the queries that run on the embedded
// engine only; the embedded suite covers their results.
func TestNamedQueriesOnServer_18xRunsDashboardQueriesOnEmbeddedOnly(t *testing.T) {
	ctx := context.Background()
	w := whtest.OpenServer(t)
	old, err := whtest.Query(ctx, w, "SELECT toUInt32(splitByChar('.', version())[1]) < 20 AS old", nil)
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(jsql.Queries, "queries/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no named queries (%v)", err)
	}
	var embeddedOnly []string
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "queries/"), ".sql")
		text, err := warehouse.NamedQueryText(name)
		if err != nil {
			t.Fatal(err)
		}
		params := warehouse.Params{}
		for _, m := range placeholderRe.FindAllStringSubmatch(text, -1) {
			params[m[1]] = sampleParam(m[1], m[2])
		}
		_, err = whtest.Query(ctx, w, text, params)
		var ee *warehouse.EngineError
		switch {
		case err == nil:
		case old.Rows[0][0] == int64(0):
			t.Errorf("query %s on a current server: %v", name, err)
		case !errors.As(err, &ee):
			t.Errorf("query %s failed on the 18.x server other than by the server's refusal: %v", name, err)
		default:
			embeddedOnly = append(embeddedOnly, name)
			t.Logf("%s: %.160s", name, ee.Message)
		}
	}
	if len(embeddedOnly) > 0 {
		t.Logf("queries the 18.x server refuses (run on the embedded engine only): %s", strings.Join(embeddedOnly, ", "))
	}
}
