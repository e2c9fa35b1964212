package ch

import "testing"

// An engine error's code and place are read from its message as either engine writes it.
func TestEngineErrorCodeAndPlace(t *testing.T) {
	for _, tc := range []struct {
		msg             string
		parsed          bool
		code, line, col int
	}{
		// A statement of one line: the engine names no line, only a position.
		{"Code: 62. DB::Exception: Syntax error: failed at position 7 (1): 1. Expected one of: token sequence. (SYNTAX_ERROR)", true, 62, 1, 7},
		// Of several lines: its line and column (bytes: '甘肃省' is nine).
		{"Code: 62. DB::Exception: Syntax error: failed at position 62 (1) (line 2, col 50): 1. Expected one of: OR. (SYNTAX_ERROR)", true, 62, 2, 50},
		// The same words from a statement that ran: the place is in what the engine read
		// then (a type name in a string), not in the statement.
		{"Code: 62. DB::Exception: Syntax error: failed at position 7 ((): (. Expected one of: type. (SYNTAX_ERROR)", false, 62, 0, 0},
		{"Code: 47. DB::Exception: Unknown expression identifier `nope` in scope SELECT nope FROM regions. (UNKNOWN_IDENTIFIER)", true, 47, 0, 0},
		{"the statement ran on past its time limit and was stopped (TIMEOUT_EXCEEDED)", false, 0, 0, 0},
	} {
		e := &EngineError{Message: tc.msg, Parsed: tc.parsed}
		line, col := e.Place()
		if e.Code() != tc.code || line != tc.line || col != tc.col {
			t.Errorf("%.40s…: code %d at %d:%d; want %d at %d:%d", tc.msg, e.Code(), line, col, tc.code, tc.line, tc.col)
		}
	}
}
