// Package app holds intake's use cases: one file per command or query, each
// load → decide (package dispute) → save in one document write.
package app

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/sealing"
	"fengqiao.dev/services/intake/internal/dispute"
	"fengqiao.dev/services/intake/internal/taxonomy"
)

// Disputes is the dispute repository; *docstore.Collection satisfies it.
type Disputes interface {
	Get(ctx context.Context, id string) (dispute.Dispute, error)
	Find(ctx context.Context, filter bson.D) ([]dispute.Dispute, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[dispute.Dispute]) error) (dispute.Dispute, error)
}

// CaseCodes hands out each county's case-code sequence numbers.
type CaseCodes interface {
	Next(ctx context.Context, county string, year int) (int64, error)
}

// Errors the ports map to HTTP statuses.
var (
	ErrForbidden           = errors.New("forbidden")
	ErrNotFound            = errors.New("not found")
	ErrIdempotencyMismatch = errors.New("Idempotency-Key reused with a different request")
)

// App bundles the use cases.
type App struct {
	Disputes  Disputes
	CaseCodes CaseCodes
	Now       func() time.Time
	Source    string // CloudEvents source service name
	// Cipher seals personal data at rest under its current key and opens it
	// under any of its keys; nil stores it in the clear.
	Cipher *sealing.Keyring
	// RepeatIndex finds the disputes a match key was seen on, by _id.
	RepeatIndex RepeatIndex
	// Keyer derives the keyed hashes repeat reports are matched on.
	Keyer dispute.MatchKeyer
	// Policy returns a county's published policy (policywatch.Watcher.Policy);
	// nil means defaults everywhere.
	Policy func(county string) (*policy.CountyPolicy, bool)
	// CategoryOverrides are the counties' own second and third category
	// levels, by county code; api/policy has no field for them yet.
	CategoryOverrides map[string]taxonomy.Override
	// Seatings are the mediation teams of the disputes, as the room last
	// assigned them; nil seats no mediator anywhere.
	Seatings Seatings
}

// Taxonomy is the county's effective category taxonomy: the province's
// default with the county's override applied.
func (a *App) Taxonomy(county string) taxonomy.Taxonomy {
	if o, ok := a.CategoryOverrides[county]; ok {
		return taxonomy.Default().Effective(county, &o)
	}
	return taxonomy.Default()
}

// policyOf returns the county's policy, or nil when it has none.
func (a *App) policyOf(county string) *policy.CountyPolicy {
	if a.Policy == nil {
		return nil
	}
	if p, ok := a.Policy(county); ok {
		return p
	}
	return nil
}
