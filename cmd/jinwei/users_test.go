package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"jinwei/dashboard"
	"jinwei/warehouse/whtest"
)

// shownOnce returns the secret a command printed on the line after label, or fails.
func shownOnce(t *testing.T, out, label string) string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(label) + `\s*(\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %q in output:\n%s", label, out)
	}
	return m[1]
}

// Without a running server, user and token commands write the warehouse's tables; the
// config's accounts are there too, as a bootstrap.
func TestUserAndTokenCommandsWriteTheWarehouse(t *testing.T) {
	hash, err := dashboard.HashPassword("boot-pw")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "jinwei.toml")
	if err := os.WriteFile(path, []byte(fmt.Sprintf("[[users]]\nname = \"boot\"\nrole = \"viewer\"\npassword_hash = %q\n", hash)), 0o600); err != nil {
		t.Fatal(err)
	}
	db := whtest.NewDatabaseName() // a database of its own: -count=2 runs the test twice
	cli := func(args ...string) (string, error) {
		return runCLI(t, append(args, "--config", path, "--data-dir", testDataDir, "--database", db)...)
	}
	out, err := cli("user", "add", "ops", "--role", "admin")
	if err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	password := shownOnce(t, out, "password (shown once, not stored):")
	if len(password) < 16 {
		t.Errorf("password %q is short", password)
	}
	if _, err := cli("user", "add", "ops"); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("adding ops twice: %v", err)
	}
	if _, err := cli("user", "add", "x", "--role", "root"); err == nil {
		t.Errorf("a user with role root was added")
	}
	out, err = cli("user", "passwd", "ops")
	if err != nil || shownOnce(t, out, "(shown once, not stored):") == password {
		t.Errorf("user passwd: %v\n%s", err, out)
	}
	if out, err := cli("user", "disable", "ops"); err != nil {
		t.Fatalf("user disable: %v\n%s", err, out)
	}
	out, err = cli("user", "list")
	if err != nil || !regexp.MustCompile(`boot\s+viewer\s+enabled\s+config`).MatchString(out) || !regexp.MustCompile(`ops\s+admin\s+disabled\s+cli`).MatchString(out) {
		t.Errorf("user list: %v\n%s", err, out)
	}
	out, err = cli("token", "add", "wall", "--role", "viewer", "--expires", "never")
	if err != nil || !strings.Contains(out, "never expires") {
		t.Fatalf("token add: %v\n%s", err, out)
	}
	token := shownOnce(t, out, "Authorization: Bearer …):")
	id := shownOnce(t, out, "token")
	out, err = cli("token", "list")
	if err != nil || !regexp.MustCompile(id+`\s+wall\s+viewer\s+\S+\s+never\s+valid`).MatchString(out) || strings.Contains(out, token) {
		t.Errorf("token list: %v\n%s", err, out)
	}
	if _, err := cli("token", "add", "boot", "--role", "admin"); err == nil {
		t.Errorf("an admin token for a viewer account was made")
	}
	if out, err := cli("token", "revoke", id); err != nil {
		t.Fatalf("token revoke: %v\n%s", err, out)
	}
	if out, _ := cli("token", "list"); !regexp.MustCompile(id + `\s+wall\s+viewer\s+\S+\s+never\s+revoked`).MatchString(out) {
		t.Errorf("token list after revoke:\n%s", out)
	}
}

// While `serve` owns the embedded warehouse, user and token commands go through it: an
// account added signs in at once, a token works at once, and disabling the account ends
// its session, with no restart and no config edit.
func TestAccountCommandsGoThroughTheRunningServer(t *testing.T) {
	t.Parallel()
	p := newProcEnv(t)
	_, info, _ := p.serve(t, "--no-demo")
	base := "http://" + info.Addr
	out := p.run(t, "user", "add", "ana", "--role", "analyst")
	if !strings.Contains(out, "holds the warehouse: the change goes through it") {
		t.Errorf("user add did not go through the server:\n%s", out)
	}
	password := shownOnce(t, out, "password (shown once, not stored):")

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on the sign-in page (status %d)", res.StatusCode)
	}
	// Plain http on loopback: the cookies must not be Secure, or the jar keeps them back.
	res, err = c.PostForm(base+"/login", url.Values{"user": {"ana"}, "password": {password}, "_csrf": {string(m[1])}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in of the added account over http: %v %v", err, res)
	}
	res.Body.Close()
	get := func(c *http.Client, header map[string]string) int {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/sql/schema", nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := get(c, nil); code != http.StatusOK {
		t.Errorf("signed-in analyst on the schema: %d", code)
	}
	out = p.run(t, "token", "add", "ana", "--role", "analyst", "--expires", "30d")
	token := shownOnce(t, out, "Authorization: Bearer …):")
	if code := get(http.DefaultClient, map[string]string{"Authorization": "Bearer " + token}); code != http.StatusOK {
		t.Errorf("the new token on the schema: %d", code)
	}
	p.run(t, "user", "disable", "ana")
	if code := get(c, nil); code != http.StatusUnauthorized {
		t.Errorf("session after user disable: %d, want 401", code)
	}
	if code := get(http.DefaultClient, map[string]string{"Authorization": "Bearer " + token}); code != http.StatusUnauthorized {
		t.Errorf("token of a disabled account: %d, want 401", code)
	}
	out = p.run(t, "user", "list")
	if !regexp.MustCompile(`ana\s+analyst\s+disabled`).MatchString(out) {
		t.Errorf("user list:\n%s", out)
	}
}

// Demo mode (no accounts) refuses a non-loopback address unless --demo-public says so.
func TestServeRefusesPublicDemoModeUnlessAsked(t *testing.T) {
	_, err := runCLI(t, "serve", "--no-demo", "--addr", "0.0.0.0:0", "--data-dir", testDataDir, "--database", whtest.NewDatabaseName())
	if err == nil || !strings.Contains(err.Error(), "--demo-public") {
		t.Errorf("public demo mode: %v, want a refusal naming --demo-public", err)
	}
	for addr, want := range map[string]bool{"127.0.0.1:8080": true, "[::1]:80": true, "localhost:8080": true, "0.0.0.0:8080": false,
		":8080": false, "10.0.0.5:8080": false, "example.org:80": false} {
		if got := loopbackAddr(addr); got != want {
			t.Errorf("loopbackAddr(%q) = %v, want %v", addr, got, want)
		}
	}
}

// The account keys of the config are checked when it is read.
func TestConfigChecksAccountKeys(t *testing.T) {
	for _, tc := range []struct {
		text, wantErr string
	}{
		{`trusted_proxies = ["10.0.0.0/8", "127.0.0.1", "::1"]` + "\ncookie_secure = \"always\"\ndemo_public = true", ""},
		{`trusted_proxies = ["10.0.0.0/33"]`, "trusted_proxies"},
		{`trusted_proxies = ["nginx"]`, "trusted_proxies"},
		{`cookie_secure = "sometimes"`, "cookie_secure"},
		{"[[users]]\nname = \"x\"\nrole = \"root\"\npassword_hash = \"$2a$10$x\"", "role"},
	} {
		path := filepath.Join(t.TempDir(), "jinwei.toml")
		if err := os.WriteFile(path, []byte(tc.text), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := loadConfig(path, true)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.text, err)
		case tc.wantErr == "" && (len(cfg.TrustedProxies) != 3 || cfg.CookieSecure != "always" || !cfg.DemoPublic):
			t.Errorf("%s: read as %+v", tc.text, cfg)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: %v, want an error naming %s", tc.text, err, tc.wantErr)
		}
	}
}

// The addresses the config has jinwei call, the alerts' robots and the jobs' URL sources,
// are checked alike when it is read, naming the key and never quoting the address.
func TestConfigChecksTheAddressesItCalls(t *testing.T) {
	for _, tc := range []struct {
		text, wantErr string
	}{
		{"[[jobs]]\nname = \"economy\"\ninbox = \"/tmp/in\"\nurl = \"https://stats.example.test/gdp.csv?key=secret-token\"", ""},
		{"[[jobs]]\nname = \"economy\"\ninbox = \"/tmp/in\"\nurl = \"htps://stats.example.test/gdp.csv?key=secret-token\"", `jobs[0] ("economy"): url: scheme "htps" is not http or https`},
		{"[[jobs]]\nname = \"economy\"\ninbox = \"/tmp/in\"\nurl = \"https:///gdp.csv?key=secret-token\"", `jobs[0] ("economy"): url has no host`},
		{"[[alerts.channels]]\nname = \"ding\"\ntype = \"dingtalk\"\nurl = \"ftp://x/?access_token=secret-token\"", `alerts.channels[0] ("ding"): url: scheme "ftp" is not http or https`},
	} {
		path := filepath.Join(t.TempDir(), "jinwei.toml")
		if err := os.WriteFile(path, []byte(tc.text), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := loadConfig(path, true)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.text, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: %v, want an error saying %s", tc.text, err, tc.wantErr)
		case err != nil && strings.Contains(err.Error(), "secret-token"):
			t.Errorf("%s: the error quotes the address: %v", tc.text, err)
		}
	}
}

// A reporter names its unit; a CSV of units' staff is imported all or nothing, and the first
// passwords go to a new file only its owner may read (or are printed once).
func TestReporterAccountsAddedOneByOneAndInBulk(t *testing.T) {
	dir := t.TempDir()
	db := whtest.NewDatabaseName() // a database of its own: -count=2 runs the test twice
	cli := func(args ...string) (string, error) {
		return runCLI(t, append(args, "--data-dir", testDataDir, "--database", db)...)
	}
	out, err := cli("user", "add", "eco", "--role", "reporter", "--unit", "D03")
	if err != nil || !strings.Contains(out, "of unit D03") {
		t.Fatalf("user add --unit: %v\n%s", err, out)
	}
	shownOnce(t, out, "password (shown once, not stored):")
	for _, bad := range [][]string{
		{"user", "add", "nounit", "--role", "reporter"},
		{"user", "add", "viewerunit", "--role", "viewer", "--unit", "D03"},
		{"user", "add", "nowhere", "--role", "reporter", "--unit", "X99"},
	} {
		if out, err := cli(bad...); err == nil {
			t.Errorf("%v was accepted:\n%s", bad, out)
		}
	}
	if out, err := cli("token", "add", "eco", "--role", "reporter"); err == nil {
		t.Errorf("an API token for a reporter was made:\n%s", out)
	}

	csvPath := filepath.Join(dir, "staff.csv")
	write := func(text string) {
		if err := os.WriteFile(csvPath, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// One bad line (an unknown unit) and one name taken: nothing is added.
	write("\ufeff单位,姓名,联系方式\n省财政厅,fin1,0931-1\nD99,ghost,x\nD03,eco,y\n")
	out, err = cli("user", "import", csvPath)
	if err == nil || !strings.Contains(err.Error(), "2 (ghost)") || !strings.Contains(err.Error(), "3 (eco)") {
		t.Fatalf("import with bad lines: %v\n%s", err, out)
	}
	if out, _ := cli("user", "list"); strings.Contains(out, "fin1") {
		t.Fatalf("a failed import added fin1:\n%s", out)
	}
	write("unit,name,contact\n省财政厅,fin1,0931-1\nD02,fin2,0931-2\n省商务厅,trade,\n")
	pwPath := filepath.Join(dir, "passwords.csv")
	out, err = cli("user", "import", csvPath, "--passwords", pwPath)
	if err != nil || !strings.Contains(out, "imported 3 accounts") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	info, err := os.Stat(pwPath)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("password file: %v %v", info, err)
	}
	data, _ := os.ReadFile(pwPath)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 4 || !regexp.MustCompile(`^D02,fin1,0931-1,reporter,\S{16,}$`).MatchString(lines[1]) || !strings.HasPrefix(lines[3], "D06,trade,,reporter,") {
		t.Errorf("password file:\n%s", data)
	}
	if strings.Contains(out, strings.Split(lines[1], ",")[4]) {
		t.Errorf("a password written to the file was printed too:\n%s", out)
	}
	// The file is never overwritten: a second import to it adds nobody.
	write("unit,name\nD04,land\n")
	if out, err := cli("user", "import", csvPath, "--passwords", pwPath); err == nil {
		t.Errorf("an import over an existing password file ran:\n%s", out)
	}
	out, err = cli("user", "import", csvPath)
	if err != nil || !regexp.MustCompile(`(?m)^D04,land,,reporter,\S{16,}$`).MatchString(out) {
		t.Errorf("import printing the passwords: %v\n%s", err, out)
	}
	out, _ = cli("user", "list")
	if !regexp.MustCompile(`fin2\s+reporter\s+enabled\s+cli\s+\S+ \S+\s+D02`).MatchString(out) {
		t.Errorf("user list does not show fin2's unit:\n%s", out)
	}
}
