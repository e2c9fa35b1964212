package guard

import (
	"slices"
	"testing"
)

// Every limit the engine's codes map to is one the pages can name (LimitKinds), and the
// refusal kinds are each listed once.
func TestKindsAreListed(t *testing.T) {
	for code, limit := range limitCodes {
		if !slices.Contains(LimitKinds, limit) {
			t.Errorf("engine code %s maps to limit %q, not in LimitKinds", code, limit)
		}
	}
	seen := map[string]bool{}
	for _, k := range RefusalKinds {
		if seen[k] {
			t.Errorf("refusal kind %s is listed twice", k)
		}
		seen[k] = true
	}
}
