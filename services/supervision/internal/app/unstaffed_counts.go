package app

import (
	"context"
	"fmt"
	"sync"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// UnstaffedCounts holds in memory the county of every case file whose open
// mediation no mediator could take, as the case files are written, so the
// figures (every 30 s) and the gauges read memory instead of querying the
// case files, a read of every one on FerretDB. It is exact when this
// process is the case files' only writer (FerretDB, under the writer
// lease): Load fills it at start-up and every write through
// WithUnstaffedCounts keeps it. A write whose outcome is unknown leaves
// its case file as it was until its next write.
type UnstaffedCounts struct {
	mu       sync.Mutex
	counties map[string]string // case file ID → county
}

// NewUnstaffedCounts is an empty UnstaffedCounts.
func NewUnstaffedCounts() *UnstaffedCounts {
	return &UnstaffedCounts{counties: map[string]string{}}
}

// Track records cf as written.
func (u *UnstaffedCounts) Track(id string, cf casefile.CaseFile) {
	unstaffed := casefile.CountUnstaffed([]casefile.CaseFile{cf}) == 1
	u.mu.Lock()
	defer u.mu.Unlock()
	if !unstaffed {
		delete(u.counties, id)
		return
	}
	u.counties[id] = cf.CountyCode
}

// Load tracks the stored case files that ever waited for mediators: a
// query of the whole collection, for start-up.
func (u *UnstaffedCounts) Load(ctx context.Context, files CaseFiles) error {
	waited, err := files.Unstaffed(ctx)
	if err != nil {
		return fmt.Errorf("while reading the case files that waited for mediators: %w", err)
	}
	for _, cf := range waited {
		u.Track(cf.DisputeID, cf)
	}
	return nil
}

// ByCounty counts the tracked case files per county.
func (u *UnstaffedCounts) ByCounty() map[string]int {
	u.mu.Lock()
	defer u.mu.Unlock()
	counts := map[string]int{}
	for _, county := range u.counties {
		counts[county]++
	}
	return counts
}

// trackedCaseFiles is a case-file repository whose every write keeps an
// UnstaffedCounts.
type trackedCaseFiles struct {
	CaseFiles
	unstaffed *UnstaffedCounts
}

func (t trackedCaseFiles) Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[casefile.CaseFile]) error) (casefile.CaseFile, error) {
	cf, err := t.CaseFiles.Update(ctx, id, opts, decide)
	if err == nil {
		t.unstaffed.Track(id, cf)
	}
	return cf, err
}

// WithUnstaffedCounts wraps the repository so that every write keeps u.
func WithUnstaffedCounts(files CaseFiles, u *UnstaffedCounts) CaseFiles {
	return trackedCaseFiles{CaseFiles: files, unstaffed: u}
}
