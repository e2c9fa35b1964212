package chdb

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// adhocDir is the folder inside the data directory that holds the workers' snapshots: on
// the same file system, so a snapshot is hard links, not copies.
const adhocDir = "jinwei_adhoc"

// skipTop are the data directory's entries a snapshot leaves out: the server's lock file,
// the staged inserts and exports, the snapshots themselves and the engine's scratch space.
// and the tables of dropped databases, which the engine removes only minutes later.
var skipTop = map[string]bool{"status": true, "jinwei_spool": true, adhocDir: true, "tmp": true, "metadata_dropped": true}

// keptDatabases are the engine's own databases, which a worker opens beside the warehouse's.
var keptDatabases = map[string]bool{"system": true, "default": true, "information_schema": true, "INFORMATION_SCHEMA": true}

// snapshotLocked fills dst with hard links to the data directory's files, a copy that costs
// neither disk nor time (a link per file; tens of milliseconds for the demo warehouse) and
// that a worker can open as its own data directory. MergeTree never changes a written
// file: a merge or a mutation writes new parts and removes old ones, and a metadata file is
// replaced whole, so the links keep the files as they were while the server goes on. The
// caller holds the connection, so no statement of this process is half written; parts a
// background merge is still writing (tmp_…) are left out, and a worker that finds both a
// merged part and its sources reads the merged one. Symbolic links (the engine's
// data/DB/TABLE and metadata/DB) are made again pointing inside the snapshot. Of the
// databases only db's and the engine's own are declared (metadata/), so a worker opens no
// other's tables (a test process has many) and starts sooner.
func (c *chdbConn) snapshotLocked(dst, db string) error {
	src := filepath.Clean(c.path)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed meanwhile by a merge's cleanup
			}
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		name := d.Name()
		if dir, base := filepath.Split(rel); dir == "metadata"+string(filepath.Separator) {
			if dbName := strings.TrimSuffix(base, ".sql"); dbName != db && !keptDatabases[dbName] {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
		}
		if (!strings.Contains(rel, string(filepath.Separator)) && skipTop[name]) || strings.HasPrefix(name, "tmp_") ||
			strings.HasPrefix(name, "tmp-") || strings.HasPrefix(name, "delete_tmp_") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			to, err := os.Readlink(p)
			if err != nil {
				return err
			}
			if inside, err := filepath.Rel(src, to); err == nil && filepath.IsAbs(to) && !strings.HasPrefix(inside, "..") {
				to = filepath.Join(dst, inside)
			}
			return os.Symlink(to, target)
		case d.IsDir():
			return os.MkdirAll(target, 0o700)
		default:
			if err := os.Link(p, target); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			return nil
		}
	})
	if err != nil {
		return fmt.Errorf("snapshot the warehouse for ad hoc SQL: %w", err)
	}
	return nil
}
