// Package matching proposes mediators for a case, "点单式" (Jiuquan's
// expert pool; 110's "most suitable officer", Ganzhou): by the
// category's skills, the tier, current load, place and past success, with
// the reasons shown so the parties and the room can see why. A party's
// objection (conflict of interest) excludes a mediator; a party's preferred
// mediator is honoured where possible. Plain Go, no I/O.
package matching

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/roster"
)

// Stats is a mediator's record: cases open now, and cases closed and how
// many of those were resolved.
type Stats struct {
	Open     int
	Closed   int
	Resolved int
}

// Request is one matching question.
type Request struct {
	Category  policy.Category
	Tier      policy.Tier
	Township  string
	Now       time.Time
	Members   []roster.Member
	Stats     map[string]Stats  // by mediator ID
	Excluded  map[string]string // mediator ID → why (a party's objection)
	Preferred []string          // mediator IDs a party asked for
}

// Proposal is one proposed mediator, its score and the reasons for it.
type Proposal struct {
	MediatorID string
	Agency     string
	Role       policy.MediatorRole
	Score      int
	Load       int
	Reasons    []string
}

// The weights of a proposal's score. A preferred mediator outweighs every
// other reason: the party's choice is honoured whenever the mediator can
// take the case at all.
const (
	weightSkill     = 40
	weightPlace     = 20
	weightCountyWid = 10
	weightLoad      = 20
	weightSuccess   = 20
	weightOnDuty    = 5
	weightPreferred = 100
)

// Propose ranks the eligible mediators of the given roles, best first. A
// mediator is eligible at the request's tier, below capacity and not
// objected to.
func Propose(req Request, roles ...policy.MediatorRole) []Proposal {
	var out []Proposal
	for _, m := range req.Members {
		if !slices.Contains(roles, m.Role) || Unavailable(req, m) != "" {
			continue
		}
		out = append(out, score(req, m))
	}
	slices.SortStableFunc(out, func(a, b Proposal) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		if a.Load != b.Load {
			return a.Load - b.Load
		}
		return strings.Compare(a.MediatorID, b.MediatorID)
	})
	return out
}

// Unavailable says why m cannot take the case, or "" if it can.
func Unavailable(req Request, m roster.Member) string {
	switch {
	case m.Tier != req.Tier:
		return fmt.Sprintf("mediates at tier %d, the case is at tier %d", m.Tier, req.Tier)
	case req.Excluded[m.ID] != "":
		return "objected to by a party: " + req.Excluded[m.ID]
	case req.Stats[m.ID].Open >= m.Capacity:
		return fmt.Sprintf("at capacity (%d/%d open cases)", req.Stats[m.ID].Open, m.Capacity)
	}
	return ""
}

func score(req Request, m roster.Member) Proposal {
	p := Proposal{MediatorID: m.ID, Agency: m.Agency, Role: m.Role, Load: req.Stats[m.ID].Open}
	add := func(points int, reason string) { p.Score += points; p.Reasons = append(p.Reasons, reason) }
	if slices.Contains(req.Preferred, m.ID) {
		add(weightPreferred, "preferred by a party")
	}
	if m.Skilled(req.Category) {
		add(weightSkill, "skilled in "+string(req.Category))
	}
	switch {
	case m.Township != "" && m.Township == req.Township:
		add(weightPlace, "serves township "+req.Township)
	case m.Township == "":
		add(weightCountyWid, "serves the whole county")
	}
	s := req.Stats[m.ID]
	add(weightLoad*(m.Capacity-s.Open)/m.Capacity, fmt.Sprintf("load %d/%d", s.Open, m.Capacity))
	// Laplace's rule: a newcomer counts as 50%, so a short record neither
	// crowns nor buries anyone.
	add(weightSuccess*(s.Resolved+1)/(s.Closed+2), fmt.Sprintf("resolved %d of %d closed cases", s.Resolved, s.Closed))
	if m.OnDuty(req.Now) {
		add(weightOnDuty, "on duty now")
	}
	return p
}
