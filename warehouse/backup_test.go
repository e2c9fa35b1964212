package warehouse_test

import (
	"context"
	"testing"

	"jinwei/warehouse/whtest"
)

// A background merge collapses a ReplacingMergeTree table's replaced rows, before a backup
// or after a restore, when it likes: the checksums compare the tables' content, so they are
// the same before and after the merge.
func TestChecksumsIgnoreMerges(t *testing.T) {
	ctx := context.Background()
	w := whtest.Open(t)
	if err := whtest.Exec(ctx, w, "CREATE TABLE checksum_replacing (k UInt8, v String, at UInt32) ENGINE = ReplacingMergeTree(at) ORDER BY k", nil); err != nil {
		t.Fatal(err)
	}
	// Two inserts, two parts: the first row of key 1 is replaced, but stays stored until a
	// merge.
	for _, stmt := range []string{
		"INSERT INTO checksum_replacing VALUES (1, 'old', 1), (2, 'kept', 1)",
		"INSERT INTO checksum_replacing VALUES (1, 'new', 2)",
	} {
		if err := whtest.Exec(ctx, w, stmt, nil); err != nil {
			t.Fatal(err)
		}
	}
	sum := func() whtest.TableChecksum {
		t.Helper()
		sums := whtest.Checksums(t, w)
		for _, s := range sums {
			if s.Table == "checksum_replacing" {
				return s
			}
		}
		t.Fatalf("no checksum of checksum_replacing in %+v", sums)
		return whtest.TableChecksum{}
	}
	before := sum()
	if err := whtest.Exec(ctx, w, "OPTIMIZE TABLE checksum_replacing FINAL", nil); err != nil {
		t.Fatal(err)
	}
	after := sum()
	if before != after || after.Rows != 2 {
		t.Fatalf("checksum %+v before the merge, %+v after; want the same, of 2 rows", before, after)
	}
}
