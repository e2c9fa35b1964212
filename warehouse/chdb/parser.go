package chdb

import (
	"fmt"
	"os"
)

// Parser is the embedded engine lent to the guard of a server that cannot parse statements
// itself. Parsing reads no tables, so any data directory serves: the process's
// own embedded one if it has one open (chDB allows one per process), else a temporary
// directory removed on close.
type Parser struct {
	*Engine // its Guarded holds the connection while the guard parses
	tmp     string
}

// BorrowParser opens the embedded engine of libs for parsing only.
func BorrowParser(libs []string) (*Parser, error) {
	chdbMu.Lock()
	dir := ""
	if chdbShared != nil {
		dir = chdbShared.path
	}
	chdbMu.Unlock()
	p := &Parser{}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "jinwei-parser-*")
		if err != nil {
			return nil, fmt.Errorf("directory for the embedded parser: %w", err)
		}
		dir, p.tmp = tmp, tmp
	}
	e, err := Open(libs, dir, "default")
	if err != nil {
		p.removeTmp()
		return nil, err
	}
	p.Engine = e
	return p, nil
}

// CloseGuard closes the engine and removes its temporary directory.
func (p *Parser) CloseGuard() error {
	err := p.Engine.Close()
	p.removeTmp()
	return err
}

func (p *Parser) removeTmp() {
	if p.tmp != "" {
		_ = os.RemoveAll(p.tmp)
	}
}
