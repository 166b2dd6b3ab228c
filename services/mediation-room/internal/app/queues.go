package app

import (
	"context"

	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// The mediation queues: every mediation of a county, and those of each
// mediator on its team, the most recently opened first.
const attrState = "state"

func countyMediations(county string) string { return "mediations/" + county }
func mediatorMediations(county, mediator string) string {
	return "mediations/" + county + "/mediator/" + mediator
}

// PlaceMediation is where a mediation stands in the queues.
func PlaceMediation(m mediation.Mediation) []queueindex.Placed {
	if m.ID == "" || m.CountyCode == "" {
		return nil
	}
	e := queueindex.Entry{ID: m.ID, Key: queueindex.Key(m.OpenedAt, m.ID), Attrs: map[string]string{attrState: string(m.Status)}}
	out := []queueindex.Placed{{Queue: countyMediations(m.CountyCode), Entry: e}}
	seated := map[string]bool{}
	for _, member := range m.Team {
		if member.MediatorID != "" && !seated[member.MediatorID] {
			seated[member.MediatorID] = true
			out = append(out, queueindex.Placed{Queue: mediatorMediations(m.CountyCode, member.MediatorID), Entry: e})
		}
	}
	return out
}

// Statuses a mediation list filters by.
var Statuses = []string{
	string(mediation.StatusOpen), string(mediation.StatusResolved), string(mediation.StatusFailed),
	string(mediation.StatusReferred), string(mediation.StatusNotMediated), string(mediation.ResultLitigation),
	string(mediation.ResultLegalAid), string(mediation.ResultPunishment),
}

// queuedMediations is a mediation repository whose every write keeps the
// queues in step and holds to the request's If-Match
// (queueindex.Maintained).
type queuedMediations struct {
	mediationReads
	queueindex.Maintained[mediation.Mediation]
}

// WithQueues wraps the repository so that every write of a mediation keeps
// its queue entries in ix up to date.
func WithQueues(m Mediations, ix *queueindex.Index) Mediations {
	return queuedMediations{m, queueindex.Maintained[mediation.Mediation]{Inner: m, Index: ix, Place: PlaceMediation}}
}

// MediationPage lists the county's mediations (a mediator's, when
// mediator is set) in state (any, when empty), the most recently opened
// first, after the key after, and returns the key to continue after; one
// whose stored state no longer places it so (its entry lags a write) is
// left out (queueindex.Listing).
func (a *App) MediationPage(ctx context.Context, county, mediator, state, after string, limit int) ([]mediation.Mediation, string, error) {
	queue := countyMediations(county)
	if mediator != "" {
		queue = mediatorMediations(county, mediator)
	}
	visible := func(ctx context.Context, id string) (mediation.Mediation, error) {
		return a.Mediations.GetVisible(ctx, id, func(m mediation.Mediation) bool { return m.CountyCode == county })
	}
	mediations := queueindex.Listing[mediation.Mediation]{What: "the mediations of county " + county, Index: a.Queues, Get: visible, Place: PlaceMediation}
	return mediations.Items(ctx, []string{queue}, queueindex.Query{
		After: after, Limit: limit, Descending: true,
		Match: func(e queueindex.Entry) bool { return state == "" || e.Attrs[attrState] == state },
	})
}

// EnsureQueues fills the queues from the mediations stored before they
// existed, once (queueindex.BuildFrom).
func (a *App) EnsureQueues(ctx context.Context) error {
	return queueindex.BuildFrom(ctx, a.Queues, "mediations", a.Mediations.All, PlaceMediation)
}
