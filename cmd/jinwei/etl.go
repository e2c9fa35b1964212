package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"jinwei/etl"
	"jinwei/etl/demogen"
	"jinwei/warehouse"
)

func etlCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	if len(args) == 0 {
		return fmt.Errorf("etl needs a subcommand: inspect, load, run, runs or rejects")
	}
	switch args[0] {
	case "inspect":
		return etlInspect(ctx, args[1:], out, log)
	case "load":
		return etlLoad(ctx, args[1:], out, log)
	case "run":
		return etlRun(ctx, args[1:], out, log)
	case "runs":
		return etlRuns(ctx, args[1:], out, log)
	case "rejects":
		return etlRejects(ctx, args[1:], out, log)
	}
	return fmt.Errorf("unknown etl subcommand %q: want inspect, load, run, runs or rejects", args[0])
}

// etlInspect reads files of a kind jinwei has no mapping for yet and proposes one, with a
// dry run of it.
func etlInspect(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	job := etl.JobEconomy
	cfg, args, err := parseFlags("etl inspect", args, out, func(fs *flag.FlagSet, _ *config) {
		fs.StringVar(&job, "job", etl.JobEconomy, "economy, ecology or campaign")
	})
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return fmt.Errorf("etl inspect: name at least one file")
	}
	w, err := openWarehouse(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer w.Close()
	l := newLoader(cfg, w, log, out)
	l.Progress = nil
	var failed int
	for i, path := range args {
		if i > 0 {
			fmt.Fprintln(out)
		}
		in, err := l.Inspect(ctx, job, path)
		if err != nil {
			failed++
			fmt.Fprintf(out, "%s: %v\n", path, err)
			continue
		}
		in.Print(out)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be inspected", failed, len(args))
	}
	return nil
}

func etlLoad(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var job, mappingPath, fromURL string
	var strict, dryRun bool
	cfg, args, err := parseFlags("etl load", args, out, func(fs *flag.FlagSet, _ *config) {
		fs.BoolVar(&dryRun, "dry-run", false, "read and check everything, write nothing, and print what the load would do")
		fs.StringVar(&job, "job", "", strings.Join(etl.JobNames(), ", "))
		fs.StringVar(&mappingPath, "mapping", "", "mapping file describing the files' layout (default: the first in sources_dir matching the file name)")
		fs.StringVar(&fromURL, "url", "", "fetch the file from this http(s) URL first")
		fs.BoolVar(&strict, "strict", false, "refuse a whole file when any row is rejected")
	})
	if err != nil {
		return err
	}
	if len(args) == 0 && fromURL == "" {
		return fmt.Errorf("etl load: name at least one file, or --url")
	}
	if !slices.Contains(etl.JobNames(), job) {
		return fmt.Errorf("etl load: unknown job %q: --job is one of %s", job, strings.Join(etl.JobNames(), ", "))
	}
	w, err := openWarehouse(ctx, cfg, log)
	switch {
	case errors.Is(err, warehouse.ErrWarehouseBusy) && dryRun:
		// It said only that another process had the warehouse open (a red-team finding).
		return fmt.Errorf("etl load --dry-run: a jinwei server holds the warehouse; its upload page (/admin/upload) previews a file as this would, or stop the server to preview here")
	case errors.Is(err, warehouse.ErrWarehouseBusy):
		return handOverLoad(ctx, cfg, handOver{job: job, files: args, fromURL: fromURL, mapping: mappingPath, strict: strict}, out)
	}
	if err != nil {
		return err
	}
	defer w.Close()
	l := newLoader(cfg, w, log, out)
	if strict {
		l.MaxRejectShare = 0
	}
	runner, err := newRunner(cfg, l)
	if err != nil {
		return err
	}
	var mapping *etl.Mapping
	if mappingPath != "" {
		if mapping, err = etl.LoadMapping(mappingPath); err != nil {
			return err
		}
	}
	if fromURL != "" {
		dir, err := os.MkdirTemp("", "jinwei-fetch-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path, err := runner.Fetch(ctx, fromURL, dir)
		if err != nil {
			return err
		}
		args = append(args, path)
	}
	mappings, err := etl.LoadMappings(cfg.SourcesDir)
	if err != nil {
		return err
	}
	var failed int
	if dryRun {
		if etl.IsReferenceJob(job) {
			return fmt.Errorf("etl load --dry-run: %s is a dimension; a dry run reads fact files (economy, ecology, campaign)", job)
		}
		for _, path := range args {
			m := mapping
			if m == nil {
				m, _ = etl.FindMapping(mappings, job, path)
			}
			rep, err := l.DryRun(ctx, job, path, m)
			if rep != nil {
				fmt.Fprintf(out, "%s:\n", path)
				etl.PrintDryRun(out, rep)
			}
			if err != nil {
				failed++
				fmt.Fprintf(out, "  error: %v\n", err)
			}
		}
		if failed > 0 {
			return fmt.Errorf("%d of %d files would fail to load", failed, len(args))
		}
		return nil
	}
	for _, path := range args {
		rep, err := l.Load(ctx, job, path, cfg.HomeRegion, mapping, mappings)
		if rep != nil {
			printReport(out, rep.Run, rep.Rejects)
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

// handOverLoad sends the files to the running server that holds the warehouse.
// handOver is what `etl load` asked for, for the running server to do.
type handOver struct {
	job, fromURL, mapping string
	files                 []string
	strict                bool
}

// handOverLoad has the running server load the files. What it cannot be told is refused,
// never dropped: it fetches only its jobs' URLs, reads files with the mappings in its own
// sources_dir, and refuses a file by its own max_reject_share.
func handOverLoad(ctx context.Context, cfg *config, h handOver, out io.Writer) error {
	const held = "a jinwei server holds the warehouse"
	switch {
	case h.fromURL != "":
		return fmt.Errorf("etl load --url: %s; configure the URL on one of its jobs and run `jinwei etl run JOB`", held)
	case h.mapping != "":
		return fmt.Errorf("etl load --mapping: %s and reads files with the mappings in its sources_dir; put %s there, or stop the server to load with it", held, h.mapping)
	case h.strict:
		return fmt.Errorf("etl load --strict: %s and refuses a file by its max_reject_share; set max_reject_share = 0 in its config, or stop the server to load strictly", held)
	}
	job, files := h.job, h.files
	c, err := newServerClient(cfg.DataDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "a jinwei server (pid %d, %s) holds the warehouse: handing the files to it\n", c.info.PID, c.info.Addr)
	show := progressPrinter(out)
	var failed int
	for _, f := range files {
		watching, stopWatching := context.WithCancel(ctx)
		if show != nil {
			go c.watch(watching, filepath.Base(f), show)
		}
		res, err := c.upload(ctx, job, f)
		stopWatching()
		if err != nil {
			return err
		}
		printReport(out, res.Run, res.Rejects)
		if res.Error != "" {
			failed++
			fmt.Fprintf(out, "  error: %s\n", res.Error)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files failed to load; nothing of them is visible", failed, len(files))
	}
	return nil
}

func etlRun(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	cfg, args, err := parseFlags("etl run", args, out, nil)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("etl run: name one job")
	}
	w, err := openWarehouse(ctx, cfg, log)
	if errors.Is(err, warehouse.ErrWarehouseBusy) {
		c, err := newServerClient(cfg.DataDir)
		if err != nil {
			return err
		}
		results, err := c.runJob(ctx, args[0])
		for _, r := range results {
			printReport(out, r.Run, r.Rejects)
		}
		return err
	}
	if err != nil {
		return err
	}
	defer w.Close()
	runner, err := newRunner(cfg, newLoader(cfg, w, log, out))
	if err != nil {
		return err
	}
	reports, err := runner.RunJob(ctx, args[0])
	for _, rep := range reports {
		printReport(out, rep.Run, rep.Rejects)
	}
	if len(reports) == 0 && err == nil {
		fmt.Fprintf(out, "job %s: nothing waiting in its inbox\n", args[0])
	}
	return err
}

// newLoader builds a loader from the config that shows progress when out is a terminal.
func newLoader(cfg *config, w *warehouse.Warehouse, log *slog.Logger, out io.Writer) *etl.Loader {
	l := etl.NewLoader(w, log)
	l.MaxRejectShare = cfg.MaxRejectShare
	l.BatchRows = cfg.BatchRows
	l.Progress = progressPrinter(out)
	return l
}

// progressPrinter rewrites one line with a load's counts and speed when out is a terminal;
// nil otherwise.
func progressPrinter(out io.Writer) func(warehouse.Run) {
	term, ok := out.(*terminal)
	if !ok {
		return nil
	}
	return func(r warehouse.Run) { term.show(progressText(r, time.Since(r.StartedAt))) }
}

// progressText is a running load's counts and speed.
func progressText(r warehouse.Run, took time.Duration) string {
	return fmt.Sprintf("%s: read %d, loaded %d, rejected %d, no value %d, %.0f rows/s", r.FilePath, r.RowsRead, r.RowsLoaded, r.RowsRejected,
		r.RowsNoValue, float64(r.RowsRead)/max(took.Seconds(), 0.001))
}

// shownRejects is how many rejected rows a load prints; `etl rejects` lists them all.
const shownRejects = 20

func printReport(out io.Writer, r warehouse.Run, rejects []warehouse.Reject) {
	fmt.Fprintf(out, "%s: %s (run %s): read %d, loaded %d, rejected %d, no value %d, left out %d in %s\n",
		r.FilePath, r.Status, r.ID, r.RowsRead, r.RowsLoaded, r.RowsRejected, r.RowsNoValue, r.RowsSkipped, r.Duration().Round(time.Millisecond))
	if r.Message != "" {
		fmt.Fprintf(out, "  %s\n", r.Message)
	}
	for i, rj := range rejects {
		if i == shownRejects {
			fmt.Fprintf(out, "  … %d more: jinwei etl rejects %s\n", max(r.RowsRejected, len(rejects))-shownRejects, r.ID)
			break
		}
		// A duplicate is known by its line alone: no place after it ("line 7 : …" read so).
		fmt.Fprintf(out, "  %s: %s\n", strings.TrimSpace(fmt.Sprintf("line %d %s", rj.Line, rj.Location)), rj.Reason)
	}
}

func etlRuns(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var limit int
	var all bool
	cfg, _, err := parseFlags("etl runs", args, out, func(fs *flag.FlagSet, _ *config) {
		fs.IntVar(&limit, "limit", 20, "how many runs to list")
		fs.BoolVar(&all, "all", false, "also list loads that found their file already loaded (unchanged)")
	})
	if err != nil {
		return err
	}
	// Checked here, not by the engine: -1 reached the statement and came back as a
	// ClickHouse exception, and 0 listed nothing. A running server lists up to 1,000.
	if limit < 1 || limit > 1000 {
		return fmt.Errorf("etl runs: --limit %d is not between 1 and 1000", limit)
	}
	runs, err := fromWarehouseOrServer(ctx, cfg, log,
		func(w *warehouse.Warehouse) ([]warehouse.Run, error) { return w.RecentLoads(ctx, limit, !all) },
		func(c *serverClient) ([]warehouse.Run, error) { return c.runs(ctx, limit, !all) })
	if err != nil {
		return err
	}
	res := &warehouse.Result{Columns: []warehouse.Column{{Name: "run_id"}, {Name: "job"}, {Name: "status"}, {Name: "read"}, {Name: "loaded"}, {Name: "rejected"}, {Name: "no_value"}, {Name: "started"}, {Name: "file"}}}
	for _, r := range runs {
		res.Rows = append(res.Rows, []any{r.ID, r.Job, r.Status, strconv.Itoa(r.RowsRead), strconv.Itoa(r.RowsLoaded),
			strconv.Itoa(r.RowsRejected), strconv.Itoa(r.RowsNoValue), r.StartedAt.Format("2006-01-02 15:04:05"), r.FilePath})
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
	tw := newTableWriter(out, []string{"line", "location", "reason", "raw"})
	show := func(rows []warehouse.Reject) (bool, error) {
		cells := make([][]any, len(rows))
		for i, r := range rows {
			cells[i] = []any{strconv.Itoa(r.Line), r.Location, r.Reason, r.Raw}
		}
		tw.write(cells)
		return true, nil
	}
	_, err = fromWarehouseOrServer(ctx, cfg, log,
		func(w *warehouse.Warehouse) (struct{}, error) {
			// A run that is not there is said so, as the server says it: an empty list read
			// as a load without rejects, and a malformed id came back as the engine's error.
			if runs, _, err := w.Loads(ctx, warehouse.LoadsQuery{RunID: args[0], Limit: 1}); err != nil || len(runs) == 0 {
				return struct{}{}, cmp.Or(err, fmt.Errorf("etl rejects: no run %q (see jinwei etl runs)", args[0]))
			}
			return struct{}{}, w.EachRejectsPage(ctx, warehouse.RejectsQuery{RunID: args[0], Limit: rejectsPage}, show)
		},
		func(c *serverClient) (struct{}, error) { return struct{}{}, c.eachRejectsPage(ctx, args[0], show) })
	if err != nil {
		return err
	}
	tw.close()
	return nil
}

// rejectsPage is how many rejects `etl rejects` holds at a time.
const rejectsPage = 1000

// fromWarehouseOrServer reads what local reads from the warehouse, or, while a running
// server holds it, what remote asks that server for: a load's report names
// `jinwei etl rejects RUN`, and that failed beside the server that had just loaded the file.
func fromWarehouseOrServer[T any](ctx context.Context, cfg *config, log *slog.Logger, local func(*warehouse.Warehouse) (T, error), remote func(*serverClient) (T, error)) (T, error) {
	w, err := openWarehouse(ctx, cfg, log)
	if errors.Is(err, warehouse.ErrWarehouseBusy) {
		c, err := newServerClient(cfg.DataDir)
		if err != nil {
			var none T
			return none, err
		}
		return remote(c)
	}
	if err != nil {
		var none T
		return none, err
	}
	defer w.Close()
	return local(w)
}

func demoCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	if len(args) == 0 || (args[0] != "load" && args[0] != "generate") {
		return fmt.Errorf("demo needs a subcommand: load or generate")
	}
	var seed uint64
	cfg, _, err := parseFlags("demo "+args[0], args[1:], out, func(fs *flag.FlagSet, _ *config) {
		fs.Uint64Var(&seed, "seed", demogen.DefaultSeed, "seed of the generated data (generate)")
	})
	if err != nil {
		return err
	}
	if args[0] == "generate" {
		files, err := demogen.Generate(cfg.DemoDir, cfg.HomeRegion, seed)
		for _, f := range files {
			fmt.Fprintln(out, "wrote", f)
		}
		return err
	}
	w, err := openWarehouse(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer w.Close()
	reports, err := newLoader(cfg, w, log, out).LoadDemo(ctx, cfg.DemoDir, cfg.HomeRegion)
	for _, rep := range reports {
		printReport(out, rep.Run, rep.Rejects)
	}
	return err
}
