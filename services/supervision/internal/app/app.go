// Package app holds supervision's use cases: projecting every event into its
// dispute's case file, and the queries the supervision API answers.
package app

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// CaseFiles is the case-file repository; *docstore.Collection satisfies it.
type CaseFiles interface {
	Get(ctx context.Context, id string) (casefile.CaseFile, error)
	Find(ctx context.Context, filter bson.D) ([]casefile.CaseFile, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[casefile.CaseFile]) error) (casefile.CaseFile, error)
}

// Errors the ports map to HTTP statuses.
var (
	ErrNotFound  = errors.New("not found")
	ErrForbidden = errors.New("forbidden")
)

// App bundles the use cases.
type App struct {
	CaseFiles CaseFiles
	Now       func() time.Time
}
