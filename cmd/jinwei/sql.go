package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os/user"
	"strings"

	"jinwei/warehouse"
)

func sqlCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var format string
	cfg, args, err := parseFlags("sql", args, out, func(fs *flag.FlagSet, _ *config) {
		fs.StringVar(&format, "format", "table", "table, csv or json")
	})
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("sql: give the statement as one argument, quoted")
	}
	if !validFormats[format] {
		return fmt.Errorf("sql: unknown format %q: want table, csv or json", format)
	}
	w, err := openWarehouse(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer w.Close()
	// The command line goes through the same guard and audit log as the web console: it is
	// an analyst's tool, not a way around them. On a server with warehouse_readonly, the
	// statement runs as that user and the audit entry is written as jinwei's own.
	res, err := w.AuditedQuery(ctx, "cli:"+osUser(), warehouse.AuditAdHoc, format, strings.TrimSpace(args[0]), warehouse.DefaultLimits())
	if err != nil {
		return err
	}
	if res.Truncated {
		defer fmt.Fprintf(out, "(cut at %d rows)\n", warehouse.DefaultLimits().MaxRows)
	}
	return writeResult(out, (*warehouse.Result)(res.Result), format)
}

func osUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "unknown"
}

func migrateCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var print bool
	var copyTo string
	cfg, _, err := parseFlags("migrate", args, out, func(fs *flag.FlagSet, _ *config) {
		fs.BoolVar(&print, "print", false, "print the DDL for this warehouse (embedded, server or --cluster) instead of applying it")
		fs.StringVar(&copyTo, "copy-to", "", "copy the embedded warehouse's tables to this ClickHouse server DSN")
	})
	if err != nil {
		return err
	}
	if print {
		return warehouse.WriteMigrationDDL(out, warehouseConfig(cfg))
	}
	w, err := openWarehouse(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer w.Close()
	if copyTo != "" {
		dst, err := warehouse.Open(warehouse.Config{ServerDSN: copyTo, Cluster: cfg.Cluster, Database: cfg.Database})
		if err != nil {
			return err
		}
		defer dst.Close()
		if _, err := dst.Migrate(ctx); err != nil {
			return err
		}
		return w.CopyTo(ctx, dst, func(table string, rows int64) { fmt.Fprintf(out, "copied %s: %d rows\n", table, rows) })
	}
	fmt.Fprintf(out, "warehouse %s (database %s) is at the current schema\n", where(cfg), w.Database())
	return nil
}
