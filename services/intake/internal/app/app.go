// Package app holds intake's use cases: one file per command or query, each
// load → decide (package dispute) → save in one document write.
package app

import (
	"context"
	"errors"
	"time"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/pkg/sealing"
	"fengqiao.dev/services/intake/internal/dispute"
	"fengqiao.dev/services/intake/internal/taxonomy"
)

// CaseCodes hands out each county's case-code sequence numbers.
type CaseCodes interface {
	Next(ctx context.Context, county string, year int) (int64, error)
}

// disputeReads are the reads of Disputes, which its queued wrapper passes
// through (WithQueues).
type disputeReads interface {
	Get(ctx context.Context, id string) (dispute.Dispute, error)
	// All is every dispute, oldest first.
	All(ctx context.Context) ([]dispute.Dispute, error)
}

// Disputes is the dispute repository; *docstore.Collection satisfies it.
type Disputes interface {
	disputeReads
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[dispute.Dispute]) error) (dispute.Dispute, error)
}

// Errors the ports map to HTTP statuses.
var (
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
	// Queues are the dispute lists a person pages through (queues.go);
	// Disputes must be wrapped by WithQueues over the same index.
	Queues *queueindex.Index
	// Keyer derives the keyed hashes repeat reports are matched on.
	Keyer dispute.MatchKeyer
	// Policy returns a county's published policy (policywatch.Watcher.Policy);
	// nil means defaults everywhere.
	Policy func(county string) (*policy.CountyPolicy, bool)
	// Counties lists the counties with a published policy
	// (policywatch.Watcher.Counties); nil serves every county.
	Counties func() []string
	// Seatings are the mediation teams of the disputes, as the room last
	// assigned them; nil seats no mediator anywhere.
	Seatings Seatings
}

// Taxonomy is the county's effective category taxonomy: the province's
// default with the county's override applied, the one its published policy
// carries (MediationCenter spec.categories).
func (a *App) Taxonomy(county string) taxonomy.Taxonomy {
	if p := a.PolicyOf(county); p != nil && p.Categories != nil {
		if o := taxonomy.FromPolicy(*p.Categories); taxonomy.CheckOverride(o) == nil {
			return taxonomy.Default().Effective(county, &o)
		}
	}
	return taxonomy.Default()
}

// PolicyOf returns the county's policy, or nil when it has none.
func (a *App) PolicyOf(county string) *policy.CountyPolicy {
	if a.Policy == nil {
		return nil
	}
	if p, ok := a.Policy(county); ok {
		return p
	}
	return nil
}

// CheckTenant refuses a county the platform does not serve. Only counties
// with a published policy (a MediationCenter) are served: a code that is
// no county, or a county that is not a tenant, would otherwise get a case
// code, a slip and copy topics of its own on built-in defaults. A platform
// that publishes no policy at all (a bare development stack, a service's
// component tests) serves every county on the MediationCenter's defaults.
func (a *App) CheckTenant(county string) error {
	if a.Counties == nil || a.PolicyOf(county) != nil {
		return nil
	}
	if len(a.Counties()) == 0 {
		return nil
	}
	return &dispute.ValidationError{Fields: []dispute.FieldError{{Pointer: "#/county_code",
		Detail: "county " + county + " has no published policy (MediationCenter): the platform serves only its tenant counties"}}}
}
