package ports

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"fengqiao.dev/pkg/docstore/storedshape"
	"fengqiao.dev/services/supervision/internal/actions"
	"fengqiao.dev/services/supervision/internal/casefile"
)

var updateWire = flag.Bool("update-wire-shapes", false, "rewrite the golden JSON of the wire types")

// goldenJSON compares the JSON of v with testdata/<name>.json, the JSON
// the API answers with: clients read it, and the contract describes it.
func goldenJSON(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".json")
	if *updateWire {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the golden JSON (run with -update-wire-shapes to write it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("the JSON of %s changed; clients read the old one.\n got %s\nwant %s", name, got, want)
	}
}

// TestWireTypes holds the JSON of every wire type, filled and sparse, to
// the JSON the API answered with when the handlers encoded the domain's
// types (testdata): the wire types moved nothing.
func TestWireTypes(t *testing.T) {
	goldenJSON(t, "supervised", supervisedOf(storedshape.Filled[actions.Supervised]()))
	goldenJSON(t, "supervised_sparse", supervisedOf(actions.Supervised{Urges: []actions.Urge{{}}}))
	goldenJSON(t, "urge", urgeOf(storedshape.Filled[actions.Urge]()))
	goldenJSON(t, "unstaffed_mediation", unstaffedOf(storedshape.Filled[casefile.UnstaffedMediation]()))
	goldenJSON(t, "ledger", ledgerOf(storedshape.Filled[casefile.Ledger]()))
	goldenJSON(t, "ledger_sparse", ledgerOf(casefile.Ledger{Units: []casefile.LedgerLine{{DueToday: []casefile.LedgerItem{{}}}}}))
	goldenJSON(t, "warning", warningOf(storedshape.Filled[casefile.Warning]()))
	goldenJSON(t, "warning_sparse", warningOf(casefile.Warning{Components: []casefile.Component{{}}}))
	goldenJSON(t, "overdue_item", overdueItemOf(storedshape.Filled[casefile.OverdueItem]()))
	goldenJSON(t, "overdue_item_sparse", overdueItemOf(casefile.OverdueItem{}))
	goldenJSON(t, "ledger_counts", ledgerCountsOf(storedshape.Filled[casefile.LedgerCounts]()))
	goldenJSON(t, "ledger_counts_sparse", ledgerCountsOf(casefile.LedgerCounts{Units: []casefile.LedgerCounts{{}}}))
}
