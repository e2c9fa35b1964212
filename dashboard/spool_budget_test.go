package dashboard

import (
	"errors"
	"io"
	"testing"

	"jinwei/warehouse"
)

// A staged download is bounded in bytes as well as in number: each file by its export's
// limit, and all of them together by the space they share; a file's bytes come back to the
// shared space once it is gone. (A CSV export of 35 unions wrote 4.79 GB past its 4 GiB.)
func TestSpoolWriterBoundsEachFileAndTheSharedSpace(t *testing.T) {
	budget := &spoolBudget{max: 250}
	a := &spoolWriter{w: io.Discard, max: 100, budget: budget}
	b := &spoolWriter{w: io.Discard, max: 200, budget: budget}
	tooLarge := func(err error) bool {
		var le *warehouse.LimitError
		return errors.As(err, &le) && le.Limit == "result size"
	}
	steps := []struct {
		name    string
		w       *spoolWriter
		n       int
		refused bool
	}{
		{"a within its limit", a, 100, false},
		{"a past its limit", a, 1, true},
		{"b within both", b, 150, false},
		{"b past the shared space", b, 1, true},
	}
	for _, st := range steps {
		_, err := st.w.Write(make([]byte, st.n))
		if got := tooLarge(err); got != st.refused || (!st.refused && err != nil) {
			t.Errorf("%s: err = %v; refused %v, want %v", st.name, err, got, st.refused)
		}
	}
	if got := budget.used.Load(); got != 250 {
		t.Errorf("%d bytes in use; want 250", got)
	}
	a.release()
	if _, err := b.Write(make([]byte, 50)); err != nil {
		t.Errorf("after a's file is gone, b cannot write within its limit: %v", err)
	}
	b.release()
	if got := budget.used.Load(); got != 0 {
		t.Errorf("%d bytes in use once both are gone; want 0", got)
	}
}
