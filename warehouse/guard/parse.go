package guard

import (
	"errors"
	"fmt"
	"strings"

	"jinwei/warehouse/ch"
)

// canonicalize has the engine's parser format stmt on one line. The engine reads a bound
// parameter in its escaped text form, so backslashes and line breaks are escaped for the
// trip, and the statement comes back beside its canonical form to prove it arrived whole.
func canonicalize(run ch.RunFunc, stmt string) (string, error) {
	res, err := run(`SELECT {q:String} AS received, formatQuerySingleLine(received) AS canonical, `+
		`formatQuerySingleLineOrNull(canonical) AS again`, ch.Params{"q": stmt})
	if err != nil {
		var ee *ch.EngineError
		if !errors.As(err, &ee) {
			return "", fmt.Errorf("parse statement: %w", err)
		}
		switch {
		case strings.Contains(ee.Message, "Multi-statements are not allowed"):
			return "", refuse(refusedSeveral, "only one statement may run at a time; remove everything after the first ';'")
		case strings.Contains(ee.Message, "Empty query"):
			return "", refuse(refusedEmpty, "the statement is empty")
		}
		// The engine names the guard's own query as the scope; the analyst needs only the
		// position in their statement, which comes before it.
		msg := ee.Message
		if i := strings.Index(msg, ": In scope SELECT "); i > 0 {
			if m := engineErrorName.FindString(msg); m != "" {
				msg = msg[:i] + ". " + m
			}
		}
		return "", fmt.Errorf("parse statement: %w", &ch.EngineError{Message: msg, Parsed: true})
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 3 {
		return "", fmt.Errorf("parse statement: the engine answered %d rows", len(res.Rows))
	}
	received, _ := res.Rows[0][0].(string)
	canonical, _ := res.Rows[0][1].(string)
	again, _ := res.Rows[0][2].(string)
	if received != stmt {
		return "", fmt.Errorf("parse statement: the engine received different text than was sent")
	}
	if again != canonical {
		return "", refuse(refusedKeywordName, "the statement does not keep its meaning when the engine formats it (is a name that is also an SQL keyword used without quotes?)")
	}
	return canonical, nil
}

// explainAST has the engine parse stmt, which must already be proven to be one statement
// (it is spliced after EXPLAIN AST, the one place the guard splices text), and reads the
// tree it prints.
func explainAST(run ch.RunFunc, stmt string) (*astNode, error) {
	if err := ambiguousAlias(stmt); err != nil {
		return nil, err
	}
	res, err := run("EXPLAIN AST "+stmt, nil)
	if err != nil {
		var ee *ch.EngineError
		if errors.As(err, &ee) && strings.Contains(ee.Message, "(UNKNOWN_QUERY_PARAMETER)") {
			return nil, refuse(refusedParameters, "query parameters ({name:Type}) are not allowed")
		}
		return nil, fmt.Errorf("parse statement: %w", asLimitError(err))
	}
	if len(res.Columns) != 1 || res.Columns[0].Name != "explain" {
		return nil, fmt.Errorf("parse statement: the engine answered columns %v, not its parse tree", res.Columns)
	}
	lines := make([]string, len(res.Rows))
	for i, row := range res.Rows {
		lines[i], _ = row[0].(string)
	}
	tree, err := parseASTDump(lines)
	if err != nil {
		return nil, refuse(refusedUnreadable, "the engine's parse tree of the statement could not be read unambiguously: %v", err)
	}
	return tree, nil
}

// checkLimited proves the limited statement is the checked one plus the guard's own text:
// the engine's formatter reads it as one statement (so splicing it after EXPLAIN AST runs
// nothing else), and its parse tree is the checked tree inside the guard's wrapper with
// exactly one SETTINGS clause, the guard's.
func checkLimited(run ch.RunFunc, final string, checked *astNode, kind statementKind, limitRows int) error {
	res, err := run("SELECT formatQuerySingleLineOrNull({q:String}) IS NOT NULL", ch.Params{"q": final})
	if err != nil {
		return fmt.Errorf("check limited statement: %w", err)
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 || !isTrue(res.Rows[0][0]) {
		return refuse(refusedUnreadable, "the statement could not be given the guard's limits (the engine no longer reads it as one statement)")
	}
	tree, err := explainAST(run, final)
	if err != nil {
		return err
	}
	inner, ok := withoutLimits(tree, kind, limitRows)
	if !ok || !sameTree(inner, checked) {
		return refuse(refusedUnreadable, "the statement could not be given the guard's limits (its parse tree changed once they were attached)")
	}
	return nil
}

// isTrue reads a boolean the engine answered as a number or a bool.
func isTrue(v any) bool {
	switch b := v.(type) {
	case bool:
		return b
	case int64:
		return b != 0
	case uint64:
		return b != 0
	}
	return false
}

// withoutLimits takes the guard's wrapper and SETTINGS clause off a limited statement's
// tree, reporting false when they are not exactly where the guard put them.
func withoutLimits(root *astNode, kind statementKind, limitRows int) (*astNode, bool) {
	if kind == kindSelect {
		// SELECT * FROM (<checked>) LIMIT n SETTINGS …
		if !root.is("SelectWithUnionQuery", 1) || !root.children[0].is("ExpressionList", 1) {
			return nil, false
		}
		sel := root.children[0].children[0]
		if !sel.is("SelectQuery", 4) {
			return nil, false
		}
		cols, from, limit, set := sel.children[0], sel.children[1], sel.children[2], sel.children[3]
		if !cols.is("ExpressionList", 1) || !cols.children[0].is("Asterisk", 0) ||
			!limit.is("Literal", 0) || limit.detail != fmt.Sprintf("UInt64_%d", limitRows) || !set.is("Set", 0) {
			return nil, false
		}
		for _, k := range []string{"TablesInSelectQuery", "TablesInSelectQueryElement", "TableExpression", "Subquery"} {
			if !from.is(k, 1) {
				return nil, false
			}
			from = from.children[0]
		}
		return from, true
	}
	// <checked> SETTINGS …: the clause is the statement's last child, or for EXPLAIN of a
	// UNION, the last SELECT's, which the engine applies to the whole statement.
	if n := len(root.children); n > 0 && root.children[n-1].is("Set", 0) {
		root.children = root.children[:n-1]
		return root, true
	}
	if kind == kindExplain && len(root.children) == 1 && root.children[0].is("SelectWithUnionQuery", 1) {
		selects := root.children[0].children[0].children
		if len(selects) > 0 {
			last := selects[len(selects)-1]
			if n := len(last.children); last.kind == "SelectQuery" && n > 0 && last.children[n-1].is("Set", 0) {
				last.children = last.children[:n-1]
				return root, true
			}
		}
	}
	return nil, false
}
