package etl

import (
	"bytes"
	"encoding/binary"

	"jinwei/warehouse/reasons"
)

// An .xls workbook lives in an OLE2 compound file: sectors of 512 (or 4096) bytes, and
// tables (the FAT, the mini FAT, the DIFAT) saying which sector follows which in each
// stream. The .xls reader follows those chains as the file writes them, to their end
// marker; a chain that comes back on itself (a 1.5 KB file whose directory sector is
// followed by itself) made it append sectors until the process ran out of memory, from
// a reporter's upload or, left in an inbox, at every start. checkCompoundFile reads the
// same tables first and refuses a file whose chains do not end or whose header counts
// more sectors than it holds; what else is wrong with a file the reader still says.

var compoundSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// Sector numbers with a meaning of their own.
const (
	endOfChain = 0xFFFFFFFE
	// difatSlots is how many FAT sectors the header lists itself; the DIFAT's sectors list
	// the rest, all but their last four bytes (the next DIFAT sector).
	difatSlots = 109
	// fatEntriesRead is how many entries the reader takes of each FAT sector, whatever
	// the sector's size: the chains it follows are of those.
	fatEntriesRead = 128
)

// compoundFile is a compound file's bytes read as the .xls reader reads them.
type compoundFile struct {
	data    []byte
	size    int    // bytes a sector
	sectors uint32 // sectors after the header
}

// sector is sector id as the reader reads it, or false where the reader fails to. The
// reader finds a sector at (id+1)·size in 32 bits, so an id past the file wraps around
// into it (0xFFFFFFFF, a free sector, reads the header): a check that took such an id for
// the reader's stop let a looping file through. Past the file's end it reads zeros, and
// wholly past it, nothing: there it stops with an error.
func (f compoundFile) sector(id uint32) ([]byte, bool) {
	at := int((id + 1) * uint32(f.size))
	if at >= len(f.data) {
		return nil, false
	}
	s := make([]byte, f.size)
	copy(s, f.data[at:])
	return s, true
}

func (f compoundFile) u32(off int) uint32 { return binary.LittleEndian.Uint32(f.data[off:]) }

// entries are the first n little-endian numbers of a sector.
func entries(s []byte, n int) []uint32 {
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(s[4*i:])
	}
	return out
}

// damagedXLS is a compound file refused for a fault of its own, named in both languages.
func damagedXLS(en, zh string, args ...any) error {
	return reasons.New("%w: a damaged .xls workbook: %v", "%w：.xls 工作簿已损坏：%v", errFileRejected, reasons.New(en, zh, args...))
}

func checkCompoundFile(data []byte) error {
	if len(data) < 512 || !bytes.Equal(data[:8], compoundSignature) {
		return nil // not a compound file: the reader says so
	}
	f := compoundFile{data: data, size: 512}
	if binary.LittleEndian.Uint16(data[26:]) == 4 {
		f.size = 4096
	}
	if len(data) <= f.size {
		return nil
	}
	f.sectors = uint32((len(data) - 1) / f.size) // the header takes the first sector's room
	fats, minis, difats := f.u32(44), f.u32(64), f.u32(72)
	// The DIFAT lists the FAT sectors the header has no room for, 127 (or 1023) a sector.
	perDIFAT := uint32(f.size/4 - 1)
	if fats > f.sectors || minis > f.sectors || difats > (max(fats, difatSlots)-difatSlots+perDIFAT-1)/perDIFAT {
		return damagedXLS("its header counts %d FAT, %d mini FAT and %d DIFAT sectors, more than its %d sectors hold",
			"文件头声称有 FAT 扇区 %d 个、mini FAT 扇区 %d 个、DIFAT 扇区 %d 个，超出文件实有的 %d 个扇区", fats, minis, difats, f.sectors)
	}
	var fat []uint32
	for i := range min(fats, difatSlots) {
		s, ok := f.sector(f.u32(76 + 4*int(i)))
		if !ok {
			return nil // the reader stops there
		}
		fat = append(fat, entries(s, fatEntriesRead)...)
	}
	seen := map[uint32]bool{}
	for next, i := f.u32(68), uint32(0); next != endOfChain && i < difats; i++ {
		if seen[next] {
			return damagedXLS("its DIFAT comes back to sector %d", "其 DIFAT 扇区链回到了第 %d 扇区", next)
		}
		seen[next] = true
		s, ok := f.sector(next)
		if !ok {
			return nil
		}
		for _, id := range entries(s, int(perDIFAT)) {
			fs, ok := f.sector(id)
			if !ok {
				return nil
			}
			fat = append(fat, entries(fs, fatEntriesRead)...)
		}
		next = binary.LittleEndian.Uint32(s[f.size-4:])
	}
	if at, loops := chainLoop(fat); loops {
		return damagedXLS("a chain of its sectors comes back to sector %d", "其扇区链回到了第 %d 扇区，没有终点", at)
	}
	var mini []uint32
	first := f.u32(60)
	for i := range minis {
		s, ok := f.sector(first + i)
		if !ok {
			break
		}
		mini = append(mini, entries(s, f.size/4)...)
	}
	if at, loops := chainLoop(mini); loops {
		return damagedXLS("a chain of its small streams comes back to mini sector %d", "其小数据块链回到了第 %d 个 mini 扇区，没有终点", at)
	}
	return nil
}

// chainLoop finds a chain of next that comes back on itself, and where: following next
// from any entry must leave the table (an end marker, a free sector, a sector past it).
func chainLoop(next []uint32) (uint32, bool) {
	const (
		unvisited = iota
		onPath
		done
	)
	state := make([]uint8, len(next))
	var path []uint32
	for start := range next {
		path = path[:0]
		at := uint32(start)
		for int64(at) < int64(len(next)) && state[at] == unvisited {
			state[at] = onPath
			path = append(path, at)
			at = next[at]
		}
		if int64(at) < int64(len(next)) && state[at] == onPath {
			return at, true
		}
		for _, p := range path {
			state[p] = done
		}
	}
	return 0, false
}
