package guard

import (
	"regexp"
	"strings"
)

// statementKind is what a guarded statement is, which decides how its limits are attached.
type statementKind int

const (
	kindSelect statementKind = iota + 1
	kindShowTables
	kindShowCreateTable
	kindDescribe
	kindExplain
)

// policy checks a statement's parse tree against an allowlist: the statement kinds, parse
// tree node kinds, functions and tables that ad hoc SQL may use. Everything else is refused,
// so an engine feature the guard has not heard of is refused too.
type policy struct {
	db string // the warehouse's database, the only one statements may read
	// tables judges the tables a statement names against the analysts' allowlist; nil
	// checks only the database (the parser's own tests).
	tables *tableAccess
}

// selectNodeKinds are the parse tree nodes a SELECT may contain. Node kinds whose contents
// the dump does not show (WindowListElement hides a named window's expressions,
// ColumnsApplyTransformer the function it applies) are left out, so they are refused.
var selectNodeKinds = wordSet(`
	SelectWithUnionQuery SelectIntersectExceptQuery SelectQuery ExpressionList
	TablesInSelectQuery TablesInSelectQueryElement TableExpression TableJoin ArrayJoin
	TableIdentifier Subquery WithElement OrderByElement WindowDefinition InterpolateElement
	SampleRatio Identifier Literal Function Asterisk QualifiedAsterisk ColumnsRegexpMatcher
	QualifiedColumnsRegexpMatcher ColumnsListMatcher QualifiedColumnsListMatcher
	ColumnsTransformerList ColumnsExceptTransformer ColumnsReplaceTransformer
	ColumnsReplaceTransformer::Replacement
`)

// leafNodeKinds never have children in a parse tree the guard accepts.
var leafNodeKinds = wordSet(`Identifier TableIdentifier Literal SampleRatio ColumnsRegexpMatcher Set`)

// explainKinds are the EXPLAIN forms allowed, as the parse tree names them ("EXPLAIN" is
// EXPLAIN PLAN).
var explainKinds = map[string]bool{
	"EXPLAIN": true, "EXPLAIN AST": true, "EXPLAIN SYNTAX": true, "EXPLAIN QUERY TREE": true,
	"EXPLAIN PIPELINE": true, "EXPLAIN ESTIMATE": true,
}

// internalDatabases are the engine's own databases, never readable by name.
var internalDatabases = wordSet(`system information_schema`)

// inFunctions take a table (or a WITH name) as their right-hand side when it is a bare name:
// x IN some_table.
var inFunctions = wordSet(`in notIn nullIn notNullIn`)

var (
	plainIdentifier = regexp.MustCompile(`^[\p{L}\p{N}_]+$`)
	functionName    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	// The engine's own formatting of SHOW TABLES [FROM db] [[NOT] [I]LIKE '…'] [LIMIT n].
	showTablesText = regexp.MustCompile(`^SHOW TABLES(?: FROM ([\p{L}\p{N}_]+))?(?: (?:NOT )?I?LIKE '(?:[^'\\]|\\.)*')?(?: LIMIT \d+)?$`)
	// … and of SHOW CREATE TABLE [db.]table.
	showCreateText = regexp.MustCompile(`^SHOW CREATE TABLE (?:([\p{L}\p{N}_]+)\.)?([\p{L}\p{N}_]+)$`)
)

// notAllowedWhy explains the refusal of functions an analyst is likely to try.
var notAllowedWhy = map[string]struct{ kind, why string }{
	"file":             {refusedFunctionFiles, "it reads files"},
	"url":              {refusedFunctionNetwork, "it reaches the network"},
	"sleep":            {refusedFunctionIdle, "it only ties up the engine"},
	"sleepeachrow":     {refusedFunctionIdle, "it only ties up the engine"},
	"dictget":          {refusedFunctionDictionaries, "it reads dictionaries, which may load from files or the network"},
	"joinget":          {refusedFunctionByName, "it reads a table by a name given as text"},
	"catboostevaluate": {refusedFunctionModel, "it loads a model file"},
	"chdb":             {refusedFunctionStatement, "it runs another statement"},
	"getsetting":       {refusedFunctionSettings, "it reads the engine's settings"},
	"hostname":         {refusedFunctionHost, "it reads the engine's host"},
	"version":          {refusedFunctionInternals, "it reads the engine's internals"},
	"hascolumnintable": {refusedFunctionMetadata, "it reads other tables' metadata by name"},
}

// check validates the canonical statement's tree and says what kind of statement it is.
func (p policy) check(root *astNode, canonical string) (statementKind, error) {
	switch root.kind {
	case "SelectWithUnionQuery":
		return kindSelect, p.walk(root, nil)
	case "Explain":
		if !explainKinds[root.detail] {
			return 0, refuse(refusedExplainKind, "%s is not allowed; EXPLAIN, EXPLAIN AST, SYNTAX, QUERY TREE, PIPELINE and ESTIMATE are", root.detail)
		}
		return kindExplain, p.onlyChild(root, "SelectWithUnionQuery", refuse(refusedExplainSelect, "EXPLAIN of anything but a SELECT is not allowed"))
	case "DescribeQuery":
		return kindDescribe, p.onlyChild(root, "TableExpression", refuse(refusedDescribeTable, "DESCRIBE takes one table or (SELECT …)"))
	case "ShowTables":
		if err := p.onlyIdentifiers(root); err != nil {
			return 0, err
		}
		m := showTablesText.FindStringSubmatch(canonical)
		if m == nil {
			return 0, refuse(refusedShowKind, "of the SHOW statements only SHOW TABLES [LIKE '…'] [LIMIT n] and SHOW CREATE TABLE t are allowed, not %s", leadingWords(canonical, 3))
		}
		if m[1] != "" && m[1] != p.db {
			return 0, refuse(refusedOtherDatabase, "only the warehouse's own database %s may be read, not %s", p.db, m[1])
		}
		return kindShowTables, nil
	case "ShowCreateTableQuery":
		if err := p.onlyIdentifiers(root); err != nil {
			return 0, err
		}
		m := showCreateText.FindStringSubmatch(canonical)
		if m == nil {
			return 0, refuse(refusedShowCreateKind, "of the SHOW CREATE statements only SHOW CREATE TABLE [%s.]table is allowed", p.db)
		}
		if m[1] != "" && m[1] != p.db {
			return 0, refuse(refusedOtherDatabase, "only the warehouse's own database %s may be read, not %s", p.db, m[1])
		}
		if err := p.tableAllowed(m[2]); err != nil {
			return 0, err
		}
		return kindShowCreateTable, nil
	case "ParallelWithQuery":
		return 0, refuse(refusedSeveral, "only one statement may run at a time, not several joined by PARALLEL WITH")
	}
	return 0, refuse(refusedStatementKind, "only SELECT (or WITH … SELECT), SHOW TABLES, SHOW CREATE TABLE, DESCRIBE and EXPLAIN may run; this is %s", leadingWords(canonical, 2))
}

// onlyChild checks a statement that wraps exactly one child of the given kind, refusing the
// clauses a statement may carry after it (FORMAT, INTO OUTFILE, SETTINGS).
func (p policy) onlyChild(root *astNode, kind string, refusal *RefusedError) error {
	var main *astNode
	for _, c := range root.children {
		if c.kind == kind && main == nil {
			main = c
			continue
		}
		if err := clauseRefusal(c); err != nil {
			return err
		}
		return refusal
	}
	if main == nil {
		return refusal
	}
	return p.walk(main, root)
}

// onlyIdentifiers checks a SHOW statement's children: the names it shows, nothing else.
func (p policy) onlyIdentifiers(root *astNode) error {
	for _, c := range root.children {
		if c.kind != "Identifier" {
			if err := clauseRefusal(c); err != nil {
				return err
			}
			return refuse(refusedUnreadable, "unexpected %s in a SHOW statement", c.kind)
		}
	}
	return nil
}

// clauseRefusal explains a statement-level clause: the engine prints SETTINGS as Set, FORMAT
// as the format's Identifier and INTO OUTFILE as the file name's Literal.
func clauseRefusal(c *astNode) error {
	switch c.kind {
	case "Set":
		return refuse(refusedSettings, "SETTINGS clauses and SET are not allowed: the guard sets the engine's limits itself")
	case "Identifier":
		return refuse(refusedFormat, "FORMAT clauses are not allowed: the caller chooses how results are returned")
	case "Literal":
		return refuse(refusedOutfile, "INTO OUTFILE is not allowed: results are returned, never written to files")
	}
	return nil
}

// walk checks n and everything below it; parent is nil at the top.
func (p policy) walk(n, parent *astNode) error {
	if leafNodeKinds[strings.ToLower(n.kind)] && len(n.children) > 0 {
		return refuse(refusedUnreadable, "unexpected parse tree: %s %s has children", n.kind, n.detail)
	}
	switch n.kind {
	case "Set":
		return clauseRefusal(n)
	case "WindowListElement":
		return refuse(refusedNamedWindow, "named windows (WINDOW w AS …) are not allowed: write the window in place, OVER (PARTITION BY … ORDER BY …)")
	case "ColumnsApplyTransformer":
		return refuse(refusedApply, "APPLY is not allowed: call the function on the columns instead")
	case "QueryParameter":
		return refuse(refusedParameters, "query parameters ({name:Type}) are not allowed")
	case "SelectWithUnionQuery":
		// Anything after the list of SELECTs (a SETTINGS or FORMAT clause) is refused.
		if len(n.children) > 1 {
			c := n.children[1]
			if err := clauseRefusal(c); err != nil {
				return err
			}
			return refuse(refusedUnreadable, "unexpected %s after a SELECT", c.kind)
		}
	case "Function":
		if err := p.function(n, parent); err != nil {
			return err
		}
	case "TableIdentifier":
		if err := p.table(n.name()); err != nil {
			return err
		}
	case "Identifier":
		// A query without FROM reads the engine's system.one, and the analyzer then resolves
		// system.one.dummy: no name may start with the engine's own databases.
		first, _, _ := strings.Cut(n.name(), ".")
		if internalDatabases[strings.ToLower(first)] && strings.Contains(n.name(), ".") {
			return refuse(refusedOtherDatabaseTable, "only the warehouse's own database %s may be read, not %s (%s)", p.db, first, n.name())
		}
	default:
		if !selectNodeKinds[strings.ToLower(n.kind)] {
			return refuse(refusedNodeKind, "%s is not allowed in ad hoc SQL", n.kind)
		}
	}
	for _, c := range n.children {
		if err := p.walk(c, n); err != nil {
			return err
		}
	}
	return nil
}

// function checks a function call: not a table function, on the allowlist, and for
// x IN name, a table of the warehouse.
func (p policy) function(n, parent *astNode) error {
	name := n.name()
	if !functionName.MatchString(name) {
		return refuse(refusedFunctionName, "function name %q is not allowed", name)
	}
	if parent != nil && parent.kind == "TableExpression" {
		return refuse(refusedTableFunction, "table functions such as %s(…) are not allowed: they read files, the network, other servers or generated data; query the warehouse's tables", name)
	}
	if !functionAllowed(name) {
		if r, ok := notAllowedWhy[strings.ToLower(name)]; ok {
			return refuse(r.kind, "function %s is not allowed: %s", name, r.why)
		}
		return refuse(refusedFunctionNotListed, "function %s is not allowed: it is not on the guard's list of functions for analysts", name)
	}
	if inFunctions[strings.ToLower(name)] && len(n.children) > 0 {
		if args := n.children[0]; args.kind == "ExpressionList" && len(args.children) == 2 && args.children[1].kind == "Identifier" {
			return p.table(args.children[1].name())
		}
	}
	return nil
}

// table checks a table name as the dump prints it: name, or database.name. Only the
// warehouse's database may be named; an unqualified name resolves there (or to a WITH
// name). A name the dump prints ambiguously (a dot inside a quoted name) is refused.
func (p policy) table(name string) error {
	parts := strings.Split(name, ".")
	for _, part := range parts {
		if !plainIdentifier.MatchString(part) {
			return refuse(refusedTableName, "table name %q is not allowed: use plain names of the warehouse's tables", name)
		}
	}
	if accountTables[parts[len(parts)-1]] {
		return refuse(refusedTableAccounts, "table %s holds accounts, sessions or tokens and is not for ad hoc SQL", name)
	}
	switch {
	case len(parts) == 1:
		return p.tableAllowed(parts[0])
	case len(parts) == 2 && parts[0] == p.db:
		return p.tableAllowed(parts[1])
	case len(parts) == 2:
		return refuse(refusedOtherDatabaseTable, "only the warehouse's own database %s may be read, not %s (%s)", p.db, parts[0], name)
	}
	return refuse(refusedTableName, "table name %q is not allowed: use plain names of the warehouse's tables", name)
}

// tableAllowed checks a bare table name against the analysts' allowlist.
func (p policy) tableAllowed(name string) error {
	if p.tables == nil {
		return nil
	}
	return p.tables.check(name)
}

// leadingWords names a statement by its first words, for messages: "DROP TABLE".
func leadingWords(s string, n int) string {
	words := strings.Fields(s)
	if len(words) > n {
		words = words[:n]
	}
	return strings.Join(words, " ")
}

// accountTables hold password hashes and session and token hashes: never for ad hoc SQL,
// which any analyst runs. The guard's allowlist keeps them out already (and the audit log,
// which only holders of read_audit read through /api/admin/audit); this names why.
var accountTables = map[string]bool{"accounts": true, "sessions": true, "api_tokens": true}
