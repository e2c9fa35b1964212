package warehouse

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"jinwei/warehouse/ch"
	"jinwei/warehouse/chdb"
)

// CopyTo copies every table's rows from the embedded warehouse w into dst, a ClickHouse
// server or cluster: moving a province's warehouse onto a server. dst is migrated first, so
// both have the schema of this binary. Each table travels as Arrow record batches through
// dst's ordinary insert. A table that dst already holds as many rows of is skipped, so a
// copy that stopped part way is simply run again; a table with any other number of rows in
// dst is refused rather than doubled. report, if set, hears of each table copied. Stop the
// jinwei that serves w first: a load that lands during the copy would be missed.
func (w *Warehouse) CopyTo(ctx context.Context, dst *Warehouse, report func(table string, rows int64)) error {
	src, ok := w.embedded()
	if !ok {
		return fmt.Errorf("copy reads an embedded warehouse; this one is a %s", w.Engine())
	}
	if _, err := dst.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate the copy's destination: %w", err)
	}
	// Neither the migrations nor the data version travel: dst has its own, and its data
	// version grows with the rows the copy inserts.
	tables, err := w.query(ctx, `SELECT name FROM system.tables
		WHERE database = currentDatabase() AND engine LIKE '%MergeTree' AND name NOT IN ('schema_migrations', 'data_version')
		ORDER BY name`, nil)
	if err != nil {
		return fmt.Errorf("list tables to copy: %w", err)
	}
	derived, err := viewTargets(ctx, w)
	if err != nil {
		return err
	}
	for _, r := range tables.Rows {
		table := r[0].(string)
		if derived[table] {
			continue // refilled by its materialized view as the tables it reads arrive
		}
		n, err := copyTable(ctx, src, w, dst, table)
		if err != nil {
			return fmt.Errorf("copy table %s: %w", table, err)
		}
		if report != nil {
			report(table, n)
		}
	}
	return nil
}

var toTableRe = regexp.MustCompile(`^CREATE MATERIALIZED VIEW \S+ TO (\S+)`)

// viewTargets names the tables materialized views write to.
func viewTargets(ctx context.Context, w *Warehouse) (map[string]bool, error) {
	res, err := w.query(ctx, `SELECT create_table_query FROM system.tables
		WHERE database = currentDatabase() AND engine = 'MaterializedView'`, nil)
	if err != nil {
		return nil, fmt.Errorf("list materialized views: %w", err)
	}
	targets := map[string]bool{}
	for _, r := range res.Rows {
		if m := toTableRe.FindStringSubmatch(r[0].(string)); m != nil {
			qualified := strings.Split(m[1], ".") // db.table as the engine prints it
			targets[strings.Trim(qualified[len(qualified)-1], "`")] = true
		}
	}
	return targets, nil
}

// copyTable copies one table and returns how many rows it copied.
func copyTable(ctx context.Context, src *chdb.Engine, from, to *Warehouse, table string) (int64, error) {
	count := "SELECT count() AS n FROM " + ch.QuoteIdent(table)
	have, err := from.query(ctx, count, nil)
	if err != nil {
		return 0, err
	}
	there, err := to.query(ctx, count, nil)
	if err != nil {
		return 0, err
	}
	n, m := have.Rows[0][0], there.Rows[0][0]
	switch {
	case n == m:
		return 0, nil // copied before, or empty
	case m != int64(0):
		return 0, fmt.Errorf("the destination holds %v rows and the source %v: empty it (TRUNCATE TABLE) and copy again", m, n)
	}
	cols, err := exportColumns(ctx, from, table)
	if err != nil {
		return 0, err
	}
	var copied int64
	err = src.ExportArrow(table, cols, func(rec arrow.RecordBatch) error {
		copied += rec.NumRows()
		return to.Insert(ctx, table, rec)
	})
	return copied, err
}

// exportColumns selects a table's columns so the engine's Arrow output is what an insert
// converts back: Enum and UUID as text (the Arrow writer sends enums as their numbers and
// UUIDs as 16 raw bytes) and Date as date32 (it sends Date as a bare UInt16 day count).
func exportColumns(ctx context.Context, w *Warehouse, table string) ([]string, error) {
	res, err := w.query(ctx, `SELECT name, type FROM system.columns
		WHERE database = currentDatabase() AND table = {t:String} AND default_kind NOT IN ('MATERIALIZED', 'ALIAS')
		ORDER BY position`, Params{"t": table})
	if err != nil {
		return nil, fmt.Errorf("read columns: %w", err)
	}
	var cols []string
	for _, r := range res.Rows {
		name, typ := ch.QuoteIdent(r[0].(string)), r[1].(string)
		switch {
		case strings.Contains(typ, "Enum") || strings.Contains(typ, "UUID"):
			cols = append(cols, "toString("+name+") AS "+name)
		case typ == "Date" || typ == "Nullable(Date)":
			cols = append(cols, "toDate32("+name+") AS "+name)
		default:
			cols = append(cols, name)
		}
	}
	return cols, nil
}
