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
	res, err := c.send(ctx, method, path, body)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("read the answer of the jinwei server at %s: %w", c.info.Addr, err)
	}
	return json.Unmarshal(data, out)
}

// send makes one request of the admin API and returns the answer whose body is still to be
// read, or the server's error.
func (c *serverClient) send(ctx context.Context, method, path string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, "http://"+c.info.Addr+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.info.Token)
	res, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("hand the work to the jinwei server at %s: %w", c.info.Addr, err)
	}
	if res.StatusCode >= 300 && res.StatusCode != http.StatusUnprocessableEntity {
		defer res.Body.Close()
		var e struct{ Error string }
		_ = json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&e)
		return nil, fmt.Errorf("jinwei server at %s: %s: %s", c.info.Addr, res.Status, e.Error)
	}
	return res, nil
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

// eachRejectsPage reads the server's list of a run's rejects as it arrives and hands fn
// rejectsPage of them at a time, as the warehouse's EachRejectsPage does: the list of a
// load that rejected a million rows is never held whole.
func (c *serverClient) eachRejectsPage(ctx context.Context, runID string, fn func([]warehouse.Reject) (bool, error)) error {
	res, err := c.send(ctx, http.MethodGet, "/api/admin/runs/"+url.PathEscape(runID)+"/rejects", nil)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	dec := json.NewDecoder(res.Body)
	// The server ends a list cut short by an error without its closing bracket.
	broken := func(err error) error {
		return fmt.Errorf("the jinwei server at %s sent the rejects of run %s cut short: %w", c.info.Addr, runID, err)
	}
	if _, err := dec.Token(); err != nil {
		return broken(err)
	}
	page := make([]warehouse.Reject, 0, rejectsPage)
	for dec.More() {
		var r warehouse.Reject
		if err := dec.Decode(&r); err != nil {
			return broken(err)
		}
		if page = append(page, r); len(page) == rejectsPage {
			if more, err := fn(page); err != nil || !more {
				return err
			}
			page = page[:0]
		}
	}
	if _, err := dec.Token(); err != nil {
		return broken(err)
	}
	_, err = fn(page)
	return err
}

func (c *serverClient) runJob(ctx context.Context, job string) ([]dashboard.JobResult, error) {
	var res []dashboard.JobResult
	err := c.do(ctx, http.MethodPost, "/api/admin/jobs/"+url.PathEscape(job)+"/run", nil, &res)
	return res, err
}
