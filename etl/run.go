// Package etl loads statistics files, ledgers and campaign reports into the warehouse:
// readers turn files into Arrow records, validation keeps every rejected row with its
// place and reason, and each file is loaded whole or not at all, once.
package etl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/google/uuid"

	"jinwei/warehouse"
)

// Loader runs ETL jobs against a warehouse.
type Loader struct {
	wh  *warehouse.Warehouse
	log *slog.Logger
	// BatchRows is how many rows a reader gathers into one Arrow record before inserting.
	BatchRows int
	// Strict fails a whole file when any row is rejected; otherwise the good rows load and
	// the rejected ones are kept with their reasons.
	Strict bool
}

// NewLoader returns a loader writing to wh.
func NewLoader(wh *warehouse.Warehouse, log *slog.Logger) *Loader {
	return &Loader{wh: wh, log: log, BatchRows: 50_000}
}

// Report says what one file's load did.
type Report struct {
	Run     warehouse.Run
	Rejects []warehouse.Reject
	// Unchanged is true when the same content had been loaded before and nothing was done.
	Unchanged bool
}

// errFileRejected wraps reasons that refuse a whole file.
var errFileRejected = errors.New("file rejected")

// runState is what a job sees while it loads one file: where to put rows and rejects.
type runState struct {
	ctx      context.Context
	wh       *warehouse.Warehouse
	run      *warehouse.Run
	rejects  []warehouse.Reject
	loadedAt time.Time
}

func (s *runState) insert(table string, rec arrow.RecordBatch) error {
	defer rec.Release()
	if err := s.wh.Insert(s.ctx, table, rec); err != nil {
		return err
	}
	s.run.RowsLoaded += int(rec.NumRows())
	return nil
}

func (s *runState) reject(line int, location, raw, reason string) {
	s.rejects = append(s.rejects, warehouse.Reject{FilePath: s.run.FilePath, Line: line, Location: location, Raw: raw, Reason: reason})
	s.run.RowsRejected++
}

// loadFunc reads one file and writes its rows through s.
type loadFunc func(s *runState, f io.Reader) error

// hashFile returns the sha256 of path's content, mixed with salt (configuration a job's
// result depends on, such as the home province).
func hashFile(path, salt string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	h.Write([]byte(salt))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// runFile loads one file as one run of job: skipped when the same content is already
// committed; otherwise rows are inserted under a new run id and become visible only when
// the run is committed at the end. Any failure leaves the run failed and its rows invisible.
func (l *Loader) runFile(ctx context.Context, job, path, salt string, load loadFunc) (*Report, error) {
	hash, err := hashFile(path, salt)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	run := warehouse.Run{ID: uuid.Must(uuid.NewV7()).String(), Job: job, FilePath: path, ContentHash: hash, StartedAt: time.Now().UTC()}
	prev, found, err := l.wh.CommittedRunByHash(ctx, job, hash)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	if found {
		run.Status, run.FinishedAt = warehouse.RunUnchanged, time.Now().UTC()
		run.Message = fmt.Sprintf("same content as run %s (%s), already loaded", prev.ID, prev.FilePath)
		if err := l.wh.RecordRun(ctx, run); err != nil {
			return nil, fmt.Errorf("load %s: %w", path, err)
		}
		return &Report{Run: run, Unchanged: true}, nil
	}
	run.Status = warehouse.RunRunning
	if err := l.wh.RecordRun(ctx, run); err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	s := &runState{ctx: ctx, wh: l.wh, run: &run, loadedAt: run.StartedAt}
	loadErr := l.readFile(s, path, load)
	if loadErr == nil && l.Strict && run.RowsRejected > 0 {
		loadErr = fmt.Errorf("%w: %d rows rejected and strict mode is on", errFileRejected, run.RowsRejected)
	}
	if loadErr == nil && run.RowsLoaded == 0 {
		loadErr = fmt.Errorf("%w: no row could be loaded", errFileRejected)
	}
	if err := l.insertRejects(ctx, s); err != nil && loadErr == nil {
		loadErr = err
	}
	run.FinishedAt = time.Now().UTC()
	run.Status = warehouse.RunCommitted
	if loadErr != nil {
		run.Status, run.Message, run.RowsLoaded = warehouse.RunFailed, loadErr.Error(), 0
	}
	// The committed row is what makes the run's rows visible, so it is written last and with
	// a context that outlives a cancelled load.
	if err := l.wh.RecordRun(context.WithoutCancel(ctx), run); err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	rep := &Report{Run: run, Rejects: s.rejects}
	if loadErr != nil {
		return rep, fmt.Errorf("load %s: %w", path, loadErr)
	}
	return rep, nil
}

func (l *Loader) readFile(s *runState, path string, load loadFunc) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return load(s, f)
}

// insertRejects keeps every rejected row; they are written even when the run fails, so the
// operator can see why.
func (l *Loader) insertRejects(ctx context.Context, s *runState) error {
	if len(s.rejects) == 0 {
		return nil
	}
	rec := rejectsRecord(s.run.ID, s.rejects, s.loadedAt)
	defer rec.Release()
	return l.wh.Insert(context.WithoutCancel(ctx), "etl_rejects", rec)
}
