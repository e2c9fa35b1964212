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
	"jinwei/dashboard/alerts"
	"jinwei/warehouse"
)

func serveCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var noDemo bool
	cfg, _, err := parseFlags("serve", args, out, func(fs *flag.FlagSet, cfg *config) {
		fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to serve the dashboard on")
		fs.BoolVar(&noDemo, "no-demo", false, "do not load the demo data set")
		fs.BoolVar(&cfg.DemoPublic, "demo-public", cfg.DemoPublic, "allow demo mode (no accounts: anyone views the dashboards) on a non-loopback address")
	})
	if err != nil {
		return err
	}
	start := time.Now()
	if cfg.worker, err = os.Executable(); err != nil {
		return fmt.Errorf("find this program, to run ad hoc SQL beside the dashboards: %w", err)
	}
	removeStaleTemp, err := useOwnTempDir(cfg.DataDir, log)
	if err != nil {
		return err
	}
	w, err := openWarehouse(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer w.Close()
	// Once the warehouse is ours (the embedded one admits one process), what killed runs
	// left on disk is removed: temporary files and inboxes' partial files.
	if err := removeStaleTemp(); err != nil {
		return err
	}
	if err := removePartials(cfg, w.Engine() == "embedded", log); err != nil {
		return err
	}
	metrics := dashboard.NewMetrics(w)
	stopObserving := w.ObserveQueries(metrics.ObserveQuery)
	defer stopObserving()
	loader := newLoader(cfg, w, log, io.Discard)
	running := newInflight()
	loader.Progress = running.update
	cfg.Alerts.Deadlines = cfg.Reports.deadlines()
	notices, err := alerts.New(w, cfg.Alerts, cfg.HomeRegion, log)
	if err != nil {
		return err
	}
	if err := notices.Seed(ctx); err != nil {
		return err
	}
	loader.OnRun = func(r warehouse.Run) {
		running.done(r)
		metrics.RecordRun(r)
		// Every finished load is looked at: a commit may move ranks, a failure is news.
		notices.Nudge()
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
	if err := checkDemoAddress(ctx, cfg, w, log); err != nil {
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
	// Accounts written by other processes reach this one within a second on a shared
	// server; with the embedded engine every change passes through this process.
	var refresh time.Duration
	if w.Engine() != "embedded" {
		refresh = time.Second
	}
	backups, err := cfg.backupsDir()
	if err != nil {
		return err
	}
	if w.Engine() != "embedded" {
		backups = "" // a server backs up with its own BACKUP … TO Disk (see the README)
	}
	pages := dashboard.Config{HomeRegion: cfg.HomeRegion, AdminToken: info.Token, Jobs: adminJobs{runner, running}, BackupsDir: backups,
		ReportFiles: runner.ReportFiles(),
		Headlines:   cfg.Headlines, CampaignWeights: cfg.Campaign.Weights, Deadlines: cfg.Reports.deadlines(), Metrics: metrics,
		Users: cfg.Users, SessionKey: key, SessionTTL: sessionTTL(cfg), AccountsRefresh: refresh,
		TrustedProxies: cfg.TrustedProxies, CookieSecure: cfg.CookieSecure, AlertChannels: cfg.Alerts.ChannelNames(), Chromium: cfg.Chromium}
	app, err := dashboard.New(pages, w, log)
	if err != nil {
		return err
	}
	briefer, err := dashboard.NewBriefer(pages, w, log)
	if err != nil {
		return err
	}
	notices.SetBriefs(briefer.ForAlerts())
	// Requests and scheduled loads share a context that shutdown cancels: a load in flight
	// then stops at its next batch and its run fails, leaving nothing of its file visible.
	jobsCtx, stopJobs := context.WithCancel(context.Background())
	defer stopJobs()
	srv := dashboard.NewHTTPServer(app, dashboard.DefaultTimeouts(), jobsCtx)
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
	go notices.Run(schedCtx)
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

// checkDemoAddress refuses demo mode (no accounts: anyone may view the dashboards) on an
// address other than loopback unless demo_public (--demo-public) says it is meant.
func checkDemoAddress(ctx context.Context, cfg *config, w *warehouse.Warehouse, log *slog.Logger) error {
	if len(cfg.Users) > 0 {
		return nil
	}
	accounts, err := w.Accounts(ctx)
	if err != nil {
		return err
	}
	if len(accounts) > 0 {
		return nil
	}
	if !loopbackAddr(cfg.Addr) && !cfg.DemoPublic {
		return fmt.Errorf("there are no accounts, so the pages would run in an open demo mode, and %s is not a loopback address: "+
			"add an account (`jinwei user add NAME --role admin`), listen on 127.0.0.1, or pass --demo-public (demo_public = true) to mean it", cfg.Addr)
	}
	log.Warn("no accounts: the pages run in an open demo mode for viewers; add accounts with `jinwei user add NAME --role admin`", "addr", cfg.Addr)
	return nil
}

// loopbackAddr says whether a listen address reaches this machine only.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
