package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"

	"jinwei/warehouse"
)

func backupCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	cfg, args, err := parseFlags("backup", args, out, nil)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("backup: name one new folder to write the backup into")
	}
	if cfg.Warehouse != "" {
		return fmt.Errorf("backup: on a ClickHouse server, back up with the server's own BACKUP … TO Disk(…) (see the README); this command backs up the embedded warehouse")
	}
	dir, err := filepath.Abs(args[0])
	if err != nil {
		return err
	}
	w, err := openWarehouse(ctx, cfg, log)
	if errors.Is(err, warehouse.ErrWarehouseBusy) {
		// The running server makes the backup: the engine's BACKUP is consistent while
		// the warehouse is in use.
		// It writes only inside the configured backups folder, so the folder must be there.
		root, err := cfg.backupsDir()
		if err != nil {
			return err
		}
		name, err := filepath.Rel(root, dir)
		if err != nil || !filepath.IsLocal(name) {
			return fmt.Errorf("backup: the running jinwei server writes backups only inside backups_dir %s; name a new folder there (e.g. %s), or set backups_dir", root, filepath.Join(root, filepath.Base(dir)))
		}
		c, err := newServerClient(cfg.DataDir)
		if err != nil {
			return err
		}
		var res struct{ Dir string }
		if err := c.do(ctx, http.MethodPost, "/api/admin/backup?"+url.Values{"dir": {name}}.Encode(), nil, &res); err != nil {
			return err
		}
		fmt.Fprintf(out, "the jinwei server (pid %d) backed up the warehouse to %s\n", c.info.PID, res.Dir)
		return nil
	}
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.Backup(ctx, dir); err != nil {
		return err
	}
	fmt.Fprintf(out, "backed up database %s of %s to %s\n", w.Database(), cfg.DataDir, dir)
	return nil
}

func restoreCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	cfg, args, err := parseFlags("restore", args, out, nil)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("restore: name the backup folder")
	}
	w, err := warehouse.Open(warehouse.Config{DataDir: cfg.DataDir, ChdbLib: cfg.ChdbLib, Database: cfg.Database})
	if errors.Is(err, warehouse.ErrWarehouseBusy) {
		return fmt.Errorf("restore: stop the jinwei server first; a restore needs the warehouse to itself")
	}
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.Restore(ctx, args[0]); err != nil {
		return err
	}
	// A backup from an older jinwei is brought up to the current schema.
	if applied, err := w.Migrate(ctx); err != nil {
		return err
	} else if len(applied) > 0 {
		fmt.Fprintf(out, "migrated the restored warehouse: %v\n", applied)
	}
	fmt.Fprintf(out, "restored %s into %s\n", args[0], cfg.DataDir)
	return nil
}

func configCmd(_ context.Context, args []string, out io.Writer, _ *slog.Logger) error {
	if len(args) == 0 || args[0] != "check" {
		return fmt.Errorf("config needs a subcommand: check")
	}
	cfg, _, err := parseFlags("config check", args[1:], out, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "config is valid: addr %s, data_dir %s, database %s, home_region %s, %d jobs\n",
		cfg.Addr, cfg.DataDir, cfg.Database, cfg.HomeRegion, len(defaultJobs(cfg)))
	if cfg.WarehouseReadonly != "" {
		fmt.Fprintln(out, "ad hoc SQL runs as the read-only user of warehouse_readonly")
	}
	return nil
}
