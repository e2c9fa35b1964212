package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"jinwei/etl"
)

// tempDirName is serve's own temporary folder inside the data directory.
const tempDirName = "jinwei_tmp"

// useOwnTempDir makes data_dir/jinwei_tmp this process's temporary directory (TMPDIR,
// which os.TempDir reads): everything the process stages outside the warehouse — result
// spool files on a ClickHouse server, excelize's files, the guard's parser folder, any
// library's temporary file — is then in a folder of its own, so what a killed process left
// there is known to be jinwei's, never another program's file in the shared /tmp. It
// returns a function that removes what the folder held before this process: call it once
// the warehouse is this process's (the embedded one admits one process), so a second
// serve refused by the warehouse never deletes the first one's files.
func useOwnTempDir(dataDir string, log *slog.Logger) (removeStale func() error, err error) {
	dir, err := filepath.Abs(filepath.Join(dataDir, tempDirName))
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("make the temporary folder %s: %w", dir, err)
	}
	stale, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read the temporary folder %s: %w", dir, err)
	}
	if err := os.Setenv("TMPDIR", dir); err != nil {
		return nil, err
	}
	return func() error {
		if len(stale) > 0 {
			log.Info("removing temporary files a previous run left", "dir", dir, "files", len(stale))
		}
		for _, e := range stale {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("clean the temporary folder %s: %w", dir, err)
			}
		}
		return nil
	}, nil
}

// partialIdle is how long a .part file in an inbox must be untouched before serve removes
// it when the warehouse is a server: other jinwei processes on this machine may be writing
// one then. The embedded warehouse is held by this process alone, so there every .part
// file is a dead writer's.
const partialIdle = time.Hour

// removePartials deletes the .part files killed uploads and fetches left in the jobs' inboxes.
func removePartials(cfg *config, embedded bool, log *slog.Logger) error {
	idle := partialIdle
	if embedded {
		idle = 0
	}
	for _, j := range defaultJobs(cfg) {
		removed, err := etl.RemovePartials(j.Inbox, idle)
		if err != nil {
			return err
		}
		if len(removed) > 0 {
			log.Info("removed partial files a killed load left", "job", j.Name, "files", removed)
		}
	}
	return nil
}
