package warehouse_test

import (
	"context"
	"sync"
	"testing"
	"time"
)

// Two processes claiming the alert sender's lease at once: exactly one holds it, the other
// is refused while it lasts and takes it over once it has expired unrenewed.
func TestLeaseHasOneHolderAtATime(t *testing.T) {
	a, b := twoProcesses(t, "embedded")
	ctx := context.Background()
	const ttl = 3 * time.Second
	var wg sync.WaitGroup
	held := make([]bool, 2)
	for i, w := range []interface {
		AcquireLease(context.Context, string, string, time.Duration) (bool, error)
	}{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if held[i], err = w.AcquireLease(ctx, "alerts", []string{"host-a:1", "host-b:2"}[i], ttl); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if held[0] == held[1] {
		t.Fatalf("claims at once: a holds %v, b holds %v; want exactly one", held[0], held[1])
	}
	holder, other, otherW := "host-a:1", "host-b:2", b
	if held[1] {
		holder, other, otherW = "host-b:2", "host-a:1", a
	}
	// The holder renews; the other is refused while the lease lasts.
	if ok, err := a.AcquireLease(ctx, "alerts", holder, ttl); err != nil || !ok {
		t.Fatalf("the holder's renewal: %v, %v", ok, err)
	}
	if ok, err := otherW.AcquireLease(ctx, "alerts", other, ttl); err != nil || ok {
		t.Fatalf("the other's claim while held: %v, %v", ok, err)
	}
	// Unrenewed, the lease expires and the other takes it.
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok, err := otherW.AcquireLease(ctx, "alerts", other, ttl)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the expired lease was never taken over")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if ok, err := a.AcquireLease(ctx, "alerts", holder, ttl); err != nil || ok {
		t.Errorf("the old holder still holds after a takeover: %v, %v", ok, err)
	}
}
