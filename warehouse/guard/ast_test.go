package guard

import (
	"errors"
	"strings"
	"testing"
)

// A dump as the engine prints EXPLAIN AST SELECT a FROM t WHERE b IN (1, 2).
const sampleDump = `SelectWithUnionQuery (children 1)
 ExpressionList (children 1)
  SelectQuery (children 3)
   ExpressionList (children 1)
    Identifier a
   TablesInSelectQuery (children 1)
    TablesInSelectQueryElement (children 1)
     TableExpression (children 1)
      TableIdentifier t (alias x)
   Function in (children 1)
    ExpressionList (children 2)
     Identifier b
     Literal Tuple_(UInt64_1, UInt64_2)`

func TestParseASTDumpReadsTheTree(t *testing.T) {
	root, err := parseASTDump(strings.Split(sampleDump, "\n"))
	if err != nil {
		t.Fatal(err)
	}
	sel := root.children[0].children[0]
	if !sel.is("SelectQuery", 3) {
		t.Fatalf("third level is %s with %d children", sel.kind, len(sel.children))
	}
	table := sel.children[1].children[0].children[0].children[0]
	if table.kind != "TableIdentifier" || table.name() != "t" || table.detail != "t (alias x)" {
		t.Errorf("table node is %q %q (name %q)", table.kind, table.detail, table.name())
	}
	in := sel.children[2]
	if in.kind != "Function" || in.name() != "in" || in.children[0].children[1].detail != "Tuple_(UInt64_1, UInt64_2)" {
		t.Errorf("IN node read as %q %q", in.kind, in.detail)
	}
}

// A quoted name holding line breaks prints as extra lines; whatever they spell, the tree
// they make is refused unless it adds up, and an added-up one only adds nodes to check.
func TestParseASTDumpRefusesTreesThatDoNotAddUp(t *testing.T) {
	cases := map[string]string{
		// `x\n   Function file` as a column name: an extra sibling the parent never declared.
		"extra sibling": strings.Replace(sampleDump, "    Identifier a", "    Identifier x\n    Function file", 1),
		// The same spelled one level up.
		"extra uncle": strings.Replace(sampleDump, "    Identifier a", "    Identifier x\n   Function file", 1),
		// A second statement's tree after the first.
		"two roots": sampleDump + "\nDropQuery  t (children 1)\n Identifier t",
		// A line indented past its parent.
		"indent jump": strings.Replace(sampleDump, "    Identifier a", "      Identifier a", 1),
		// Output cut short, as a result limit would: the tail, with the IN, is missing.
		"cut short": strings.Join(strings.Split(sampleDump, "\n")[:9], "\n"),
		"empty":     "",
	}
	for name, dump := range cases {
		if _, err := parseASTDump(strings.Split(dump, "\n")); err == nil {
			t.Errorf("%s: parsed; want refused", name)
		}
	}
}

// Nodes that add up but hang children under a leaf (a name spelling "(children 1)") are
// refused by the policy.
func TestPolicyRefusesChildrenUnderLeaves(t *testing.T) {
	dump := strings.Replace(sampleDump, "    Identifier a", "    Identifier a (children 1)\n     Literal UInt64_1", 1)
	root, err := parseASTDump(strings.Split(dump, "\n"))
	if err != nil {
		t.Fatalf("the dump adds up, so it should parse: %v", err)
	}
	var refused *RefusedError
	if _, err := (policy{db: "jinwei"}).check(root, "SELECT a FROM t"); !errors.As(err, &refused) || !strings.Contains(refused.Reason, "has children") {
		t.Errorf("check = %v; want refused for a leaf with children", err)
	}
}

// A function in a table's place is a table function, refused even when an ordinary function
// of the same name is allowed (format is both).
func TestPolicyRefusesTableFunctionsByPlace(t *testing.T) {
	dump := strings.Replace(sampleDump, "      TableIdentifier t (alias x)", "      Function format (children 1)\n       ExpressionList (children 2)\n        Identifier CSV\n        Literal 'a'", 1)
	root, err := parseASTDump(strings.Split(dump, "\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = (policy{db: "jinwei"}).check(root, "SELECT a FROM format(CSV, 'a')")
	var refused *RefusedError
	if !errors.As(err, &refused) || !strings.Contains(refused.Reason, "table functions") {
		t.Errorf("check = %v; want refused as a table function", err)
	}
	if !functionAllowed("format") {
		t.Errorf("format, the string function, should be allowed")
	}
}

// name strips only the node's own trailing alias.
func TestASTNodeNameStripsItsAlias(t *testing.T) {
	cases := map[string]string{
		"regions":                     "regions",
		"regions (alias r)":           "regions",
		"jinwei.regions (alias r)":    "jinwei.regions",
		"regions (alias q) (alias r)": "regions (alias q)",
		"sum":                         "sum",
		"Tuple_(UInt64_1, UInt64_2)":  "Tuple_(UInt64_1, UInt64_2)",
	}
	for detail, want := range cases {
		if got := (&astNode{kind: "TableIdentifier", detail: detail}).name(); got != want {
			t.Errorf("name of %q = %q, want %q", detail, got, want)
		}
	}
	if ambiguousAlias("SELECT * FROM `regions (alias q)`") == nil || ambiguousAlias("SELECT code AS c FROM regions AS r") != nil {
		t.Errorf("ambiguousAlias does not tell the marker's text from ordinary aliases")
	}
}
