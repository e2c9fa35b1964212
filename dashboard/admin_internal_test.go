package dashboard

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Found by the red team: ?dir=link/sub passed the name check (it is a local name) while
// backups/link was a symbolic link to a folder elsewhere, and the backup was written there.
// Names through links out of the backups folder, or naming a link, are refused; plain and
// nested names inside it are made.
func TestBackupPathStaysInsideTheBackupsFolder(t *testing.T) {
	base := t.TempDir()
	root, outside := filepath.Join(base, "backups"), filepath.Join(base, "outside")
	for _, d := range []string{filepath.Join(root, "2026"), outside} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "new"), filepath.Join(root, "dangling")); err != nil {
		t.Fatal(err)
	}
	for name, ok := range map[string]bool{
		"nightly": true, "2026/12-01": true, "2027/01/02": true,
		"link/sub": false, "link/a/b": false, "link": false, "dangling": false,
		"../outside/x": false, outside + "/x": false, "": false,
	} {
		dir, err := backupPath(root, name)
		if ok != (err == nil) {
			t.Errorf("backupPath(%q) = %q, %v; want allowed %v", name, dir, err, ok)
		}
		if err == nil && !strings.HasPrefix(dir, root+string(filepath.Separator)) {
			t.Errorf("backupPath(%q) = %q, outside %s", name, dir, root)
		}
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("folders made outside the backups folder: %v", entries)
	}
}
