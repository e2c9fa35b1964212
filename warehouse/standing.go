package warehouse

import (
	"context"
	"fmt"
	"slices"
)

// PublishedRank is one unit's place in a published ranking (通报).
type PublishedRank struct {
	Unit  string
	Name  string
	Score float64
	// Rank is 0 for a unit published without a place: Partial when it reported on too few
	// items to be ranked, else it did not report (and has no score).
	Rank    int
	Partial bool
}

// Reported says whether the unit had reported the month when it was published.
func (r PublishedRank) Reported() bool { return r.Rank > 0 || r.Partial }

// Standing is what a unit's scope may see of a month's scorecard: the unit's own score in
// full, and the other units' ranks only once the province has published the month.
type Standing struct {
	Month string
	Kind  string
	// Own is the unit's own scorecard row; its Rank is the published one (0 before).
	Own       *UnitScore
	Published *Publication
	Ranks     []PublishedRank
}

// scorecardKind is the scorecard scope a unit is ranked in.
func scorecardKind(u Unit) string {
	switch u.Kind {
	case UnitCity:
		return ScopeCity
	case UnitCounty:
		return ScopeCounty
	}
	return ScopeDepartment
}

// UnitStanding is unit's standing in month within scope: a scope that does not see the
// unit gets ErrOutOfScope.
func (w *Warehouse) UnitStanding(ctx context.Context, scope RowScope, unit Unit, month string, weights map[string]float64) (*Standing, error) {
	if !scope.Sees(unit.Code) {
		return nil, fmt.Errorf("standing of %s: %w", unit.Code, ErrOutOfScope)
	}
	kind := scorecardKind(unit)
	st := &Standing{Month: month, Kind: kind, Ranks: []PublishedRank{}}
	day := month + "-01"
	months, err := w.CampaignMonths(ctx)
	if err != nil || !slices.Contains(months, day) {
		// No reports of that month yet: nothing to stand on.
		return st, err
	}
	sc, err := w.Scorecard(ctx, kind, day, weights)
	if err != nil {
		return nil, err
	}
	ranks, pub, err := w.publishedRanks(ctx, kind, day)
	if err != nil {
		return nil, err
	}
	for _, u := range sc.Units {
		if u.Code == unit.Code {
			own := u
			// The live rank says where others stand; a unit learns it from the 通报.
			own.Rank, own.PrevRank, own.RankChange, own.HasChange, own.Hint = ranks[u.Code], 0, 0, false, nil
			st.Own = &own
		}
	}
	if pub == nil {
		return st, nil
	}
	st.Published = pub
	res, err := w.named(ctx, "campaign_published", Params{"scope": kind, "month": day})
	if err != nil {
		return nil, err
	}
	err = res.each(func(rr *rowReader) {
		st.Ranks = append(st.Ranks, PublishedRank{Unit: rr.str("unit_code"), Name: rr.str("unit_name"), Score: rr.float("score"), Rank: rr.int("rank"), Partial: rr.int("partial") == 1})
	})
	return st, err
}
