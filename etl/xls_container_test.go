package etl

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// compoundBytes is a version-3 compound file of sectors 512-byte sectors after its header:
// sector 0 is its one FAT sector, whose entries are fat (the rest free); set changes header
// fields (offset → value) and sector entries ([sector, entry] → value).
func compoundBytes(sectors int, fat map[int]uint32, header map[int]uint32, entries map[[2]int]uint32) []byte {
	b := make([]byte, 512*(sectors+1))
	copy(b, compoundSignature)
	le16 := func(off int, v uint16) { binary.LittleEndian.PutUint16(b[off:], v) }
	le32 := func(off int, v uint32) { binary.LittleEndian.PutUint32(b[off:], v) }
	le16(24, 0x3E)
	le16(26, 3)
	le16(28, 0xFFFE)
	le16(30, 9)
	le16(32, 6)
	for off, v := range map[int]uint32{44: 1, 48: 1, 56: 0x1000, 60: endOfChain, 64: 0, 68: endOfChain, 72: 0} {
		le32(off, v)
	}
	for i := range difatSlots {
		le32(76+4*i, 0xFFFFFFFF)
	}
	le32(76, 0) // the FAT is sector 0
	for i := range 128 {
		le32(512+4*i, 0xFFFFFFFF)
	}
	le32(512, 0xFFFFFFFD)
	for i, v := range fat {
		le32(512+4*i, v)
	}
	for off, v := range header {
		le32(off, v)
	}
	for at, v := range entries {
		le32(512*(at[0]+1)+4*at[1], v)
	}
	return b
}

// A compound file whose sector chains come back on themselves is refused before the .xls
// reader follows them: a 1,536-byte upload whose directory sector was followed by itself
// grew a server by gigabytes a second until it died, and again at each start while the
// file sat in an inbox. Real workbooks pass.
func TestAnXLSWhoseSectorsLoopIsRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		file []byte
		want string // "" for a file the check lets through
	}{
		{"the red team's file: the directory is followed by itself", compoundBytes(2, map[int]uint32{1: 1}, nil, nil), "comes back to sector 1"},
		{"two sectors follow each other", compoundBytes(3, map[int]uint32{1: 2, 2: 1}, nil, nil), "comes back to sector"},
		{"a mini stream's chain follows itself", compoundBytes(3, map[int]uint32{1: endOfChain, 2: endOfChain}, map[int]uint32{60: 2, 64: 1}, map[[2]int]uint32{{2, 0}: 0}), "mini sector 0"},
		{"a header counting a million FAT sectors", compoundBytes(2, map[int]uint32{1: endOfChain}, map[int]uint32{44: 1_000_000}, nil), "more than its 2 sectors hold"},
		{"a header counting DIFAT sectors it needs none of", compoundBytes(2, map[int]uint32{1: endOfChain}, map[int]uint32{72: 2, 68: 1}, nil), "DIFAT"},
		// The reader finds a sector at (id+1)·512 in 32 bits: a free sector's id (0xFFFFFFFF)
		// in the header's list of FAT sectors reads the header itself, not an error; taken for
		// the reader's stop, it let the looping directory through to exhaust memory.
		{"the loop behind a FAT sector listed as free", compoundBytes(2, map[int]uint32{1: 1}, map[int]uint32{44: 2, 80: 0xFFFFFFFF}, nil), "comes back to sector 1"},
		{"the loop behind a FAT sector past the file that wraps into it", compoundBytes(2, map[int]uint32{1: 1}, map[int]uint32{44: 2, 80: 0x00800000}, nil), "comes back to sector 1"},
		{"chains that end", compoundBytes(3, map[int]uint32{1: 2, 2: endOfChain}, nil, nil), ""},
	} {
		err := checkCompoundFile(tc.file)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, errFileRejected)):
			t.Errorf("%s: %v; want it refused, saying %q", tc.name, err, tc.want)
		}
	}
	samples, _ := filepath.Glob(filepath.Join("testdata", "xls", "*.xls"))
	if len(samples) == 0 {
		t.Fatal("no .xls samples in testdata/xls")
	}
	for _, p := range samples {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkCompoundFile(data); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	// Opened as a workbook, the looping file is refused at once, naming the fault.
	path := filepath.Join(t.TempDir(), "GDP_2024.xls")
	if err := os.WriteFile(path, compoundBytes(2, map[int]uint32{1: 1}, nil, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := openXLS(path, nil); err == nil || !strings.Contains(err.Error(), "a damaged .xls workbook") {
		t.Errorf("opening the looping file: %v; want it refused as damaged", err)
	}
	t.Logf("refused in %v", time.Since(start))
}
