package chserver

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"jinwei/warehouse/ch"
)

// Guard runs guarded statements on a server: as a read-only user when the warehouse
// has one (own is then set: the guard opened that connection and closes it), else as
// jinwei's own user.
type Guard struct {
	e   *Engine
	own bool
	// borrow lends the guard the embedded engine's parser (chdb.BorrowParser), for a
	// server too old to parse; this package imports no other engine.
	borrow func() (ch.GuardEngine, error)

	mu       sync.Mutex
	ready    bool // prepare has succeeded; a failure (a cancelled request) is tried again
	readOnly bool
	parser   ch.GuardEngine // set when the server cannot parse statements for the guard
}

var _ ch.GuardEngine = (*Guard)(nil)

// NewGuard runs guarded statements on e, a connection the guard owns (and closes) when own is
// set; borrow lends it a parser when the server has none the guard can use.
func NewGuard(e *Engine, own bool, borrow func() (ch.GuardEngine, error)) *Guard {
	return &Guard{e: e, own: own, borrow: borrow}
}

// guarded learns once what the server's session allows, then parses on the server, or with
// the embedded engine's parser when the server is too old to have one the guard can use,
// and streams the final statement from the server.
func (g *Guard) Guarded(ctx context.Context, fn func(s ch.Session) error) error {
	g.mu.Lock()
	if !g.ready {
		if err := g.prepare(ctx); err != nil {
			g.mu.Unlock()
			return err
		}
		g.ready = true
	}
	g.mu.Unlock()
	run := func(stmt string, params ch.Params) (*ch.Result, error) { return g.e.Query(ctx, stmt, params) }
	s := ch.Session{
		Parse: run, Run: run,
		Stream:   func(stmt string, each ch.ChunkFunc) error { return g.e.stream(ctx, stmt, each) },
		ReadOnly: g.readOnly, OldServer: g.e.compat,
	}
	if g.parser == nil {
		return fn(s)
	}
	// The parser's connection is held only while it parses, not while the server streams.
	s.Parse = func(stmt string, params ch.Params) (*ch.Result, error) {
		var res *ch.Result
		err := g.parser.Guarded(ctx, func(p ch.Session) error {
			var err error
			res, err = p.Parse(stmt, params)
			return err
		})
		return res, err
	}
	return fn(s)
}

// prepare reads the session's readonly setting and checks that the server has the parser
// functions the guard uses, borrowing the embedded engine's when it has not.
func (g *Guard) prepare(ctx context.Context) error {
	res, err := g.e.Query(ctx, "SELECT value FROM system.settings WHERE name = 'readonly'", nil)
	if err != nil {
		return fmt.Errorf("read the session's readonly setting: %w", err)
	}
	if len(res.Rows) == 1 {
		level, _ := strconv.Atoi(fmt.Sprint(res.Rows[0][0]))
		g.readOnly = level > 0
	}
	_, err = g.e.Query(ctx, "SELECT formatQuerySingleLineOrNull('SELECT 1')", nil)
	var ee *ch.EngineError
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
	p, err := g.borrow()
	if err != nil {
		return fmt.Errorf("ad hoc SQL: ClickHouse server %s cannot parse statements for the guard (it lacks formatQuerySingleLineOrNull; a current release has it), and the embedded engine's parser is not available either: %w", g.e.where(), err)
	}
	g.parser = p
	return nil
}

func (g *Guard) CloseGuard() error {
	var err error
	if g.parser != nil {
		err = g.parser.CloseGuard()
	}
	if g.own {
		if cerr := g.e.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
