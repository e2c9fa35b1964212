package etl

// keySet proves, while a file loads, that it gives each value once, so the engine need not
// look for duplicates among the rows afterwards (at 5 M rows that look took 0.2 s, alone at
// the end of the load). It holds one bit per indicator, region and period seen: a bitmap
// by period for each indicator and region, numbered as the load's dictionaries number
// them. Statistics files repeat few indicators, regions and periods, so the bitmaps stay
// small; past maxKeySetWords the set gives up and the engine's look decides, which keeps
// memory flat for any file.
type keySet struct {
	series   [][][]uint64
	words    int
	repeated bool
	overflow bool
}

// maxKeySetWords bounds the set at 8 MiB.
const maxKeySetWords = 1 << 20

// add records a value's key; indexes are small non-negative numbers, dense from 0, and a
// period of -1 is one the load did not number, which the set cannot vouch for.
func (k *keySet) add(indicator, region int32, period int) {
	if !k.distinct() {
		return
	}
	if indicator < 0 || region < 0 || period < 0 {
		k.overflow, k.series = true, nil
		return
	}
	if n := int(indicator) + 1 - len(k.series); n > 0 {
		if !k.grow(3 * n) {
			return
		}
		k.series = append(k.series, make([][][]uint64, n)...)
	}
	regions := k.series[indicator]
	if n := int(region) + 1 - len(regions); n > 0 {
		if !k.grow(3 * n) {
			return
		}
		regions = append(regions, make([][]uint64, n)...)
		k.series[indicator] = regions
	}
	bits := regions[region]
	word, bit := period/64, uint64(1)<<(period%64)
	if n := word + 1 - len(bits); n > 0 {
		if !k.grow(n) {
			return
		}
		bits = append(bits, make([]uint64, n)...)
		regions[region] = bits
	}
	if bits[word]&bit != 0 {
		k.repeated = true
		return
	}
	bits[word] |= bit
}

// grow counts words the set takes, and gives up past the bound.
func (k *keySet) grow(words int) bool {
	k.words += words
	if k.words > maxKeySetWords {
		k.overflow, k.series = true, nil
	}
	return !k.overflow
}

// distinct says every key added was new, as far as the set could tell; false means a key
// came twice or the set gave up.
func (k *keySet) distinct() bool { return !k.repeated && !k.overflow }
