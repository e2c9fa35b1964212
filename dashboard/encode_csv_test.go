package dashboard

import (
	"bytes"
	"testing"

	"jinwei/warehouse"
)

// Text cells Excel would run as formulas are written as text; numbers stay numbers.
func TestCSVCellsNeverCarryFormulas(t *testing.T) {
	cases := []struct {
		v      any
		number bool
		want   string
	}{
		{`=HYPERLINK("http://evil.example/","点击")`, false, `'=HYPERLINK("http://evil.example/","点击")`},
		{"+cmd|' /C calc'!A0", false, "'+cmd|' /C calc'!A0"},
		{"-2+3", false, "'-2+3"},
		{"@SUM(A1:A9)", false, "'@SUM(A1:A9)"},
		{"\t=1+1", false, "'\t=1+1"},
		{"\r=1+1", false, "'\r=1+1"},
		{"甘肃省", false, "甘肃省"},
		{"a=b", false, "a=b"},
		{"", false, ""},
		{nil, false, ""},
		{"-5", false, "-5"},         // the text of a number reads as that number
		{"+1.5e3", false, "+1.5e3"}, // so does this
		{int64(-7), false, "-7"},    // a number value
		{float64(-0.25), false, "-0.25"},
		{"-inf", true, "-inf"}, // a numeric column's cell, however it prints
	}
	for _, c := range cases {
		if got := csvCell(c.v, c.number); got != c.want {
			t.Errorf("csvCell(%q, %v) = %q, want %q", c.v, c.number, got, c.want)
		}
	}
}

// The encoder applies it to every text cell and to the header, and knows numeric columns
// by their type.
func TestCSVEncoderWritesFormulasAsText(t *testing.T) {
	var buf bytes.Buffer
	e := newCSVEncoder(&buf)
	if err := e.Columns([]warehouse.Column{{Name: "=title", Type: "String"}, {Name: "n", Type: "Nullable(Int64)"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.Rows([][]any{{"=HYPERLINK(\"http://evil.example/\")", "-12"}, {"@x", nil}}); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(false); err != nil {
		t.Fatal(err)
	}
	want := "\ufeff'=title,n\n\"'=HYPERLINK(\"\"http://evil.example/\"\")\",-12\n'@x,\n"
	if buf.String() != want {
		t.Errorf("CSV\n%q\nwant\n%q", buf.String(), want)
	}
}
