package adapters

// The settled agreement and its performance as the mediation's document
// keeps them (see mediation_document.go for why the storage model is
// separate from the domain).

import (
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/mediation-room/internal/agreement"
)

// AgreementDocument is the settled agreement.
type AgreementDocument struct {
	Summary     string               `bson:"summary"`
	Terms       []string             `bson:"terms,omitempty"`
	Obligations []ObligationDocument `bson:"obligations,omitempty"`
	Signatures  []SignatureDocument  `bson:"signatures,omitempty"`
	Text        string               `bson:"text,omitempty"`
}

// ObligationDocument is one performable term of the agreement.
type ObligationDocument struct {
	Obligor   string    `bson:"obligor"`
	Duty      string    `bson:"duty"`
	AmountFen int64     `bson:"amount_fen,omitempty"`
	Manner    string    `bson:"manner"`
	Place     string    `bson:"place"`
	Deadline  time.Time `bson:"deadline"`
}

// SignatureDocument is a signature, by role.
type SignatureDocument struct {
	Signer   string    `bson:"signer"`
	SignedAt time.Time `bson:"signed_at"`
}

// PerformanceDocument tracks every obligation of the agreement.
type PerformanceDocument struct {
	Terms []TermPerformanceDocument `bson:"terms"`
}

// TermPerformanceDocument tracks one obligation.
type TermPerformanceDocument struct {
	Term       int        `bson:"term"`
	DueBy      time.Time  `bson:"due_by"`
	Status     string     `bson:"status"`
	RecordedAt *time.Time `bson:"recorded_at,omitempty"`
	Note       string     `bson:"note,omitempty"`
}

func toAgreementDocument(a agreement.Agreement) AgreementDocument {
	return AgreementDocument{Summary: a.Summary, Terms: a.Terms, Obligations: mapping.Slice(a.Obligations, toObligationDocument),
		Signatures: mapping.Slice(a.Signatures, toSignatureDocument), Text: a.Text}
}

func fromAgreementDocument(d AgreementDocument) agreement.Agreement {
	return agreement.Agreement{Summary: d.Summary, Terms: d.Terms, Obligations: mapping.Slice(d.Obligations, fromObligationDocument),
		Signatures: mapping.Slice(d.Signatures, fromSignatureDocument), Text: d.Text}
}

func toObligationDocument(o agreement.Obligation) ObligationDocument {
	return ObligationDocument{Obligor: string(o.Obligor), Duty: o.Duty, AmountFen: o.AmountFen, Manner: o.Manner, Place: o.Place, Deadline: o.Deadline}
}

func fromObligationDocument(d ObligationDocument) agreement.Obligation {
	return agreement.Obligation{Obligor: events.PartyRole(d.Obligor), Duty: d.Duty, AmountFen: d.AmountFen, Manner: d.Manner, Place: d.Place, Deadline: d.Deadline}
}

func toSignatureDocument(s agreement.Signature) SignatureDocument {
	return SignatureDocument{Signer: s.Signer, SignedAt: s.SignedAt}
}

func fromSignatureDocument(d SignatureDocument) agreement.Signature {
	return agreement.Signature{Signer: d.Signer, SignedAt: d.SignedAt}
}

func toPerformanceDocument(p agreement.Performance) PerformanceDocument {
	return PerformanceDocument{Terms: mapping.Slice(p.Terms, toTermPerformanceDocument)}
}

func fromPerformanceDocument(d PerformanceDocument) agreement.Performance {
	return agreement.Performance{Terms: mapping.Slice(d.Terms, fromTermPerformanceDocument)}
}

func toTermPerformanceDocument(t agreement.TermPerformance) TermPerformanceDocument {
	return TermPerformanceDocument{Term: t.Term, DueBy: t.DueBy, Status: string(t.Status), RecordedAt: t.RecordedAt, Note: t.Note}
}

func fromTermPerformanceDocument(d TermPerformanceDocument) agreement.TermPerformance {
	return agreement.TermPerformance{Term: d.Term, DueBy: d.DueBy, Status: agreement.Status(d.Status), RecordedAt: d.RecordedAt, Note: d.Note}
}
