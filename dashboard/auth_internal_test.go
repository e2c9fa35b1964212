package dashboard

import "testing"

// next keeps to paths of this site; anything else goes to the home page.
func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{
		"/ranking?group=west12":    "/ranking?group=west12",
		"/ecology/items/HH-01#top": "/ecology/items/HH-01#top",
		"/\t/evil.example/":        "/",
		"/\n/evil.example/":        "/",
		"/\x00/evil":               "/",
		"/\x7f/evil":               "/",
		"//evil.example/":          "/",
		"/\\evil.example/":         "/",
		"/a\\b":                    "/",
		"https://evil.example/":    "/",
		"evil.example":             "/",
		"":                         "/",
		"javascript:alert(1)":      "/",
		"/%0a/evil":                "/%0a/evil", // stays escaped: a path on this site
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

// Roles are sets: an analyst runs SQL but does not load; only admins manage accounts.
func TestRolesAreSetsOfPermissions(t *testing.T) {
	for _, tc := range []struct {
		role string
		p    Permission
		want bool
	}{
		{RoleViewer, PermViewDashboards, true}, {RoleViewer, PermRunSQL, false}, {RoleViewer, PermExport, false},
		{RoleAnalyst, PermRunSQL, true}, {RoleAnalyst, PermExport, true}, {RoleAnalyst, PermAdminLoads, false},
		{RoleAnalyst, PermReadAudit, false}, {RoleAnalyst, PermManageAccounts, false},
		{RoleAdmin, PermManageAccounts, true}, {RoleAdmin, PermReadAudit, true}, {RoleAdmin, PermAdminLoads, true},
		{"root", PermViewDashboards, false},
	} {
		if got := RoleAllows(tc.role, tc.p); got != tc.want {
			t.Errorf("%s may %s: %v, want %v", tc.role, tc.p, got, tc.want)
		}
	}
}
