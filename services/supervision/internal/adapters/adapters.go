// Package adapters implements supervision's repositories on the store: the
// use cases (package app) name the case files, tallies and actions they
// want, and only this package knows how the store finds them and the
// documents it keeps them as (documents.go). It does not import app, whose
// own tests build their repositories from it.
package adapters

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/supervision/internal/actions"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// CaseFiles is app.CaseFiles on a collection of case files.
type CaseFiles struct {
	*docstore.Collection[casefile.CaseFile]
}

// InCounty implements app.CaseFiles.
func (c CaseFiles) InCounty(ctx context.Context, county string) ([]casefile.CaseFile, error) {
	return c.Find(ctx, bson.D{{Key: "county_code", Value: county}})
}

// Unstaffed implements app.CaseFiles.
func (c CaseFiles) Unstaffed(ctx context.Context) ([]casefile.CaseFile, error) {
	return c.Find(ctx, bson.D{{Key: "timeline.unstaffed", Value: true}})
}

// Tallies is app.Tallies on a collection of tallies.
type Tallies struct {
	*docstore.Collection[casefile.Tally]
}

// InArea implements app.Tallies: county codes are digits, so every code
// starting with area sorts from area up to area followed by "~".
func (t Tallies) InArea(ctx context.Context, area string) ([]casefile.Tally, error) {
	return t.Find(ctx, bson.D{{Key: "county_code", Value: bson.D{{Key: "$gte", Value: area}, {Key: "$lt", Value: area + "~"}}}})
}

// Actions is app.Actions on a collection of the committee's actions.
type Actions struct {
	*docstore.Collection[actions.Supervised]
}

// WatchedIn implements app.Actions.
func (a Actions) WatchedIn(ctx context.Context, county string) ([]actions.Supervised, error) {
	return a.Find(ctx, bson.D{{Key: "county_code", Value: county}, {Key: "watched", Value: true}})
}
