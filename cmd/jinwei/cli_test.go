package main

import (
	"bytes"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"jinwei/etl"
)

func TestGlobalFlagsBeforeTheCommand(t *testing.T) {
	tests := []struct{ in, want []string }{
		{[]string{"--data-dir", "X", "migrate"}, []string{"migrate", "--data-dir", "X"}},
		{[]string{"--data-dir=X", "-home", "610000", "etl", "runs"}, []string{"etl", "runs", "--data-dir=X", "-home", "610000"}},
		{[]string{"--database", "d", "sql", "--", "-1"}, []string{"sql", "--database", "d", "--", "-1"}},
		{[]string{"migrate", "--data-dir", "X"}, []string{"migrate", "--data-dir", "X"}},
		{[]string{"--strict", "etl"}, []string{"--strict", "etl"}}, // not a global flag: left for the error
	}
	for _, tc := range tests {
		if got := globalFlagsLast(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("globalFlagsLast(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// The usage names every command and every job.
func TestUsageListsEveryCommandAndJob(t *testing.T) {
	for _, want := range append([]string{"serve", "migrate", "etl inspect", "etl load", "etl run JOB", "etl runs", "etl rejects",
		"demo load", "demo generate", "sql", "backup", "restore", "config check", "user add", "--dry-run"}, etl.JobNames()...) {
		if !strings.Contains(usage, want) {
			t.Errorf("usage lacks %q", want)
		}
	}
}

// A log line written while a progress line is shown first clears it, so the two never
// share a line on the screen.
func TestProgressLineClearedBeforeOtherOutput(t *testing.T) {
	var screen bytes.Buffer
	term := &terminal{out: &screen}
	log := slog.New(slog.NewTextHandler(term.beside(&screen), nil))
	show := progressPrinter(term)
	if show == nil {
		t.Fatal("no progress printer for a terminal")
	}
	term.show("a.csv: read 4096")
	log.Info("migrated warehouse")
	term.show("a.csv: read 8192")
	printTo := screen.String()
	logAt := strings.Index(printTo, "time=")
	if logAt < 0 || !strings.HasSuffix(printTo[:logAt], "read 4096"+clearLine) {
		t.Errorf("the log line did not clear the progress line first:\n%q", printTo)
	}
	if progressPrinter(&screen) != nil {
		t.Error("progress shown on a stream that is not a terminal")
	}
}
