package warehouse

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// SavedQuery is a query an analyst saved for everyone.
type SavedQuery struct {
	ID        string
	Name      string
	Statement string
	Owner     string
	Created   string
}

// SavedQueries lists the shared saved queries, newest first.
func (w *Warehouse) SavedQueries(ctx context.Context) ([]SavedQuery, error) {
	res, err := w.savedRead(ctx, "saved_queries", nil)
	if err != nil {
		return nil, err
	}
	out := []SavedQuery{}
	err = res.each(func(rr *rowReader) { out = append(out, savedOf(rr)) })
	return out, err
}

// SaveQuery stores a new shared query and returns it.
func (w *Warehouse) SaveQuery(ctx context.Context, owner, name, statement string) (SavedQuery, error) {
	q := SavedQuery{ID: uuid.NewString(), Name: name, Statement: statement, Owner: owner}
	return q, w.putSaved(ctx, q, false)
}

// DeleteSavedQuery removes a shared query, as read by SavedQuery; only its owner (or an
// admin, by the caller's check) may.
func (w *Warehouse) DeleteSavedQuery(ctx context.Context, q SavedQuery) error {
	return w.putSaved(ctx, q, true)
}

// SavedQuery is one shared query by its id (ErrNotFound for none, or one deleted): a
// deletion reads the one it deletes, not every account's (800 queries of 64 KiB made each
// deletion take 4 s).
func (w *Warehouse) SavedQuery(ctx context.Context, id string) (SavedQuery, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return SavedQuery{}, fmt.Errorf("saved query %q: %w", id, ErrNotFound)
	}
	// In the one form the engine reads (uuid.Parse also takes braces and urn:uuid:).
	res, err := w.savedRead(ctx, "saved_query", Params{"id": u.String()})
	if err != nil {
		return SavedQuery{}, err
	}
	var out []SavedQuery
	if err := res.each(func(rr *rowReader) { out = append(out, savedOf(rr)) }); err != nil {
		return SavedQuery{}, err
	}
	if len(out) == 0 {
		return SavedQuery{}, fmt.Errorf("saved query %s: %w", id, ErrNotFound)
	}
	return out[0], nil
}

// SavedUsage is how many shared queries owner keeps, and their statements' bytes.
func (w *Warehouse) SavedUsage(ctx context.Context, owner string) (n, bytes int, err error) {
	res, err := w.savedRead(ctx, "saved_usage", Params{"owner": owner})
	if err != nil {
		return 0, 0, err
	}
	err = res.each(func(rr *rowReader) { n, bytes = rr.int("n"), rr.int("bytes") })
	return n, bytes, err
}

// savedRead runs a named read of the saved queries. Not cached, and saving one is no new
// data version: saved queries are the console's own, not data the pages or alerts show,
// like the audit log.
func (w *Warehouse) savedRead(ctx context.Context, name string, params Params) (*Result, error) {
	text, err := namedQuery(name)
	if err != nil {
		return nil, err
	}
	res, err := w.eng.query(ctx, text, params)
	if err != nil {
		return nil, fmt.Errorf("read saved queries: %w", err)
	}
	return res, nil
}

func savedOf(rr *rowReader) SavedQuery {
	return SavedQuery{ID: rr.str("id_text"), Name: rr.str("name"), Statement: rr.str("statement"), Owner: rr.str("owner"), Created: rr.str("created")}
}

func (w *Warehouse) putSaved(ctx context.Context, q SavedQuery, removed bool) error {
	text, err := namedQuery("saved_query_put")
	if err != nil {
		return err
	}
	r := "0"
	if removed {
		r = "1"
	}
	err = w.eng.exec(ctx, text, Params{"id": q.ID, "name": q.Name, "statement": q.Statement, "owner": q.Owner, "removed": r,
		"version": strconv.FormatInt(time.Now().UnixNano(), 10)})
	if err != nil {
		return fmt.Errorf("save query %q: %w", q.Name, err)
	}
	return nil
}
