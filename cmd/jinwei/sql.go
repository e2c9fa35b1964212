package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
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
	res, err := w.Query(ctx, strings.TrimSpace(args[0]), nil)
	if err != nil {
		return err
	}
	return writeResult(out, res, format)
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
