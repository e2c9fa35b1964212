package chdb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// ErrWarehouseBusy reports that another process has the embedded warehouse open; only one
// process may, so commands hand their work to that process instead (see `jinwei etl load`).
var ErrWarehouseBusy = errors.New("another process has the embedded warehouse open")

// checkNotLocked tries the lock the engine takes on its data directory's status file, and
// lets it go at once: asking first gives a clear error instead of the engine's refusal.
func checkNotLocked(dataDir string) error {
	f, err := os.OpenFile(filepath.Join(dataDir, "status"), os.O_RDONLY, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open embedded warehouse %s: %w", dataDir, err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("open embedded warehouse %s: %w", dataDir, ErrWarehouseBusy)
		}
		return fmt.Errorf("open embedded warehouse %s: lock: %w", dataDir, err)
	}
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
