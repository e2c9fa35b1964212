package dashboard_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/ipc"

	"jinwei/dashboard"
	"jinwei/dashboard/api"
)

// csrfToken reads the CSRF token a signed-in page carries.
func csrfToken(t testing.TB, c *http.Client, base string) string {
	t.Helper()
	return pageToken(t, c, base+"/ranking")
}

// csrfTokenOf is csrfToken for any role: a reporter has no province page, so its token is
// read from its own report page.
func csrfTokenOf(t testing.TB, c *http.Client, base, role string) string {
	t.Helper()
	if role == dashboard.RoleReporter {
		res, err := c.Get(base + "/report")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return pageToken(t, c, base+res.Header.Get("Location"))
	}
	return csrfToken(t, c, base)
}

// pageToken reads the CSRF token of the form on the page at u.
func pageToken(t testing.TB, c *http.Client, u string) string {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfField.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on %s (%s): %.300s", u, res.Status, body)
	}
	return string(m[1])
}

func postSQL(t *testing.T, c *http.Client, base, token, stmt, format string) (*http.Response, []byte) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"statement": stmt, "format": format})
	req, _ := http.NewRequest(http.MethodPost, base+"/api/sql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", token)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, out
}

const gansuRank = `SELECT region_code, value, rank() OVER (ORDER BY value DESC) AS r
FROM indicator_values_current
WHERE indicator_code = 'gdp_per_capita' AND year = 2024 AND period_kind = 'year' AND region_code != '100000'
ORDER BY r DESC LIMIT 1`

func TestSQLAPIForAnalystsIsGuardedAndAudited(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	base := f.srv.URL
	analyst, token := f.signedIn(t, "analyst")

	res, body := postSQL(t, analyst, base, token, gansuRank, "json")
	var got struct {
		Rows [][]any `json:"rows"`
	}
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &got) != nil || len(got.Rows) != 1 || got.Rows[0][0] != "620000" || got.Rows[0][2] != 31.0 {
		t.Fatalf("ranking query: %d %s", res.StatusCode, body)
	}
	res, body = postSQL(t, analyst, base, token, gansuRank, "csv")
	if res.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("\ufeffregion_code,value,r\n620000,52825,31")) {
		t.Errorf("CSV export: %d %q", res.StatusCode, body)
	}
	res, body = postSQL(t, analyst, base, token, gansuRank, "arrow")
	rd, err := ipc.NewReader(bytes.NewReader(body))
	if res.StatusCode != http.StatusOK || err != nil || !rd.Next() || rd.RecordBatch().NumRows() != 1 {
		t.Errorf("Arrow export: %d %v", res.StatusCode, err)
	}
	res, body = postSQL(t, analyst, base, token, gansuRank, "xlsx")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `format \"xlsx\" is not one of json, csv, arrow`) {
		t.Errorf("a format the API does not offer: %d %s", res.StatusCode, body)
	}
	res, body = postSQL(t, analyst, base, token, "SELECT * FROM file('/etc/passwd', 'LineAsString')", "json")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"refused":true`) {
		t.Errorf("hostile statement: %d %s", res.StatusCode, body)
	}
	if res, _ := postSQL(t, analyst, base, "", gansuRank, "json"); res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusForbidden {
		t.Errorf("a POST without the CSRF token: %d, want it refused", res.StatusCode)
	}

	viewer := f.client(t)
	signIn(t, viewer, base, "leader", "leader-pw")
	if res, _ := postSQL(t, viewer, base, csrfToken(t, viewer, base), gansuRank, "json"); res.StatusCode != http.StatusForbidden {
		t.Errorf("viewer at the SQL API: %d, want 403", res.StatusCode)
	}

	admin := f.client(t)
	signIn(t, admin, base, "ops", "ops-pw")
	resp, err := admin.Get(base + "/api/admin/audit")
	if err != nil {
		t.Fatal(err)
	}
	var audit []api.AuditEntry
	_ = json.NewDecoder(resp.Body).Decode(&audit)
	resp.Body.Close()
	outcomes := map[string]int{}
	for _, e := range audit {
		if e.User == "analyst" {
			outcomes[e.Outcome]++
		}
	}
	if outcomes["ok"] != 3 || outcomes["refused"] != 1 {
		t.Errorf("audit outcomes for analyst %v; want 3 ok and 1 refused", outcomes)
	}
	resp, err = analyst.Get(base + "/api/sql/history")
	if err != nil {
		t.Fatal(err)
	}
	var history []api.AuditEntry
	_ = json.NewDecoder(resp.Body).Decode(&history)
	resp.Body.Close()
	if len(history) != 4 || history[0].Outcome != "refused" {
		t.Errorf("analyst history: %+v", history)
	}
}
