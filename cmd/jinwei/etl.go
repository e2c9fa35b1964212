package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"jinwei/etl"
	"jinwei/warehouse"
)

func etlCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	if len(args) == 0 {
		return fmt.Errorf("etl needs a subcommand: load, runs or rejects")
	}
	switch args[0] {
	case "load":
		return etlLoad(ctx, args[1:], out, log)
	case "runs":
		return etlRuns(ctx, args[1:], out, log)
	case "rejects":
		return etlRejects(ctx, args[1:], out, log)
	}
	return fmt.Errorf("unknown etl subcommand %q: want load, runs or rejects", args[0])
}

func etlLoad(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var job string
	var strict bool
	cfg, args, err := parseFlags("etl load", args, out, func(fs *flag.FlagSet, _ *config) {
		fs.StringVar(&job, "job", "", "economy, regions, indicators or peer_groups")
		fs.BoolVar(&strict, "strict", false, "refuse a whole file when any row is rejected")
	})
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return fmt.Errorf("etl load: name at least one file")
	}
	w, err := openWarehouse(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer w.Close()
	l := etl.NewLoader(w, log)
	if strict {
		l.MaxRejectShare = 0
	}
	loaders := map[string]func(path string) (*etl.Report, error){
		etl.JobEconomy:    func(p string) (*etl.Report, error) { return l.LoadEconomy(ctx, p) },
		etl.JobRegions:    func(p string) (*etl.Report, error) { return l.LoadRegions(ctx, p) },
		etl.JobIndicators: func(p string) (*etl.Report, error) { return l.LoadIndicators(ctx, p) },
		etl.JobPeerGroups: func(p string) (*etl.Report, error) { return l.LoadPeerGroups(ctx, p, cfg.HomeRegion) },
	}
	load, ok := loaders[job]
	if !ok {
		return fmt.Errorf("etl load: unknown job %q: want economy, regions, indicators or peer_groups", job)
	}
	var failed int
	for _, path := range args {
		rep, err := load(path)
		if rep != nil {
			printReport(out, rep)
		}
		if err != nil {
			failed++
			fmt.Fprintf(out, "  error: %v\n", err)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files failed to load; nothing of them is visible", failed, len(args))
	}
	return nil
}

// shownRejects is how many rejected rows a load prints; `etl rejects` lists them all.
const shownRejects = 20

func printReport(out io.Writer, rep *etl.Report) {
	r := rep.Run
	fmt.Fprintf(out, "%s: %s (run %s): read %d, loaded %d, rejected %d in %s\n",
		r.FilePath, r.Status, r.ID, r.RowsRead, r.RowsLoaded, r.RowsRejected, r.Duration().Round(1e6))
	if r.Message != "" {
		fmt.Fprintf(out, "  %s\n", r.Message)
	}
	for i, rj := range rep.Rejects {
		if i == shownRejects {
			fmt.Fprintf(out, "  … %d more: jinwei etl rejects %s\n", len(rep.Rejects)-shownRejects, r.ID)
			break
		}
		fmt.Fprintf(out, "  line %d %s: %s\n", rj.Line, rj.Location, rj.Reason)
	}
}

func etlRuns(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var limit int
	cfg, _, err := parseFlags("etl runs", args, out, func(fs *flag.FlagSet, _ *config) {
		fs.IntVar(&limit, "limit", 20, "how many runs to list")
	})
	if err != nil {
		return err
	}
	w, err := openWarehouse(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer w.Close()
	runs, err := w.RecentRuns(ctx, limit)
	if err != nil {
		return err
	}
	res := &warehouse.Result{Columns: []warehouse.Column{{Name: "run_id"}, {Name: "job"}, {Name: "status"}, {Name: "read"}, {Name: "loaded"}, {Name: "rejected"}, {Name: "started"}, {Name: "file"}}}
	for _, r := range runs {
		res.Rows = append(res.Rows, []any{r.ID, r.Job, r.Status, strconv.Itoa(r.RowsRead), strconv.Itoa(r.RowsLoaded),
			strconv.Itoa(r.RowsRejected), r.StartedAt.Format("2006-01-02 15:04:05"), r.FilePath})
	}
	return writeResult(out, res, "table")
}

func etlRejects(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	cfg, args, err := parseFlags("etl rejects", args, out, nil)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return errors.New("etl rejects: name one run id (see jinwei etl runs)")
	}
	w, err := openWarehouse(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer w.Close()
	rejects, err := w.Rejects(ctx, args[0])
	if err != nil {
		return err
	}
	res := &warehouse.Result{Columns: []warehouse.Column{{Name: "line"}, {Name: "location"}, {Name: "reason"}, {Name: "raw"}}}
	for _, r := range rejects {
		res.Rows = append(res.Rows, []any{strconv.Itoa(r.Line), r.Location, r.Reason, r.Raw})
	}
	return writeResult(out, res, "table")
}

func demoCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	if len(args) == 0 || args[0] != "load" {
		return fmt.Errorf("demo needs a subcommand: load")
	}
	cfg, _, err := parseFlags("demo load", args[1:], out, nil)
	if err != nil {
		return err
	}
	w, err := openWarehouse(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer w.Close()
	reports, err := etl.NewLoader(w, log).LoadDemo(ctx, cfg.DemoDir, cfg.HomeRegion)
	for _, rep := range reports {
		printReport(out, rep)
	}
	return err
}
