package dashboard

import (
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"jinwei/warehouse"
)

// recordWriter is what Arrow IPC and Parquet writers have in common: records in, one at a
// time, then Close.
type recordWriter interface {
	Write(rec arrow.RecordBatch) error
	Close() error
}

// recordEncoder writes each chunk of rows as one Arrow record: a record batch of an Arrow
// IPC stream, or a row group of a Parquet file.
type recordEncoder struct {
	w      io.Writer
	open   func(schema *arrow.Schema, w io.Writer) (recordWriter, error)
	schema *arrow.Schema
	out    recordWriter
}

func newArrowEncoder(w io.Writer) encoder {
	return &recordEncoder{w: w, open: func(schema *arrow.Schema, w io.Writer) (recordWriter, error) {
		return ipc.NewWriter(w, ipc.WithSchema(schema)), nil
	}}
}

func newParquetEncoder(w io.Writer) encoder {
	return &recordEncoder{w: w, open: func(schema *arrow.Schema, w io.Writer) (recordWriter, error) {
		return pqarrow.NewFileWriter(schema, w, parquet.NewWriterProperties(), pqarrow.DefaultWriterProps())
	}}
}

func (e *recordEncoder) Columns(cols []warehouse.Column) error {
	e.schema = arrowSchema(cols)
	var err error
	e.out, err = e.open(e.schema, e.w)
	return err
}

func (e *recordEncoder) Rows(rows [][]any) error {
	rec := rowsRecord(e.schema, rows)
	defer rec.Release()
	return e.out.Write(rec)
}

// Discard has nothing to release: the writers hold only memory.
func (e *recordEncoder) Discard() {}

// Close ends the file; a cut result is told by the download's X-Jinwei-Truncated header.
func (e *recordEncoder) Close(bool) error { return e.out.Close() }
