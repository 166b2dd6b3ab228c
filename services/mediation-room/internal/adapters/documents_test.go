package adapters

import (
	"testing"

	"fengqiao.dev/pkg/docstore/storedshape"
	"fengqiao.dev/services/mediation-room/internal/agreement"
	"fengqiao.dev/services/mediation-room/internal/app"
	"fengqiao.dev/services/mediation-room/internal/load"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// Every mapped aggregate comes back whole from its document, and its
// document keeps the shape stores hold: filled, and sparse or zero, where
// the empty values' documents are the ones the tagged domain types wrote.
func TestStorageModels(t *testing.T) {
	t.Run("mediation", func(t *testing.T) {
		storedshape.Check(t, "mediation", toMediationDocument, fromMediationDocument,
			storedshape.SparseAs("mediation_sparse", sparseMediation()),
			storedshape.SparseAs("mediation_zero", mediation.Mediation{}))
	})
	t.Run("mediator load", func(t *testing.T) {
		storedshape.Check(t, "mediator_load", toMediatorLoadDocument, fromMediatorLoadDocument,
			storedshape.SparseAs("mediator_load_zero", load.Load{}))
	})
	t.Run("raised risk", func(t *testing.T) {
		storedshape.Check(t, "raised_risk", toRaisedRiskDocument, fromRaisedRiskDocument,
			storedshape.SparseAs("raised_risk_zero", app.RaisedRisk{}))
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
