package warehouse

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"jinwei/warehouse/ch"
	"jinwei/warehouse/chserver"
)

var deleteRe = regexp.MustCompile(`(?is)^\s*DELETE\s+FROM\s+([A-Za-z_][A-Za-z0-9_]*)\s+(WHERE\b)`)

// rowDelete writes a DELETE FROM of sql/queries for the target. The embedded engine and a
// current server (23.8 or later, as the README asks) delete the rows as written (a
// lightweight delete, seen by the next read). An old server (compat: older than 20.1, such
// as Debian's 18.16) has no DELETE FROM, and a cluster's Distributed table takes none:
// there the rows go by a mutation, ALTER TABLE … DELETE, which the server carries out after
// the statement returns (mutation is then set), on the shards' own NAME_local ON CLUSTER
// where the table is sharded, and on this node's replica of a table replicated whole, from
// where ZooKeeper carries it to the others. A current server refuses a mutation of a
// replicated table whose condition reads a table (it may differ between replicas) unless
// allowed: the rows each deletes are a run's own or a purge's, the same on every replica.
func (t ddlTarget) rowDelete(stmt string) (out string, mutation bool, err error) {
	m := deleteRe.FindStringSubmatchIndex(ch.MaskSQL(stmt))
	if m == nil {
		return "", false, fmt.Errorf("%.60q is no DELETE FROM … WHERE", stmt)
	}
	if !t.compat && t.cluster == "" {
		return stmt, false, nil
	}
	table, where := stmt[m[2]:m[3]], stmt[m[4]:]
	if t.cluster == "" {
		return "ALTER TABLE " + ch.QuoteIdent(table) + " DELETE " + where, true, nil
	}
	_, sharded := shardKeys[table]
	if where, err = t.qualifyTables(where, sharded); err != nil {
		return "", false, err
	}
	if !t.compat {
		// 18.x knows no such setting, and takes such a mutation.
		where = strings.TrimRight(where, " \n;") + "\nSETTINGS allow_nondeterministic_mutations = 1"
	}
	if sharded {
		return "ALTER TABLE " + t.qualified(table+"_local") + chserver.OnCluster(t.cluster) + " DELETE " + where, true, nil
	}
	return "ALTER TABLE " + t.qualified(table) + " DELETE " + where, true, nil
}

// deleteRows runs the DELETE FROM of sql/queries/NAME.sql, and says whether the server
// deletes the rows later, by a mutation (see rowDelete).
func (w *Warehouse) deleteRows(ctx context.Context, name string, params Params) (mutation bool, err error) {
	text, err := namedQuery(name)
	if err != nil {
		return false, err
	}
	stmt, mutation, err := w.ddl.rowDelete(text)
	if err != nil {
		return false, fmt.Errorf("%s: %w", name, err)
	}
	return mutation, w.eng.exec(ctx, stmt, params)
}

// mutationWait bounds how long a caller waits for a server to carry out a mutation it
// needs done; a server does one in well under a second unless it is stuck.
const mutationWait = 2 * time.Minute

// awaitMutation polls done until it says the mutation's work is visible, for at most
// mutationWait or the caller's deadline; done gets that bound too.
func awaitMutation(ctx context.Context, what string, done func(context.Context) (bool, error)) error {
	ctx, cancel := context.WithTimeout(ctx, mutationWait)
	defer cancel()
	pause := 20 * time.Millisecond
	for {
		ok, err := done(ctx)
		if err != nil || ok {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: the server had not done it in time: %w", what, ctx.Err())
		case <-time.After(pause):
		}
		pause = min(2*pause, time.Second)
	}
}
