package reasons_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// wordings are the calls that word a reason, with the position of its English wording
// (the Chinese follows it): reasons.New itself, and etl's problem(field, en, zh, …) and
// xlsxRefused(name, en, zh, …).
var wordings = map[string]int{"reasons.New": 0, "problem": 1, "xlsxRefused": 1}

// Every reason in the program is worded in both languages with the same arguments: each
// argument used once in each, by the same verb (the Chinese may take them in another order,
// %[2]s), and the Chinese is Chinese. A Chinese wording that dropped or swapped an argument
// would say of a row something its file does not.
func TestEveryReasonIsWordedInBoth(t *testing.T) {
	root := filepath.Join("..", "..")
	found := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "var" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			at, ok := wordings[callee(call.Fun)]
			if !ok || path == filepath.Join(root, "warehouse", "reasons", "reasons.go") {
				return true
			}
			where := fset.Position(call.Pos()).String()
			if len(call.Args) > at && isIdent(call.Args[at]) {
				return true // a wrapper passing on a wording given (and checked) at its call
			}
			found++
			if len(call.Args) < at+2 {
				t.Errorf("%s: no Chinese wording", where)
				return true
			}
			en, okEn := literal(call.Args[at])
			zh, okZh := literal(call.Args[at+1])
			if !okEn || !okZh {
				t.Errorf("%s: a reason's wordings are written out, not computed", where)
				return true
			}
			args := len(call.Args) - at - 2
			if call.Ellipsis.IsValid() {
				args = -1
			}
			checkWording(t, where, en, zh, args)
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 50 {
		t.Errorf("found %d reasons worded in the program; the scan misses some", found)
	}
}

func isIdent(e ast.Expr) bool {
	_, ok := e.(*ast.Ident)
	return ok
}

func callee(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			return x.Name + "." + f.Sel.Name
		}
	}
	return ""
}

// literal is a string literal's text, or of literals joined with +.
func literal(e ast.Expr) (string, bool) {
	switch v := e.(type) {
	case *ast.BasicLit:
		if v.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(v.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		a, okA := literal(v.X)
		b, okB := literal(v.Y)
		return a + b, okA && okB && v.Op == token.ADD
	}
	return "", false
}

var (
	verbRe  = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?(\[\d+\])?([a-zA-Z%])`)
	hanRe   = regexp.MustCompile(`\p{Han}`)
	latinRe = regexp.MustCompile(`[A-Za-z]{2,}`)
)

// checkWording compares the verbs of en and zh: which argument each takes, and how.
func checkWording(t *testing.T, where, en, zh string, args int) {
	t.Helper()
	enVerbs, enOK := verbs(en)
	zhVerbs, zhOK := verbs(zh)
	switch {
	case !enOK || !zhOK:
		t.Errorf("%s: an argument is used twice in %q or %q", where, en, zh)
	case len(enVerbs) != len(zhVerbs):
		t.Errorf("%s: %q takes %d arguments, its Chinese %q %d", where, en, len(enVerbs), zh, len(zhVerbs))
	case args >= 0 && len(enVerbs) != args:
		t.Errorf("%s: %q takes %d arguments and is given %d", where, en, len(enVerbs), args)
	default:
		for i, v := range enVerbs {
			if zhVerbs[i] != v {
				t.Errorf("%s: argument %d is %%%c in %q, %%%c in %q", where, i+1, v, en, zhVerbs[i], zh)
			}
		}
	}
	// The Chinese is Chinese: it may be only arguments ("%q %w"), never English words.
	if latinRe.MatchString(verbRe.ReplaceAllString(zh, "")) && !hanRe.MatchString(zh) {
		t.Errorf("%s: the Chinese of %q is %q", where, en, zh)
	}
}

// verbs maps each argument (from 1) to the verb that writes it; false if one is written
// twice.
func verbs(format string) (map[int]byte, bool) {
	out := map[int]byte{}
	next := 1
	for _, m := range verbRe.FindAllStringSubmatch(format, -1) {
		verb := m[4][0]
		if verb == '%' {
			continue
		}
		if index := m[1] + m[3]; index != "" {
			next, _ = strconv.Atoi(strings.Trim(index, "[]"))
		}
		if _, seen := out[next]; seen {
			return nil, false
		}
		out[next] = verb
		next++
	}
	return out, true
}
