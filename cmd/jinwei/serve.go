package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"jinwei/dashboard"
	"jinwei/warehouse"
)

func serveCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var noDemo bool
	cfg, _, err := parseFlags("serve", args, out, func(fs *flag.FlagSet, cfg *config) {
		fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to serve the dashboard on")
		fs.BoolVar(&noDemo, "no-demo", false, "do not load the demo data set")
	})
	if err != nil {
		return err
	}
	start := time.Now()
	if cfg.worker, err = os.Executable(); err != nil {
		return fmt.Errorf("find this program, to run ad hoc SQL beside the dashboards: %w", err)
	}
	w, err := openWarehouse(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer w.Close()
	metrics := dashboard.NewMetrics(w)
	stopObserving := w.ObserveQueries(metrics.ObserveQuery)
	defer stopObserving()
	loader := newLoader(cfg, w, log, io.Discard)
	running := newInflight()
	loader.Progress = running.update
	loader.OnRun = func(r warehouse.Run) {
		running.done(r)
		metrics.RecordRun(r)
	}
	if cfg.LoadDemo && !noDemo {
		if _, err := loader.LoadDemo(ctx, cfg.DemoDir, cfg.HomeRegion); err != nil {
			return err
		}
	}
	runner, err := newRunner(cfg, loader)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	info, err := writeServeInfo(cfg.DataDir, ln.Addr().String())
	if err != nil {
		return err
	}
	defer os.Remove(serveInfoPath(cfg.DataDir))
	key, err := sessionKey(cfg)
	if err != nil {
		return err
	}
	if len(cfg.Users) == 0 {
		log.Warn("no users are configured: the pages run in an open demo mode; add accounts with `jinwei user add NAME --role admin`")
	}
	app, err := dashboard.New(dashboard.Config{HomeRegion: cfg.HomeRegion, AdminToken: info.Token, Jobs: adminJobs{runner, running},
		Headlines: cfg.Headlines, CampaignWeights: cfg.Campaign.Weights, Metrics: metrics,
		Users: cfg.Users, SessionKey: key, SessionTTL: sessionTTL(cfg)}, w, log)
	if err != nil {
		return err
	}
	// Requests and scheduled loads share a context that shutdown cancels: a load in flight
	// then stops at its next batch and its run fails, leaving nothing of its file visible.
	jobsCtx, stopJobs := context.WithCancel(context.Background())
	defer stopJobs()
	srv := &http.Server{Handler: app, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return jobsCtx }}
	fmt.Fprintf(out, "jinwei is serving the dashboard at http://%s/ (ready in %s)\n", ln.Addr(), time.Since(start).Round(time.Millisecond))
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	schedCtx, stopSchedule := context.WithCancel(jobsCtx)
	defer stopSchedule()
	go func() {
		if err := runner.Schedule(schedCtx, nil); err != nil {
			errc <- err
		}
	}()
	if w.Engine() != "embedded" {
		go forgetOnForeignLoads(schedCtx, w, log)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return shutdown(srv, stopSchedule, stopJobs, log)
}

// shutdownGrace is how long requests in flight may take to finish before the ones still
// running (long loads) are abandoned.
const shutdownGrace = 3 * time.Second

// shutdown stops the schedules at once, lets requests finish for a grace period, then
// abandons what still runs (their loads fail and leave nothing visible) and waits for it.
func shutdown(srv *http.Server, stopSchedule, abandon func(), log *slog.Logger) error {
	log.Info("shutting down")
	stopSchedule()
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		done <- srv.Shutdown(ctx)
	}()
	select {
	case err := <-done:
		return shutdownErr(err)
	case <-time.After(shutdownGrace):
		log.Info("abandoning requests still running")
		abandon()
	}
	return shutdownErr(<-done)
}

func shutdownErr(err error) error {
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// forgetOnForeignLoads drops the query cache when another process records a load: on a
// server, ETL commands need not go through this process, so its own writes are not all.
func forgetOnForeignLoads(ctx context.Context, w *warehouse.Warehouse, log *slog.Logger) {
	last, _ := w.LoadStamp(ctx)
	every(ctx, 10*time.Second, func() {
		stamp, err := w.LoadStamp(ctx)
		if err != nil {
			log.Warn("poll for loads by other processes", "err", err)
			return
		}
		if stamp != last {
			last = stamp
			w.ForgetCachedResults()
		}
	})
}
