package dashboard

import (
	"testing"

	"jinwei/warehouse"
)

// Each status is at the stage of whoever takes its next step.
func TestLedgerStages(t *testing.T) {
	for status, want := range map[string]string{
		warehouse.StatusNotStarted: stageOpen, warehouse.StatusInProgress: stageOpen, warehouse.StatusReturned: stageOpen,
		warehouse.StatusRectified: stageOpen, warehouse.StatusClosureRequested: stageRequested, warehouse.StatusClosed: stageClosed,
	} {
		if got := ledgerStage(status); got != want {
			t.Errorf("ledgerStage(%s) = %s, want %s", status, got, want)
		}
	}
}
