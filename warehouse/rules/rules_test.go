package rules_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"jinwei/warehouse/rules"
)

// The rules a campaign value passes, for a file row and a form field alike.
func TestCampaignValueRules(t *testing.T) {
	for text, want := range map[string]float64{"12": 12, "１２": 12, " 1,234 ": 1234, "0": 0,
		"1,234,567.5": 1234567.5, "１２，３４５": 12345, "+7": 7, "1e3": 1000, ".5": 0.5, "5.": 5} {
		if v, err := rules.Value(text, "x", "学时"); err != nil || v != want {
			t.Errorf("Value(%q) = %v, %v", text, v, err)
		}
	}
	for text, want := range map[string]error{"-3": rules.ErrNegative, "": rules.ErrMissing, "—": rules.ErrMissing,
		"<script>alert(1)</script>": rules.ErrNotNumber,
		// Past a float's range, or near it, a value is too large (a form said "enter a
		// number" to 1e308), and a negative one is negative.
		"1e999": rules.ErrTooLarge, "1e308": rules.ErrTooLarge, "1" + strings.Repeat("0", 301): rules.ErrTooLarge, "１ｅ３０５": rules.ErrTooLarge, "-1e999": rules.ErrNegative, "-1e308": rules.ErrNegative,
		// strconv's other spellings, and commas that group no thousands (a decimal comma
		// "3,5" was read as 35), are refused rather than guessed at.
		"0x1p4": rules.ErrNotNumber, "0x10": rules.ErrNotNumber, "1_000": rules.ErrNotNumber, "Inf": rules.ErrNotNumber,
		"NaN": rules.ErrNotNumber, "infinity": rules.ErrNotNumber, "3,5": rules.ErrNotNumber, "1,2,3": rules.ErrNotNumber,
		"12,34": rules.ErrNotNumber, "1,2345": rules.ErrNotNumber, ",123": rules.ErrNotNumber} {
		if _, err := rules.Value(text, "x", "学时"); !errors.Is(err, want) {
			t.Errorf("Value(%q): %v, want %v", text, err, want)
		}
	}
	// A count is whole, whatever its spelling; an amount of hours need not be. Past ten
	// million a value is a slip (or hostile): 1e300 flattened every other unit's score.
	for _, tc := range []struct {
		text, unit string
		want       error
	}{
		{"2.5", "个", rules.ErrNotWhole}, {"2.5", "户", rules.ErrNotWhole}, {"1.25e1", "次", rules.ErrNotWhole},
		{"2.5", "学时", nil}, {"2.0", "个", nil}, {"1.2e3", "件", nil}, {"10,000,000", "户", nil},
		{"10,000,001", "户", rules.ErrTooLarge}, {"1e300", "学时", rules.ErrTooLarge}, {"1e8", "个", rules.ErrTooLarge},
	} {
		if _, err := rules.Value(tc.text, "x", tc.unit); !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("Value(%q) in %s: %v, want %v", tc.text, tc.unit, err, tc.want)
		}
	}
	// ParseNumber's own bounds hold however a number past them is written, plain digits too:
	// 1e300 and 1e-320 were read, and an upload's preview printed each as hundreds of digits.
	for _, tc := range []struct {
		text string
		want error
	}{
		{"1" + strings.Repeat("0", 301), rules.ErrHuge}, {"1e301", rules.ErrHuge}, {"-" + strings.Repeat("9", 302), rules.ErrHuge},
		{"1e300", rules.ErrHuge}, {"1000000000000001", rules.ErrHuge}, {"-2e15", rules.ErrHuge}, {"１，０００，０００，０００，０００，００１", rules.ErrHuge},
		{"1e-320", rules.ErrTiny}, {"0.0000000001", rules.ErrTiny}, {"-9.9e-10", rules.ErrTiny},
		// Too small for a float, read as 0 without an error (a red-team finding).
		{"1e-400", rules.ErrTiny}, {"-1e-330", rules.ErrTiny}, {"0." + strings.Repeat("0", 400) + "1", rules.ErrTiny}, {"0.0e-5", nil}, {"-0.000", nil},
		{"1e15", nil}, {"-1000000000000000", nil}, {"130000000000000", nil}, {"1e-9", nil}, {"0.000000001", nil}, {"0", nil}, {"-0.0", nil},
	} {
		v, err := rules.ParseNumber(tc.text)
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("ParseNumber(%.24q…): %v, want %v", tc.text, err, tc.want)
		}
		// A number is not called "not a number" for its size (a red-team finding), and
		// -0 is 0 (it previewed as "-0 亿元").
		if err != nil && strings.Contains(err.Error(), "not a number") || math.Signbit(v) && v == 0 {
			t.Errorf("ParseNumber(%.24q…) = %v, %v", tc.text, v, err)
		}
	}
	if v, err := rules.Value("-0", "x", "个"); err != nil || math.Signbit(v) {
		t.Errorf(`Value("-0") = %v, %v; want 0`, v, err)
	}
	if n, err := rules.Category("3", "problems_found"); err != nil || n != 3 {
		t.Errorf("category 3: %d %v", n, err)
	}
	if n, err := rules.Category("懒散疲沓不勤为", "problems_rectified"); err != nil || n != 2 {
		t.Errorf("category by name: %d %v", n, err)
	}
	for _, bad := range [][2]string{{"8", "problems_found"}, {"", "problems_found"}, {"2", "study_sessions"}} {
		if _, err := rules.Category(bad[0], bad[1]); err == nil {
			t.Errorf("category %q of %s accepted", bad[0], bad[1])
		}
	}
	now := time.Date(2024, 5, 20, 0, 0, 0, 0, time.UTC)
	if rules.Month(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), now) != nil || !errors.Is(rules.Month(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), now), rules.ErrFutureMonth) {
		t.Errorf("month rule")
	}
}

// A percent sign is taken off a number as written, in either width and with spaces; only
// at the end.
func TestCutPercent(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"5.2%", "5.2", true},
		{" ６.１％ ", "6.1", true},
		{"7 %", "7", true},
		{"-0.3%", "-0.3", true},
		{"5.2", "5.2", false},
		{"%5", "%5", false},
		{"%", "", true},
	} {
		if got, ok := rules.CutPercent(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("CutPercent(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
