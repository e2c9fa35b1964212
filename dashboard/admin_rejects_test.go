package dashboard_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jinwei/dashboard/api"
	"jinwei/etl"
	"jinwei/etl/etltest"
)

// The admin API lists every reject of a run, past a page of the warehouse's (10,000), as
// one JSON array written a page at a time (300,000 rejects were 120 MB held whole); an id
// that names no run is 404, as on the run's page (a 500 "internal error", or an empty list).
func TestAdminAPIListsEveryRejectOfARun(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	var b strings.Builder
	b.WriteString("year,region,indicator,value\n")
	const bad = 12_001
	for i := range bad {
		fmt.Fprintf(&b, "2025,火星%d,gdp,1\n", i)
	}
	path := filepath.Join(t.TempDir(), "mars.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	l := etl.NewLoader(f.w, slog.New(slog.NewTextHandler(io.Discard, nil)))
	l.MaxRejectShare = 1 // read to its end, every row rejected
	rep, err := l.Load(context.Background(), "economy", path, etltest.Home, nil, nil)
	if rep == nil || rep.Run.RowsRejected != bad {
		t.Fatalf("load: %+v, %v; want %d rejects", rep, err, bad)
	}
	code, body := call(t, f.srv.Client(), "GET", f.srv.URL+"/api/admin/runs/"+rep.Run.ID+"/rejects", cliToken, nil)
	var got []api.Reject
	if err := json.Unmarshal([]byte(body), &got); code != http.StatusOK || err != nil || len(got) != bad {
		t.Fatalf("rejects of the run: %d, %d listed, %v; want %d", code, len(got), err, bad)
	}
	for i, r := range got {
		if r.Line != i+2 || !strings.Contains(r.Reason, fmt.Sprintf(`"火星%d"`, i)) {
			t.Fatalf("reject %d is %+v; want line %d's", i, r, i+2)
		}
	}
	for _, id := range []string{"01a246cd-5e16-7d86-ae34-f613a2d41099", "x'y", strings.Repeat("9", 300)} {
		if code, body := call(t, f.srv.Client(), "GET", f.srv.URL+"/api/admin/runs/"+id+"/rejects", cliToken, nil); code != http.StatusNotFound || !strings.Contains(body, "no run") {
			t.Errorf("rejects of run %.40s: %d %.200s; want 404, no run", id, code, body)
		}
	}
}
