package dashboard

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"jinwei/warehouse/rules"
)

// usedLabels is every label key the dashboard uses: {{.L.key}} in the templates, L('key') in
// the scripts, t(lang, "key") and newPage(c, nav, "key") in the Go code, and the run-time
// families of labelFamilies for each t(lang, "prefix_"+…) the code builds. A t call whose key
// the scan cannot read is a problem: its labels could go missing unseen.
func usedLabels(t *testing.T) (map[string]bool, []string) {
	t.Helper()
	used := map[string]bool{}
	var problems []string
	tkeys, err := templateLabelKeys(templateFS)
	if err != nil {
		t.Fatal(err)
	}
	jkeys, err := jsLabelKeys(staticFS)
	if err != nil {
		t.Fatal(err)
	}
	if len(tkeys) < 50 || len(jkeys) < 5 {
		t.Fatalf("the scan found %d template and %d script keys: the patterns no longer match the files", len(tkeys), len(jkeys))
	}
	for _, k := range slices.Concat(tkeys, jkeys) {
		used[k] = true
	}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	prefixes := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			// These pass on keys read elsewhere: newPage's title key (scanned at its
			// calls) and the scripts' keys (scanned in static/*.js).
			if fd, ok := n.(*ast.FuncDecl); ok && (fd.Name.Name == "newPage" || fd.Name.Name == "mustJSLabels") {
				return false
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn, ok := call.Fun.(*ast.Ident)
			if !ok {
				return true
			}
			var arg ast.Expr
			switch {
			case fn.Name == "t" && len(call.Args) == 2:
				arg = call.Args[1]
			case fn.Name == "newPage" && len(call.Args) == 3:
				arg = call.Args[2]
			default:
				return true
			}
			if k, ok := stringLit(arg); ok {
				used[k] = true
				return true
			}
			if p, ok := keyPrefix(arg); ok {
				prefixes[p] = true
				return true
			}
			problems = append(problems, fmt.Sprintf("%s: %s(…) with a key the completeness test cannot read: use a literal or \"prefix_\"+… with the prefix in labelFamilies", fset.Position(call.Pos()), fn.Name))
			return true
		})
	}
	if len(prefixes) < 5 {
		t.Fatalf("the scan found %d run-time key prefixes: the Go scan no longer matches the code", len(prefixes))
	}
	for p := range prefixes {
		members, ok := labelFamilies[p]
		if !ok {
			problems = append(problems, fmt.Sprintf("keys %q… are built at run time but labelFamilies does not list them", p))
		}
		for _, m := range members {
			used[p+m] = true
		}
	}
	for p := range labelFamilies {
		if !prefixes[p] {
			problems = append(problems, fmt.Sprintf("labelFamilies lists %q… but no t(lang, %q+…) uses it", p, p))
		}
	}
	return used, problems
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// keyPrefix reads the prefix of a key built at run time: "prefix_"+x or
// fmt.Sprintf("prefix_%d", x).
func keyPrefix(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			return stringLit(e.X)
		}
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(e.Args) > 0 {
			if s, ok := stringLit(e.Args[0]); ok {
				p, _, found := strings.Cut(s, "%")
				return p, found && p != ""
			}
		}
	}
	return "", false
}

// labelProblems lists each used key a language lacks (or has empty) and each key a
// language has that nothing uses.
func labelProblems(raw map[string]map[string]string, used map[string]bool) []string {
	var out []string
	only := func(k string) bool {
		return slices.ContainsFunc(chineseOnly, func(p string) bool { return strings.HasPrefix(k, p) })
	}
	for _, lang := range languages {
		for k := range used {
			if lang == langEn && only(k) {
				continue
			}
			if strings.TrimSpace(raw[lang][k]) == "" {
				out = append(out, fmt.Sprintf("locale/%s.toml has no label %q", lang, k))
			}
		}
		for k := range raw[lang] {
			if !used[k] || lang == langEn && only(k) {
				out = append(out, fmt.Sprintf("locale/%s.toml has label %q that nothing uses", lang, k))
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestLabelsComplete(t *testing.T) {
	used, problems := usedLabels(t)
	raw, err := readLocales(localeFS)
	if err != nil {
		t.Fatal(err)
	}
	problems = append(problems, labelProblems(raw, used)...)
	for _, p := range problems {
		t.Error(p)
	}
}

// TestLabelsCompleteCatches proves the completeness check fails on the defects it is for:
// one label removed from one language, a label nobody uses, and a family member missing.
func TestLabelsCompleteCatches(t *testing.T) {
	used, _ := usedLabels(t)
	for _, tc := range []struct {
		name   string
		change func(raw map[string]map[string]string)
		want   string
	}{
		{"removed from English", func(raw map[string]map[string]string) { delete(raw[langEn], "sign_in") }, `locale/en.toml has no label "sign_in"`},
		{"removed from Chinese", func(raw map[string]map[string]string) { delete(raw[langZh], "run") }, `locale/zh.toml has no label "run"`},
		{"empty text", func(raw map[string]map[string]string) { raw[langEn]["cancel"] = " " }, `locale/en.toml has no label "cancel"`},
		{"script label", func(raw map[string]map[string]string) { delete(raw[langEn], "console_cancelled") }, `locale/en.toml has no label "console_cancelled"`},
		{"family member", func(raw map[string]map[string]string) { delete(raw[langEn], "status_整改中") }, `locale/en.toml has no label "status_整改中"`},
		{"unused", func(raw map[string]map[string]string) { raw[langZh]["history"] = "状态历史" }, `locale/zh.toml has label "history" that nothing uses`},
		{"refusal missing", func(raw map[string]map[string]string) { delete(raw[langZh], "refused_table_accounts") }, `locale/zh.toml has no label "refused_table_accounts"`},
		{"refusal in English", func(raw map[string]map[string]string) { raw[langEn]["refused_empty"] = "empty" }, `locale/en.toml has label "refused_empty" that nothing uses`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := readLocales(localeFS)
			if err != nil {
				t.Fatal(err)
			}
			tc.change(raw)
			if got := labelProblems(raw, used); !slices.Contains(got, tc.want) {
				t.Errorf("problems %q do not include %q", got, tc.want)
			}
		})
	}
}

// TestMissingLabelIsVisible: a key no language has shows as itself, from t and from a
// template, and a template asking a label map for a key it lacks fails instead of printing
// nothing.
func TestMissingLabelIsVisible(t *testing.T) {
	if got := t_(langEn, "no_such_label"); got != "no_such_label" {
		t.Errorf("t of a missing key = %q, want the key", got)
	}
	raw := map[string]map[string]string{langZh: {"a": "甲", "b": "乙"}, langEn: {"a": "A"}}
	done := completeLabels(raw, []string{"only_in_template"})
	for _, tc := range []struct{ lang, key, want string }{
		{langEn, "a", "A"}, {langEn, "b", "b"}, {langZh, "b", "乙"}, {langZh, "only_in_template", "only_in_template"}, {langEn, "only_in_template", "only_in_template"},
	} {
		if got := done[tc.lang][tc.key]; got != tc.want {
			t.Errorf("%s %s = %q, want %q", tc.lang, tc.key, got, tc.want)
		}
	}
	tmpl, err := parseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	probe := template.Must(tmpl.New("probe").Parse(`{{.L.not_a_label}}`))
	if err := probe.Execute(&bytes.Buffer{}, map[string]any{"L": map[string]string{"app": "x"}}); err == nil {
		t.Error("a template printed a label its map lacks without an error")
	}
}

// t_ is the package's t, which the test's *testing.T parameter hides.
var t_ = t

// TestLocaleFilesAreFlat keeps the label files in the one simple shape others edit in
// parallel: comments, blank lines and key = "text" lines.
func TestLocaleFilesAreFlat(t *testing.T) {
	for _, lang := range languages {
		b, err := os.ReadFile(filepath.Join("locale", lang+".toml"))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			_, v, ok := strings.Cut(line, " = ")
			if !ok || !strings.HasPrefix(v, `"`) || !strings.HasSuffix(v, `"`) {
				t.Errorf("%s.toml:%d: %q is not key = \"text\"", lang, i+1, line)
				continue
			}
		}
	}
}

// The Chinese labels of the problem categories are the categories' names as
// rules.ProblemCategories defines them, in the speech's order.
func TestCategoryLabelsAreTheDefinedCategories(t *testing.T) {
	for i, name := range rules.ProblemCategories {
		if got := labels[langZh]["category_"+strconv.Itoa(i+1)]; got != name {
			t.Errorf("category_%d is %q in zh.toml, %q in rules.ProblemCategories", i+1, got, name)
		}
	}
}

// The Chinese pages say one word for one thing: a load is 载入 (the operator's pages said
// 导入 and 运行, footnotes 载入, an alert 装载), and a county-level unit 县市区 (a filter said
// 县区, the scorecard 县市区).
func TestChineseSaysOneWordForOneThing(tt *testing.T) {
	other := regexp.MustCompile(`导入|装载|(^|[^市、])县区`)
	for key, text := range labels[langZh] {
		if m := other.FindString(text); m != "" {
			tt.Errorf("zh %s = %q says %q", key, text, m)
		}
	}
	if got := fmt.Sprintf(t(langZh, "run_title"), "R"); got != "载入批次 R" {
		tt.Errorf("a run's page is titled %q, want 载入批次 R as footnotes name it", got)
	}
}
