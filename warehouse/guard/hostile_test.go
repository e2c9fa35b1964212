package guard_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/guard"
	"jinwei/warehouse/whtest"
)

// hostileLimits are tight so that the resource bombs end quickly. Each bomb is run so that
// only the limit it is meant to reach can stop it, however busy the machine: a time bomb has
// memory to spare, a memory (or recursion) bomb has minutes, where the memory limit stops it
// within seconds.
var (
	hostileLimits = warehouse.Limits{MaxRows: 1000, MaxTime: time.Second, MaxMemory: 1 << 30, MaxResultBytes: 16 << 20}
	untimedLimits = warehouse.Limits{MaxRows: 1000, MaxTime: 5 * time.Minute, MaxMemory: 64 << 20, MaxResultBytes: 16 << 20}
)

// limits are the limits a hostile case runs under: untimed for all but the time bombs.
func (tc hostileCase) limits() warehouse.Limits {
	if tc.limit == "" || tc.limit == "time" {
		return hostileLimits
	}
	return untimedLimits
}

// hostileCeiling bounds each hostile statement's run: stopped, every one ends in seconds;
// unstopped, the bombs run for hours, and the untimed ones to their five-minute limit.
const hostileCeiling = 2 * time.Minute

// A hostile statement is refused by the guard (refused: part of the reason) or stopped by the
// engine at one of the guard's limits (limit: which one). {canary}, {new}, {dir} and {db}
// stand for the canary file, a path where no file may appear, their directory and the
// warehouse's database.
type hostileCase struct {
	name    string
	stmt    string
	refused string
	limit   string
}

var hostileStatements = []hostileCase{
	// More than one statement: the engine's call runs every statement it is given.
	{name: "drop after select", stmt: "SELECT 1; DROP TABLE regions", refused: "only one statement"},
	{name: "file read after select", stmt: "SELECT 1; SELECT * FROM file('{canary}', 'LineAsString')", refused: "only one statement"},
	{name: "set before select", stmt: "SET readonly = 0; SELECT * FROM regions", refused: "only one statement"},
	{name: "insert after comment", stmt: "SELECT 1 -- harmless\n; INSERT INTO regions (code) VALUES ('999999')", refused: "only one statement"},
	{name: "truncate after quote in comment", stmt: "SELECT 'x' /* ' */; TRUNCATE TABLE indicator_values -- '", refused: "only one statement"},
	{name: "NUL then drop", stmt: "SELECT 1\x00; DROP TABLE regions", refused: "NUL"},

	// DDL, DML and administration.
	{name: "insert", stmt: "INSERT INTO regions (code) VALUES ('999999')", refused: "this is INSERT INTO"},
	{name: "insert into file", stmt: "INSERT INTO FUNCTION file('{new}', 'CSV') SELECT * FROM regions", refused: "this is INSERT INTO"},
	{name: "alter delete", stmt: "ALTER TABLE regions DELETE WHERE 1", refused: "this is ALTER TABLE"},
	{name: "alter update", stmt: "ALTER TABLE indicator_values UPDATE value = 0 WHERE 1", refused: "this is ALTER TABLE"},
	{name: "lightweight delete", stmt: "DELETE FROM regions WHERE 1", refused: "this is DELETE FROM"},
	{name: "drop table", stmt: "DROP TABLE regions", refused: "this is DROP TABLE"},
	{name: "drop database", stmt: "DROP DATABASE {db}", refused: "this is DROP DATABASE"},
	{name: "truncate", stmt: "TRUNCATE TABLE indicator_values", refused: "this is TRUNCATE TABLE"},
	{name: "create table as file", stmt: "CREATE TABLE stolen ENGINE = File(CSV) AS SELECT * FROM regions", refused: "this is CREATE TABLE"},
	{name: "create view over system", stmt: "CREATE VIEW peek AS SELECT * FROM system.users", refused: "this is CREATE VIEW"},
	{name: "create function", stmt: "CREATE FUNCTION leak AS () -> 1", refused: "this is CREATE FUNCTION"},
	{name: "rename", stmt: "RENAME TABLE regions TO regions_old", refused: "this is RENAME TABLE"},
	{name: "exchange", stmt: "EXCHANGE TABLES regions AND indicators", refused: "this is EXCHANGE TABLES"},
	{name: "optimize", stmt: "OPTIMIZE TABLE indicator_values FINAL", refused: "this is OPTIMIZE TABLE"},
	{name: "system", stmt: "SYSTEM DROP MARK CACHE", refused: "this is SYSTEM"},
	{name: "kill", stmt: "KILL QUERY WHERE 1", refused: "this is KILL QUERY"},
	{name: "grant", stmt: "GRANT ALL ON *.* TO default", refused: "this is GRANT ALL"},
	{name: "attach from path", stmt: "ATTACH TABLE peek FROM '{dir}' (line String) ENGINE = File(LineAsString)", refused: "this is ATTACH TABLE"},
	{name: "detach", stmt: "DETACH TABLE regions", refused: "this is DETACH TABLE"},
	{name: "backup to file", stmt: "BACKUP TABLE regions TO File('{new}')", refused: "this is BACKUP TABLE"},
	{name: "use", stmt: "USE system", refused: "this is USE system"},
	{name: "set", stmt: "SET readonly = 0", refused: "this is SET readonly"},
	{name: "parallel with", stmt: "SELECT 1 PARALLEL WITH DROP TABLE regions", refused: "PARALLEL WITH"},
	{name: "exists in system", stmt: "EXISTS TABLE system.users", refused: "this is EXISTS TABLE"},

	// Table functions, anywhere a table may stand.
	{name: "file", stmt: "SELECT * FROM file('{canary}', 'LineAsString')", refused: "table functions such as file"},
	{name: "file quoted", stmt: "SELECT * FROM `file`('{canary}', 'LineAsString')", refused: "table functions such as file"},
	{name: "file in join", stmt: "SELECT * FROM regions AS r JOIN file('{canary}', 'LineAsString') AS f ON 1 = 1", refused: "table functions such as file"},
	{name: "file in subquery", stmt: "SELECT * FROM (SELECT * FROM file('{canary}', 'LineAsString'))", refused: "table functions such as file"},
	{name: "file in CTE", stmt: "WITH c AS (SELECT * FROM file('{canary}', 'LineAsString')) SELECT * FROM c", refused: "table functions such as file"},
	{name: "file in IN", stmt: "SELECT * FROM regions WHERE code IN (SELECT line FROM file('{canary}', 'LineAsString'))", refused: "table functions such as file"},
	{name: "file in scalar subquery", stmt: "SELECT (SELECT any(line) FROM file('{canary}', 'LineAsString')) AS s", refused: "table functions such as file"},
	{name: "describe file", stmt: "DESCRIBE TABLE file('{canary}', 'LineAsString')", refused: "table functions such as file"},
	{name: "explain file", stmt: "EXPLAIN SELECT * FROM file('{canary}', 'LineAsString')", refused: "table functions such as file"},
	{name: "url", stmt: "SELECT * FROM url('http://127.0.0.1:9/', 'LineAsString')", refused: "table functions such as url"},
	{name: "s3", stmt: "SELECT * FROM s3('http://127.0.0.1:9/bucket/key.csv', 'CSV')", refused: "table functions such as s3"},
	{name: "remote", stmt: "SELECT * FROM remote('127.0.0.1:9000', system.one)", refused: "table functions such as remote"},
	{name: "remoteSecure", stmt: "SELECT * FROM remoteSecure('127.0.0.1:9440', system.one)", refused: "table functions such as remoteSecure"},
	{name: "cluster", stmt: "SELECT * FROM cluster('default', system.one)", refused: "table functions such as cluster"},
	{name: "mysql", stmt: "SELECT * FROM mysql('127.0.0.1:3306', 'db', 't', 'u', 'p')", refused: "table functions such as mysql"},
	{name: "postgresql", stmt: "SELECT * FROM postgresql('127.0.0.1:5432', 'db', 't', 'u', 'p')", refused: "table functions such as postgresql"},
	{name: "hdfs", stmt: "SELECT * FROM hdfs('hdfs://127.0.0.1:9000/x', 'CSV', 'a String')", refused: "table functions such as hdfs"},
	{name: "executable", stmt: "SELECT * FROM executable('cat', 'LineAsString', 'line String')", refused: "table functions such as executable"},
	{name: "numbers", stmt: "SELECT count() FROM numbers(1000000000000)", refused: "table functions such as numbers"},
	{name: "merge over system", stmt: "SELECT * FROM merge('system', '.*')", refused: "table functions such as merge"},
	{name: "view", stmt: "SELECT * FROM view(SELECT * FROM system.users)", refused: "table functions such as view"},
	{name: "input", stmt: "SELECT * FROM input('line String')", refused: "table functions such as input"},
	{name: "dictionary", stmt: "SELECT * FROM dictionary('d')", refused: "table functions such as dictionary"},

	// Functions that reach files, the network, programs or the engine's internals.
	{name: "file function", stmt: "SELECT file('{canary}')", refused: "function file is not allowed"},
	{name: "dictGet", stmt: "SELECT dictGet('d', 'a', toUInt64(1))", refused: "function dictGet is not allowed"},
	{name: "joinGet", stmt: "SELECT joinGet('system.users', 'name', 1)", refused: "function joinGet is not allowed"},
	{name: "catboost", stmt: "SELECT catboostEvaluate('{canary}', 1)", refused: "function catboostEvaluate is not allowed"},
	{name: "chdb", stmt: "SELECT chdb('SELECT * FROM file(''{canary}'')')", refused: "function chdb is not allowed"},
	{name: "hasColumnInTable", stmt: "SELECT hasColumnInTable('system', 'users', 'name')", refused: "function hasColumnInTable is not allowed"},
	{name: "ai", stmt: "SELECT aiGenerate('hello')", refused: "function aiGenerate is not allowed"},
	{name: "engine internals", stmt: "SELECT hostName(), version()", refused: "function hostName is not allowed"},
	{name: "sleep", stmt: "SELECT sleep(3)", refused: "function sleep is not allowed"},
	{name: "sleepEachRow", stmt: "SELECT sleepEachRow(1) FROM regions", refused: "function sleepEachRow is not allowed"},
	{name: "sleep in upper case", stmt: "SELECT SLEEP(3)", refused: "function SLEEP is not allowed"},
	{name: "sleep quoted", stmt: "SELECT `sleep`(3)", refused: "function sleep is not allowed"},
	{name: "sleep in window frame", stmt: "SELECT sum(value) OVER (ORDER BY year ROWS BETWEEN sleep(1) PRECEDING AND CURRENT ROW) FROM indicator_values", refused: "function sleep is not allowed"},
	{name: "named window hiding sleep", stmt: "SELECT rank() OVER w FROM regions WINDOW w AS (ORDER BY sleep(1))", refused: "named windows"},
	{name: "apply hiding sleep", stmt: "SELECT * APPLY(sleep) FROM regions", refused: "APPLY is not allowed"},
	{name: "query parameter", stmt: "SELECT {p:String}", refused: "query parameters"},

	// Settings, wherever a statement can carry them.
	{name: "settings at top", stmt: "SELECT * FROM regions SETTINGS readonly = 0", refused: "SETTINGS"},
	{name: "settings in subquery", stmt: "SELECT * FROM (SELECT * FROM regions SETTINGS max_memory_usage = 0)", refused: "SETTINGS"},
	{name: "settings in CTE", stmt: "WITH x AS (SELECT 1 SETTINGS max_execution_time = 0) SELECT * FROM x", refused: "SETTINGS"},
	{name: "settings in IN", stmt: "SELECT * FROM regions WHERE code IN (SELECT code FROM regions SETTINGS max_result_rows = 0)", refused: "SETTINGS"},
	{name: "settings after union", stmt: "SELECT 1 UNION ALL SELECT 2 SETTINGS readonly = 0", refused: "SETTINGS"},
	{name: "settings in explain", stmt: "EXPLAIN SELECT 1 SETTINGS readonly = 0", refused: "SETTINGS"},
	{name: "explain options", stmt: "EXPLAIN PLAN actions = 1 SELECT 1", refused: "SETTINGS"},
	{name: "settings on describe", stmt: "DESCRIBE TABLE regions SETTINGS readonly = 0", refused: "SETTINGS"},
	{name: "settings on show", stmt: "SHOW TABLES SETTINGS readonly = 0", refused: "SETTINGS"},
	{name: "settings behind comments", stmt: "SELECT 1 /* hidden */ SETTINGS /* hidden */ readonly = 0", refused: "SETTINGS"},

	// Output redirection.
	{name: "into outfile", stmt: "SELECT * FROM regions INTO OUTFILE '{new}'", refused: "INTO OUTFILE"},
	{name: "into outfile truncate format", stmt: "SELECT * FROM regions INTO OUTFILE '{new}' TRUNCATE FORMAT CSV", refused: "INTO OUTFILE"},
	{name: "format", stmt: "SELECT * FROM regions FORMAT CSV", refused: "FORMAT"},
	{name: "explain into outfile", stmt: "EXPLAIN SELECT 1 INTO OUTFILE '{new}'", refused: "INTO OUTFILE"},
	{name: "describe into outfile", stmt: "DESCRIBE TABLE regions INTO OUTFILE '{new}'", refused: "INTO OUTFILE"},
	{name: "show create into outfile", stmt: "SHOW CREATE TABLE regions INTO OUTFILE '{new}'", refused: "INTO OUTFILE"},

	// Other databases and the engine's internals, however the name is written.
	{name: "system.users", stmt: "SELECT * FROM system.users", refused: "only the warehouse's own database"},
	{name: "system.settings", stmt: "SELECT name, value FROM system.settings", refused: "only the warehouse's own database"},
	{name: "system.tables", stmt: "SELECT * FROM system.tables", refused: "only the warehouse's own database"},
	{name: "information_schema", stmt: "SELECT * FROM information_schema.tables", refused: "only the warehouse's own database"},
	{name: "INFORMATION_SCHEMA", stmt: "SELECT * FROM INFORMATION_SCHEMA.COLUMNS", refused: "only the warehouse's own database"},
	{name: "backquoted system", stmt: "SELECT * FROM `system`.`users`", refused: "only the warehouse's own database"},
	{name: "double-quoted system", stmt: `SELECT * FROM "system"."users"`, refused: "only the warehouse's own database"},
	{name: "escaped system", stmt: "SELECT * FROM `sys\\x74em`.users", refused: "only the warehouse's own database"},
	{name: "escaped file", stmt: "SELECT * FROM `fil\\x65`('{canary}', 'LineAsString')", refused: "table functions such as file"},
	{name: "line break in a name", stmt: "SELECT `a\\n    TableIdentifier system.users` FROM regions", refused: "could not be read unambiguously"},
	{name: "system with comment", stmt: "SELECT * FROM system . /* x */ users", refused: "only the warehouse's own database"},
	{name: "dotted name in quotes", stmt: "SELECT * FROM `{db}.x`.regions", refused: "is not allowed"},
	{name: "other user database", stmt: "SELECT * FROM default.regions", refused: "only the warehouse's own database"},
	{name: "system in join", stmt: "SELECT * FROM regions AS r, system.processes AS p", refused: "only the warehouse's own database"},
	{name: "system as IN table", stmt: "SELECT * FROM regions WHERE code IN system.users", refused: "only the warehouse's own database"},
	{name: "implicit system table", stmt: "SELECT system.one.dummy", refused: "only the warehouse's own database"},
	{name: "system in CTE", stmt: "WITH u AS (SELECT name FROM system.users) SELECT * FROM u", refused: "only the warehouse's own database"},
	{name: "show databases", stmt: "SHOW DATABASES", refused: "only SHOW TABLES"},
	{name: "show tables of system", stmt: "SHOW TABLES FROM system", refused: "only the warehouse's own database"},
	{name: "show create system", stmt: "SHOW CREATE TABLE system.users", refused: "only the warehouse's own database"},
	{name: "describe system", stmt: "DESCRIBE TABLE system.users", refused: "only the warehouse's own database"},
	{name: "show users", stmt: "SHOW USERS", refused: "this is SHOW USERS"},
	{name: "show grants", stmt: "SHOW GRANTS", refused: "this is SHOW GRANTS"},
	{name: "show processlist", stmt: "SHOW PROCESSLIST", refused: "this is SHOW PROCESSLIST"},
	{name: "show settings", stmt: "SHOW SETTINGS LIKE '%'", refused: "only SHOW TABLES"},

	// Tables off the analysts' allowlist: every user's statements, others' saved queries,
	// the tables any later migration adds (accounts, sessions, tokens: see
	// TestGuardDeniesTablesNotOnTheAllowlist), however they are reached.
	{name: "audit log", stmt: "SELECT user, statement FROM audit_log", refused: "table audit_log is not open"},
	{name: "audit log qualified", stmt: "SELECT * FROM {db}.audit_log", refused: "table audit_log is not open"},
	{name: "audit log backquoted", stmt: "SELECT * FROM `{db}`.`audit_log`", refused: "table audit_log is not open"},
	{name: "saved queries", stmt: "SELECT owner, statement FROM saved_queries", refused: "table saved_queries is not open"},
	{name: "audit log in join", stmt: "SELECT * FROM regions AS r JOIN audit_log AS a ON 1 = 1", refused: "table audit_log is not open"},
	{name: "audit log in subquery", stmt: "SELECT count() FROM (SELECT * FROM audit_log)", refused: "table audit_log is not open"},
	{name: "audit log in CTE", stmt: "WITH a AS (SELECT * FROM audit_log) SELECT * FROM a", refused: "table audit_log is not open"},
	{name: "audit log as IN table", stmt: "SELECT * FROM regions WHERE name_zh IN audit_log", refused: "table audit_log is not open"},
	{name: "CTE shadowing the audit log", stmt: "WITH audit_log AS (SELECT 1 AS x) SELECT * FROM (SELECT * FROM audit_log) AS s, audit_log", refused: "table audit_log is not open"},
	{name: "describe audit log", stmt: "DESCRIBE TABLE audit_log", refused: "table audit_log is not open"},
	{name: "explain audit log", stmt: "EXPLAIN SELECT * FROM audit_log", refused: "table audit_log is not open"},
	{name: "show create audit log", stmt: "SHOW CREATE TABLE audit_log", refused: "table audit_log is not open"},
	{name: "accounts", stmt: "SELECT * FROM accounts", refused: "holds accounts, sessions or tokens"},
	{name: "sessions", stmt: "SELECT * FROM sessions", refused: "holds accounts, sessions or tokens"},
	{name: "api tokens", stmt: "SELECT * FROM {db}.api_tokens", refused: "holds accounts, sessions or tokens"},
	{name: "show create saved queries qualified", stmt: "SHOW CREATE TABLE {db}.saved_queries", refused: "table saved_queries is not open"},

	// Input too long to be an analyst's query.
	{name: "long padding", stmt: "SELECT 1" + strings.Repeat(" ", 70000), refused: "bytes long"},
	{name: "long expression", stmt: "SELECT " + strings.Repeat("1+", 40000) + "1", refused: "bytes long"},
	{name: "not UTF-8", stmt: "SELECT '\xff\xfe'", refused: "not UTF-8"},

	// Resource bombs that look like ordinary SQL: the engine's limits stop them.
	{name: "cross join count", stmt: "SELECT count() FROM indicator_values AS a, indicator_values AS b, indicator_values AS c", limit: "time"},
	{name: "huge range", stmt: "SELECT length(range(400000000))", limit: "memory"},
	{name: "arrayMap over huge range", stmt: "SELECT length(arrayMap(x -> x * 2, range(100000000)))", limit: "memory"},
	{name: "huge repeat", stmt: "SELECT length(repeat('x', 800000000))", limit: "memory"},
	{name: "strings per row", stmt: "SELECT sum(length(arrayMap(x -> repeat('x', 1000), range(1000000)))) FROM regions", limit: "memory"},
	{name: "generated cross join", stmt: "SELECT count() FROM (SELECT arrayJoin(range(100000)) AS a) AS x, (SELECT arrayJoin(range(100000)) AS b) AS y", limit: "time"},
	{name: "recursive CTE", stmt: "WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r) SELECT count() FROM r", limit: "recursion"},
	{name: "groupArray of cross join", stmt: "SELECT length(groupArray(repeat(a.name_zh, 10000))) FROM regions AS a, regions AS b, regions AS c", limit: "memory"},
	{name: "bomb in explain", stmt: "EXPLAIN QUERY TREE SELECT length(range(400000000))", limit: "memory"},
	{name: "bomb in describe", stmt: "DESCRIBE (SELECT length(range(400000000)))", limit: "memory"},
	{name: "bomb in first union part", stmt: "SELECT length(range(400000000)) UNION ALL SELECT 1", limit: "memory"},
}

// No hostile statement runs: each is refused with a reason or stopped at a limit, the canary
// file is neither read nor written and no file appears beside it, and the warehouse's
// tables, the engine's databases and the connection's settings are as they were.
func TestGuardRefusesHostileStatements(t *testing.T) {
	if len(hostileStatements) < 40 {
		t.Fatalf("%d hostile statements; the guard's table needs at least 40", len(hostileStatements))
	}
	w := etltest.Demo(t)
	ctx := context.Background()
	c := newCanary(t)
	before := snapshot(t, w)
	c.events(t)
	fill := strings.NewReplacer("{canary}", c.file, "{new}", c.new, "{dir}", c.dir, "{db}", w.Database())
	// The first statement to run starts the ad hoc SQL worker, which takes a busy machine a
	// while; the bombs are timed without it.
	if _, err := w.GuardedQuery(ctx, "SELECT 1", untimedLimits); err != nil {
		t.Fatal(err)
	}
	for _, tc := range hostileStatements {
		t.Run(tc.name, func(t *testing.T) {
			stmt := fill.Replace(tc.stmt)
			start := time.Now()
			res, err := w.GuardedQuery(ctx, stmt, tc.limits())
			took := time.Since(start)
			if err == nil {
				t.Fatalf("ran, answering %d rows; want it refused", len(res.Rows))
			}
			t.Log(err)
			if strings.Contains(err.Error(), c.secret) {
				t.Errorf("the error shows the canary's secret: %v", err)
			}
			var refused *warehouse.RefusedError
			var limited *warehouse.LimitError
			switch {
			case tc.refused != "":
				if !errors.As(err, &refused) || !strings.Contains(refused.Reason, tc.refused) {
					t.Errorf("err = %v; want the guard to refuse it, saying %q", err, tc.refused)
				} else if !slices.Contains(guard.RefusalKinds, refused.Kind) {
					// The pages say a refusal in Chinese by its kind.
					t.Errorf("refused as kind %q, none of RefusalKinds", refused.Kind)
				}
			case !errors.As(err, &limited) || limited.Limit != tc.limit:
				t.Errorf("err = %v; want it stopped at the %s limit", err, tc.limit)
			}
			if took > hostileCeiling {
				t.Errorf("took %v; want it stopped within %v", took, hostileCeiling)
			}
		})
	}
	c.assertUntouched(t)
	after := snapshot(t, w)
	if diff := before.diff(after); diff != "" {
		t.Errorf("the hostile statements changed the warehouse: %s", diff)
	}
	// The connection still answers each query with its own result (a failed query in chDB
	// leaves output behind for the next call unless the guard clears it).
	res, err := w.GuardedQuery(ctx, "SELECT count() AS n FROM regions WHERE level = 'province'", untimedLimits)
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != uint64(31) && res.Rows[0][0] != int64(31) {
		t.Errorf("after the hostile statements, counting provinces gave %v, %v; want 31", res, err)
	}
}

// Without the guard the same statements do reach the file system: the engine reads the
// canary with file() and writes a new file with INTO OUTFILE, and the watch sees both. This
// proves the hostile table's file statements are real and that the watch would catch them.
func TestCanaryWatchSeesUnguardedEngine(t *testing.T) {
	w := etltest.SharedDemo(t)
	ctx := context.Background()
	c := newCanary(t)
	c.events(t)
	res, err := whtest.Query(ctx, w, "SELECT * FROM file({p:String}, 'LineAsString')", warehouse.Params{"p": c.file})
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != c.secret {
		t.Fatalf("unguarded file() read %v, %v; want the secret", res, err)
	}
	if ev := strings.Join(c.events(t), ","); !strings.Contains(ev, "OPEN canary.txt") {
		t.Errorf("the watch saw %q after the engine read the canary; want OPEN canary.txt", ev)
	}
	if _, err := whtest.Query(ctx, w, "SELECT 1 INTO OUTFILE '"+c.new+"'", nil); err != nil {
		t.Fatalf("unguarded INTO OUTFILE: %v", err)
	}
	if ev := strings.Join(c.events(t), ","); !strings.Contains(ev, "CREATE new.csv") {
		t.Errorf("the watch saw %q after the engine wrote a file; want CREATE new.csv", ev)
	}
}
