package warehouse

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"jinwei/warehouse/ch"
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
	stmt := "BACKUP DATABASE " + ch.QuoteIdent(w.db) + " TO File(" + ch.QuoteString(abs) + ")"
	// A backup changes no data: no new data version.
	if err := w.eng.exec(ctx, stmt, nil); err != nil {
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
	if err := w.exec(ctx, "DROP DATABASE IF EXISTS "+ch.QuoteIdent(w.db), nil); err != nil {
		return fmt.Errorf("restore from %s: %w", abs, err)
	}
	// The restored data is a new data version: one more than the backup's, whatever
	// version the warehouse had before it was lost.
	stmt := "RESTORE DATABASE " + ch.QuoteIdent(w.db) + " FROM File(" + ch.QuoteString(abs) + ")"
	if err := w.exec(ctx, stmt, nil); err != nil {
		return fmt.Errorf("restore from %s: %w", abs, err)
	}
	return nil
}
