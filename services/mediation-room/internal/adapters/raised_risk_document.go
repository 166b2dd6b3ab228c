package adapters

// A risk raised before its mediation opened, as the store keeps it,
// separate from app.RaisedRisk so that neither moves with the other:
// testdata/raised_risk*.json records the shape.

import (
	"fengqiao.dev/api/events"
	"fengqiao.dev/services/mediation-room/internal/app"
)

// RaisedRiskDocument is the most urgent risk raised before a mediation
// opened.
type RaisedRiskDocument struct {
	Level string `bson:"level"`
	Cause string `bson:"cause"`
}

func toRaisedRiskDocument(r app.RaisedRisk) RaisedRiskDocument {
	return RaisedRiskDocument{Level: string(r.Level), Cause: r.Cause}
}

func fromRaisedRiskDocument(d RaisedRiskDocument) app.RaisedRisk {
	return app.RaisedRisk{Level: events.RiskLevel(d.Level), Cause: d.Cause}
}
