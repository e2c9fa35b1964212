package warehouse_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

const testCluster = "jinwei_test"

// clusterXML configures node shard (1-based) of a cluster of one-replica shards on ports,
// with ZooKeeper for replicated tables and ON CLUSTER statements.
func clusterXML(zkPort int, ports []int, shard int) string {
	s := fmt.Sprintf(`<zookeeper><node><host>127.0.0.1</host><port>%d</port></node></zookeeper>
<distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
<macros><shard>%d</shard><replica>r%d</replica></macros>
<remote_servers><%s>`, zkPort, shard, shard, testCluster)
	for _, p := range ports {
		s += fmt.Sprintf(`<shard><internal_replication>true</internal_replication><replica><host>127.0.0.1</host><port>%d</port><user>jinwei</user><password>jinwei-test</password></replica></shard>`, p)
	}
	return s + fmt.Sprintf("</%s></remote_servers>", testCluster)
}

// Two shards on two local 18.16 servers sharing one ZooKeeper. The cluster migrations (the
// compat schema, ON CLUSTER, Replicated tables, Distributed tables over NAME_local) apply
// once; an insert through the Distributed indicator_values spreads rows over both shards by
// region; the other node answers queries over all of them, through the views too, once the
// run's commit marker has replicated to it.
func TestClusterTwoShardsInsertAndQueryOn18x(t *testing.T) {
	ctx := context.Background()
	zk := whtest.StartZooKeeper(t)
	ports := []int{whtest.FreePort(t), whtest.FreePort(t)}
	var servers []*whtest.Process
	for i, p := range ports {
		servers = append(servers, whtest.StartServer(t, p, clusterXML(zk.Port, ports, i+1)))
	}
	for _, srv := range servers {
		waitForZooKeeper(t, srv)
	}
	// Every node is up before the first ON CLUSTER statement, which waits for all of them.
	var nodes []*warehouse.Warehouse
	db := whtest.NewDatabaseName()
	for i, srv := range servers {
		w, err := warehouse.Open(warehouse.Config{ServerDSN: whtest.WithDatabase(t, srv.DSN(), db), Cluster: testCluster})
		if err != nil {
			t.Fatalf("open node %d: %v", i+1, err)
		}
		t.Cleanup(func() { w.Close() })
		nodes = append(nodes, w)
	}
	all, err := warehouse.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	applied, err := nodes[0].Migrate(ctx)
	if err != nil || len(applied) != len(all) {
		t.Fatalf("cluster migrate applied %v (%v), want all %d", applied, err, len(all))
	}
	// schema_migrations is replicated to every node: the second node finds nothing to do.
	waitForCount(t, nodes[1], "schema_migrations", len(all))
	if again, err := nodes[1].Migrate(ctx); err != nil || len(again) != 0 {
		t.Fatalf("migrate on the other node applied %v (%v), want nothing", again, err)
	}

	const rows = 20_000
	runID := "0192f5a0-0000-7000-8000-0000000000c1"
	rec := indicatorValues(rows, runID)
	defer rec.Release()
	if err := nodes[0].Insert(ctx, "indicator_values", rec); err != nil {
		t.Fatal(err)
	}
	// Fifty values given again on later lines are the run's duplicates: they go from the
	// shards before the run commits (a DELETE FROM the Distributed table was refused).
	again := relined(rec.NewSlice(0, 50), rows+2)
	defer again.Release()
	if err := nodes[0].Insert(ctx, "indicator_values", again); err != nil {
		t.Fatal(err)
	}
	dups, err := nodes[0].RunDuplicates(ctx, runID)
	if err != nil || len(dups) != 50 {
		t.Fatalf("the cluster found %d duplicates (%v), want 50", len(dups), err)
	}
	if n, err := nodes[0].DeleteRunDuplicates(ctx, runID, dups); err != nil || n != 50 {
		t.Fatalf("the cluster deleted %d duplicates (%v), want 50", n, err)
	}
	var perShard [][]string
	total := 0
	for i, w := range nodes {
		res, err := whtest.Query(ctx, w, "SELECT count() AS n, groupUniqArray(region_code) AS regions FROM indicator_values_local", nil)
		if err != nil {
			t.Fatal(err)
		}
		n := int(res.Rows[0][0].(int64))
		if n == 0 {
			t.Errorf("shard %d holds no rows: the Distributed table did not spread them", i+1)
		}
		total += n
		var regions []string
		for _, r := range res.Rows[0][1].([]any) {
			regions = append(regions, r.(string))
		}
		perShard = append(perShard, regions)
	}
	if total != rows {
		t.Errorf("shards hold %d rows together, want %d", total, rows)
	}
	for _, r := range perShard[0] {
		if slices.Contains(perShard[1], r) {
			t.Fatalf("region %s is on both shards; the sharding key keeps a region on one", r)
		}
	}
	if err := nodes[0].Insert(ctx, "etl_runs", committedRun(runID)); err != nil {
		t.Fatal(err)
	}
	waitForCount(t, nodes[1], "committed_runs", 1)
	res, err := whtest.Query(ctx, nodes[1], "SELECT count() AS n, sum(value) AS s FROM indicator_values_current", nil)
	if err != nil {
		t.Fatal(err)
	}
	var want float64
	values := rec.Column(5).(*array.Float64).Float64Values()
	for _, v := range values {
		want += v
	}
	if res.Rows[0][0] != int64(rows) || res.Rows[0][1] != want {
		t.Fatalf("the other node sees %v current values summing to %v, want %d summing to %v", res.Rows[0][0], res.Rows[0][1], rows, want)
	}
}

// waitForCount waits for table to reach n rows on w, as replication brings them.
func waitForCount(t *testing.T, w *warehouse.Warehouse, table string, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := whtest.Query(context.Background(), w, "SELECT count() AS n FROM "+table, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows[0][0] == int64(n) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s has %v rows after 20 s, want %d", table, res.Rows[0][0], n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// relined is rec with its source lines numbered anew from first.
func relined(rec arrow.RecordBatch, first int) arrow.RecordBatch {
	defer rec.Release()
	col := rec.Schema().FieldIndices("source_line")[0]
	b := array.NewUint32Builder(memory.DefaultAllocator)
	defer b.Release()
	for i := range int(rec.NumRows()) {
		b.Append(uint32(first + i))
	}
	lines := b.NewArray()
	defer lines.Release()
	cols := slices.Clone(rec.Columns())
	cols[col] = lines
	return array.NewRecordBatch(rec.Schema(), cols, rec.NumRows())
}

// committedRun is the commit marker of a run, as the ETL writes it last.
func committedRun(runID string) arrow.RecordBatch {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "run_id", Type: arrow.BinaryTypes.String},
		{Name: "job", Type: arrow.BinaryTypes.String},
		{Name: "status", Type: arrow.BinaryTypes.String},
		{Name: "version", Type: arrow.PrimitiveTypes.Uint64},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).Append(runID)
	b.Field(1).(*array.StringBuilder).Append("economy")
	b.Field(2).(*array.StringBuilder).Append("committed")
	b.Field(3).(*array.Uint64Builder).Append(uint64(time.Now().UnixNano()))
	return b.NewRecordBatch()
}

// waitForZooKeeper returns once srv reads ZooKeeper. An 18.16 server listens before its
// ZooKeeper client is set up, and an ON CLUSTER statement in that gap crashes it (seen on a
// busy machine: a segmentation fault in zkutil::ZooKeeper::createImpl); reading
// system.zookeeper there fails instead, so it is polled until it answers.
func waitForZooKeeper(t *testing.T, srv *whtest.Process) {
	t.Helper()
	w, err := warehouse.Open(warehouse.Config{ServerDSN: whtest.WithDatabase(t, srv.DSN(), "default")})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		_, err := whtest.Query(context.Background(), w, "SELECT count() FROM system.zookeeper WHERE path = '/'", nil)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("clickhouse-server on %s never read ZooKeeper: %v", srv.Addr(), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
