package guard

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// astNode is one node of the engine's parse tree as EXPLAIN AST prints it: a kind
// (SelectQuery, Function, TableIdentifier …), the rest of its line (names, literal values,
// "(alias x)"), and its children.
type astNode struct {
	kind     string
	detail   string
	children []*astNode
}

var childCountSuffix = regexp.MustCompile(` \(children (\d+)\)$`)

// parseASTDump reads EXPLAIN AST output, one node per line, indented one space per level,
// "(children N)" after a node with children. Names are printed raw, so a quoted name holding
// a line break prints as extra lines. Such lines can only add nodes, never hide one, and the
// tree they make is refused unless every node has exactly the children it declares and
// there is exactly one root.
func parseASTDump(lines []string) (*astNode, error) {
	var root *astNode
	var stack []*astNode // stack[d] is the latest node at depth d
	declared := map[*astNode]int{}
	for i, line := range lines {
		text := strings.TrimLeft(line, " ")
		depth := len(line) - len(text)
		if text == "" {
			return nil, fmt.Errorf("parse tree line %d is empty", i+1)
		}
		n := &astNode{}
		if m := childCountSuffix.FindStringSubmatchIndex(text); m != nil {
			count, err := strconv.Atoi(text[m[2]:m[3]])
			if err != nil {
				return nil, fmt.Errorf("parse tree line %d: %w", i+1, err)
			}
			declared[n] = count
			text = text[:m[0]]
		}
		n.kind, n.detail, _ = strings.Cut(text, " ")
		if depth == 0 {
			if root != nil {
				return nil, fmt.Errorf("parse tree has more than one root (line %d)", i+1)
			}
			root, stack = n, []*astNode{n}
			continue
		}
		if root == nil || depth > len(stack) {
			return nil, fmt.Errorf("parse tree line %d is indented past its parent", i+1)
		}
		stack = stack[:depth]
		parent := stack[depth-1]
		parent.children = append(parent.children, n)
		stack = append(stack, n)
	}
	if root == nil {
		return nil, fmt.Errorf("parse tree is empty")
	}
	var bad error
	root.walk(func(n *astNode) {
		if bad == nil && len(n.children) != declared[n] {
			bad = fmt.Errorf("parse tree node %s %s declares %d children and has %d", n.kind, n.detail, declared[n], len(n.children))
		}
	})
	return root, bad
}

// walk calls fn on n and every node below it, parents first.
func (n *astNode) walk(fn func(*astNode)) {
	fn(n)
	for _, c := range n.children {
		c.walk(fn)
	}
}

// aliasMarker is how the dump appends a node's alias: "Identifier code (alias c)".
const aliasMarker = " (alias "

// name is the node's detail without its trailing " (alias …)": a function or table name.
// The dump prints names and aliases raw, so the marker's text inside a quoted name or alias
// would make this ambiguous ("regions (alias q) (alias r)" is the table `regions (alias q)`
// aliased r, "code (alias x (alias y))" the column code aliased `x (alias y)`); the guard
// refuses every statement holding that text (see ambiguousAlias), so here the marker is
// the alias's, and it is the last one.
func (n *astNode) name() string {
	if i := strings.LastIndex(n.detail, aliasMarker); i >= 0 && strings.HasSuffix(n.detail, ")") {
		return n.detail[:i]
	}
	return n.detail
}

// ambiguousAlias refuses a canonical statement holding the text the parse tree marks
// aliases with, in a quoted name, an alias or a string: its tree could not be read
// unambiguously (a table `regions (alias q)` would read as the table regions).
// formatQuerySingleLine prints names and strings with that text as written, so the
// canonical text shows every occurrence.
func ambiguousAlias(canonical string) error {
	if strings.Contains(canonical, strings.TrimPrefix(aliasMarker, " ")) {
		return refuse(refusedAliasMarker, "the text %q may not appear in a statement, not even in a quoted name, alias or string: the engine's parse tree marks aliases with it, so the guard could not tell a name from an alias", strings.TrimSpace(aliasMarker))
	}
	return nil
}

// sameTree reports whether a and b are the same parse tree, node for node.
func sameTree(a, b *astNode) bool {
	if a.kind != b.kind || a.detail != b.detail || len(a.children) != len(b.children) {
		return false
	}
	for i := range a.children {
		if !sameTree(a.children[i], b.children[i]) {
			return false
		}
	}
	return true
}

// is reports whether n is a node of the given kind with the given number of children.
func (n *astNode) is(kind string, children int) bool {
	return n != nil && n.kind == kind && len(n.children) == children
}
