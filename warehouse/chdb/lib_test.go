package chdb

import (
	"errors"
	"strings"
	"testing"
)

// A missing library is reported with every place looked in, not a crash.
func TestMissingEngineLibrarySaysWhereItLooked(t *testing.T) {
	_, err := dlopenChdb([]string{"", "/nonexistent/a/libchdb.so", "/nonexistent/b/libchdb.so"})
	if !errors.Is(err, ErrEngineMissing) {
		t.Fatalf("error %v; want ErrEngineMissing", err)
	}
	for _, want := range []string{"/nonexistent/a/libchdb.so", "/nonexistent/b/libchdb.so", "CHDB_LIB_PATH", "make"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

// A file that is not a shared library is refused with the loader's reason.
func TestBrokenEngineLibraryIsRefused(t *testing.T) {
	_, err := dlopenChdb([]string{"lib.go"})
	if !errors.Is(err, ErrEngineMissing) || !strings.Contains(err.Error(), "lib.go") {
		t.Fatalf("error %v; want ErrEngineMissing naming the file", err)
	}
}
