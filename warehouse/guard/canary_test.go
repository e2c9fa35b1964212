package guard_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// canary is a directory holding a secret file, watched with inotify so that any open, read,
// write or new file in it is seen, whoever does it: the engine runs inside this process.
type canary struct {
	dir    string
	file   string // the secret file
	new    string // a path where no file may appear
	secret string
	fd     int
}

// newCanary writes the secret file and starts watching its directory.
func newCanary(t *testing.T) *canary {
	t.Helper()
	dir := t.TempDir()
	c := &canary{
		dir:    dir,
		file:   filepath.Join(dir, "canary.txt"),
		new:    filepath.Join(dir, "new.csv"),
		secret: fmt.Sprintf("CANARY-%d-%d", os.Getpid(), len(dir)),
	}
	if err := os.WriteFile(c.file, []byte(c.secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fd, err := syscall.InotifyInit1(syscall.IN_NONBLOCK | syscall.IN_CLOEXEC)
	if err != nil {
		t.Fatalf("inotify: %v", err)
	}
	if _, err := syscall.InotifyAddWatch(fd, dir, syscall.IN_ALL_EVENTS); err != nil {
		syscall.Close(fd)
		t.Fatalf("watch %s: %v", dir, err)
	}
	c.fd = fd
	t.Cleanup(func() { syscall.Close(fd) })
	return c
}

// events drains what the watch saw since the last call, as "OPEN canary.txt" and the like.
func (c *canary) events(t *testing.T) []string {
	t.Helper()
	var out []string
	buf := make([]byte, 64<<10)
	for {
		n, err := syscall.Read(c.fd, buf)
		if errors.Is(err, syscall.EAGAIN) {
			return out
		}
		if err != nil {
			t.Fatalf("read inotify events: %v", err)
		}
		for off := 0; off+syscall.SizeofInotifyEvent <= n; {
			var ev syscall.InotifyEvent
			if err := binary.Read(bytes.NewReader(buf[off:off+syscall.SizeofInotifyEvent]), binary.NativeEndian, &ev); err != nil {
				t.Fatal(err)
			}
			name := string(bytes.TrimRight(buf[off+syscall.SizeofInotifyEvent:off+syscall.SizeofInotifyEvent+int(ev.Len)], "\x00"))
			out = append(out, maskName(ev.Mask)+" "+name)
			off += syscall.SizeofInotifyEvent + int(ev.Len)
		}
	}
}

// assertUntouched checks that nothing opened, read or wrote the directory's files since the
// last events call, that the secret file is as written and that no other file appeared.
func (c *canary) assertUntouched(t *testing.T) {
	t.Helper()
	if ev := c.events(t); len(ev) > 0 {
		t.Errorf("the canary directory saw %v; want nothing opened, read or written", ev)
	}
	b, err := os.ReadFile(c.file)
	if err != nil || string(b) != c.secret+"\n" {
		t.Errorf("canary file now holds %q (%v); want it unchanged", b, err)
	}
	entries, err := os.ReadDir(c.dir)
	if err != nil || len(entries) != 1 {
		names := []string{}
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("canary directory holds %v (%v); want only canary.txt", names, err)
	}
	c.events(t) // the checks above opened the file and listed the directory themselves
}

func maskName(m uint32) string {
	names := []struct {
		bit  uint32
		name string
	}{
		{syscall.IN_OPEN, "OPEN"}, {syscall.IN_ACCESS, "ACCESS"}, {syscall.IN_MODIFY, "MODIFY"},
		{syscall.IN_CREATE, "CREATE"}, {syscall.IN_DELETE, "DELETE"}, {syscall.IN_ATTRIB, "ATTRIB"},
		{syscall.IN_CLOSE_WRITE, "CLOSE_WRITE"}, {syscall.IN_CLOSE_NOWRITE, "CLOSE_NOWRITE"},
		{syscall.IN_MOVED_FROM, "MOVED_FROM"}, {syscall.IN_MOVED_TO, "MOVED_TO"},
	}
	var s []byte
	for _, n := range names {
		if m&n.bit != 0 {
			if len(s) > 0 {
				s = append(s, '|')
			}
			s = append(s, n.name...)
		}
	}
	if len(s) == 0 {
		return fmt.Sprintf("0x%x", m)
	}
	return string(s)
}
