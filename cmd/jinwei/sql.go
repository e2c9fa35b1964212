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
	// an analyst's tool, not a way around them.
	res, err := w.AuditedQuery(ctx, "cli:"+osUser(), "query", format, strings.TrimSpace(args[0]), warehouse.DefaultLimits())
	if err != nil {
		return err
	}
	if res.Truncated {
		defer fmt.Fprintf(out, "(cut at %d rows)\n", warehouse.DefaultLimits().MaxRows)
	}
	return writeResult(out, res.Result, format)
}

func osUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "unknown"
}

func migrateCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	cfg, _, err := parseFlags("migrate", args, out, nil)
	if err != nil {
		return err
	}
	w, err := openWarehouse(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer w.Close()
	fmt.Fprintf(out, "warehouse %s (database %s) is at the current schema\n", cfg.DataDir, w.Database())
	return nil
}
