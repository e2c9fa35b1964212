package warehouse

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// Backup writes a consistent copy of jinwei's database into dir (which must not exist yet)
// with the engine's own BACKUP, while the warehouse stays in use.
func (w *Warehouse) Backup(ctx context.Context, dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("backup to %s: it exists already; name a new folder", abs)
	}
	// A backup holds every table, account data included: readable by this user only. The
	// folder is made 0700 before the engine writes into it, so no other user can reach its
	// files even before they are narrowed to 0600 below.
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return fmt.Errorf("backup to %s: %w", abs, err)
	}
	if err := os.Mkdir(abs, 0o700); err != nil {
		return fmt.Errorf("backup to %s: %w", abs, err)
	}
	// The database name and path are jinwei's own (config and the operator's command),
	// quoted as literals: BACKUP takes no query parameters.
	stmt := "BACKUP DATABASE " + quoteIdent(w.db) + " TO File(" + quoteString(abs) + ")"
	if err := w.Exec(ctx, stmt, nil); err != nil {
		return fmt.Errorf("backup to %s: %w", abs, err)
	}
	if err := ownerOnly(abs); err != nil {
		return fmt.Errorf("backup to %s: %w", abs, err)
	}
	return nil
}

// ownerOnly makes every folder under dir 0700 and every file 0600: the engine writes them
// with its own modes.
func ownerOnly(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := fs.FileMode(0o600)
		if d.IsDir() {
			mode = 0o700
		}
		return os.Chmod(p, mode)
	})
}

// Restore reads a backup made by Backup into the warehouse, whose database must not hold
// jinwei's tables yet (restore into a new data directory).
func (w *Warehouse) Restore(ctx context.Context, dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(abs, ".backup")); err != nil {
		return fmt.Errorf("restore from %s: not a jinwei backup (no .backup file)", abs)
	}
	res, err := w.eng.query(ctx, "SELECT count() AS n FROM system.tables WHERE database = {db:String}", Params{"db": w.db})
	if err != nil {
		return fmt.Errorf("restore from %s: %w", abs, err)
	}
	if n := res.Rows[0][0]; n != int64(0) {
		return fmt.Errorf("restore from %s: database %s already holds %v tables; restore into a new data directory", abs, w.db, n)
	}
	if err := w.Exec(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(w.db), nil); err != nil {
		return fmt.Errorf("restore from %s: %w", abs, err)
	}
	stmt := "RESTORE DATABASE " + quoteIdent(w.db) + " FROM File(" + quoteString(abs) + ")"
	if err := w.Exec(ctx, stmt, nil); err != nil {
		return fmt.Errorf("restore from %s: %w", abs, err)
	}
	return nil
}

// TableChecksum is one table's row count and content checksum.
type TableChecksum struct {
	Table string
	Rows  uint64
	Sum   uint64
}

// Checksums lists every table of jinwei's database with its row count and a checksum of its
// content, to compare a restored warehouse with the original. It compares what the tables
// hold, not how their parts happen to be merged: a table whose engine collapses rows on
// merge (ReplacingMergeTree and kin) is read with FINAL, as background merges, which may
// run any time before a backup or after a restore, change its stored rows but not that.
func (w *Warehouse) Checksums(ctx context.Context) ([]TableChecksum, error) {
	res, err := w.eng.query(ctx, "SELECT name, engine FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree' ORDER BY name", nil)
	if err != nil {
		return nil, err
	}
	var out []TableChecksum
	for _, row := range res.Rows {
		name, engine := row[0].(string), row[1].(string)
		from := quoteIdent(name)
		if engine != "MergeTree" && engine != "ReplicatedMergeTree" {
			from += " FINAL"
		}
		r, err := w.eng.query(ctx, "SELECT count() AS n, groupBitXor(cityHash64(*)) AS s FROM "+from, nil)
		if err != nil {
			return nil, fmt.Errorf("checksum %s: %w", name, err)
		}
		out = append(out, TableChecksum{Table: name, Rows: toUint(r.Rows[0][0]), Sum: toUint(r.Rows[0][1])})
	}
	return out, nil
}

func toUint(v any) uint64 {
	switch x := v.(type) {
	case int64:
		return uint64(x)
	case uint64:
		return x
	case float64:
		return uint64(x)
	}
	n, _ := strconv.ParseUint(fmt.Sprint(v), 10, 64)
	return n
}
