package app

import (
	"context"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/services/supervision/internal/casefile"
)

// overdueFiles are the case files of a county's open disputes that are
// overdue at now (casefile.Targets.Overdue): the disputes the KPIs' overdue
// figures count and list by unit. The caller has checked the county is
// the caller's to read.
func (a *App) overdueFiles(ctx context.Context, county string, now time.Time) ([]casefile.CaseFile, error) {
	files, err := a.CaseFiles.Find(ctx, bson.D{{Key: "county_code", Value: county}})
	if err != nil {
		return nil, err
	}
	t := a.Targets(county)
	return slices.DeleteFunc(files, func(f casefile.CaseFile) bool { return !t.Overdue(f, now) }), nil
}
