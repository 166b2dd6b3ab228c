package adapters

// The mediator's load as the store keeps it, separate from load.Load
// so that its rules (idempotent shares, a bounded memory of closings) do
// not move when the stored shape does, nor the shape when they are
// refactored: testdata/mediator_load*.json records it.

import "fengqiao.dev/services/mediation-room/internal/load"

// MediatorLoadDocument is one mediator's load and record in one county.
type MediatorLoadDocument struct {
	Open     []string `bson:"open"`
	Closed   int      `bson:"closed"`
	Resolved int      `bson:"resolved"`
	Counted  []string `bson:"counted"`
}

func toMediatorLoadDocument(l load.Load) MediatorLoadDocument {
	return MediatorLoadDocument{Open: l.Open, Closed: l.Closed, Resolved: l.Resolved, Counted: l.Counted}
}

func fromMediatorLoadDocument(d MediatorLoadDocument) load.Load {
	return load.Load{Open: d.Open, Closed: d.Closed, Resolved: d.Resolved, Counted: d.Counted}
}
