package ports

import (
	"testing"

	"fengqiao.dev/pkg/docstore/storedshape"
	"fengqiao.dev/services/supervision/internal/actions"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// TestWireTypes holds the JSON of every wire type, filled and sparse, to
// the JSON the API answered with when the handlers encoded the domain's
// types (testdata): the wire types moved nothing.
func TestWireTypes(t *testing.T) {
	storedshape.JSON(t, "supervised", supervisedOf(storedshape.Filled[actions.Supervised]()))
	storedshape.JSON(t, "supervised_sparse", supervisedOf(actions.Supervised{Urges: []actions.Urge{{}}}))
	storedshape.JSON(t, "urge", urgeOf(storedshape.Filled[actions.Urge]()))
	storedshape.JSON(t, "unstaffed_mediation", unstaffedOf(storedshape.Filled[casefile.UnstaffedMediation]()))
	storedshape.JSON(t, "ledger", ledgerOf(storedshape.Filled[casefile.Ledger]()))
	storedshape.JSON(t, "ledger_sparse", ledgerOf(casefile.Ledger{Units: []casefile.LedgerLine{{DueToday: []casefile.LedgerItem{{}}}}}))
	storedshape.JSON(t, "warning", warningOf(storedshape.Filled[casefile.Warning]()))
	storedshape.JSON(t, "warning_sparse", warningOf(casefile.Warning{Components: []casefile.Component{{}}}))
	storedshape.JSON(t, "overdue_item", overdueItemOf(storedshape.Filled[casefile.OverdueItem]()))
	storedshape.JSON(t, "overdue_item_sparse", overdueItemOf(casefile.OverdueItem{}))
	storedshape.JSON(t, "ledger_counts", ledgerCountsOf(storedshape.Filled[casefile.LedgerCounts]()))
	storedshape.JSON(t, "ledger_counts_sparse", ledgerCountsOf(casefile.LedgerCounts{Units: []casefile.LedgerCounts{{}}}))
}
