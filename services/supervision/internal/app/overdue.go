package app

import (
	"context"
	"slices"
	"time"

	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// overdueFiles are the case files of a county's open disputes that are
// overdue at now (casefile.Targets.Overdue): the disputes the KPIs' overdue
// figures count and list by unit. The caller has checked the county is
// the caller's to read.
//
// The obligations index names them (its copies and disputes to settle due
// before now), so this reads the overdue case files by _id, a few at a
// time, never the county's others. Each is checked again, since the index
// follows the case files' writes and may lag one by a crash.
func (a *App) overdueFiles(ctx context.Context, county string, now time.Time) ([]casefile.CaseFile, error) {
	t := a.Targets(county)
	var files []casefile.CaseFile
	if a.Obligations == nil {
		var err error
		if files, err = a.CaseFiles.InCounty(ctx, county); err != nil {
			return nil, err
		}
	} else {
		ids, err := a.overdueDisputes(ctx, county, now)
		if err != nil {
			return nil, err
		}
		if files, err = queueindex.Load(ctx, ids, a.CaseFiles.Get); err != nil {
			return nil, err
		}
	}
	return slices.DeleteFunc(files, func(f casefile.CaseFile) bool { return f.CountyCode != county || !t.Overdue(f, now) }), nil
}

// overdueCases are the county's open disputes overdue at now, read from
// the obligations index's entries alone (copies to sign and disputes to
// settle due before now, which carry each dispute's case code, keys and
// registration month): a read of what is overdue, never of a case file.
// Like the tally, the index follows each case file's write; a crash
// between the two leaves it behind until the dispute's next change.
func (a *App) overdueCases(ctx context.Context, county string, now time.Time) ([]casefile.OverdueCase, error) {
	if a.Obligations == nil {
		files, err := a.overdueFiles(ctx, county, now)
		if err != nil {
			return nil, err
		}
		out := make([]casefile.OverdueCase, len(files))
		for i, f := range files {
			out[i] = casefile.OverdueCaseOf(f)
		}
		return out, nil
	}
	filed, err := a.readSpans(ctx, casefile.OverdueDisputeSpans(county, now, a.Targets(county)))
	if err != nil {
		return nil, err
	}
	return casefile.OverdueCases(filed), nil
}
