package warehouse

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"jinwei/warehouse/guard"
)

// What an audit entry records (audit_log.action); the operator page names each
// (audit_action_… in the locale files).
const (
	AuditAdHoc        = "query"               // an ad hoc statement, on the console, the API or the CLI
	AuditExport       = "export"              // a console result downloaded
	AuditAdmin        = "admin"               // an operator's change: a load, an account, a rule
	AuditToken        = "token"               // a request made with an API token
	AuditWall         = "wall"                // a wall screen's sign-in
	AuditReport       = "report"              // a unit's report sent, returned or refused
	AuditLedgerStep   = "ledger_step"         // a ledger item's progress or closing step
	AuditAttachment   = "attachment_download" // evidence downloaded from a ledger item
	AuditSubscription = "subscription"        // a subscription to briefings or alerts changed
)

// AuditActions are what audit entries record.
var AuditActions = []string{AuditAdHoc, AuditExport, AuditAdmin, AuditToken, AuditWall, AuditReport, AuditLedgerStep, AuditAttachment, AuditSubscription}

// AuditEntry is one recorded action: an ad hoc query or export, an operator's change, a
// token's request (Action, one of AuditActions).
type AuditEntry struct {
	At        string
	User      string
	Action    string
	Statement string
	Format    string
	Rows      int
	Duration  int
	Outcome   string
	Message   string
}

// AuditedQuery runs an analyst's statement through the guard and records it in the audit
// log, however it ends, returning its rows (at most lim.MaxRows).
func (w *Warehouse) AuditedQuery(ctx context.Context, user, action, format, stmt string, lim Limits) (*GuardedResult, error) {
	return guard.Collect(func(sink RowSink) (*Streamed, error) {
		return w.AuditedStream(ctx, user, action, format, stmt, lim, sink)
	})
}

// AuditedStream runs an analyst's statement through the guard into sink (GuardedStream) and
// records it in the audit log, however it ends: the rows the sink took, or why it ended. The
// entry is written with the warehouse's own engine, never the guard's read-only one.
func (w *Warehouse) AuditedStream(ctx context.Context, user, action, format, stmt string, lim Limits, sink RowSink) (*Streamed, error) {
	start := time.Now()
	res, err := w.GuardedStream(ctx, stmt, lim, sink)
	entry := AuditEntry{User: user, Action: action, Statement: stmt, Format: format, Duration: int(time.Since(start).Milliseconds()), Outcome: "ok"}
	var refused *RefusedError
	var limited *LimitError
	switch {
	case errors.As(err, &refused):
		entry.Outcome, entry.Message = "refused", refused.Reason
	case errors.As(err, &limited):
		entry.Outcome, entry.Message = "limited", err.Error()
	case errors.Is(err, context.Canceled):
		entry.Outcome, entry.Message = "failed", "cancelled before it finished: "+err.Error()
	case err != nil:
		entry.Outcome, entry.Message = "failed", err.Error()
	default:
		entry.Rows = res.Rows
		if res.Truncated {
			entry.Message = "truncated at the row cap"
		}
	}
	// The record is kept even when the caller has gone.
	if aerr := w.recordAudit(context.WithoutCancel(ctx), entry); aerr != nil && err == nil {
		return nil, aerr
	}
	return res, err
}

func (w *Warehouse) recordAudit(ctx context.Context, e AuditEntry) error {
	text, err := namedQuery("audit_record")
	if err != nil {
		return err
	}
	err = w.eng.exec(ctx, text, Params{"user": e.User, "action": e.Action, "statement": e.Statement, "format": e.Format,
		"rows": strconv.Itoa(e.Rows), "duration_ms": strconv.Itoa(e.Duration), "outcome": e.Outcome, "message": e.Message})
	if err != nil {
		return fmt.Errorf("record audit entry: %w", err)
	}
	return nil
}

// AuditLog lists the newest entries of one user, or of everyone when user is "".
func (w *Warehouse) AuditLog(ctx context.Context, user string, limit int) ([]AuditEntry, error) {
	text, err := namedQuery("audit_recent")
	if err != nil {
		return nil, err
	}
	// Not cached: the log grows with every query, which does not bump the data version.
	res, err := w.eng.query(ctx, text, Params{"user": user, "limit": strconv.Itoa(limit)})
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	out := []AuditEntry{}
	err = res.each(func(rr *rowReader) {
		out = append(out, AuditEntry{At: rr.str("at_text"), User: rr.str("user"), Action: rr.str("action"), Statement: rr.str("statement"),
			Format: rr.str("format"), Rows: rr.int("rows"), Duration: rr.int("duration_ms"), Outcome: rr.str("outcome_text"), Message: rr.str("message")})
	})
	return out, err
}
