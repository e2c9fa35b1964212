package etl

import (
	"testing"

	"jinwei/warehouse"
)

func TestRowsLeftFromBytesNotYetRead(t *testing.T) {
	tests := []struct {
		size, left int64
		rowsRead   int
		want       int
	}{
		{1000, 250, 300, 100}, // 300 rows in 750 bytes: 250 bytes hold 100 more
		{1000, 0, 300, 0},
		{0, 0, 300, -1},     // a reader that does not count
		{1000, 1000, 0, -1}, // nothing read yet
		{1000, 500, 0, -1},  // bytes read but no row yet
	}
	for _, tt := range tests {
		s := &runState{run: &warehouse.Run{RowsRead: tt.rowsRead}}
		s.source.size.Store(tt.size)
		s.source.left.Store(tt.left)
		if got := s.rowsLeft(); got != tt.want {
			t.Errorf("size %d, left %d, %d rows read: rowsLeft() = %d, want %d", tt.size, tt.left, tt.rowsRead, got, tt.want)
		}
	}
}
