package adapters

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/mediation-room/internal/app"
	"fengqiao.dev/services/mediation-room/internal/load"
)

// The room's collections, each kept through its storage model.

// MediationsOf is the service's mediations, indexed on the fields their
// queries filter on; their outbox goes to the service's relay.
func MediationsOf(ctx context.Context, svc *bootstrap.Service) (Mediations, error) {
	c, err := bootstrap.MappedCollection(ctx, svc, "mediations", toMediationDocument, fromMediationDocument, "dispute_id", "county_code", "status")
	return Mediations{c}, err
}

// MediationsIn is the mediations kept in coll, for a test or a benchmark
// on the store without the service around it.
func MediationsIn(coll *mongo.Collection) Mediations {
	return Mediations{docstore.Mapped(coll, nil, toMediationDocument, fromMediationDocument)}
}

// MediatorLoadsOf is the service's mediators' loads.
func MediatorLoadsOf(svc *bootstrap.Service) *docstore.Collection[load.Load] {
	return bootstrap.MappedDocuments(svc, "mediator_loads", toMediatorLoadDocument, fromMediatorLoadDocument)
}

// MediatorLoadsIn is the mediators' loads kept in coll.
func MediatorLoadsIn(coll *mongo.Collection) *docstore.Collection[load.Load] {
	return docstore.Mapped(coll, nil, toMediatorLoadDocument, fromMediatorLoadDocument)
}

// RaisedRisksOf is the service's risks raised before their mediation
// opened.
func RaisedRisksOf(svc *bootstrap.Service) *docstore.Collection[app.RaisedRisk] {
	return bootstrap.MappedDocuments(svc, "raised_risks", toRaisedRiskDocument, fromRaisedRiskDocument)
}
