package dashboard

import (
	"context"
	"fmt"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// The audit log holds every change made through a page or the API, every refusal of one,
// every download of evidence and every sign-in of a wall screen. Everything here writes
// through recordAudit.

// recordAudit writes e to the audit log; the entry is kept even if the request that made
// it has gone.
func (s *Server) recordAudit(ctx context.Context, e warehouse.AuditEntry) error {
	if err := s.accounts.store.RecordAudit(context.WithoutCancel(ctx), e); err != nil {
		return fmt.Errorf("audit %s %q: %w", e.Action, e.Statement, err)
	}
	return nil
}

// audit writes e as done by the signed-in account.
func (s *Server) audit(c echo.Context, e warehouse.AuditEntry) error {
	e.User = currentSession(c).User
	return s.recordAudit(c.Request().Context(), e)
}

// auditStep writes one change made through a page or the API, however it ended, under
// action (admin, report, …). A change that cannot be audited is reported as failed, though
// it was made: the audit log is the only record of who made it.
func (s *Server) auditStep(c echo.Context, action, what string, err error) error {
	e := warehouse.AuditEntry{Action: action, Statement: what, Outcome: "ok"}
	if err != nil {
		e.Outcome, e.Message = "failed", err.Error()
	}
	return s.audit(c, e)
}

// auditOrLog writes e where the answer stands whatever becomes of the entry: a ledger
// step, which the item's history records with its author too, and a refusal or download
// of evidence. A failure to write it is logged.
func (s *Server) auditOrLog(c echo.Context, e warehouse.AuditEntry) {
	if err := s.audit(c, e); err != nil {
		s.log.Error("audit", "err", err)
	}
}
