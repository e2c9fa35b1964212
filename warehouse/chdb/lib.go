package chdb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

// ErrEngineMissing is returned when the embedded engine's library cannot be found or loaded.
var ErrEngineMissing = errors.New("embedded ClickHouse engine (libchdb.so) is not available")

// chdbLib binds the few C functions of libchdb.so that jinwei uses. It is loaded on first
// use rather than at start-up: chdb-go's own package panics in init when the library is
// absent, which would stop `jinwei --help` and server mode on machines without it.
type chdbLib struct {
	connect       func(argc int, argv []*byte) *unsafe.Pointer
	closeConn     func(conn *unsafe.Pointer)
	queryParams   func(conn unsafe.Pointer, query *byte, queryLen uintptr, format string, formatLen uintptr, names **byte, nameLens *uintptr, values **byte, valueLens *uintptr, count uintptr) unsafe.Pointer
	resultBuffer  func(res unsafe.Pointer) *byte
	resultLength  func(res unsafe.Pointer) uintptr
	resultError   func(res unsafe.Pointer) string
	resultElapsed func(res unsafe.Pointer) float64
	resultRows    func(res unsafe.Pointer) uint64
	destroyResult func(res unsafe.Pointer)
	// The streaming calls: streamQuery starts a statement and returns a handle (or a result
	// carrying its error), streamFetch returns its next chunk of output (empty at the end),
	// streamCancel stops it between chunks. Chunks and the handle are freed with
	// destroyResult.
	streamQuery  func(conn unsafe.Pointer, query *byte, queryLen uintptr, format string, formatLen uintptr, names **byte, nameLens *uintptr, values **byte, valueLens *uintptr, count uintptr) unsafe.Pointer
	streamFetch  func(conn unsafe.Pointer, handle unsafe.Pointer) unsafe.Pointer
	streamCancel func(conn unsafe.Pointer, handle unsafe.Pointer)
}

var (
	libMu     sync.Mutex
	libLoaded *chdbLib
)

// loadChdb loads libchdb.so once per process from the first existing candidate path. A
// failure is not remembered, so a corrected path can be tried again.
func loadChdb(candidates []string) (*chdbLib, error) {
	libMu.Lock()
	defer libMu.Unlock()
	if libLoaded != nil {
		return libLoaded, nil
	}
	l, err := dlopenChdb(candidates)
	if err != nil {
		return nil, err
	}
	libLoaded = l
	return l, nil
}

func dlopenChdb(candidates []string) (*chdbLib, error) {
	path := ""
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if _, err := os.Stat(c); err == nil {
			path = c
			break
		}
	}
	if path == "" {
		return nil, fmt.Errorf("%w: looked in %v; run `make` (npm installs @chdb/lib-linux-x64-gnu), set CHDB_LIB_PATH or chdb_lib in the config, or use a ClickHouse server with --warehouse clickhouse://…", ErrEngineMissing, nonEmpty(candidates))
	}
	handle, err := purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_GLOBAL)
	if err != nil {
		return nil, fmt.Errorf("%w: load %s: %v", ErrEngineMissing, path, err)
	}
	l := &chdbLib{}
	bind := []struct {
		fn   any
		name string
	}{
		{&l.connect, "chdb_connect"},
		{&l.closeConn, "chdb_close_conn"},
		{&l.queryParams, "chdb_query_with_params_n"},
		{&l.resultBuffer, "chdb_result_buffer"},
		{&l.resultLength, "chdb_result_length"},
		{&l.resultError, "chdb_result_error"},
		{&l.resultElapsed, "chdb_result_elapsed"},
		{&l.resultRows, "chdb_result_rows_read"},
		{&l.destroyResult, "chdb_destroy_query_result"},
		{&l.streamQuery, "chdb_stream_query_with_params_n"},
		{&l.streamFetch, "chdb_stream_fetch_result"},
		{&l.streamCancel, "chdb_stream_cancel_query"},
	}
	for _, b := range bind {
		sym, err := purego.Dlsym(handle, b.name)
		if err != nil {
			return nil, fmt.Errorf("%w: %s lacks %s (need chDB 26.5 or later): %v", ErrEngineMissing, path, b.name, err)
		}
		purego.RegisterFunc(b.fn, sym)
	}
	return l, nil
}

// DefaultCandidates lists where libchdb.so is looked for when no path is configured:
// CHDB_LIB_PATH, then npm's node_modules beside the working directory and the executable.
func DefaultCandidates() []string {
	const rel = "node_modules/@chdb/lib-linux-x64-gnu/libchdb.so"
	c := []string{os.Getenv("CHDB_LIB_PATH"), rel}
	if exe, err := os.Executable(); err == nil {
		dir := filepath.Dir(exe)
		c = append(c, filepath.Join(dir, rel), filepath.Join(dir, "..", rel))
	}
	return append(c, "/usr/local/lib/libchdb.so")
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// cString returns a NUL-terminated copy of s and a pointer to its first byte.
func cString(s string) *byte {
	b := make([]byte, len(s)+1)
	copy(b, s)
	return &b[0]
}
