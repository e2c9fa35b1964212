package warehouse_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
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

// An alert made again under another id — a process killed after queueing it but before
// keeping the new state re-evaluates the change on restart, against other data versions —
// is recognised by its words since the state it leaves; the same words after a newer state
// (the change happening again) are not.
func TestDeliveredToRecognisesTheSameChange(t *testing.T) {
	w := whtest.Open(t)
	ctx := context.Background()
	d := warehouse.Delivery{ID: "d1", AlertID: "a1", RuleID: "gdp-rank", Subject: "gdp_per_capita", DataVersion: 144,
		Channel: "email", Target: "leader@example.test", Title: "进位", Body: "居第28位，较此前的第31位进位3位",
		Status: warehouse.DeliveryPending, NextAt: time.Now(), CreatedAt: time.Now()}
	if err := w.PutDelivery(ctx, d); err != nil {
		t.Fatal(err)
	}
	key := warehouse.DeliveryKey(d.Channel, d.Target)
	same := warehouse.SameChange{RuleID: d.RuleID, Subject: d.Subject, Title: d.Title, Body: d.Body}
	for _, c := range []struct {
		name    string
		alertID string
		same    warehouse.SameChange
		want    bool
	}{
		{"by id", "a1", warehouse.SameChange{}, true},
		{"other id, no words", "a2", warehouse.SameChange{}, false},
		{"other id, same change since an older state", "a2", func() warehouse.SameChange { s := same; s.Since = 143; return s }(), true},
		{"other id, same change since that version", "a2", func() warehouse.SameChange { s := same; s.Since = 144; return s }(), true},
		{"other id, same words after a newer state", "a2", func() warehouse.SameChange { s := same; s.Since = 150; return s }(), false},
		{"other id, other words", "a2", func() warehouse.SameChange { s := same; s.Body = "居第27位"; s.Since = 143; return s }(), false},
	} {
		got, err := w.DeliveredTo(ctx, c.alertID, c.same)
		if err != nil {
			t.Fatal(err)
		}
		if got[key] != c.want {
			t.Errorf("%s: delivered %v, want %v", c.name, got[key], c.want)
		}
	}
}
