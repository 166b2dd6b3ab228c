package adapters

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore/storedshape"
	"fengqiao.dev/services/mediation-room/internal/agreement"
	"fengqiao.dev/services/mediation-room/internal/app"
	"fengqiao.dev/services/mediation-room/internal/load"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// Every mapped aggregate comes back whole from its document, and its
// document keeps the shape stores hold.
func TestStorageModels(t *testing.T) {
	t.Run("mediation", func(t *testing.T) {
		storedshape.RoundTrip(t, toMediationDocument, fromMediationDocument)
		storedshape.Golden(t, "mediation", toMediationDocument)
	})
	t.Run("mediator load", func(t *testing.T) {
		storedshape.RoundTrip(t, toMediatorLoadDocument, fromMediatorLoadDocument)
		storedshape.Golden(t, "mediator_load", toMediatorLoadDocument)
	})
	t.Run("raised risk", func(t *testing.T) {
		storedshape.RoundTrip(t, toRaisedRiskDocument, fromRaisedRiskDocument)
		storedshape.Golden(t, "raised_risk", toRaisedRiskDocument)
	})
}

// sparseMediation has every nested value present but empty, and nil
// slices: what the filled golden cannot show, the fields left out when
// empty (omitempty) and the nil slices stored as null.
func sparseMediation() mediation.Mediation {
	return mediation.Mediation{
		Team: []mediation.Member{{}}, Objections: []mediation.Objection{{}},
		Sessions:    []mediation.Session{{Record: &mediation.SessionRecord{LegalOpinion: &mediation.LegalOpinion{}}}},
		Escalations: []mediation.Escalation{{}}, JointMeeting: &mediation.JointMeeting{Decisions: []mediation.Decision{{}}},
		Settlement:  &agreement.Agreement{Obligations: []agreement.Obligation{{}}, Signatures: []agreement.Signature{{}}},
		Performance: &agreement.Performance{Terms: []agreement.TermPerformance{{}}}, HandedOff: []mediation.HandOff{{}},
	}
}

// The empty values' documents are the ones the tagged domain types wrote.
func TestSparseStoredShapes(t *testing.T) {
	sparse(t, "mediation_sparse", toMediationDocument(sparseMediation()))
	sparse(t, "mediation_zero", toMediationDocument(mediation.Mediation{}))
	sparse(t, "mediator_load_zero", toMediatorLoadDocument(load.Load{}))
	sparse(t, "raised_risk_zero", toRaisedRiskDocument(app.RaisedRisk{}))
	raw, err := bson.Marshal(toMediationDocument(sparseMediation()))
	if err != nil {
		t.Fatal(err)
	}
	var doc MediationDocument
	if err := bson.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if got := fromMediationDocument(doc); !reflect.DeepEqual(got, sparseMediation()) {
		t.Fatalf("a sparse mediation came back changed from its document:\n got %+v\nwant %+v", got, sparseMediation())
	}
}

func sparse(t *testing.T, name string, doc any) {
	t.Helper()
	raw, err := bson.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := bson.MarshalExtJSONIndent(bson.Raw(raw), true, false, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if string(append(got, '\n')) != string(want) {
		t.Fatalf("the stored document %s changed shape; stores hold the old one.\n got %s\nwant %s", name, got, want)
	}
}
