package chserver

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// IsServerDSN says whether s names a ClickHouse server rather than an embedded warehouse.
func IsServerDSN(s string) bool { return strings.HasPrefix(s, "clickhouse://") }

// Defaults for what a DSN leaves out. The dial timeout is short so an unreachable host is
// reported while a person still waits; the read timeout is long because a context deadline,
// not the socket, limits how long a query may run.
const (
	defaultDialTimeout  = 5 * time.Second
	defaultReadTimeout  = 5 * time.Minute
	defaultMaxOpenConns = 10
)

// serverOptions turns a DSN into clickhouse-go options:
//
//	clickhouse://user:password@host1:9000,host2:9000/database?secure=true&ca_file=/etc/ssl/ch.pem
//
// Everything clickhouse-go's DSN accepts works (compress, dial_timeout, read_timeout,
// max_open_conns, max_idle_conns, conn_max_lifetime, connection_open_strategy,
// skip_verify, and any other key as a ClickHouse setting). jinwei adds ca_file, the PEM
// bundle that signed the server's certificate (intranet servers rarely use a public CA), a
// default port (9000, or 9440 with TLS), and LZ4 compression unless compress says otherwise.
func serverOptions(dsn string) (*clickhouse.Options, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		// url's error quotes the whole DSN, password included.
		return nil, fmt.Errorf("warehouse DSN is not a URL like clickhouse://user:password@host:9000/database")
	}
	q := u.Query()
	caFile := q.Get("ca_file")
	q.Del("ca_file")
	_, compressSet := q["compress"]
	u.RawQuery = q.Encode()

	opts, err := clickhouse.ParseDSN(u.String())
	if err != nil {
		return nil, fmt.Errorf("warehouse DSN: %w", redact(err, u))
	}
	port := "9000"
	if opts.TLS != nil {
		port = "9440"
	}
	for i, a := range opts.Addr {
		if _, _, err := net.SplitHostPort(a); err != nil {
			opts.Addr[i] = net.JoinHostPort(a, port)
		}
	}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("warehouse DSN ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("warehouse DSN ca_file %s: no PEM certificate in it", caFile)
		}
		if opts.TLS == nil {
			opts.TLS = &tls.Config{}
		}
		opts.TLS.RootCAs = pool
	}
	if !compressSet {
		opts.Compression = &clickhouse.Compression{Method: clickhouse.CompressionLZ4}
	}
	if opts.DialTimeout == 0 {
		opts.DialTimeout = defaultDialTimeout
	}
	if opts.ReadTimeout == 0 {
		opts.ReadTimeout = defaultReadTimeout
	}
	if opts.MaxOpenConns == 0 {
		opts.MaxOpenConns = defaultMaxOpenConns
	}
	return opts, nil
}

// redact keeps a DSN's password out of an error message.
func redact(err error, u *url.URL) error {
	if pw, ok := u.User.Password(); ok && pw != "" {
		return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), pw, "xxxxx"))
	}
	return err
}

// DatabaseIn is the database the path of dsn, a server DSN, names; "" when it names none.
func DatabaseIn(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && IsServerDSN(dsn) {
		return strings.Trim(u.Path, "/")
	}
	return ""
}
