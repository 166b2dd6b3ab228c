package app

import (
	"context"
	"errors"

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

// UnitNames names the units of a county by its live policy, read each time
// a timeline is: a name the county sets or changes shows at once.
func (a *App) UnitNames(county string) casefile.UnitNames {
	return casefile.NamesFrom(a.policyOf(county))
}

// countyFiles reads every case file of a county the caller may read: its
// own, or one of its prefecture or province.
//
// Figures are computed in Go over the county's case files, not with an
// aggregation pipeline in the store: FerretDB v1's aggregation support is
// limited (embedded/limitations_test.go: a $group's second accumulator
// comes back 0), and a county's few thousand disputes a year are one
// indexed read. A busier county would keep running counters instead.
func (a *App) countyFiles(ctx context.Context, caller identity.Caller, county string) ([]casefile.CaseFile, error) {
	if !caller.Covers(county) {
		return nil, ErrOtherCounty
	}
	return a.CaseFiles.Find(ctx, bson.D{{Key: "county_code", Value: county}})
}

// inMonth keeps a month's registrations when month is set.
func inMonth(files []casefile.CaseFile, month *casefile.Month) []casefile.CaseFile {
	if month == nil {
		return files
	}
	return casefile.RegisteredIn(files, *month)
}

// CountyKPIs computes a county's figures now: all time, or the disputes
// registered in month.
func (a *App) CountyKPIs(ctx context.Context, caller identity.Caller, county string, month *casefile.Month) (casefile.KPIs, error) {
	files, err := a.countyFiles(ctx, caller, county)
	if err != nil {
		return casefile.KPIs{}, err
	}
	return casefile.ComputeFor(inMonth(files, month), a.Now().UTC(), a.Targets(county)), nil
}

// KPIsBy computes the figures of each township, village, grid, unit or
// officer of a county ("" collects the files that do not say).
func (a *App) KPIsBy(ctx context.Context, caller identity.Caller, county string, by casefile.Dimension, month *casefile.Month) (map[string]casefile.KPIs, error) {
	files, err := a.countyFiles(ctx, caller, county)
	if err != nil {
		return nil, err
	}
	out := map[string]casefile.KPIs{}
	t, now := a.Targets(county), a.Now().UTC()
	for key, fs := range casefile.GroupBy(inMonth(files, month), by) {
		out[key] = casefile.ComputeFor(fs, now, t)
	}
	return out, nil
}

// Unstaffed lists a county's open mediations whose seats nobody could
// fill, the longest waiting first.
func (a *App) Unstaffed(ctx context.Context, caller identity.Caller, county string) ([]casefile.UnstaffedMediation, error) {
	files, err := a.countyFiles(ctx, caller, county)
	if err != nil {
		return nil, err
	}
	return casefile.UnstaffedMediations(files), nil
}

// Warnings is a county's warning index for month at a level.
func (a *App) Warnings(ctx context.Context, caller identity.Caller, county string, level casefile.Dimension, month casefile.Month) ([]casefile.Warning, error) {
	files, err := a.countyFiles(ctx, caller, county)
	if err != nil {
		return nil, err
	}
	return casefile.WarningIndex(files, level, month, a.Now().UTC(), a.Targets(county), a.areas(county, level)), nil
}

// CountyStatistics are a county's lines of the statistics export for
// month.
func (a *App) CountyStatistics(ctx context.Context, caller identity.Caller, county string, month casefile.Month) ([]casefile.StatRow, error) {
	files, err := a.countyFiles(ctx, caller, county)
	if err != nil {
		return nil, err
	}
	return casefile.MonthStatistics(files, county, month), nil
}

// areas lists the areas of a level in the county's jurisdiction tree, so
// quiet ones are scored too; none without a policy.
func (a *App) areas(county string, level casefile.Dimension) []string {
	p := a.policyOf(county)
	if p == nil {
		return nil
	}
	// Case files are keyed by the division codes intake records (see
	// casefile.Dimension.Key); an area without a code in the tree is
	// listed by its ID and stays quiet.
	var out []string
	for _, t := range p.Jurisdiction {
		if level == casefile.ByTownship {
			out = append(out, codeOr(t.Code, t.ID))
		}
		for _, v := range t.Villages {
			if level == casefile.ByVillage {
				out = append(out, codeOr(v.Code, v.ID))
			}
			for _, g := range v.Grids {
				if level == casefile.ByGrid {
					out = append(out, codeOr(v.Code, v.ID)+"/"+g.ID)
				}
			}
		}
	}
	return out
}

func codeOr(code, id string) string {
	if code != "" {
		return code
	}
	return id
}
