package adapters

// The revisit's storage model is separate from the domain's Revisit so
// that neither moves the other: the revisit's rules do not change when its
// stored shape does, and the shape stores already hold does not change
// when the domain is refactored (testdata/revisit.json records it).

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/docstore/eventdocs"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// RevisitCollection keeps the revisits of coll through their storage
// model.
func RevisitCollection(coll *mongo.Collection) *docstore.Collection[revisit.Revisit] {
	return docstore.Mapped(coll, nil, toRevisitDocument, fromRevisitDocument)
}

// ServiceRevisits is the service's revisits, indexed on the fields their queries
// filter on; the relay publishes their outbox.
func ServiceRevisits(ctx context.Context, svc *bootstrap.Service) (*docstore.Collection[revisit.Revisit], error) {
	return bootstrap.MappedCollection(ctx, svc, "revisits", toRevisitDocument, fromRevisitDocument, "dispute_id", "county_code", "status")
}

// RevisitDocument is a revisit as stored.
type RevisitDocument struct {
	ID           string           `bson:"id"`
	DisputeID    string           `bson:"dispute_id"`
	CountyCode   string           `bson:"county_code"`
	Round        int              `bson:"round"`
	Kind         string           `bson:"kind,omitempty"`
	Category     string           `bson:"category"`
	RiskLevel    string           `bson:"risk_level"`
	Revisitor    eventdocs.Agency `bson:"revisitor"`
	Officer      string           `bson:"officer,omitempty"`
	SettledBy    eventdocs.Agency `bson:"settled_by"`
	Police       eventdocs.Agency `bson:"police"`
	Channel      string           `bson:"channel"`
	Status       string           `bson:"status"`
	SettledAt    time.Time        `bson:"settled_at"`
	ScheduledAt  time.Time        `bson:"scheduled_at"`
	DueBy        time.Time        `bson:"due_by"`
	Follows      string           `bson:"follows,omitempty"`
	Attempts     int              `bson:"attempts"`
	MaxAttempts  int              `bson:"max_attempts"`
	Escalated    string           `bson:"escalated,omitempty"`
	EscalatedAt  *time.Time       `bson:"escalated_at,omitempty"`
	CompletedAt  *time.Time       `bson:"completed_at,omitempty"`
	Outcome      string           `bson:"outcome,omitempty"`
	Satisfaction string           `bson:"satisfaction,omitempty"`
	Note         string           `bson:"note,omitempty"`
	CompletedBy  string           `bson:"completed_by,omitempty"`
}

func toRevisitDocument(r revisit.Revisit) RevisitDocument {
	return RevisitDocument{
		ID: r.ID, DisputeID: r.DisputeID, CountyCode: r.CountyCode, Round: r.Round, Kind: string(r.Kind),
		Category: string(r.Category), RiskLevel: string(r.RiskLevel), Revisitor: eventdocs.AgencyOf(r.Revisitor),
		Officer: r.Officer, SettledBy: eventdocs.AgencyOf(r.SettledBy), Police: eventdocs.AgencyOf(r.Police),
		Channel: string(r.Channel), Status: string(r.Status), SettledAt: r.SettledAt, ScheduledAt: r.ScheduledAt, DueBy: r.DueBy,
		Follows: r.Follows, Attempts: r.Attempts, MaxAttempts: r.MaxAttempts, Escalated: string(r.Escalated),
		EscalatedAt: r.EscalatedAt, CompletedAt: r.CompletedAt, Outcome: string(r.Outcome),
		Satisfaction: string(r.Satisfaction), Note: r.Note, CompletedBy: r.CompletedBy,
	}
}

func fromRevisitDocument(d RevisitDocument) revisit.Revisit {
	return revisit.Revisit{
		ID: d.ID, DisputeID: d.DisputeID, CountyCode: d.CountyCode, Round: d.Round, Kind: events.RevisitKind(d.Kind),
		Category: events.Category(d.Category), RiskLevel: events.RiskLevel(d.RiskLevel), Revisitor: d.Revisitor.Event(),
		Officer: d.Officer, SettledBy: d.SettledBy.Event(), Police: d.Police.Event(),
		Channel: events.RevisitChannel(d.Channel), Status: revisit.Status(d.Status), SettledAt: d.SettledAt,
		ScheduledAt: d.ScheduledAt, DueBy: d.DueBy, Follows: d.Follows, Attempts: d.Attempts, MaxAttempts: d.MaxAttempts,
		Escalated: events.RevisitEscalationReason(d.Escalated), EscalatedAt: d.EscalatedAt, CompletedAt: d.CompletedAt,
		Outcome: events.RevisitOutcome(d.Outcome), Satisfaction: events.Satisfaction(d.Satisfaction), Note: d.Note,
		CompletedBy: d.CompletedBy,
	}
}
