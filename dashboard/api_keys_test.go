package dashboard_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The JSON answers of /api/* keep their keys: each endpoint's key paths over the demo (an
// object's keys, "[]" for an array's elements, values left out) are those of
// testdata/api_keys.golden. The web layer owns these shapes; a warehouse type's field
// renamed, or a shape moved between packages, must not change what clients read.
// UPDATE_API_KEYS=1 go test -run TestAPIKeysArePinned rewrites the file.
func TestAPIKeysArePinned(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	base := f.srv.URL
	admin, csrf := f.signedIn(t, "ops")
	post := func(path string, body any) {
		t.Helper()
		if code, out := call(t, admin, "POST", base+path, map[string]string{"X-CSRF-Token": csrf}, body); code >= 300 {
			t.Fatalf("POST %s: %d %.200s", path, code, out)
		}
	}
	// Entries for the lists that start empty: an ad hoc statement, a saved query, a token.
	post("/api/sql", map[string]string{"statement": "SELECT 1"})
	post("/api/sql/saved", map[string]string{"name": "one", "statement": "SELECT 1"})
	post("/api/admin/tokens", map[string]string{"name": "keys-test", "role": "viewer"})

	var runs []struct {
		ID string `json:"id"`
	}
	apiJSON(t, admin, base+"/api/admin/runs", &runs)
	var ecology struct {
		Items []struct {
			ID string `json:"item_id"`
		} `json:"items"`
	}
	apiJSON(t, admin, base+"/api/ecology", &ecology)
	if len(runs) == 0 || len(ecology.Items) == 0 {
		t.Fatalf("the demo has %d runs and %d ledger items", len(runs), len(ecology.Items))
	}
	endpoints := []string{
		"/api/cockpit", "/api/ranking", "/api/counties", "/api/ecology", "/api/ecology/items/" + ecology.Items[0].ID,
		"/api/campaign", "/api/campaign/method", "/api/version",
		"/api/lineage?indicator=gdp&region=620000&year=2024", "/api/lineage?item=GS-EC-0001",
		"/api/lineage?unit=620100&month=2023-06-01&metric=problems_found",
		"/api/brief?period=2024", "/api/briefs", "/api/reports", "/api/report/620102/2024-05",
		"/api/admin/runs", "/api/admin/runs/" + runs[0].ID + "/rejects", "/api/admin/inflight",
		"/api/admin/accounts", "/api/admin/tokens", "/api/admin/alerts", "/api/admin/audit",
		"/api/sql/schema", "/api/sql/saved", "/api/sql/history",
	}
	var got []string
	for _, e := range endpoints {
		var v any
		apiJSON(t, admin, base+e, &v)
		name, _, _ := strings.Cut(e, "?")
		name = strings.Replace(name, ecology.Items[0].ID, ":id", 1)
		name = strings.Replace(name, runs[0].ID, ":id", 1)
		if q := strings.IndexByte(e, '?'); q >= 0 {
			name += "?" + strings.SplitN(e[q+1:], "=", 2)[0]
		}
		for _, k := range keyPaths(v, "") {
			got = append(got, name+" "+k)
		}
	}
	slices.Sort(got)
	got = slices.Compact(got)
	golden := filepath.Join("testdata", "api_keys.golden")
	if os.Getenv("UPDATE_API_KEYS") != "" {
		if err := os.WriteFile(golden, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSpace(string(b)), "\n")
	for _, k := range want {
		if _, found := slices.BinarySearch(got, k); !found {
			t.Errorf("the answer lost key %s", k)
		}
	}
	for _, k := range got {
		if _, found := slices.BinarySearch(want, k); !found {
			t.Errorf("the answer gained key %s", k)
		}
	}
}

func apiJSON(t *testing.T, c *http.Client, u string, v any) {
	t.Helper()
	code, body := call(t, c, "GET", u, nil, nil)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d %.200s", u, code, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v in %.200s", u, err, body)
	}
}

// keyPaths are the paths of every key in v, an array's elements merged under "[]".
// Maps keyed by data (a region's code, a month) are not a shape: keys that do not start
// with a letter, or hold more than letters, digits and "_", count as one key, "*".
func keyPaths(v any, at string) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if !isIdentifier(k) {
				k = "*"
			}
			out = append(out, at+"."+k)
			out = append(out, keyPaths(e, at+"."+k)...)
		}
	case []any:
		for _, e := range x {
			out = append(out, keyPaths(e, at+"[]")...)
		}
	}
	return out
}

func isIdentifier(k string) bool {
	for i, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return k != ""
}
