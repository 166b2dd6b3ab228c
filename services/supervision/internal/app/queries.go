package app

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// CaseFile returns a dispute's case file if it belongs to the caller's
// county. Another county's dispute is reported missing, not forbidden: even
// its existence is not the caller's business.
func (a *App) CaseFile(ctx context.Context, caller identity.Caller, disputeID string) (casefile.CaseFile, error) {
	cf, err := a.CaseFiles.Get(ctx, disputeID)
	if errors.Is(err, docstore.ErrNotFound) || (err == nil && cf.CountyCode != caller.County) {
		return casefile.CaseFile{}, ErrNotFound
	}
	return cf, err
}

// CountyKPIs computes a county's figures now. A caller reads only their own
// county's figures.
//
// The figures are computed here in Go over every case file of the county,
// not with an aggregation pipeline in the store: FerretDB v1's aggregation
// support is limited (embedded/limitations_test.go: a $group's second
// accumulator comes back 0), and at skeleton scale — a county's few thousand
// disputes a year — one indexed read is cheap. A busier county would keep
// running counters updated with each projection instead.
func (a *App) CountyKPIs(ctx context.Context, caller identity.Caller, county string) (casefile.KPIs, error) {
	if county != caller.County {
		return casefile.KPIs{}, fmt.Errorf("%w: the figures of county %s are not yours to read", ErrForbidden, county)
	}
	files, err := a.CaseFiles.Find(ctx, bson.D{{Key: "county_code", Value: county}})
	if err != nil {
		return casefile.KPIs{}, err
	}
	return casefile.Compute(files, a.Now().UTC()), nil
}
