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
	w, err := openWarehouse(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer w.Close()
	loader := newLoader(cfg, w, log, io.Discard)
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
	app, err := dashboard.New(dashboard.Config{HomeRegion: cfg.HomeRegion, AdminToken: info.Token, Jobs: adminJobs{runner},
		Headlines: cfg.Headlines, CampaignWeights: cfg.Campaign.Weights}, w, log)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: app, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "jinwei is serving the dashboard at http://%s/ (ready in %s)\n", ln.Addr(), time.Since(start).Round(time.Millisecond))
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	jobsCtx, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	go func() {
		if err := runner.Schedule(jobsCtx, nil); err != nil {
			errc <- err
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	stopJobs()
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}
