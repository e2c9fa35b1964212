package guard_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"jinwei/warehouse/guard"
	"jinwei/warehouse/whtest"
)

// parserForms are names the parser writes into a tree that system.functions does not list.
var parserForms = map[string]bool{"exists": true, "lambda": true, "untuple": true, "grouping": true}

// deniedCategories are the engine's function categories that reach outside a statement's
// data: models, dictionaries (which load from files, databases and URLs), AI services, the
// process itself.
var deniedCategories = map[string]bool{
	"Introspection": true, "Dictionary": true, "Embedded Dictionary": true, "AI": true, "Machine Learning": true,
}

// The allowlist names real functions, admits nothing from the categories that reach outside
// the statement, and reaches other functions only as aggregate combinators (sumIf …).
func TestGuardFunctionAllowlistAgainstEngine(t *testing.T) {
	w := whtest.Open(t)
	res, err := whtest.Query(context.Background(), w, "SELECT name, is_aggregate, categories, toString(origin) FROM system.functions", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) < 1000 {
		t.Fatalf("system.functions lists %d functions; expected the engine's full list", len(res.Rows))
	}
	engine := map[string]bool{}
	listed := map[string]bool{}
	for _, n := range guard.AllowedFunctionNames() {
		listed[n] = true
	}
	var bad []string
	for _, row := range res.Rows {
		name, category, origin := row[0].(string), row[2].(string), row[3].(string)
		aggregate := row[1] == int64(1) || row[1] == uint64(1)
		engine[strings.ToLower(name)] = true
		if !guard.FunctionAllowed(name) {
			continue
		}
		switch {
		case deniedCategories[category]:
			bad = append(bad, name+" (category "+category+")")
		case origin != "System":
			bad = append(bad, name+" (origin "+origin+")")
		case !listed[strings.ToLower(name)] && !aggregate:
			bad = append(bad, name+" (not listed, admitted as a combinator form, not an aggregate)")
		}
	}
	for n := range listed {
		if !engine[n] && !parserForms[n] {
			bad = append(bad, n+" (listed but unknown to the engine)")
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("allowlist problems:\n%s", strings.Join(bad, "\n"))
	}
	for _, name := range []string{
		"file", "File", "url", "s3", "sleep", "SLEEP", "sleepEachRow", "dictGet", "dictGetString", "dictHas",
		"joinGet", "catboostEvaluate", "chdb", "getSetting", "getServerSetting", "getMacro", "hostName", "FQDN",
		"filesystemAvailable", "logTrace", "generateSerialID", "aiGenerate", "currentUser", "queryID", "formatQuery",
		"hasColumnInTable", "globalIn", "sleepIf", "fileArray", "dictGetIf", "arrayReduce", "numbers", "remote",
	} {
		if guard.FunctionAllowed(name) {
			t.Errorf("%s is allowed; want it refused", name)
		}
	}
	for _, name := range []string{"sum", "sumIf", "countDistinct", "uniqExactIf", "avgOrNull", "groupArrayDistinct", "sumMergeState", "rank", "toString", "formatReadableQuantity"} {
		if !guard.FunctionAllowed(name) {
			t.Errorf("%s is refused; want it allowed", name)
		}
	}
}
