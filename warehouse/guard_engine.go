package warehouse

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// guardEngine is where guarded statements run: the warehouse's embedded engine, its server,
// or a server's read-only user.
type guardEngine interface {
	// guarded gives fn a session for one statement, holding what must be held meanwhile.
	guarded(ctx context.Context, fn func(s guardSession) error) error
	// closeGuard releases what the guard opened for itself.
	closeGuard() error
}

// guardSession is what the guard works with on one statement: a parser (the engine's
// formatter and EXPLAIN AST, small answers) and the engine that runs the final statement,
// streaming its rows or, for SHOW, DESCRIBE and EXPLAIN, whole. The parser is another
// engine's only on a server too old to parse for the guard.
type guardSession struct {
	parse  runFunc
	run    runFunc
	stream func(stmt string, each chunkFunc) error
	// tables, when set, reads the database's catalogue for the guard's table check; run
	// does when it is nil.
	tables runFunc
	// limits, when set, is told the statement's time and result-size limits before it
	// runs, for a session that enforces them itself (a worker is ended at hardStop of the
	// time, and stops a result at the size before sending it on).
	limits func(timeout time.Duration, maxBytes int64)
	// readOnly is set when the session is read-only already. Such a session may not change
	// the readonly setting (the engine refuses even to set it again), so the limits leave it
	// out; the session's own setting is the fence against writes.
	readOnly bool
	// oldServer is set for servers older than 20.1, which read max_execution_time only as
	// a whole number of seconds ("Bad get: has Float64, requested UInt64") and take no
	// SETTINGS clause on SHOW or DESCRIBE.
	oldServer bool
}

// serverGuard runs guarded statements on a server: as a read-only user when the warehouse
// has one (own is then set: the guard opened that connection and closes it), else as
// jinwei's own user.
type serverGuard struct {
	e    *serverEngine
	own  bool
	libs []string // where the embedded engine's library is, for a borrowed parser

	mu       sync.Mutex
	ready    bool // prepare has succeeded; a failure (a cancelled request) is tried again
	readOnly bool
	parser   *chdbParser // set when the server cannot parse statements for the guard
}

var _ guardEngine = (*serverGuard)(nil)

// guarded learns once what the server's session allows, then parses on the server, or with
// the embedded engine's parser when the server is too old to have one the guard can use,
// and streams the final statement from the server.
func (g *serverGuard) guarded(ctx context.Context, fn func(s guardSession) error) error {
	g.mu.Lock()
	if !g.ready {
		if err := g.prepare(ctx); err != nil {
			g.mu.Unlock()
			return err
		}
		g.ready = true
	}
	g.mu.Unlock()
	run := func(stmt string, params Params) (*Result, error) { return g.e.query(ctx, stmt, params) }
	s := guardSession{
		parse: run, run: run,
		stream:   func(stmt string, each chunkFunc) error { return g.e.stream(ctx, stmt, each) },
		readOnly: g.readOnly, oldServer: g.e.compat,
	}
	if g.parser == nil {
		return fn(s)
	}
	// The parser's connection is held only while it parses, not while the server streams.
	s.parse = func(stmt string, params Params) (*Result, error) {
		var res *Result
		err := g.parser.e.exclusive(ctx, func(p guardSession) error {
			var err error
			res, err = p.parse(stmt, params)
			return err
		})
		return res, err
	}
	return fn(s)
}

// prepare reads the session's readonly setting and checks that the server has the parser
// functions the guard uses, borrowing the embedded engine's when it has not.
func (g *serverGuard) prepare(ctx context.Context) error {
	res, err := g.e.query(ctx, "SELECT value FROM system.settings WHERE name = 'readonly'", nil)
	if err != nil {
		return fmt.Errorf("read the session's readonly setting: %w", err)
	}
	if len(res.Rows) == 1 {
		level, _ := strconv.Atoi(fmt.Sprint(res.Rows[0][0]))
		g.readOnly = level > 0
	}
	_, err = g.e.query(ctx, "SELECT formatQuerySingleLineOrNull('SELECT 1')", nil)
	var ee *EngineError
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &ee) || !strings.Contains(ee.Message, "UNKNOWN_FUNCTION") && !strings.Contains(ee.Message, "Code: 46"):
		// A cancelled request or a network failure says nothing about the server's parser.
		return fmt.Errorf("ask the server for its parser: %w", err)
	case !g.own:
		// The borrowed parser is a newer ClickHouse's: the server might read the text it
		// passes differently, and only a read-only user stops what it then does.
		return fmt.Errorf("ad hoc SQL: ClickHouse server %s cannot parse statements for the guard (it lacks formatQuerySingleLineOrNull; a current release has it); on such a server ad hoc SQL needs warehouse_readonly, a read-only user", g.e.where())
	}
	p, err := borrowChdbParser(g.libs)
	if err != nil {
		return fmt.Errorf("ad hoc SQL: ClickHouse server %s cannot parse statements for the guard (it lacks formatQuerySingleLineOrNull; a current release has it), and the embedded engine's parser is not available either: %w", g.e.where(), err)
	}
	g.parser = p
	return nil
}

func (g *serverGuard) closeGuard() error {
	var err error
	if g.parser != nil {
		err = g.parser.close()
	}
	if g.own {
		if cerr := g.e.close(); err == nil {
			err = cerr
		}
	}
	return err
}

// chdbParser is the embedded engine lent to the guard of a server that cannot parse
// statements itself. Parsing reads no tables, so any data directory serves: the process's
// own embedded one if it has one open (chDB allows one per process), else a temporary
// directory removed on close.
type chdbParser struct {
	e   *chdbEngine
	tmp string
}

func borrowChdbParser(libs []string) (*chdbParser, error) {
	chdbMu.Lock()
	dir := ""
	if chdbShared != nil {
		dir = chdbShared.path
	}
	chdbMu.Unlock()
	p := &chdbParser{}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "jinwei-parser-*")
		if err != nil {
			return nil, fmt.Errorf("directory for the embedded parser: %w", err)
		}
		dir, p.tmp = tmp, tmp
	}
	e, err := openChdb(libs, dir, "default")
	if err != nil {
		p.removeTmp()
		return nil, err
	}
	p.e = e
	return p, nil
}

func (p *chdbParser) close() error {
	err := p.e.close()
	p.removeTmp()
	return err
}

func (p *chdbParser) removeTmp() {
	if p.tmp != "" {
		_ = os.RemoveAll(p.tmp)
	}
}
