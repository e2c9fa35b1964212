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
	text, err := namedQuery("saved_queries")
	if err != nil {
		return nil, err
	}
	// Not cached, and saving one is no new data version: saved queries are the console's
	// own, not data the pages or alerts show, like the audit log.
	res, err := w.eng.query(ctx, text, nil)
	if err != nil {
		return nil, fmt.Errorf("read saved queries: %w", err)
	}
	out := []SavedQuery{}
	err = res.each(func(rr *rowReader) {
		out = append(out, SavedQuery{ID: rr.str("id_text"), Name: rr.str("name"), Statement: rr.str("statement"), Owner: rr.str("owner"), Created: rr.str("created")})
	})
	return out, err
}

// SaveQuery stores a new shared query and returns it.
func (w *Warehouse) SaveQuery(ctx context.Context, owner, name, statement string) (SavedQuery, error) {
	q := SavedQuery{ID: uuid.NewString(), Name: name, Statement: statement, Owner: owner}
	return q, w.putSaved(ctx, q, false)
}

// DeleteSavedQuery removes a shared query; only its owner (or an admin, by the caller's
// check) may.
func (w *Warehouse) DeleteSavedQuery(ctx context.Context, id string) error {
	all, err := w.SavedQueries(ctx)
	if err != nil {
		return err
	}
	for _, q := range all {
		if q.ID == id {
			return w.putSaved(ctx, q, true)
		}
	}
	return fmt.Errorf("saved query %s: %w", id, ErrNotFound)
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
