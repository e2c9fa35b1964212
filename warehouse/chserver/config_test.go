package chserver

import (
	"strings"
	"testing"

	"jinwei/warehouse/ch"
)

func TestBindOnClient(t *testing.T) {
	cases := []struct {
		stmt   string
		params ch.Params
		want   string // empty: refused
	}{
		{"SELECT {s:String}", ch.Params{"s": "it's \\ here\n"}, `SELECT 'it\'s \\ here\n'`},
		{"SELECT {n:UInt16} - 1 LIMIT {l:UInt32}", ch.Params{"n": "2024", "l": "10"}, "SELECT 2024 - 1 LIMIT 10"},
		{"SELECT 1 - {n:Int64}", ch.Params{"n": "-007"}, "SELECT 1 - (-7)"},
		{"SELECT {n:UInt8}", ch.Params{"n": "300"}, ""}, // the embedded 26.5 wraps this to 44
		{"SELECT {n:UInt8}", ch.Params{"n": "1; DROP TABLE x"}, ""},
		{"SELECT {f:Float64}", ch.Params{"f": "nan"}, "SELECT CAST('nan' AS Float64)"},
		{"SELECT {t:DateTime('UTC')}", ch.Params{"t": "2024-01-01 00:00:00"}, "SELECT CAST('2024-01-01 00:00:00' AS DateTime('UTC'))"},
		{"SELECT '{s:String}', `{s:String}` -- {s:String}\n/* {s:String} */", ch.Params{}, "SELECT '{s:String}', `{s:String}` -- {s:String}\n/* {s:String} */"},
		{"SELECT {s:Nullable(String)}", ch.Params{"s": `\N`}, `SELECT '\\N'`},
		{"SELECT {s:String}", ch.Params{}, ""},
	}
	for _, c := range cases {
		got, err := bindOnClient(c.stmt, c.params)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("%s with %v: got %q, want a refusal", c.stmt, c.params, got)
		case c.want != "" && (err != nil || got != c.want):
			t.Errorf("%s with %v: got %q (%v), want %q", c.stmt, c.params, got, err, c.want)
		}
	}
}

func TestServerOptionsFromDSN(t *testing.T) {
	opts, err := serverOptions("clickhouse://u:p@a,b:9001/jinwei?secure=true&dial_timeout=2s&max_open_conns=3&compress=zstd")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(opts.Addr, " ") != "a:9440 b:9001" || opts.TLS == nil || opts.Auth.Database != "jinwei" ||
		opts.DialTimeout.Seconds() != 2 || opts.MaxOpenConns != 3 || opts.Compression.Method.String() != "zstd" {
		t.Fatalf("options %+v", opts)
	}
	if _, err := serverOptions("clickhouse://u:secret@h/db?ca_file=/nonexistent.pem"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Fatalf("a missing CA file must fail without showing the password: %v", err)
	}
}
