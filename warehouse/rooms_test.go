package warehouse_test

import (
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"jinwei/warehouse"
)

// The warehouse's rooms keep to their lines: the engines are reached only through package
// warehouse, the guard and the engines' contract know no engine, and test helpers stay out
// of program code. A new import across a line fails here, not in review.
func TestRoomsImportOnlyWhatTheyMay(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports ","}} {{join .Deps ","}}`, "jinwei/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	engines := []string{"jinwei/warehouse/chdb", "jinwei/warehouse/chserver"}
	engineLibs := []string{"github.com/ClickHouse/clickhouse-go/v2", "github.com/ClickHouse/ch-go", "github.com/ebitengine/purego"}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := append(strings.Fields(line), "", "")
		pkg, imports, deps := fields[0], strings.Split(fields[1], ","), strings.Split(fields[2], ",")
		has := func(in []string, prefixes ...string) string {
			for _, d := range in {
				for _, p := range prefixes {
					if d == p || strings.HasPrefix(d, p+"/") {
						return d
					}
				}
			}
			return ""
		}
		inWarehouse := pkg == "jinwei/warehouse" || strings.HasPrefix(pkg, "jinwei/warehouse/")
		if d := has(imports, engines...); d != "" && !inWarehouse {
			t.Errorf("%s imports the engine package %s: only package warehouse opens engines", pkg, d)
		}
		helper := strings.HasSuffix(pkg, "test") // whtest, etltest: helpers of tests only
		if d := has(deps, "jinwei/warehouse/whtest"); d != "" && !helper {
			t.Errorf("%s depends on the test helpers %s outside its tests", pkg, d)
		}
		switch pkg {
		case "jinwei/warehouse/guard", "jinwei/warehouse/ch":
			seen++
			if d := has(deps, append(engines, engineLibs...)...); d != "" {
				t.Errorf("%s imports %s: it must not know which engine it runs on", pkg, d)
			}
		}
	}
	if seen != 2 {
		t.Fatalf("go list named %d of the guard and ch packages, want 2:\n%s", seen, out)
	}
}

// The warehouse runs no statement as written for its callers: its own are named files and
// people's go through the guard.
func TestWarehouseExportsNoRawSQL(t *testing.T) {
	typ := reflect.TypeFor[*warehouse.Warehouse]()
	for _, name := range []string{"Query", "Exec"} {
		if _, ok := typ.MethodByName(name); ok {
			t.Errorf("*warehouse.Warehouse exports %s, a raw-SQL entry point", name)
		}
	}
}
