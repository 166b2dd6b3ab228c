// Package app holds supervision's use cases: projecting every event into its
// dispute's case file, the queries the supervision API answers (KPIs, the
// daily ledger, the warning index, the statistics export), the committee's
// supervision actions, and the live figures published to the operator.
package app

import (
	"context"
	"errors"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/supervision/internal/actions"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// CaseFiles is the case-file repository; adapters.CaseFiles implements it
// on the store. Its queries return case files oldest first.
type CaseFiles interface {
	Get(ctx context.Context, id string) (casefile.CaseFile, error)
	// All is every case file.
	All(ctx context.Context) ([]casefile.CaseFile, error)
	// InCounty is the case files of a county.
	InCounty(ctx context.Context, county string) ([]casefile.CaseFile, error)
	// Unstaffed is the case files whose dispute ever waited for mediators.
	Unstaffed(ctx context.Context) ([]casefile.CaseFile, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[casefile.CaseFile]) error) (casefile.CaseFile, error)
}

// Actions is the repository of the committee's supervision actions;
// adapters.Actions implements it on the store.
type Actions interface {
	Get(ctx context.Context, id string) (actions.Supervised, error)
	// WatchedIn is the actions of a county's watched disputes, oldest
	// first.
	WatchedIn(ctx context.Context, county string) ([]actions.Supervised, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[actions.Supervised]) error) (actions.Supervised, error)
}

// Errors the ports map to HTTP statuses.
var (
	// ErrOtherCounty: the figures asked for are of a county not the
	// caller's, answered like a missing record (docs/security.md).
	ErrOtherCounty = errors.New("not the caller's county")
)

// App bundles the use cases.
type App struct {
	CaseFiles CaseFiles
	// Tallies are each county's running figures, kept as case files
	// change; nil computes the figures from every case file.
	Tallies Tallies
	// DueSlots are the due index below the tallies; set with Tallies.
	DueSlots DueSlots
	// Sums are each county's counts behind its KPIs and statistics, all
	// time and by registration month, kept as case files change, which
	// the figures of prefectures and provinces add up; set with Tallies.
	Sums SumsStore
	// KeySums are each county's sums by township, village, grid, unit
	// and officer, which the county's breakdowns and warning index read;
	// UnstaffedLists each county's unstaffed mediations. Both are kept as
	// case files change; set with Sums.
	KeySums        docstore.Documents[casefile.KeySums]
	UnstaffedLists docstore.Documents[casefile.UnstaffedList]
	// Obligations is the index of what each county owes and discharged
	// (casefile.FiledObligations), kept as case files change, which the
	// daily ledger and the overdue lists read; nil reads every case file.
	Obligations *queueindex.Index
	// ObligationCounts are the counts of the index's owed obligations and
	// of each county's overdue disputes by week (counts.go), which the
	// ledger's and the figures' overdue counts read; set with
	// Obligations, nil reads the entries instead.
	ObligationCounts docstore.Documents[casefile.ObligationCounts]
	// UnstaffedCounts, when set, is what the figures count the unstaffed
	// mediations from (unstaffed_counts.go); CaseFiles must then be
	// wrapped by WithUnstaffedCounts over it.
	UnstaffedCounts *UnstaffedCounts
	Actions         Actions
	Now             func() time.Time
	// Policy returns a county's live policy, nil when it has none.
	Policy func(county string) *policy.CountyPolicy
	// Log reports rebuilds of the tallies; nil reports nothing.
	Log *slog.Logger

	// counting is held for reading by each projection and for writing by
	// a rebuild of a tally, so a rebuild reads case files no projection
	// is between writing and counting. The writer lease keeps one
	// process projecting at a time, so a lock in process suffices.
	counting sync.RWMutex
	// disputes serialises the projections of one dispute's events, which
	// arrive on several topics read side by side: the obligations index
	// moves by each change's entries before and after, which do not
	// commute, so a later change's move must not land before an earlier
	// one's (the tally and sums, counts that commute, do not need it).
	disputes [disputeStripes]sync.Mutex
	// filed remembers, by county, the deadlines its overdue disputes are
	// recorded as filed under (counts.go), so a change reads the record
	// once.
	filed sync.Map
}

// disputeStripes is how many locks the disputes share: enough that
// unrelated disputes rarely wait on each other.
const disputeStripes = 256

// disputeLock is the lock of the dispute keyed key.
func (a *App) disputeLock(key string) *sync.Mutex {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return &a.disputes[h.Sum32()%disputeStripes]
}

func (a *App) policyOf(county string) *policy.CountyPolicy {
	if a.Policy == nil {
		return nil
	}
	return a.Policy(county)
}

// Targets are a county's targets at this moment.
func (a *App) Targets(county string) casefile.Targets {
	return casefile.TargetsFrom(a.policyOf(county))
}
