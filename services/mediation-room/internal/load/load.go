// Package load keeps one mediator's load and record in one county: the
// open mediations with the mediator on the team, and how many closed and
// were resolved, counted once each whatever writes repeat. Plain Go, no
// I/O: the use cases carry each written mediation into it.
package load

import (
	"slices"

	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// Load is one mediator's load and record in one county, kept up to
// date as each mediation is written, so matching a team reads one document
// per member of the roster instead of every mediation of the county.
//
// Every change is idempotent by the state it sets rather than by a counter
// it bumps: a mediation is in Open or not, and its closing is counted once,
// remembered in Counted. Writing the same change twice — a retry after a
// lost reply, or the self-healing rewrite a later change of the mediation
// does — counts nothing twice.
type Load struct {
	// Open are the open mediations with the mediator on the team; their
	// number is the load, bounded by what one mediator can carry.
	Open     []string
	Closed   int
	Resolved int
	// Counted are the latest closed mediations counted in Closed; a case
	// closes once, and its write follows at once, so a short memory is
	// enough to recognise a repeated one.
	Counted []string
}

// maxCounted bounds Load.Counted.
const maxCounted = 64

// Share is what one mediation adds to one mediator's load.
type Share int

const (
	ShareNone Share = iota
	ShareOpen
	ShareClosed   // failed, referred on
	ShareResolved // closed, and resolved
)

// SharesOf maps each mediator of m's team to what m adds to their load.
func SharesOf(team []mediation.Member, status mediation.Status) map[string]Share {
	s := ShareNone
	switch status {
	case mediation.StatusOpen:
		s = ShareOpen
	case mediation.StatusResolved:
		s = ShareResolved
	case mediation.StatusFailed, mediation.StatusReferred:
		s = ShareClosed
	}
	out := make(map[string]Share, len(team))
	for _, m := range team {
		out[m.MediatorID] = s
	}
	return out
}

// Apply sets mediation id's share in the load and reports whether that
// changed it: idempotent, see Load.
func (l *Load) Apply(id string, s Share) bool {
	switch s {
	case ShareOpen:
		if slices.Contains(l.Open, id) {
			return false
		}
		l.Open = append(slices.Clone(l.Open), id)
		return true
	case ShareClosed, ShareResolved:
		changed := l.leave(id)
		if slices.Contains(l.Counted, id) {
			return changed
		}
		l.Closed++
		if s == ShareResolved {
			l.Resolved++
		}
		l.Counted = append(slices.Clone(l.Counted), id)
		if len(l.Counted) > maxCounted {
			l.Counted = l.Counted[len(l.Counted)-maxCounted:]
		}
		return true
	default:
		return l.leave(id)
	}
}

// leave takes mediation id out of the open ones, reporting whether it was.
func (l *Load) leave(id string) bool {
	if !slices.Contains(l.Open, id) {
		return false
	}
	l.Open = slices.DeleteFunc(slices.Clone(l.Open), func(x string) bool { return x == id })
	return true
}
