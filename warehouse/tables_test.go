package warehouse_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// engineTypes are the column types each Arrow type of a load's records may fill, beneath
// LowCardinality and Nullable.
var engineTypes = map[arrow.Type]*regexp.Regexp{
	arrow.STRING:     regexp.MustCompile(`^(String|FixedString\(\d+\)|UUID|Enum(8|16)\(.*\))$`),
	arrow.DICTIONARY: regexp.MustCompile(`^(String|FixedString\(\d+\)|UUID|Enum(8|16)\(.*\))$`),
	arrow.UINT8:      regexp.MustCompile(`^(UInt8|Bool)$`),
	arrow.UINT16:     regexp.MustCompile(`^UInt16$`),
	arrow.UINT32:     regexp.MustCompile(`^UInt32$`),
	arrow.UINT64:     regexp.MustCompile(`^UInt64$`),
	arrow.FLOAT32:    regexp.MustCompile(`^Float32$`),
	arrow.FLOAT64:    regexp.MustCompile(`^Float64$`),
	arrow.DATE32:     regexp.MustCompile(`^Date(32)?$`),
	arrow.TIMESTAMP:  regexp.MustCompile(`^DateTime64\(3(, 'UTC')?\)$`),
}

// Every record schema the ETL writes names columns its table has, in types they take, and
// leaves out only columns the table fills itself (a DEFAULT or MATERIALIZED expression): a
// column renamed, retyped or added in a migration without its schema fails here.
func TestTablesMatchTheMigratedSchema(t *testing.T) {
	w := whtest.Open(t)
	for _, tab := range warehouse.Tables() {
		res, err := whtest.Query(context.Background(), w, `SELECT name, type, default_kind FROM system.columns
			WHERE database = currentDatabase() AND table = {t:String}`, warehouse.Params{"t": tab.Name})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) == 0 {
			t.Errorf("table %s: the migrations create no such table", tab.Name)
			continue
		}
		types, defaulted := map[string]string{}, map[string]bool{}
		for _, r := range res.Rows {
			types[r[0].(string)], defaulted[r[0].(string)] = r[1].(string), r[2].(string) != ""
		}
		written := map[string]bool{}
		for _, f := range tab.Schema.Fields() {
			written[f.Name] = true
			typ, ok := types[f.Name]
			if !ok {
				t.Errorf("table %s has no column %s", tab.Name, f.Name)
				continue
			}
			base := unwrap(unwrap(typ, "LowCardinality"), "Nullable")
			if re := engineTypes[f.Type.ID()]; re == nil || !re.MatchString(base) {
				t.Errorf("table %s column %s is %s; the record's %s does not fill it", tab.Name, f.Name, typ, f.Type)
			}
		}
		for name := range types {
			if !written[name] && !defaulted[name] {
				t.Errorf("table %s column %s has no default and the record does not write it", tab.Name, name)
			}
		}
	}
}

func unwrap(typ, wrapper string) string {
	if strings.HasPrefix(typ, wrapper+"(") && strings.HasSuffix(typ, ")") {
		return typ[len(wrapper)+1 : len(typ)-1]
	}
	return typ
}
