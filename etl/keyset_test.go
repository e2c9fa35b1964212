package etl

import "testing"

func TestKeySet(t *testing.T) {
	type key struct {
		indicator, region int32
		period            int
	}
	tests := []struct {
		name     string
		keys     []key
		distinct bool
	}{
		{"none", nil, true},
		{"distinct", []key{{0, 0, 0}, {0, 1, 0}, {1, 0, 0}, {0, 0, 1}, {0, 0, 64}, {5, 30, 911}, {0, 0, 63}}, true},
		{"repeated", []key{{0, 0, 0}, {0, 1, 0}, {0, 0, 0}}, false},
		{"repeated far apart", []key{{3, 7, 700}, {0, 0, 0}, {1, 1, 1}, {3, 7, 700}}, false},
		{"same period bit in another word", []key{{0, 0, 1}, {0, 0, 65}}, true},
		{"unnumbered period", []key{{0, 0, 0}, {0, 0, -1}}, false},
		{"past the bound", []key{{0, 0, 0}, {0, 0, 64 * maxKeySetWords}}, false},
	}
	for _, tt := range tests {
		var k keySet
		for _, key := range tt.keys {
			k.add(key.indicator, key.region, key.period)
		}
		if got := k.distinct(); got != tt.distinct {
			t.Errorf("%s: distinct() = %v, want %v", tt.name, got, tt.distinct)
		}
		if k.words > maxKeySetWords+64*maxKeySetWords/64+3 {
			t.Errorf("%s: %d words", tt.name, k.words)
		}
	}
}
