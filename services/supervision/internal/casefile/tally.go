package casefile

import (
	"slices"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// Tally is one county's running figures, kept up to date as each case file
// changes, so the live figures read one document per county instead of
// every case file: the counts behind the resolution and revisit rates, and
// the open disputes with what their deadlines are computed from (the
// deadlines themselves follow the county's live targets, so they are
// judged when the figures are computed).
type Tally struct {
	CountyCode  string     `bson:"county_code"`
	Registered  int        `bson:"registered"`
	Resolved    int        `bson:"resolved"`
	SettledOnce int        `bson:"settled_once"`
	Revisited   int        `bson:"revisited"`
	Open        []OpenCase `bson:"open"`
	// Recent are the latest changes counted; a change is counted right
	// after its case file's write, so a short memory recognises one
	// counted again after a lost reply.
	Recent []string `bson:"recent"`
}

// OpenCase is what the overdue figure needs of an open dispute.
type OpenCase struct {
	DisputeID      string           `bson:"dispute_id"`
	RoundStartedAt time.Time        `bson:"round_started_at"`
	RiskLevel      events.RiskLevel `bson:"risk_level"`
	// AcceptBy is the earliest acceptance deadline of a copy not yet
	// signed; zero when every copy is signed.
	AcceptBy time.Time `bson:"accept_by,omitempty"`
}

// maxRecent bounds Tally.Recent.
const maxRecent = 256

// Share is what one case file adds to its county's tally; Case counts
// only when Open.
type Share struct {
	Registered, Resolved, SettledOnce, Revisited, Open bool
	Case                                               OpenCase
}

// ShareOf is cf's share; a case file not yet stored has none.
func ShareOf(cf CaseFile, exists bool) Share {
	if !exists {
		return Share{}
	}
	s := Share{Registered: true, Resolved: cf.Stage().IsResolved(), SettledOnce: cf.ResolvedOnce()}
	s.Revisited = s.SettledOnce && cf.Revisited()
	if cf.Open() {
		o := OpenCase{DisputeID: cf.DisputeID, RoundStartedAt: cf.RoundStartedAt(), RiskLevel: cf.RiskLevel}
		for _, c := range cf.UnsignedCopies() {
			if o.AcceptBy.IsZero() || c.AcceptBy.Before(o.AcceptBy) {
				o.AcceptBy = c.AcceptBy
			}
		}
		s.Open, s.Case = true, o
	}
	return s
}

// Count moves the tally from a case file's share before a change to its
// share after it, once per change ID; it reports whether the tally
// changed.
func (t *Tally) Count(change, disputeID string, before, after Share) bool {
	if slices.Contains(t.Recent, change) {
		return false
	}
	t.Registered += b2i(after.Registered) - b2i(before.Registered)
	t.Resolved += b2i(after.Resolved) - b2i(before.Resolved)
	t.SettledOnce += b2i(after.SettledOnce) - b2i(before.SettledOnce)
	t.Revisited += b2i(after.Revisited) - b2i(before.Revisited)
	t.Open = slices.DeleteFunc(slices.Clone(t.Open), func(o OpenCase) bool { return o.DisputeID == disputeID })
	if after.Open {
		t.Open = append(t.Open, after.Case)
	}
	t.Recent = append(slices.Clone(t.Recent), change)
	if len(t.Recent) > maxRecent {
		t.Recent = t.Recent[len(t.Recent)-maxRecent:]
	}
	return true
}

// Add counts a case file into a tally being built from scratch.
func (t *Tally) Add(cf CaseFile) {
	s := ShareOf(cf, true)
	t.Registered += b2i(s.Registered)
	t.Resolved += b2i(s.Resolved)
	t.SettledOnce += b2i(s.SettledOnce)
	t.Revisited += b2i(s.Revisited)
	if s.Open {
		t.Open = append(t.Open, s.Case)
	}
}

// Figures are the county's live figures from its tally at now: what
// LiveFigures computes from every case file.
func (t Tally) Figures(county string, now time.Time, targets Targets) policy.CountyFigures {
	f := policy.CountyFigures{CountyCode: county, AsOf: now.UTC(), Open: len(t.Open)}
	for _, o := range t.Open {
		if now.After(o.RoundStartedAt.Add(targets.deadline(o.RiskLevel))) || (!o.AcceptBy.IsZero() && now.After(o.AcceptBy)) {
			f.Overdue++
		}
	}
	f.ResolutionRate = NewRate(t.Resolved, t.Registered).Value
	f.RevisitRate = NewRate(t.Revisited, t.SettledOnce).Value
	return f
}
