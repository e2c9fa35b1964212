package warehouse

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const sampleTable = `CREATE TABLE IF NOT EXISTS indicator_values
(
    indicator_code LowCardinality(String),
    note           String COMMENT 'stays text: DateTime64(3, ''UTC'') LowCardinality(x)',
    loaded_at      DateTime64(3, 'UTC') DEFAULT now64(3),
    at             DateTime64(6)
)
ENGINE = MergeTree
ORDER BY (indicator_code, loaded_at)
COMMENT 'Every loaded value'`

func TestCompatDDLRewritesOnlyCode(t *testing.T) {
	got, err := ddlTarget{db: "jinwei", compat: true}.rewrite(sampleTable)
	if err != nil {
		t.Fatal(err)
	}
	want := `CREATE TABLE IF NOT EXISTS indicator_values
(
    indicator_code String,
    note           String,
    loaded_at      DateTime('UTC') DEFAULT now(),
    at             DateTime
)
ENGINE = MergeTree
ORDER BY (indicator_code, loaded_at)`
	if len(got) != 1 || got[0] != want {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n;\n"), want)
	}
}

func TestClusterDDLShardsReplicatesAndQualifies(t *testing.T) {
	target := ddlTarget{db: "jinwei", cluster: "ch"}
	got, err := target.rewrite(sampleTable)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"CREATE TABLE IF NOT EXISTS `jinwei`.`indicator_values_local` ON CLUSTER `ch`\n(\n" +
			"    indicator_code LowCardinality(String),\n" +
			"    note           String COMMENT 'stays text: DateTime64(3, ''UTC'') LowCardinality(x)',\n" +
			"    loaded_at      DateTime64(3, 'UTC') DEFAULT now64(3),\n    at             DateTime64(6)\n)\n" +
			"ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/jinwei/indicator_values_local', '{replica}')\n" +
			"ORDER BY (indicator_code, loaded_at)\nCOMMENT 'Every loaded value'",
		"CREATE TABLE IF NOT EXISTS `jinwei`.`indicator_values` ON CLUSTER `ch` AS `jinwei`.`indicator_values_local`\n" +
			"ENGINE = Distributed('ch', 'jinwei', 'indicator_values_local', cityHash64(region_code))",
	}
	if strings.Join(got, "\n;\n") != strings.Join(want, "\n;\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n;\n"), strings.Join(want, "\n;\n"))
	}

	dim, err := target.rewrite("CREATE TABLE IF NOT EXISTS regions\n(\n    code String,\n    version UInt64\n)\nENGINE = ReplacingMergeTree(version)\nORDER BY code")
	if err != nil {
		t.Fatal(err)
	}
	if len(dim) != 1 || !strings.Contains(dim[0], "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/jinwei/regions', '{replica}', version)") {
		t.Fatalf("a dimension should be replicated whole to every node, got %q", dim)
	}

	view, err := target.rewrite("CREATE VIEW IF NOT EXISTS committed_runs AS\nSELECT run_id, toYear(finished_at) AS y FROM etl_runs\n" +
		"WHERE status = 'committed' AND EXTRACT(YEAR FROM finished_at) > 2000 AND run_id IN (SELECT run_id FROM numbers(1))")
	if err != nil {
		t.Fatal(err)
	}
	wantView := "CREATE VIEW IF NOT EXISTS `jinwei`.`committed_runs` ON CLUSTER `ch` AS\nSELECT run_id, toYear(finished_at) AS y FROM `jinwei`.`etl_runs`\n" +
		"WHERE status = 'committed' AND EXTRACT(YEAR FROM finished_at) > 2000 AND run_id IN (SELECT run_id FROM numbers(1))"
	if len(view) != 1 || view[0] != wantView {
		t.Fatalf("got\n%s\nwant\n%s", view, wantView)
	}

	if _, err := target.rewrite("DROP TABLE regions"); err == nil {
		t.Fatal("a DROP has no cluster form yet and must be refused, not run on one node")
	}
	if ins, err := target.rewrite("INSERT INTO regions (code) SELECT '1'"); err != nil || len(ins) != 1 {
		t.Fatalf("an INSERT runs as written on a cluster; got %q, %v", ins, err)
	}
}

// Every statement of every migration has a form for each target, and on a cluster every
// CREATE runs ON CLUSTER with Replicated engines only.
func TestEveryMigrationHasEachTargetsForm(t *testing.T) {
	for _, cfg := range []Config{{}, {ServerDSN: "clickhouse://h/jinwei"}, {ServerDSN: "clickhouse://h/jinwei", Cluster: "ch"}} {
		var out bytes.Buffer
		if err := WriteMigrationDDL(&out, cfg); err != nil {
			t.Fatalf("%+v: %v", cfg, err)
		}
		if cfg.Cluster == "" {
			continue
		}
		for _, stmt := range strings.Split(out.String(), ";\n") {
			if !strings.Contains(stmt, "CREATE ") {
				continue
			}
			if !strings.Contains(stmt, " ON CLUSTER `ch`") {
				t.Errorf("not ON CLUSTER:\n%s", stmt)
			}
			if m := regexp.MustCompile(`ENGINE = (\w+)`).FindStringSubmatch(stmt); m != nil &&
				!strings.HasPrefix(m[1], "Replicated") && m[1] != "Distributed" {
				t.Errorf("engine %s on a cluster:\n%s", m[1], stmt)
			}
		}
	}
}

// An ALTER of a sharded table runs on every node's local table, and its Distributed table is
// made anew over them; a
// table replicated whole is altered once and replicates; on 18.x without the IF NOT EXISTS
// it lacks.
func TestAlterHasClusterAndCompatForms(t *testing.T) {
	const stmt = "ALTER TABLE etl_runs ADD COLUMN IF NOT EXISTS n UInt64 DEFAULT 0"
	got, err := ddlTarget{db: "jinwei", cluster: "ch"}.rewrite(stmt)
	if want := []string{"ALTER TABLE `jinwei`.`etl_runs` ADD COLUMN IF NOT EXISTS n UInt64 DEFAULT 0"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("cluster: %q, %v; want %q", got, err, want)
	}
	got, err = ddlTarget{db: "jinwei", cluster: "ch"}.rewrite("ALTER TABLE indicator_values ADD COLUMN n UInt8")
	if err != nil || len(got) != 3 || !strings.Contains(got[0], "ALTER TABLE `jinwei`.`indicator_values_local` ON CLUSTER") ||
		!strings.HasPrefix(got[1], "DROP TABLE IF EXISTS `jinwei`.`indicator_values` ON CLUSTER") ||
		!strings.Contains(got[2], "ENGINE = Distributed(") {
		t.Errorf("sharded: %q, %v", got, err)
	}
	got, err = ddlTarget{db: "jinwei", compat: true}.rewrite(stmt)
	if want := []string{"ALTER TABLE etl_runs ADD COLUMN n UInt64 DEFAULT 0"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("compat: %q, %v; want %q", got, err, want)
	}
}

// A view is dropped as a table (18.x has no DROP VIEW), on every node of a cluster; a
// table's DROP still has no form.
func TestDropViewHasEachTargetsForm(t *testing.T) {
	cases := []struct {
		target ddlTarget
		stmt   string
		want   string
	}{
		{ddlTarget{db: "jinwei"}, "DROP VIEW IF EXISTS unit_names", "DROP TABLE IF EXISTS `unit_names`"},
		{ddlTarget{db: "jinwei", compat: true}, "drop view unit_names", "DROP TABLE `unit_names`"},
		{ddlTarget{db: "jinwei", cluster: "ch", compat: true}, "DROP VIEW IF EXISTS unit_names\n", "DROP TABLE IF EXISTS `jinwei`.`unit_names` ON CLUSTER `ch`"},
	}
	for _, tc := range cases {
		if got, err := tc.target.rewrite(tc.stmt); err != nil || !slices.Equal(got, []string{tc.want}) {
			t.Errorf("%+v %q: %q, %v; want %q", tc.target, tc.stmt, got, err, tc.want)
		}
	}
	if got, err := (ddlTarget{db: "jinwei", cluster: "ch"}).rewrite("DROP VIEW unit_names; DROP TABLE regions"); err == nil {
		t.Errorf("a view's drop followed by a table's ran as %q", got)
	}
}

// A projection is built on every shard's local table; an 18.x server, which has none, is
// left without it (only the dashboards' queries, which need a current server, use it).
func TestProjectionHasClusterAndCompatForms(t *testing.T) {
	for _, stmt := range []string{"ALTER TABLE etl_rejects ADD PROJECTION IF NOT EXISTS p\n(\n    SELECT run_id, count()\n    GROUP BY run_id\n)",
		"ALTER TABLE etl_rejects MATERIALIZE PROJECTION p", "ALTER TABLE etl_rejects DROP PROJECTION IF EXISTS p"} {
		got, err := ddlTarget{db: "jinwei", compat: true}.rewrite(stmt)
		if err != nil || len(got) != 0 {
			t.Errorf("compat %.40q: %q, %v; want nothing", stmt, got, err)
		}
		got, err = ddlTarget{db: "jinwei", cluster: "ch"}.rewrite(stmt)
		if err != nil || len(got) != 3 || !strings.HasPrefix(got[0], "ALTER TABLE `jinwei`.`etl_rejects_local` ON CLUSTER `ch` ") {
			t.Errorf("cluster %.40q: %q, %v", stmt, got, err)
		}
	}
	// A column the compat form keeps is not taken for a projection.
	got, err := ddlTarget{db: "jinwei", compat: true}.rewrite("ALTER TABLE etl_rejects ADD COLUMN projection UInt8")
	if err != nil || len(got) != 1 {
		t.Errorf("compat ADD COLUMN projection: %q, %v", got, err)
	}
}

// Every DELETE FROM of sql/queries has each target's form: as written where deletes are
// light, a mutation on an old server, and on a cluster a mutation of the shards' local
// tables (reading their own rows) or of this node's replica of a table replicated whole.
func TestRowDeleteHasEachTargetsForm(t *testing.T) {
	single, old := ddlTarget{db: "w"}, ddlTarget{db: "w", compat: true}
	cluster := ddlTarget{db: "w", cluster: "c", compat: true}
	const dup = "-- the -- comment\nDELETE FROM indicator_values\nWHERE run_id = 1 AND x IN (SELECT x FROM indicator_values WHERE note = 'DELETE FROM regions')"
	for _, tc := range []struct {
		t        ddlTarget
		stmt     string
		want     string
		mutation bool
	}{
		{single, dup, dup, false},
		{old, dup, "ALTER TABLE `indicator_values` DELETE WHERE run_id = 1 AND x IN (SELECT x FROM indicator_values WHERE note = 'DELETE FROM regions')", true},
		{cluster, dup, "ALTER TABLE `w`.`indicator_values_local` ON CLUSTER `c` DELETE WHERE run_id = 1 AND x IN (SELECT x FROM `w`.`indicator_values_local` WHERE note = 'DELETE FROM regions')", true},
		{cluster, "DELETE FROM sessions WHERE id_hash IN (SELECT id_hash FROM sessions FINAL)", "ALTER TABLE `w`.`sessions` DELETE WHERE id_hash IN (SELECT id_hash FROM `w`.`sessions` FINAL)", true},
		// A current cluster refuses a replicated table's mutation reading a table unless
		// allowed (18.x knows no such setting).
		{ddlTarget{db: "w", cluster: "c"}, "DELETE FROM sessions WHERE id_hash IN (SELECT id_hash FROM sessions FINAL)\n",
			"ALTER TABLE `w`.`sessions` DELETE WHERE id_hash IN (SELECT id_hash FROM `w`.`sessions` FINAL)\nSETTINGS allow_nondeterministic_mutations = 1", true},
	} {
		got, mutation, err := tc.t.rowDelete(tc.stmt)
		if err != nil || got != tc.want || mutation != tc.mutation {
			t.Errorf("%+v rowDelete(%q)\n= %q, %v, %v\nwant %q, %v", tc.t, tc.stmt, got, mutation, err, tc.want, tc.mutation)
		}
	}
	if _, _, err := single.rowDelete("SELECT 1 -- DELETE FROM x WHERE"); err == nil {
		t.Error("a statement that deletes nothing passed as a DELETE")
	}
	for _, name := range []string{"run_duplicates_delete", "sessions_purge", "originals_purge"} {
		text, err := namedQuery(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, target := range []ddlTarget{single, old, cluster, {db: "w", cluster: "c"}} {
			if _, _, err := target.rowDelete(text); err != nil {
				t.Errorf("%s on %+v: %v", name, target, err)
			}
		}
	}
}
