// Package precondition carries a request's If-Match from the HTTP layer to
// the one write of the record the request addresses, so a clerk who read a
// copy before a colleague signed it cannot act on it without seeing it
// first.
//
// A record's ETag is a digest of its state, not its document version:
// the outbox relay bumps the version when it publishes a write's events
// (pkg/outbox), so a version read just after a write would be stale a
// moment later though nothing a person sees changed. The server puts the
// tag a request expects into its context (With); the repository that
// writes the record takes it (Take) and, inside the version-checked
// load → decide → save, refuses the write (ErrStale) unless the loaded
// state still has that tag. The use cases in between need not know: none
// of their signatures changes.
package precondition

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"

	"fengqiao.dev/pkg/docstore"
)

// ETag is the entity-tag of a record's state. JSON, because it encodes
// map keys sorted: the same state always has the same tag.
func ETag(state any) string {
	b, err := json.Marshal(state)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

// ETagOf is the entity-tag of record id as get reads it: what a GET
// answers in ETag, for a later If-Match.
func ETagOf[S any](ctx context.Context, id string, get func(ctx context.Context, id string) (S, error)) (string, error) {
	s, err := get(ctx, id)
	if err != nil {
		return "", err
	}
	return ETag(s), nil
}

// Errors of a conditioned write.
var (
	ErrMalformed = errors.New(`If-Match must be one entity-tag as the ETag header gave it, or "*"`)
	ErrStale     = errors.New("the record is no longer in the state If-Match names")
)

// ParseIfMatch reads an If-Match header: the tag it names, or "" for "*"
// or no header (any state). A weak tag is returned as is and matches
// nothing, as If-Match compares strongly.
func ParseIfMatch(h string) (string, error) {
	h = strings.TrimSpace(h)
	switch {
	case h == "" || h == "*":
		return "", nil
	case strings.Contains(h, ","):
		return "", ErrMalformed
	case strings.HasPrefix(h, `W/"`) && strings.HasSuffix(h, `"`) && len(h) >= 4:
		return h, nil
	case !strings.HasPrefix(h, `"`) || !strings.HasSuffix(h, `"`) || len(h) < 2:
		return "", ErrMalformed
	}
	return h, nil
}

// Condition is the tag a request expects of the record id.
type Condition struct {
	ID, Tag string
	taken   atomic.Bool
}

type key struct{}

// With returns ctx carrying the condition that record id has tag.
func With(ctx context.Context, id, tag string) context.Context {
	return context.WithValue(ctx, key{}, &Condition{ID: id, Tag: tag})
}

// Take returns the tag the request expects of record id, once: the first
// write of the record is the one the client conditioned; a use case that
// writes it again builds on its own write.
func Take(ctx context.Context, id string) (string, bool) {
	c, ok := ctx.Value(key{}).(*Condition)
	if !ok || c.ID != id || !c.taken.CompareAndSwap(false, true) {
		return "", false
	}
	return c.Tag, true
}

// Guard is decide refusing, with ErrStale, a record whose state has not
// the tag the request's If-Match names, when the request addresses record
// id; decide itself otherwise. The comparison runs inside the write's
// load → decide → save, so no other writer comes between it and the write.
func Guard[S any](ctx context.Context, id string, decide func(*docstore.Change[S]) error) func(*docstore.Change[S]) error {
	tag, ok := Take(ctx, id)
	if !ok {
		return decide
	}
	return func(ch *docstore.Change[S]) error {
		if !ch.Exists || ETag(ch.State) != tag {
			return ErrStale
		}
		return decide(ch)
	}
}
