package warehouse

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"jinwei/warehouse/ch"
	"jinwei/warehouse/chserver"
)

// ddlTarget rewrites the statements of sql/migrations for the ClickHouse that runs them. The
// files are written for one current ClickHouse (the embedded 26.5, or a server 23.8 or
// later) and run there unchanged; a cluster needs its tables spread and replicated, and an
// old server lacks some types.
type ddlTarget struct {
	db string
	// cluster is a cluster of the servers' remote_servers; empty for one server.
	cluster string
	// compat is set for servers older than 20.1, such as Debian bookworm's 18.16.
	compat bool
}

// shardKeys names the tables a cluster spreads over its shards, with the sharding key.
// Every other table is small (dimensions, targets, the run log) and is replicated whole to
// every node, so each shard resolves `run_id IN (SELECT run_id FROM committed_runs)` and
// dimension joins locally, without GLOBAL IN.
var shardKeys = map[string]string{
	// Pages ask for one indicator across all regions: spreading regions makes every shard
	// work on every page, and all revisions of a region's value land on one shard, so the
	// *_current view's argMax per key is complete on each.
	"indicator_values": "cityHash64(region_code)",
	"campaign_metrics": "cityHash64(unit_code)",
	// An item and its status history share a shard: joining them moves no data
	// (distributed_product_mode = 'local').
	"ecology_items":         "cityHash64(item_id)",
	"ecology_status_events": "cityHash64(item_id)",
	// A run's rejected rows are listed together, from one shard.
	"etl_rejects": "cityHash64(toString(run_id))",
}

// rewrite returns the statements that carry out stmt on the target, in order: none for a
// statement only a current ClickHouse has a use for.
func (t ddlTarget) rewrite(stmt string) ([]string, error) {
	if m := dropViewRe.FindStringSubmatchIndex(ch.MaskSQL(stmt)); m != nil {
		// A view holds nothing and is the same on every node. It is dropped as a table:
		// 18.x has no DROP VIEW, and every version drops a view so.
		name := stmt[m[4]:m[5]]
		ifExists := ""
		if m[2] >= 0 {
			ifExists = "IF EXISTS "
		}
		if t.cluster == "" {
			return []string{"DROP TABLE " + ifExists + ch.QuoteIdent(name)}, nil
		}
		return []string{"DROP TABLE " + ifExists + t.qualified(name) + chserver.OnCluster(t.cluster)}, nil
	}
	if t.compat {
		if projectionRe.MatchString(ch.MaskSQL(stmt)) {
			return nil, nil
		}
		var err error
		if stmt, err = compatDDL(stmt); err != nil {
			return nil, err
		}
	}
	if t.cluster == "" {
		return []string{stmt}, nil
	}
	return t.clusterDDL(stmt)
}

var (
	dateTime64Re = regexp.MustCompile(`\bDateTime64\(\s*\d+\s*(?:,\s*('[^']*')\s*)?\)`)
	now64Re      = regexp.MustCompile(`\bnow64\([^()]*\)`)
	lowCardRe    = regexp.MustCompile(`\bLowCardinality\(\s*(\w+(?:\([^()]*\))?)\s*\)`)
	commentRe    = regexp.MustCompile(`\s+COMMENT\s+'[^']*'`)
	addColumnRe  = regexp.MustCompile(`(?i)\bADD\s+COLUMN\s+IF\s+NOT\s+EXISTS\b`)
	// projectionRe finds a projection's statements. A server older than 21.6 has no
	// projections; they only speed up the dashboards' queries, which need a current server.
	projectionRe = regexp.MustCompile(`(?is)^\s*ALTER\s+TABLE\s+\w+\s+(ADD|DROP|MATERIALIZE)\s+PROJECTION\b`)
)

// compatDDL writes stmt for a server older than 20.1: DateTime64 becomes DateTime (whole
// seconds: revisions loaded within one second then tie), LowCardinality(T) becomes T
// (experimental there), and COMMENTs go (a table's is not in the grammar yet, and with a
// column's, 18.16's replicas find each other's structure "too different"). This is enough
// for loading; the dashboards' queries need a current server.
func compatDDL(stmt string) (string, error) {
	steps := []struct {
		re  *regexp.Regexp
		rep func(g []string) string
	}{
		{dateTime64Re, func(g []string) string {
			if g[1] == "" {
				return "DateTime"
			}
			return "DateTime(" + g[1] + ")"
		}},
		{now64Re, func([]string) string { return "now()" }},
		{lowCardRe, func(g []string) string { return g[1] }},
		{commentRe, func([]string) string { return "" }},
		// 18.x has no IF NOT EXISTS on ADD COLUMN; a migration runs once, so it is not needed.
		{addColumnRe, func([]string) string { return "ADD COLUMN" }},
	}
	for _, s := range steps {
		var err error
		stmt, err = ch.RewriteSQL(stmt, s.re, func(g []string) (string, error) { return s.rep(g), nil })
		if err != nil {
			return "", err
		}
	}
	return stmt, nil
}

var (
	alterRe    = regexp.MustCompile(`(?is)^\s*ALTER\s+TABLE\s+([A-Za-z_][A-Za-z0-9_]*)\b`)
	dropViewRe = regexp.MustCompile(`(?is)^\s*DROP\s+VIEW\s+(IF\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*$`)
	createRe   = regexp.MustCompile(`(?is)^\s*CREATE\s+(TABLE|VIEW|DATABASE|MATERIALIZED\s+VIEW)\s+(IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)\b`)
	engineRe   = regexp.MustCompile(`(?is)\bENGINE\s*=\s*(\w+)(?:\s*\(([^()]*)\))?`)
	// A statement that changes the schema must have a cluster form; one that only reads or
	// writes rows runs on one node and the tables carry it to the others.
	schemaChangeRe = regexp.MustCompile(`(?is)^\s*(ALTER|DROP|RENAME|TRUNCATE|CREATE|ATTACH|DETACH|OPTIMIZE)\b`)
)

// clusterDDL writes stmt for a cluster: every CREATE runs ON CLUSTER; MergeTree tables
// become Replicated*MergeTree (ZooKeeper or ClickHouse Keeper paths with the servers'
// {shard} and {replica} macros); a table in shardKeys becomes NAME_local on every shard plus
// a Distributed NAME over them, so queries and inserts keep using NAME; other tables are
// replicated whole to every node. Names are qualified with the database, because an 18.x
// server runs ON CLUSTER statements on the other nodes in their default database.
func (t ddlTarget) clusterDDL(stmt string) ([]string, error) {
	mask := ch.MaskSQL(stmt)
	if a := alterRe.FindStringSubmatchIndex(mask); a != nil {
		return t.clusterAlter(stmt[a[2]:a[3]], stmt[a[1]:]), nil
	}
	m := createRe.FindStringSubmatchIndex(mask)
	if m == nil {
		if schemaChangeRe.MatchString(mask) {
			return nil, fmt.Errorf("no cluster form for %.60q: write one in warehouse/ddl.go", stmt)
		}
		return []string{stmt}, nil
	}
	kind := strings.ToUpper(strings.Join(strings.Fields(stmt[m[2]:m[3]]), " "))
	ifNotExists := ""
	if m[4] >= 0 {
		ifNotExists = "IF NOT EXISTS "
	}
	name, rest := stmt[m[6]:m[7]], stmt[m[1]:]
	on := chserver.OnCluster(t.cluster)
	switch kind {
	case "DATABASE":
		return []string{"CREATE DATABASE " + ifNotExists + ch.QuoteIdent(name) + on + rest}, nil
	case "VIEW":
		body, err := t.qualifyTables(rest, false)
		if err != nil {
			return nil, err
		}
		return []string{"CREATE VIEW " + ifNotExists + t.qualified(name) + on + body}, nil
	case "MATERIALIZED VIEW":
		return t.clusterMaterializedView(ifNotExists, name, rest)
	case "TABLE":
	default:
		return nil, fmt.Errorf("no cluster form for %s %s: write one in warehouse/ddl.go", kind, name)
	}
	key, sharded := shardKeys[name]
	local, zkPart := name, "all"
	if sharded {
		local, zkPart = name+"_local", "{shard}"
	}
	body, err := ch.RewriteSQL(rest, engineRe, func(g []string) (string, error) {
		engine, args := g[1], strings.TrimSpace(g[2])
		if !strings.HasSuffix(engine, "MergeTree") || strings.HasPrefix(engine, "Replicated") {
			return g[0], nil
		}
		path := ch.QuoteString("/clickhouse/tables/" + zkPart + "/" + t.db + "/" + local)
		repl := path + ", '{replica}'"
		if args != "" {
			repl += ", " + args
		}
		return "ENGINE = Replicated" + engine + "(" + repl + ")", nil
	})
	if err != nil {
		return nil, err
	}
	out := []string{"CREATE TABLE " + ifNotExists + t.qualified(local) + on + body}
	if sharded {
		out = append(out, t.distributed(ifNotExists, name, key))
	}
	return out, nil
}

// distributed creates on every node the Distributed table name over its shards' local tables.
func (t ddlTarget) distributed(ifNotExists, name, key string) string {
	local := name + "_local"
	return "CREATE TABLE " + ifNotExists + t.qualified(name) + chserver.OnCluster(t.cluster) + " AS " + t.qualified(local) +
		"\nENGINE = Distributed(" + ch.QuoteString(t.cluster) + ", " + ch.QuoteString(t.db) + ", " + ch.QuoteString(local) + ", " + key + ")"
}

// clusterAlter changes a table on every node. A sharded table alters its shards' local
// tables ON CLUSTER and then makes its Distributed table anew over them: it holds no data,
// and 18.x refuses an ALTER ON CLUSTER of an unreplicated table where the shards replicate
// internally. A table replicated whole is one replicated table with a replica on every
// node: it is altered on this node alone and ZooKeeper carries the change to the others;
// ON CLUSTER would alter it once per shard (refused by 18.x, and a second ADD COLUMN fails).
func (t ddlTarget) clusterAlter(name, rest string) []string {
	if key, sharded := shardKeys[name]; sharded {
		return []string{"ALTER TABLE " + t.qualified(name+"_local") + chserver.OnCluster(t.cluster) + rest,
			"DROP TABLE IF EXISTS " + t.qualified(name) + chserver.OnCluster(t.cluster),
			t.distributed("", name, key)}
	}
	return []string{"ALTER TABLE " + t.qualified(name) + rest}
}

var mvToRe = regexp.MustCompile(`(?is)^\s+TO\s+([A-Za-z_][A-Za-z0-9_]*)(\s+AS\b)`)

// clusterMaterializedView attaches a materialized view to each node's own part of the data:
// it reads NAME_local where the source is sharded (inserts through the Distributed table
// land there) and writes to the target's local table, or to the target itself when that is
// replicated whole, from where replication carries each shard's rows to every node.
func (t ddlTarget) clusterMaterializedView(ifNotExists, name, rest string) ([]string, error) {
	m := mvToRe.FindStringSubmatchIndex(ch.MaskSQL(rest))
	if m == nil {
		return nil, fmt.Errorf("materialized view %s: write it with TO a table; a cluster needs the target's engine spelt out", name)
	}
	target := rest[m[2]:m[3]]
	if _, sharded := shardKeys[target]; sharded {
		target += "_local"
	}
	body, err := t.qualifyTables(rest[m[4]:], true)
	if err != nil {
		return nil, err
	}
	return []string{"CREATE MATERIALIZED VIEW " + ifNotExists + t.qualified(name) + chserver.OnCluster(t.cluster) +
		" TO " + t.qualified(target) + body}, nil
}

func (t ddlTarget) qualified(name string) string {
	return ch.QuoteIdent(t.db) + "." + ch.QuoteIdent(name)
}

var fromRe = regexp.MustCompile(`(?i)\b(FROM|JOIN)(\s+)([A-Za-z_][A-Za-z0-9_]*)(\s*[.(]?)`)

// qualifyTables prefixes the database to the schema's own tables and views read in a view's
// query, and with local set names the shards' own NAME_local for a sharded table. Only names
// the migrations create are touched, so `EXTRACT(YEAR FROM col)` and table functions keep
// their meaning.
func (t ddlTarget) qualifyTables(sql string, local bool) (string, error) {
	objects, err := schemaObjects()
	if err != nil {
		return "", err
	}
	return ch.RewriteSQL(sql, fromRe, func(g []string) (string, error) {
		name := g[3]
		if !objects[name] || strings.TrimSpace(g[4]) != "" {
			return g[0], nil
		}
		if _, sharded := shardKeys[name]; sharded && local {
			name += "_local"
		}
		return g[1] + g[2] + t.qualified(name) + g[4], nil
	})
}

// schemaObjects names the tables and views the migrations create.
var schemaObjects = sync.OnceValues(func() (map[string]bool, error) {
	all, err := Migrations()
	if err != nil {
		return nil, err
	}
	names := map[string]bool{"schema_migrations": true}
	for _, m := range all {
		for _, s := range m.Statements {
			if g := createRe.FindStringSubmatch(ch.MaskSQL(s)); g != nil {
				names[g[3]] = true
			}
		}
	}
	return names, nil
})

// execDDL runs one schema statement as this warehouse's ClickHouse needs it written. It
// starts no data version by itself: Migrate starts one when it has applied a migration, and
// a readiness check that makes sure schema_migrations exists must not drop every process's
// cached pages.
func (w *Warehouse) execDDL(ctx context.Context, stmt string) error {
	stmts, err := w.ddl.rewrite(stmt)
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if err := w.eng.exec(ctx, s, nil); err != nil {
			return err
		}
	}
	return nil
}

// WriteMigrationDDL writes every migration's statements as the warehouse cfg describes
// would run them, connecting to nothing (`jinwei migrate --print`): the files unchanged for
// the embedded engine or one server, rewritten for cfg.Cluster when it is set. It shows the
// DDL for a current server; an 18.x server also gets compatDDL's rewrite.
func WriteMigrationDDL(w io.Writer, cfg Config) error {
	t := ddlTarget{db: databaseOf(cfg), cluster: cfg.Cluster}
	all, err := Migrations()
	if err != nil {
		return err
	}
	target := "the embedded engine"
	switch {
	case t.cluster != "":
		target = "cluster " + t.cluster
	case IsServerDSN(cfg.ServerDSN):
		target = "one ClickHouse server"
	}
	fmt.Fprintf(w, "-- jinwei schema for %s, database %s\n\n-- bookkeeping: which migrations ran\n", target, t.db)
	if err := writeStatements(w, t, migrationsTable); err != nil {
		return err
	}
	for _, m := range all {
		fmt.Fprintf(w, "\n-- %s (sha256 %s)\n", m.Name, m.Checksum[:12])
		if err := writeStatements(w, t, m.Statements...); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

func writeStatements(w io.Writer, t ddlTarget, stmts ...string) error {
	for _, s := range stmts {
		out, err := t.rewrite(s)
		if err != nil {
			return err
		}
		for _, o := range out {
			if _, err := fmt.Fprintf(w, "%s;\n", o); err != nil {
				return err
			}
		}
	}
	return nil
}
