package etl

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"jinwei/warehouse/reasons"
)

type splitRecord struct {
	line  int
	cells []string
}

func splitAll(text string) ([]splitRecord, error) {
	s := newCSVSplitter(strings.NewReader(text))
	var out []splitRecord
	for {
		rec, line, err := s.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, splitRecord{line, slices.Clone(rec)})
	}
}

func TestCSVSplitter(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []splitRecord
		err  string
	}{
		{"plain", "a,b\n1,2\n", []splitRecord{{1, []string{"a", "b"}}, {2, []string{"1", "2"}}}, ""},
		{"no final line break", "a,b\n1,2", []splitRecord{{1, []string{"a", "b"}}, {2, []string{"1", "2"}}}, ""},
		{"crlf", "a,b\r\n1,2\r\n", []splitRecord{{1, []string{"a", "b"}}, {2, []string{"1", "2"}}}, ""},
		{"empty lines skipped, counted", "a\n\n\r\nb\n", []splitRecord{{1, []string{"a"}}, {4, []string{"b"}}}, ""},
		{"empty fields", ",x,\n", []splitRecord{{1, []string{"", "x", ""}}}, ""},
		{"quoted comma", `"1,234",b` + "\n", []splitRecord{{1, []string{"1,234", "b"}}}, ""},
		{"doubled quote", `"say ""hi""",b` + "\n", []splitRecord{{1, []string{`say "hi"`, "b"}}}, ""},
		{"field over lines", "\"a\nb\",c\nd,e\n", []splitRecord{{1, []string{"a\nb", "c"}}, {3, []string{"d", "e"}}}, ""},
		{"field over crlf lines", "\"a\r\nb\",c\r\nd,e\r\n", []splitRecord{{1, []string{"a\nb", "c"}}, {3, []string{"d", "e"}}}, ""},
		{"chinese", "甘肃省,１２３\n", []splitRecord{{1, []string{"甘肃省", "１２３"}}}, ""},
		{"bare quote", "a,b\"c,d\n", nil, `line 1, column 4: bare "`},
		{"unclosed quote at end", "a,b\n\"open,x\n", []splitRecord{{1, []string{"a", "b"}}}, "line 2"},
		{"not utf-8", "a,b\n\xb8\xca\xcb\xe0,1\n", []splitRecord{{1, []string{"a", "b"}}}, "line 2 is not valid UTF-8"},
		{"not utf-8 in quotes", "\"\xb8\xca\",1\n", nil, "line 1 is not valid UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := splitAll(tc.in)
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
			if !slices.EqualFunc(got, tc.want, func(a, b splitRecord) bool { return a.line == b.line && slices.Equal(a.cells, b.cells) }) {
				t.Fatalf("records %v, want %v", got, tc.want)
			}
		})
	}
}

// A line encoding/csv cannot read is refused in its words, and in Chinese.
func TestCSVFaultsAreWordedInBoth(t *testing.T) {
	for _, err := range []error{csv.ErrQuote, csv.ErrBareQuote} {
		if got := reasons.Of(csvFault(err)); got.En != err.Error() || got.Zh == "" {
			t.Errorf("%v is worded %+v", err, got)
		}
	}
}

func TestCSVSplitterRefusesLongLine(t *testing.T) {
	for name, in := range map[string]string{
		"plain":  "a,b\n" + strings.Repeat("x", maxLineBytes+1) + "\n",
		"quoted": "a,b\n\"" + strings.Repeat("x\n", maxLineBytes/2+1) + "\"\n",
	} {
		got, err := splitAll(in)
		want := fmt.Sprintf("line 2 is longer than %d bytes", maxLineBytes)
		if err == nil || err.Error() != want || reasons.Of(err).Zh != fmt.Sprintf("第 2 行超过 %d 字节", maxLineBytes) || len(got) != 1 {
			t.Errorf("%s: %d records, error %v; want the header, then line 2 refused as too long", name, len(got), err)
		}
	}
}

// TestCSVSplitterAgreesWithEncodingCSV writes random records with encoding/csv (commas,
// quotes, line breaks, Chinese, empty fields) and reads them back.
func TestCSVSplitterAgreesWithEncodingCSV(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	pieces := []string{"a", "甘肃", ",", `"`, "\n", " ", "1.5", "", "—", "\r\n", "\r"}
	var want [][]string
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for range 2000 {
		rec := make([]string, 1+rng.IntN(6))
		for i := range rec {
			var b strings.Builder
			for range rng.IntN(4) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			rec[i] = b.String()
		}
		if len(rec) == 1 && rec[0] == "" {
			continue // an empty line, which both readers skip
		}
		want = append(want, rec)
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	r := csv.NewReader(bytes.NewReader(buf.Bytes()))
	r.FieldsPerRecord = -1
	var canonical [][]string // encoding/csv reads \r\n inside quotes as \n
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		line, _ := r.FieldPos(0)
		canonical, lines = append(canonical, rec), append(lines, line)
	}
	got, err := splitAll(buf.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(canonical) {
		t.Fatalf("%d records, encoding/csv reads %d", len(got), len(canonical))
	}
	for i := range got {
		if !slices.Equal(got[i].cells, canonical[i]) || got[i].line != lines[i] {
			t.Fatalf("record %d: %q on line %d, encoding/csv reads %q on line %d (written %q)", i, got[i].cells, got[i].line, canonical[i], lines[i], want[i])
		}
	}
}

func TestControlFreeAgreesWithAByteScan(t *testing.T) {
	slow := func(b []byte) bool {
		for _, c := range b {
			if c < 0x20 || c == 0x7f {
				return false
			}
		}
		return true
	}
	cases := [][]byte{nil, []byte("2024-01,620000,gdp,12.5,亿元"), []byte("a\tb"), []byte("12345678\x7f"), []byte("1234567\x1f9"),
		[]byte("\x00"), []byte("甘肃省兰州市城关区"), []byte{0x80, 0xff, 0x20, 0x7e, 0x81, 0x9f, 0xa0, 0xc0, 0x7f}, []byte("        \r")}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			// Mostly printable text, now and then any byte.
			if rng.IntN(20) == 0 {
				b[i] = byte(rng.IntN(256))
			} else {
				b[i] = byte(0x20 + rng.IntN(0x5f))
			}
		}
		cases = append(cases, b)
	}
	for _, b := range cases {
		if got, want := controlFree(b), slow(b); got != want {
			t.Fatalf("controlFree(%q) = %v, want %v", b, got, want)
		}
	}
}
