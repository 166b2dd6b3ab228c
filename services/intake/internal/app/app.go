// Package app holds intake's use cases: one file per command or query, each
// load → decide (package dispute) → save in one document write.
package app

import (
	"context"
	"errors"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/intake/internal/dispute"
)

// Disputes is the dispute repository; *docstore.Collection satisfies it.
type Disputes interface {
	Get(ctx context.Context, id string) (dispute.Dispute, error)
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
}
