package warehouse

import (
	"context"
	"strconv"
	"time"
)

// leaseSettle is how long a claim waits for rival claims of the same term to land before it
// reads which came first: longer than one insert takes, so two processes that claimed at
// once read the same claims and agree on one holder.
const leaseSettle = 300 * time.Millisecond

// AcquireLease holds the named lease for holder until ttl from now, claiming it when it
// has expired and renewing it when holder holds it; held says whether holder holds it now.
// Rows are only ever added (ClickHouse has no compare-and-set): a term's first claim wins,
// and a claim waits leaseSettle before it reads whether it was first.
func (w *Warehouse) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (held bool, err error) {
	term, cur, curExpires, err := w.leaseTerm(ctx, name)
	if err != nil {
		return false, err
	}
	now := time.Now()
	switch {
	case cur == holder && curExpires.After(now):
		return true, w.claimLease(ctx, name, holder, term, now, ttl)
	case cur != "" && curExpires.After(now):
		return false, nil
	}
	// Expired, even if it was this holder's: a rival may be claiming the next term now.
	if err := w.claimLease(ctx, name, holder, term+1, now, ttl); err != nil {
		return false, err
	}
	select {
	case <-ctx.Done():
		return false, ctx.Err()
	case <-time.After(leaseSettle):
	}
	newTerm, winner, _, err := w.leaseTerm(ctx, name)
	if err != nil {
		return false, err
	}
	return newTerm == term+1 && winner == holder, nil
}

// leaseTerm reads a lease's newest term, its holder (its first claim) and the holder's
// latest expiry; term 0 and holder "" when nobody ever claimed it.
func (w *Warehouse) leaseTerm(ctx context.Context, name string) (term uint64, holder string, expires time.Time, err error) {
	res, err := w.accountQuery(ctx, "alert_lease", Params{"name": name})
	if err != nil {
		return 0, "", time.Time{}, err
	}
	err = res.each(func(rr *rowReader) {
		if holder == "" {
			term, holder = uint64(rr.float("term")), rr.str("holder")
		}
		if rr.str("holder") == holder {
			if e := fromMillis(rr.float("expires_ms")); e.After(expires) {
				expires = e
			}
		}
	})
	return term, holder, expires, err
}

func (w *Warehouse) claimLease(ctx context.Context, name, holder string, term uint64, now time.Time, ttl time.Duration) error {
	return w.writeAccountRow(ctx, "alert_lease_claim", "claim lease "+name, Params{"name": name, "term": strconv.FormatUint(term, 10),
		"holder": holder, "at_ms": millisParam(now), "expires_ms": millisParam(now.Add(ttl))})
}
