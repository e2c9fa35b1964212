package dashboard

import (
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	"jinwei/warehouse"
)

// arrowEncoder writes each chunk of rows as one record batch of an Arrow IPC stream.
type arrowEncoder struct {
	w      io.Writer
	schema *arrow.Schema
	out    *ipc.Writer
}

func newArrowEncoder(w io.Writer) encoder { return &arrowEncoder{w: w} }

func (e *arrowEncoder) Columns(cols []warehouse.Column) error {
	e.schema = arrowSchema(cols)
	e.out = ipc.NewWriter(e.w, ipc.WithSchema(e.schema))
	return nil
}

func (e *arrowEncoder) Rows(rows [][]any) error {
	rec := rowsRecord(e.schema, rows)
	defer rec.Release()
	return e.out.Write(rec)
}

// Discard has nothing to release: the writer holds only memory.
func (e *arrowEncoder) Discard() {}

// Close ends the file; a cut result is told by the download's X-Jinwei-Truncated header.
func (e *arrowEncoder) Close(bool) error { return e.out.Close() }
