package whtest

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"jinwei/warehouse"
)

// DefaultServerDSN is where `make clickhouse-server` runs the test server.
const DefaultServerDSN = "clickhouse://jinwei:jinwei-test@127.0.0.1:19000"

//go:embed clickhouse/config.xml clickhouse/users.xml
var serverConfig embed.FS

// ServerDSN is the test server's DSN: JINWEI_TEST_CLICKHOUSE (the Makefile exports it) or
// DefaultServerDSN.
func ServerDSN() string {
	if dsn := os.Getenv("JINWEI_TEST_CLICKHOUSE"); dsn != "" {
		return dsn
	}
	return DefaultServerDSN
}

// OpenServer returns a migrated warehouse on a new database of the test server, dropped when
// the test ends.
func OpenServer(tb testing.TB) *warehouse.Warehouse {
	tb.Helper()
	w := OpenServerEmpty(tb)
	if _, err := w.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate test database on the server: %v", err)
	}
	return w
}

// OpenServerEmpty returns an unmigrated warehouse on a new database of the test server,
// dropped when the test ends. A server that cannot be reached fails the test and says how to
// start it; it never skips.
func OpenServerEmpty(tb testing.TB) *warehouse.Warehouse {
	tb.Helper()
	dsn := ServerDSN()
	db := NewDatabaseName()
	w, err := warehouse.Open(warehouse.Config{ServerDSN: WithDatabase(tb, dsn, db)})
	if err != nil {
		tb.Fatalf("the server tests need a ClickHouse server at %s (`make clickhouse-server` installs and starts Debian's; JINWEI_TEST_CLICKHOUSE names another): %v", Redacted(dsn), err)
	}
	tb.Cleanup(func() {
		if err := Exec(context.Background(), w, "DROP DATABASE IF EXISTS "+db, nil); err != nil {
			tb.Errorf("drop test database %s: %v", db, err)
		}
		_ = w.Close()
	})
	return w
}

// NewDatabaseName returns a fresh database name for one test.
func NewDatabaseName() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "test_" + hex.EncodeToString(b[:])
}

// WithDatabase returns dsn naming database db.
func WithDatabase(tb testing.TB, dsn, db string) string {
	tb.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("test server DSN %s: %v", Redacted(dsn), err)
	}
	u.Path = "/" + db
	return u.String()
}

// Redacted is dsn without its password, for messages.
func Redacted(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable DSN)"
	}
	return u.Redacted()
}
