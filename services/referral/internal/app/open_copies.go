package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/telemetry"
	"fengqiao.dev/services/referral/internal/referral"
)

// OpenCopies holds in memory the copies awaiting signature, by slip, as
// the slips are written, so the open and overdue gauges read memory
// instead of every slip with a copy on a clock each time metrics are
// collected. It is exact when this process is the slips' only writer
// (FerretDB, under the writer lease): Load fills it from the store at
// start-up and every write through WithOpenCopies keeps it. A write whose
// outcome is unknown leaves its slip as it was until the slip's next
// write.
type OpenCopies struct {
	mu    sync.Mutex
	slips map[string][]awaitingCopy
}

// awaitingCopy is what the gauges need of a copy awaiting signature.
type awaitingCopy struct {
	county, kind string
	acceptBy     time.Time
	paused       bool
}

// NewOpenCopies is an empty OpenCopies.
func NewOpenCopies() *OpenCopies { return &OpenCopies{slips: map[string][]awaitingCopy{}} }

// Track records the copies of s awaiting signature, replacing what was
// recorded of it. Only a slip with a copy on a clock counts: a fully signed
// slip has no next check.
func (o *OpenCopies) Track(id string, s referral.Slip) {
	var awaiting []awaitingCopy
	if s.NextCheckAt != nil {
		for _, c := range s.Copies {
			if c.AcceptedAt == nil {
				awaiting = append(awaiting, awaitingCopy{county: s.CountyCode, kind: string(c.Recipient.Kind), acceptBy: c.AcceptBy, paused: c.Paused != nil})
			}
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(awaiting) == 0 {
		delete(o.slips, id)
		return
	}
	o.slips[id] = awaiting
}

// Load tracks every stored slip with a copy on a clock: a query of the
// whole collection, for start-up.
func (o *OpenCopies) Load(ctx context.Context, slips Slips) error {
	open, err := slips.Pending(ctx)
	if err != nil {
		return fmt.Errorf("while reading the slips with copies awaiting signature: %w", err)
	}
	for _, s := range open {
		o.Track(s.ID, s)
	}
	return nil
}

// Items counts the tracked copies per county and recipient agency kind,
// and those past their deadline at now.
func (o *OpenCopies) Items(now time.Time) []telemetry.ItemCount {
	o.mu.Lock()
	defer o.mu.Unlock()
	var tally copyTally
	for _, copies := range o.slips {
		for _, c := range copies {
			tally.add(c, now)
		}
	}
	return tally.items()
}

// trackedSlips is a slip repository whose every write keeps an
// OpenCopies.
type trackedSlips struct {
	Slips
	open *OpenCopies
}

func (t trackedSlips) Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[referral.Slip]) error) (referral.Slip, error) {
	s, err := t.Slips.Update(ctx, id, opts, decide)
	if err == nil {
		t.open.Track(id, s)
	}
	return s, err
}

// WithOpenCopies wraps the repository so that every write keeps open.
func WithOpenCopies(s Slips, open *OpenCopies) Slips { return trackedSlips{Slips: s, open: open} }
