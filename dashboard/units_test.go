package dashboard_test

import (
	"net/http"
	"testing"

	"jinwei/dashboard"
)

// reporters are the config accounts of two units' staff, for tests of what a unit sees.
func reporters(t testing.TB, units map[string]string) func(*dashboard.Config) {
	return func(cfg *dashboard.Config) {
		for name, unit := range units {
			h, err := dashboard.HashPassword(name + "-pw")
			if err != nil {
				t.Fatal(err)
			}
			cfg.Users = append(cfg.Users, dashboard.User{Name: name, Role: dashboard.RoleReporter, Unit: unit, PasswordHash: h})
		}
	}
}

// A reporter answers for its unit only: no province-wide page or JSON (the ledger's pages
// show it its own unit's items: TestLedgerLoopOverHTTP), no SQL console or
// API, no admin page or API. A verifier sees the dashboards but runs no SQL and no loads.
func TestReportersReachNoProvincePageSQLOrAdmin(t *testing.T) {
	t.Parallel()
	f := newAccountsServer(t, false, reporters(t, map[string]string{"eco": "D03"}))
	eco, csrf := signedInHere(t, f, "eco")
	base := f.srv.URL
	for _, u := range []string{"/", "/api/cockpit", "/ranking", "/api/ranking", "/counties", "/api/counties", "/campaign", "/api/campaign", "/api/campaign/method", "/api/version",
		"/console", "/api/sql/schema", "/api/admin/runs", "/api/admin/accounts", "/api/admin/tokens", "/admin/accounts", "/admin/loads"} {
		if code := status(t, eco, "GET", base+u, nil); code != http.StatusForbidden && code != http.StatusNotFound {
			t.Errorf("reporter GET %s: %d, want 403", u, code)
		}
	}
	for _, u := range []string{"/api/sql", "/api/admin/accounts", "/api/admin/jobs/campaign/run"} {
		if code, body := call(t, eco, "POST", base+u, map[string]string{"X-CSRF-Token": csrf}, map[string]string{"sql": "SELECT 1"}); code != http.StatusForbidden {
			t.Errorf("reporter POST %s: %d %s, want 403", u, code, body)
		}
	}
	if code, body := call(t, f.client(t), "POST", base+"/api/admin/accounts", cliToken, dashboard.AccountRequest{Name: "verify1", Role: dashboard.RoleVerifier}); code != http.StatusOK {
		t.Fatalf("add a verifier: %d %s", code, body)
	}
	for _, bad := range []dashboard.AccountRequest{
		{Name: "r1", Role: dashboard.RoleReporter},
		{Name: "r2", Role: dashboard.RoleReporter, Unit: "X99"},
		{Name: "r3", Role: dashboard.RoleViewer, Unit: "D03"},
	} {
		if code, body := call(t, f.client(t), "POST", base+"/api/admin/accounts", cliToken, bad); code != http.StatusBadRequest {
			t.Errorf("add %+v: %d %s, want 400", bad, code, body)
		}
	}
	if !dashboard.RoleAllows(dashboard.RoleVerifier, dashboard.PermViewDashboards) || dashboard.RoleAllows(dashboard.RoleVerifier, dashboard.PermRunSQL) ||
		dashboard.RoleAllows(dashboard.RoleVerifier, dashboard.PermAdminLoads) || !dashboard.RoleAllows(dashboard.RoleVerifier, dashboard.PermVerify) {
		t.Errorf("the verifier role holds the wrong permissions")
	}
	if got := dashboard.ScopeOf(dashboard.RoleReporter, "D03"); got.All() || !got.Sees("D03") || got.Sees("D02") {
		t.Errorf("a reporter's scope is %v", got)
	}
	if got := dashboard.ScopeOf(dashboard.RoleVerifier, ""); !got.All() {
		t.Errorf("a verifier's scope is %v", got)
	}
}
