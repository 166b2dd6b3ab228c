// Package actions is what the political-legal committee does about a
// dispute (督办): its urges to the responsible unit, with their read
// receipts, and the county's watch list. These are the committee's own
// records, not a projection of the event log: a replay leaves them alone.
// Plain Go, no I/O; time is always an input.
package actions

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Supervised is what the committee did about one dispute.
type Supervised struct {
	DisputeID  string
	CountyCode string
	Urges      []Urge
	Watched    bool
	WatchedBy  string
	WatchedAt  *time.Time
}

// Urge is one urge (督办) with its read receipt.
type Urge struct {
	ID      string
	Comment string
	By      string
	At      time.Time
	ReadBy  string
	ReadAt  *time.Time
}

// MaxComment is the longest comment of an urge, in characters.
const MaxComment = 500

// ErrComment: an urge says what is expected, in 1 to MaxComment
// characters.
var ErrComment = fmt.Errorf("an urge needs a comment of 1 to %d characters", MaxComment)

// ErrNoSuchUrge: the urge named is not on the dispute.
var ErrNoSuchUrge = errors.New("no such urge")

// Comment is comment as an urge keeps it, without surrounding spaces, or
// ErrComment.
func Comment(comment string) (string, error) {
	comment = strings.TrimSpace(comment)
	if comment == "" || len([]rune(comment)) > MaxComment {
		return "", ErrComment
	}
	return comment, nil
}

// Of says whose actions these are: the dispute and the county acting on
// it.
func (s *Supervised) Of(disputeID, county string) {
	s.DisputeID, s.CountyCode = disputeID, county
}

// Urge adds an urge of by at at, named after the urges before it, and
// returns it.
func (s *Supervised) Urge(comment, by string, at time.Time) Urge {
	u := Urge{ID: fmt.Sprintf("u%d", len(s.Urges)+1), Comment: comment, By: by, At: at}
	s.Urges = append(s.Urges, u)
	return u
}

// Read records the read receipt of the urge id: only the first reader's
// and when; ErrNoSuchUrge when the dispute has no such urge.
func (s *Supervised) Read(id, by string, at time.Time) error {
	i := slices.IndexFunc(s.Urges, func(u Urge) bool { return u.ID == id })
	if i < 0 {
		return ErrNoSuchUrge
	}
	if s.Urges[i].ReadAt == nil {
		s.Urges[i].ReadBy, s.Urges[i].ReadAt = by, &at
	}
	return nil
}

// Watch puts the dispute on the watch list (on) by by at at, or takes it
// off, forgetting who put it there.
func (s *Supervised) Watch(on bool, by string, at time.Time) {
	s.Watched, s.WatchedBy, s.WatchedAt = on, "", nil
	if on {
		s.WatchedBy, s.WatchedAt = by, &at
	}
}
