package chdb

import (
	"fmt"
	"os"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	"jinwei/warehouse/ch"
)

// ExportArrow has the engine write the table as an Arrow stream into the spool directory
// and hands its record batches to fn one by one, so a table larger than memory copies too.
func (e *Engine) ExportArrow(table string, cols []string, fn func(arrow.RecordBatch) error) error {
	f, err := os.CreateTemp(e.c.spoolDir(), "copy-*.arrow")
	if err != nil {
		return fmt.Errorf("spool %s: %w", table, err)
	}
	f.Close()
	defer os.Remove(f.Name())
	stmt := "INSERT INTO FUNCTION file({spool:String}, 'ArrowStream') SELECT " + strings.Join(cols, ", ") +
		" FROM " + ch.QuoteIdent(table) + " SETTINGS engine_file_truncate_on_insert = 1, max_block_size = 1000000"
	if err := e.c.runIn(e.db, stmt, "Null", ch.Params{"spool": f.Name()}, nil); err != nil {
		return err
	}
	in, err := os.Open(f.Name())
	if err != nil {
		return err
	}
	defer in.Close()
	r, err := ipc.NewReader(in)
	if err != nil {
		return fmt.Errorf("read spooled %s: %w", table, err)
	}
	defer r.Release()
	for r.Next() {
		if err := fn(r.RecordBatch()); err != nil {
			return err
		}
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("read spooled %s: %w", table, err)
	}
	return nil
}
