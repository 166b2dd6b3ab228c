package app

import (
	"context"
	"fmt"
	"sync"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/telemetry"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// OpenMediations holds in memory the open mediations' counties and whether
// their team has a gap, as the mediations are written, so the gauges read
// memory instead of every open mediation each time metrics are collected.
// It is exact when this process is the mediations' only writer (FerretDB,
// under the writer lease): Load fills it from the store at start-up and
// every write through WithOpenMediations keeps it. A write whose outcome
// is unknown leaves its mediation as it was until its next write.
type OpenMediations struct {
	mu   sync.Mutex
	open map[string]mediation.Mediation // only CountyCode and TeamGaps
}

// NewOpenMediations is an empty OpenMediations.
func NewOpenMediations() *OpenMediations {
	return &OpenMediations{open: map[string]mediation.Mediation{}}
}

// Track records m as written.
func (o *OpenMediations) Track(id string, m mediation.Mediation) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !m.IsOpen() {
		delete(o.open, id)
		return
	}
	o.open[id] = mediation.Mediation{CountyCode: m.CountyCode, TeamGaps: m.TeamGaps}
}

// Load tracks every stored open mediation: a query of the whole
// collection, for start-up.
func (o *OpenMediations) Load(ctx context.Context, mediations Mediations) error {
	open, err := mediations.Open(ctx)
	if err != nil {
		return fmt.Errorf("while reading the open mediations: %w", err)
	}
	for _, m := range open {
		o.Track(m.ID, m)
	}
	return nil
}

// Items counts the open mediations and those with a team gap per county.
func (o *OpenMediations) Items() []telemetry.ItemCount {
	o.mu.Lock()
	open := make([]mediation.Mediation, 0, len(o.open))
	for _, m := range o.open {
		open = append(open, m)
	}
	o.mu.Unlock()
	return countItems(open)
}

// trackedMediations is a mediation repository whose every write keeps an
// OpenMediations.
type trackedMediations struct {
	Mediations
	open *OpenMediations
}

func (t trackedMediations) Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[mediation.Mediation]) error) (mediation.Mediation, error) {
	m, err := t.Mediations.Update(ctx, id, opts, decide)
	if err == nil {
		t.open.Track(id, m)
	}
	return m, err
}

// WithOpenMediations wraps the repository so that every write keeps open.
func WithOpenMediations(m Mediations, open *OpenMediations) Mediations {
	return trackedMediations{Mediations: m, open: open}
}
