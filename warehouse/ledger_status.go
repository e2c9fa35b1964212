package warehouse

import (
	"slices"
	"strings"
)

// The statuses of a ledger item: the one vocabulary of ledger files, the closure loop, the
// pages and the alerts. The stored enum (migrations 001 and 019) holds exactly these.
const (
	StatusNotStarted       = "未整改"
	StatusInProgress       = "整改中"
	StatusRectified        = "已整改"
	StatusClosed           = "已销号" // verified: closed only by a verifier or a ledger file
	StatusClosureRequested = "申请销号"
	StatusReturned         = "退回" // a closure request the verifier sent back, with a reason
)

// LedgerStatuses lists the statuses in the order an item moves through them.
var LedgerStatuses = []string{StatusNotStarted, StatusInProgress, StatusReturned, StatusRectified, StatusClosureRequested, StatusClosed}

// OpenLedgerStatuses are the statuses of an item still to be rectified: past its deadline
// in one of them, an item is overdue. An item awaiting verification (申请销号) has done its
// part and is not.
var OpenLedgerStatuses = []string{StatusNotStarted, StatusInProgress, StatusReturned}

// LedgerStatusOpen says whether status is one of OpenLedgerStatuses.
func LedgerStatusOpen(status string) bool { return slices.Contains(OpenLedgerStatuses, status) }

// openStatusesParam is OpenLedgerStatuses as an Array(String) query parameter.
func openStatusesParam() string {
	return "['" + strings.Join(OpenLedgerStatuses, "','") + "']"
}
