package warehouse

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The original files of loads from an inbox or an upload, kept in load_originals (see
// migration 016 for why in the warehouse) for a configured time and byte budget.

// OriginalsPolicy is how long and how much of the original files are kept.
type OriginalsPolicy struct {
	// Keep is how long a file is kept after its load; zero keeps none.
	Keep time.Duration
	// MaxBytes bounds all kept files together: the oldest go first. A file larger than the
	// whole budget is noted, not kept.
	MaxBytes int64
}

// DefaultOriginalsPolicy keeps files 90 days, 2 GiB in all.
var DefaultOriginalsPolicy = OriginalsPolicy{Keep: 90 * 24 * time.Hour, MaxBytes: 2 << 30}

// originalChunk is the bytes of a kept file per row: small enough for one insert block to
// hold a few, large enough that a 100 MB file is a hundred rows.
const originalChunk = 1 << 20

// Original is what the warehouse knows of a load's original file.
type Original struct {
	Name   string
	Size   int64
	KeptAt time.Time
	// Stored says the bytes are there to download; a file noted but not stored was purged,
	// or was larger than the whole budget (TooLarge) and never stored.
	Stored, TooLarge bool
}

// tooLargeNote is the header row's data of a file not kept for its size.
const tooLargeNote = "too_large"

// ErrNoOriginal is a file the warehouse never kept.
var ErrNoOriginal = errors.New("original file not kept")

var originalSchema = arrow.NewSchema([]arrow.Field{
	{Name: "content_hash", Type: arrow.BinaryTypes.String}, {Name: "chunk", Type: arrow.PrimitiveTypes.Uint32},
	{Name: "name", Type: arrow.BinaryTypes.String}, {Name: "size", Type: arrow.PrimitiveTypes.Uint64},
	{Name: "data", Type: arrow.BinaryTypes.String}, {Name: "kept_at", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}},
}, nil)

// KeepOriginal keeps the file r (size bytes, sha256 hash, named name) under pol, unless it
// is kept already, then purges what pol no longer keeps. The header row goes in last, so a
// file cut short by a failure is never shown as kept.
func (w *Warehouse) KeepOriginal(ctx context.Context, hash, name string, size int64, r io.Reader, at time.Time, pol OriginalsPolicy) error {
	if pol.Keep <= 0 {
		return nil
	}
	if o, err := w.Original(ctx, hash); err == nil && o.Stored {
		return nil
	} else if err != nil && !errors.Is(err, ErrNoOriginal) {
		return err
	}
	note := tooLargeNote
	if size <= pol.MaxBytes {
		note = ""
		buf := make([]byte, originalChunk)
		for chunk := uint32(1); ; chunk++ {
			n, err := io.ReadFull(r, buf)
			if n > 0 {
				if ierr := w.insertOriginalRow(ctx, hash, chunk, name, 0, buf[:n], at); ierr != nil {
					return fmt.Errorf("keep original %s: %w", name, ierr)
				}
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("keep original %s: %w", name, err)
			}
		}
	}
	if err := w.insertOriginalRow(ctx, hash, 0, name, size, []byte(note), at); err != nil {
		return fmt.Errorf("keep original %s: %w", name, err)
	}
	return w.PurgeOriginals(ctx, at, pol)
}

func (w *Warehouse) insertOriginalRow(ctx context.Context, hash string, chunk uint32, name string, size int64, data []byte, at time.Time) error {
	b := array.NewRecordBuilder(memory.DefaultAllocator, originalSchema)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).Append(hash)
	b.Field(1).(*array.Uint32Builder).Append(chunk)
	b.Field(2).(*array.StringBuilder).Append(name)
	b.Field(3).(*array.Uint64Builder).Append(uint64(size))
	b.Field(4).(*array.StringBuilder).Append(string(data))
	b.Field(5).(*array.TimestampBuilder).Append(arrow.Timestamp(at.UnixMilli()))
	rec := b.NewRecordBatch()
	defer rec.Release()
	return w.Insert(ctx, "load_originals", rec)
}

// PurgeOriginals removes the bytes of files kept longer than pol.Keep before now, and of
// the oldest files beyond pol.MaxBytes; what was kept stays noted.
func (w *Warehouse) PurgeOriginals(ctx context.Context, now time.Time, pol OriginalsPolicy) error {
	p := Params{"cutoff_ms": strconv.FormatInt(now.Add(-pol.Keep).UnixMilli(), 10), "max_bytes": strconv.FormatInt(max(pol.MaxBytes, 0), 10)}
	err := w.change(ctx, func() error {
		_, err := w.deleteRows(ctx, "originals_purge", p)
		return err
	})
	if err != nil {
		return fmt.Errorf("purge original files: %w", err)
	}
	return nil
}

// Original says whether the file of content hash is kept; ErrNoOriginal when it never was.
func (w *Warehouse) Original(ctx context.Context, hash string) (Original, error) {
	text, err := namedQuery("original_info")
	if err != nil {
		return Original{}, err
	}
	res, err := w.eng.query(ctx, text, Params{"hash": hash})
	if err != nil {
		return Original{}, fmt.Errorf("find original %s: %w", hash, err)
	}
	var o Original
	found := false
	err = res.each(func(rr *rowReader) {
		if rr.int("headers") == 0 {
			return
		}
		found = true
		o = Original{Name: rr.str("name"), Size: int64(rr.float("size")), KeptAt: time.UnixMilli(int64(rr.float("kept_ms"))).UTC(),
			Stored: int64(rr.float("stored")) == int64(rr.float("size")), TooLarge: rr.str("note") == tooLargeNote}
	})
	if err == nil && !found {
		err = ErrNoOriginal
	}
	return o, err
}

// originalChunksPerQuery is how many chunks one read fetches: a few MiB in memory at most.
const originalChunksPerQuery = 4

// WriteOriginal writes the kept file of content hash to dst, chunk by chunk.
func (w *Warehouse) WriteOriginal(ctx context.Context, hash string, dst io.Writer) error {
	text, err := namedQuery("original_chunks")
	if err != nil {
		return err
	}
	for from := 1; ; from += originalChunksPerQuery {
		res, err := w.eng.query(ctx, text, Params{"hash": hash, "from": strconv.Itoa(from), "count": strconv.Itoa(originalChunksPerQuery)})
		if err != nil {
			return fmt.Errorf("read original %s: %w", hash, err)
		}
		var werr error
		err = res.each(func(rr *rowReader) {
			if werr != nil {
				return
			}
			b, derr := base64.StdEncoding.DecodeString(rr.str("data"))
			if derr != nil {
				werr = derr
				return
			}
			_, werr = dst.Write(b)
		})
		if err == nil {
			err = werr
		}
		if err != nil {
			return fmt.Errorf("read original %s: %w", hash, err)
		}
		if len(res.Rows) < originalChunksPerQuery {
			return nil
		}
	}
}
