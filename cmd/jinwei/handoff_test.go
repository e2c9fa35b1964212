package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// While `serve` holds the embedded warehouse, `etl load` hands the file to it and shows
// the server's report; the admin API refuses requests without the server's token.
func TestLoadIsHandedToTheRunningServer(t *testing.T) {
	t.Parallel()
	p := newProcEnv(t)
	// A data directory named relative to the working folder, as make run names it.
	p.dataDir = "wh"
	dir := p.dir
	// A load may reject nearly every line of a file and still be kept (rejectsAPageAtATime).
	if err := os.WriteFile(filepath.Join(dir, "jinwei.toml"), []byte("max_reject_share = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, info, _ := p.serve(t)
	// The console's statements run in a worker process of their own, in another folder:
	// they read the same warehouse (handed the relative path, the worker opened an empty one
	// and found no table).
	req, _ := http.NewRequest(http.MethodPost, "http://"+info.Addr+"/api/sql", strings.NewReader(`{"statement": "SELECT count() AS n FROM regions WHERE level = 'province'"}`))
	req.Header.Set("Authorization", "Bearer "+info.Token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "[31]") {
		t.Errorf("the SQL API counted the provinces: %d %s; want 31", res.StatusCode, body)
	}
	file := filepath.Join(dir, "handed.csv")
	if err := os.WriteFile(file, []byte("year,region,indicator,value\n2025,甘肃,gdp,13900\n2025,火星,gdp,1\n2025,青海,gdp,4100\n2025,宁夏,gdp,5700\n2025,陕西,gdp,36500\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := p.command("etl", "load", "--job", "economy", file).CombinedOutput()
	if err != nil {
		t.Fatalf("etl load: %v\n%s", err, out)
	}
	for _, want := range []string{"holds the warehouse: handing the files to it", "handed.csv: committed", "loaded 4, rejected 1", `unknown region "火星"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The report's rejects and runs are listed through the server as well: its hint
	// "jinwei etl rejects RUN" failed, the warehouse being held.
	m := regexp.MustCompile(`\(run ([0-9a-f-]{36})\)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no run id in:\n%s", out)
	}
	run := string(m[1])
	for _, tc := range []struct {
		args []string
		row  string // a row of the listing, as a pattern
	}{
		{[]string{"etl", "rejects", run}, `(?m)^3 .*unknown region "火星"`},
		{[]string{"etl", "runs", "--limit", "3"}, `(?m)^` + run + ` +economy +committed .*handed\.csv$`},
	} {
		out, err := p.command(tc.args...).CombinedOutput()
		if err != nil || !regexp.MustCompile(tc.row).Match(out) {
			t.Errorf("%v with a server running: %v\n%s\nwant a row %s", tc.args, err, out, tc.row)
		}
	}
	// A run id that names no run is the server's 404, said: it was a 500 "internal error",
	// or an empty list.
	for _, id := range []string{"01a246cd-5e16-7d86-ae34-f613a2d41099", "../x", `it's"x`} {
		out, err := p.command("etl", "rejects", id).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "404") || !strings.Contains(string(out), "no run") {
			t.Errorf("etl rejects %s with a server running: %v\n%s\nwant the server's 404: no run", id, err, out)
		}
	}
	// What the server cannot be told is refused, not dropped (before, the load went ahead
	// without the mapping, and without --strict loaded the file's good rows).
	for flag, want := range map[string]string{"--strict": "etl load --strict: a jinwei server holds the warehouse", "--mapping=" + file: "etl load --mapping: a jinwei server holds the warehouse",
		"--dry-run": "etl load --dry-run: a jinwei server holds the warehouse; its upload page (/admin/upload) previews"} {
		out, err := p.command("etl", "load", "--job", "economy", flag, file).CombinedOutput()
		if err == nil || !strings.Contains(string(out), want) {
			t.Errorf("etl load %s with a server running: %v\n%s\nwant it refused: %q", flag, err, out, want)
		}
	}
	res, err = http.Get("http://" + info.Addr + "/api/ranking?indicator=gdp&year=2025&group=yellow_river9")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("ranking after the handed load: %v %v", err, res)
	}
	res.Body.Close()
	rejectsAPageAtATime(t, p)
	req, _ = http.NewRequest(http.MethodGet, "http://"+info.Addr+"/api/admin/runs", nil)
	req.Header.Set("Authorization", "Bearer wrong")
	res, err = http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("admin API with a wrong token: %v %v", err, res)
	}
	res.Body.Close()
}

// rejectsAPageAtATime loads, through the running server, a file of which 100,000 lines are
// rejected, and lists them with `etl rejects`: every one, in file order, while the command
// holds a page of them at a time. It held the server's whole answer and every reject: a
// peak of 281 MB against 189 for `etl runs` (60 against 56 now).
func rejectsAPageAtATime(t *testing.T, p *procEnv) {
	const bad = 100_000
	var b strings.Builder
	b.WriteString("year,region,indicator,value\n2025,甘肃,gdp,13900\n")
	for i := range bad {
		fmt.Fprintf(&b, "2025,火星%d,gdp,1\n", i)
	}
	file := filepath.Join(p.dir, "mostly-rejected.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := p.command("etl", "load", "--job", "economy", file).CombinedOutput()
	m := regexp.MustCompile(`\(run ([0-9a-f-]{36})\)`).FindSubmatch(out)
	if m == nil || !strings.Contains(string(out), fmt.Sprintf("rejected %d", bad)) {
		t.Fatalf("the load of %d rejected lines said:\n%s", bad, out)
	}
	// A command that finds the server holding the warehouse hands it the work without
	// loading the engine's library: it mapped it in first (190 MB, and it needed it there).
	runs := p.command("etl", "runs")
	runs.Env = append(runs.Env, "CHDB_LIB_PATH=/nonexistent/libchdb.so")
	out, yardstick, err := runMeasured(runs)
	if err != nil || yardstick > 100 {
		t.Fatalf("etl runs through the server without the engine's library: %v, peak %d MB\n%s", err, yardstick, out)
	}
	listed, got, err := runMeasured(p.command("etl", "rejects", string(m[1])))
	if err != nil {
		t.Fatalf("etl rejects: %v\n%.2000s", err, listed)
	}
	lines := strings.Split(strings.TrimSpace(string(listed)), "\n")
	if want := fmt.Sprintf("(%d rows)", bad); len(lines) != bad+3 || lines[len(lines)-1] != want {
		t.Fatalf("etl rejects listed %d lines ending %q; want a header, its rule, %d rejects and %q", len(lines), lines[len(lines)-1], bad, want)
	}
	for i, want := range []string{"3 ", `unknown region "火星0"`, fmt.Sprint(bad+2, " "), fmt.Sprintf(`unknown region "火星%d"`, bad-1)} {
		if got := lines[2+i/2*(bad-1)]; !strings.Contains(got, want) {
			t.Errorf("reject %d reads %q; want %q in it", 1+i/2*(bad-1), got, want)
		}
	}
	t.Logf("etl rejects of %d rejects peaked at %d MB, etl runs at %d MB", bad, got, yardstick)
	if got > yardstick+30 {
		t.Errorf("etl rejects of %d rejects peaked at %d MB, etl runs at %d; want it to hold a page at a time, within 30 MB of etl runs", bad, got, yardstick)
	}
}
