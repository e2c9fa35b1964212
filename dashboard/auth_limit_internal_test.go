package dashboard

import (
	"fmt"
	"testing"
	"time"
)

// A flood of made-up names does not unlock an account: past maxLimitedNames the limiter
// dropped every name's count, the locked account's too.
func TestAFloodOfNamesKeepsALockedNameLocked(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	l := newFailureLimiter(func() time.Time { return now }, 3*time.Second, 5)
	for range 5 {
		l.failed("ops")
	}
	if l.allowed("ops") {
		t.Fatal("five failures did not lock the name")
	}
	for i := range maxLimitedNames + 10 {
		l.failed(fmt.Sprintf("made-up-%d", i))
	}
	if l.allowed("ops") {
		t.Errorf("the locked name was unlocked by %d made-up names", maxLimitedNames+10)
	}
	if len(l.names) > maxLimitedNames+1 {
		t.Errorf("%d limiters kept, want at most %d", len(l.names), maxLimitedNames+1)
	}
	// Names all locked at once fill the table: a name never refused before stays free, and
	// the table stays bounded (a shared limiter for the newcomers refused them all).
	for i := range maxLimitedNames {
		for range 5 {
			l.failed(fmt.Sprintf("locked-%d", i))
		}
	}
	l.failed("newcomer")
	if !l.allowed("someone-else") || !l.allowed("newcomer") {
		t.Errorf("with %d names locked, a name with one failure or none is refused", maxLimitedNames)
	}
	if len(l.names) > maxLimitedNames {
		t.Errorf("%d limiters kept, want at most %d", len(l.names), maxLimitedNames)
	}
	// The locked name's time passes as it did.
	now = now.Add(time.Minute)
	if !l.allowed("ops") {
		t.Errorf("a minute on, the name is still locked")
	}
}
