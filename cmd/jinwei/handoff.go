package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"jinwei/dashboard"
	"jinwei/warehouse"
)

// serveInfo is what a running `serve` leaves beside the embedded warehouse, so that CLI
// commands on the same machine can hand it work: one process owns the warehouse.
type serveInfo struct {
	Addr  string `json:"addr"`
	Token string `json:"token"`
	PID   int    `json:"pid"`
}

func serveInfoPath(dataDir string) string { return filepath.Join(dataDir, "jinwei-serve.json") }

// writeServeInfo makes a fresh admin token and writes it, readable by this user only.
func writeServeInfo(dataDir, addr string) (serveInfo, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return serveInfo{}, err
	}
	info := serveInfo{Addr: addr, Token: hex.EncodeToString(b[:]), PID: os.Getpid()}
	data, _ := json.Marshal(info)
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return serveInfo{}, err
	}
	if err := os.WriteFile(serveInfoPath(dataDir), data, 0o600); err != nil {
		return serveInfo{}, fmt.Errorf("write %s: %w", serveInfoPath(dataDir), err)
	}
	return info, nil
}

func readServeInfo(dataDir string) (serveInfo, error) {
	var info serveInfo
	data, err := os.ReadFile(serveInfoPath(dataDir))
	if err != nil {
		return info, fmt.Errorf("the warehouse is held by another process, and no jinwei server left %s: %w", serveInfoPath(dataDir), err)
	}
	return info, json.Unmarshal(data, &info)
}

// serverClient talks to a running `serve` through its admin API.
type serverClient struct {
	info serveInfo
	http *http.Client
}

func newServerClient(dataDir string) (*serverClient, error) {
	info, err := readServeInfo(dataDir)
	if err != nil {
		return nil, err
	}
	return &serverClient{info: info, http: &http.Client{Timeout: 2 * time.Hour}}, nil
}

func (c *serverClient) do(ctx context.Context, method, path string, body io.Reader, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, "http://"+c.info.Addr+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.info.Token)
	res, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("hand the work to the jinwei server at %s: %w", c.info.Addr, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 && res.StatusCode != http.StatusUnprocessableEntity {
		var e struct{ Error string }
		_ = json.Unmarshal(data, &e)
		return fmt.Errorf("jinwei server at %s: %s: %s", c.info.Addr, res.Status, e.Error)
	}
	return json.Unmarshal(data, out)
}

// inflight lists the loads the server is running.
func (c *serverClient) inflight(ctx context.Context) ([]warehouse.Run, error) {
	var runs []warehouse.Run
	err := c.do(ctx, http.MethodGet, "/api/admin/inflight", nil, &runs)
	return runs, err
}

// watch reports the server's progress on the file named name until ctx ends.
func (c *serverClient) watch(ctx context.Context, name string, show func(warehouse.Run)) {
	every(ctx, 300*time.Millisecond, func() {
		runs, err := c.inflight(ctx)
		if err != nil {
			return
		}
		for _, r := range runs {
			if filepath.Base(r.FilePath) == name {
				show(r)
			}
		}
	})
}

// every calls fn every period until ctx ends.
func every(ctx context.Context, period time.Duration, fn func()) {
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			fn()
		}
	}
}

// upload sends one file to the server's job and returns its result.
func (c *serverClient) upload(ctx context.Context, job, path string) (dashboard.JobResult, error) {
	var res dashboard.JobResult
	data, err := os.ReadFile(path)
	if err != nil {
		return res, err
	}
	q := url.Values{"name": {filepath.Base(path)}}
	err = c.do(ctx, http.MethodPost, "/api/admin/jobs/"+url.PathEscape(job)+"/upload?"+q.Encode(), bytes.NewReader(data), &res)
	return res, err
}

// runs lists the server's newest loads; with changedOnly, not those that found their file
// already loaded.
func (c *serverClient) runs(ctx context.Context, limit int, changedOnly bool) ([]warehouse.Run, error) {
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if changedOnly {
		q.Set("changed", "1")
	}
	var runs []warehouse.Run
	err := c.do(ctx, http.MethodGet, "/api/admin/runs?"+q.Encode(), nil, &runs)
	return runs, err
}

// rejects lists the rows a load of the server's warehouse rejected.
func (c *serverClient) rejects(ctx context.Context, runID string) ([]warehouse.Reject, error) {
	var rejects []warehouse.Reject
	err := c.do(ctx, http.MethodGet, "/api/admin/runs/"+url.PathEscape(runID)+"/rejects", nil, &rejects)
	return rejects, err
}

func (c *serverClient) runJob(ctx context.Context, job string) ([]dashboard.JobResult, error) {
	var res []dashboard.JobResult
	err := c.do(ctx, http.MethodPost, "/api/admin/jobs/"+url.PathEscape(job)+"/run", nil, &res)
	return res, err
}
