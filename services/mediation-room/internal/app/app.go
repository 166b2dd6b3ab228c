// Package app holds the mediation room's use cases: load → decide → save in
// one document write holding the mediation and the events it causes. Each
// decision reads the county's policy at that moment (svc.Policies()), and
// falls back to the defaults of the domain packages when a county has none.
package app

import (
	"context"
	"time"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/dueindex"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// mediationReads are the reads of Mediations, which its queued wrapper passes
// through (WithQueues).
type mediationReads interface {
	GetVisible(ctx context.Context, id string, visible func(mediation.Mediation) bool) (mediation.Mediation, error)
	// All is every mediation.
	All(ctx context.Context) ([]mediation.Mediation, error)
	// Open is every open mediation.
	Open(ctx context.Context) ([]mediation.Mediation, error)
	// Performing is every resolved mediation with an agreement term still
	// awaiting performance.
	Performing(ctx context.Context) ([]mediation.Mediation, error)
	// OfDispute is the mediations of a dispute in a county.
	OfDispute(ctx context.Context, county, disputeID string) ([]mediation.Mediation, error)
}

// Mediations is the mediation repository; adapters.Mediations implements
// it on the store. Its queries return mediations oldest first.
type Mediations interface {
	mediationReads
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[mediation.Mediation]) error) (mediation.Mediation, error)
}

// Policies gives the live policy of a county; *policywatch.Watcher
// satisfies it.
type Policies interface {
	Policy(countyCode string) (*policy.CountyPolicy, bool)
}

// App bundles the use cases.
type App struct {
	Mediations Mediations
	// Loads are the mediators' loads and records, kept as mediations are
	// written; nil matches on skills alone.
	Loads MediatorLoads
	// RaisedRisks keep a risk raised before its mediation opened; nil
	// opens every mediation on its slip's risk.
	RaisedRisks RaisedRisks
	Policies    Policies // nil: every county on defaults
	Now         func() time.Time
	Source      string
	// Queues are the mediation lists a mediator works from (queues.go);
	// Mediations must be wrapped by WithQueues over the same index.
	Queues *queueindex.Index
	// Due, when set, is the due index the sweep reads instead of querying
	// every open mediation (due_mediations.go); Mediations must then be
	// wrapped by IndexedMediations over the same index.
	Due *dueindex.Index
	// OpenMediations, when set, is what the gauges count
	// (open_mediations.go); Mediations must then be wrapped by
	// WithOpenMediations over it.
	OpenMediations *OpenMediations
}

// policy returns the county's live policy, or nil for the defaults.
func (a *App) policy(county string) *policy.CountyPolicy {
	if a.Policies == nil {
		return nil
	}
	if p, ok := a.Policies.Policy(county); ok {
		return p
	}
	return nil
}

// Mediation returns a mediation of the caller's county.
func (a *App) Mediation(ctx context.Context, county, id string) (mediation.Mediation, error) {
	return a.Mediations.GetVisible(ctx, id, func(m mediation.Mediation) bool { return m.CountyCode == county })
}

// MediationIf returns a mediation the caller may address, as visible says
// (the caller's standing to it against pkg/access's table); any other is
// as missing as one that does not exist.
func (a *App) MediationIf(ctx context.Context, id string, visible func(mediation.Mediation) bool) (mediation.Mediation, error) {
	return a.Mediations.GetVisible(ctx, id, visible)
}

// MediationsOf lists a dispute's mediations in the caller's county.
func (a *App) MediationsOf(ctx context.Context, county, disputeID string) ([]mediation.Mediation, error) {
	return a.Mediations.OfDispute(ctx, county, disputeID)
}
