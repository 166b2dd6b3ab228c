package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// FiguresPublisher reports each county's live figures on
// policy.TopicCountyFigures (key: the county), where the operator shows them
// in the MediationCenter's status: whenever they change, and at least every
// Refresh even when they do not (so AsOf says the figures are current).
//
// Like every other publication of the platform they go through the outbox:
// Reported holds, per county, the figures last reported, and the record
// reporting them is written in the same update, for the relay to publish.
// A report is therefore never lost to a broker outage, and a restarted
// service does not report again figures it reported already.
type FiguresPublisher struct {
	App      *App
	Reported *docstore.Collection[policy.CountyFigures]
	Refresh  time.Duration
	// last caches Reported, so an unchanged county costs no store round trip.
	last map[string]policy.CountyFigures
}

// PublishChanged computes every county's figures and reports those that
// changed or are older than Refresh; it returns how many it reported.
func (p *FiguresPublisher) PublishChanged(ctx context.Context) (int, error) {
	figures, err := p.App.LiveFigures(ctx)
	if err != nil {
		return 0, err
	}
	if p.last == nil {
		p.last = map[string]policy.CountyFigures{}
	}
	reported := 0
	for _, f := range figures {
		if last, ok := p.last[f.CountyCode]; ok && !p.due(last, f) {
			continue
		}
		sent, err := p.report(ctx, f)
		if err != nil {
			return reported, err
		}
		if sent {
			reported++
		}
	}
	return reported, nil
}

// due reports whether f must be reported when last was.
func (p *FiguresPublisher) due(last, f policy.CountyFigures) bool {
	return !casefile.SameFigures(last, f) || f.AsOf.Sub(last.AsOf) >= p.Refresh
}

// report stores f as its county's reported figures, with the record
// reporting it, unless the stored ones make it needless; it reports
// whether a record was queued.
func (p *FiguresPublisher) report(ctx context.Context, f policy.CountyFigures) (bool, error) {
	value, err := policy.EncodeFigures(f)
	if err != nil {
		return false, err
	}
	now := p.App.Now()
	sent := false
	stored, err := p.Reported.Update(ctx, f.CountyCode, docstore.Options{Create: true}, func(ch *docstore.Change[policy.CountyFigures]) error {
		sent = false
		if ch.Exists && !p.due(ch.State, f) {
			return docstore.ErrNoChange
		}
		e, err := outbox.NewRecord(ctx, policy.TopicCountyFigures, "supervision", policy.TypeCountyFigures, f.CountyCode, value, now)
		if err != nil {
			return err
		}
		ch.State = f
		ch.Emit(e)
		sent = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("while reporting the figures of county %s: %w", f.CountyCode, err)
	}
	p.last[f.CountyCode] = stored
	return sent, nil
}

// LiveFigures computes every county's live figures (open, overdue,
// resolution rate) as of the app's clock: what the operator shows in each
// MediationCenter's status and the open/overdue gauges report. They come
// from the counties' tallies, kept as the case files change: per county the
// tally and the due index's slots of the current hour and second, so the
// cost does not grow with the disputes stored. A county whose resolution
// deadlines changed has its tally rebuilt first.
func (a *App) LiveFigures(ctx context.Context) ([]policy.CountyFigures, error) {
	if a.Tallies == nil {
		return a.liveFiguresFromCaseFiles(ctx)
	}
	tallies, err := a.Tallies.All(ctx)
	if err != nil {
		return nil, err
	}
	unstaffed, err := a.unstaffedByCounty(ctx)
	if err != nil {
		return nil, err
	}
	now := a.Now().UTC()
	out := make([]policy.CountyFigures, 0, len(tallies))
	for _, t := range tallies {
		if t.CountyCode == "" {
			continue // the document saying they were built
		}
		f, err := a.countyFigures(ctx, t, now)
		if err != nil {
			return nil, err
		}
		f.UnstaffedMediations = unstaffed[t.CountyCode]
		out = append(out, f)
	}
	return out, nil
}

// unstaffedByCounty counts each county's open mediations no mediator could
// take: from memory with UnstaffedCounts, else reading the case files that ever
// waited for mediators (the tallies do not keep this count).
func (a *App) unstaffedByCounty(ctx context.Context) (map[string]int, error) {
	if a.UnstaffedCounts != nil {
		return a.UnstaffedCounts.ByCounty(), nil
	}
	files, err := a.CaseFiles.Unstaffed(ctx)
	if err != nil {
		return nil, fmt.Errorf("while reading the case files that waited for mediators: %w", err)
	}
	byCounty := map[string][]casefile.CaseFile{}
	for _, f := range files {
		byCounty[f.CountyCode] = append(byCounty[f.CountyCode], f)
	}
	counts := make(map[string]int, len(byCounty))
	for county, fs := range byCounty {
		counts[county] = casefile.CountUnstaffed(fs)
	}
	return counts, nil
}

// countyFigures are one county's figures at now from its tally.
func (a *App) countyFigures(ctx context.Context, t casefile.Tally, now time.Time) (policy.CountyFigures, error) {
	if !t.Follows(a.Targets(t.CountyCode)) {
		if err := a.rebuildTally(ctx, t.CountyCode, a.Log); err != nil {
			return policy.CountyFigures{}, err
		}
		var err error
		if t, err = a.Tallies.Get(ctx, t.CountyCode); err != nil {
			return policy.CountyFigures{}, fmt.Errorf("while reading the rebuilt figures of %s: %w", t.CountyCode, err)
		}
	}
	hour, err := a.dueSlot(ctx, t.HourSlotID(now))
	if err != nil {
		return policy.CountyFigures{}, err
	}
	second, err := a.dueSlot(ctx, t.SecondSlotID(now))
	if err != nil {
		return policy.CountyFigures{}, err
	}
	return t.Figures(t.CountyCode, now, hour, second), nil
}

// dueSlot reads one slot of the due index; a slot never written is empty.
func (a *App) dueSlot(ctx context.Context, id string) (casefile.DueSlot, error) {
	s, err := a.DueSlots.Get(ctx, id)
	if errors.Is(err, docstore.ErrNotFound) {
		return casefile.DueSlot{}, nil
	}
	if err != nil {
		return casefile.DueSlot{}, fmt.Errorf("while reading the figures' due index: %w", err)
	}
	return s, nil
}

// liveFiguresFromCaseFiles computes the live figures from every case file.
func (a *App) liveFiguresFromCaseFiles(ctx context.Context) ([]policy.CountyFigures, error) {
	files, err := a.CaseFiles.All(ctx)
	if err != nil {
		return nil, err
	}
	byCounty := map[string][]casefile.CaseFile{}
	for _, f := range files {
		byCounty[f.CountyCode] = append(byCounty[f.CountyCode], f)
	}
	now := a.Now().UTC()
	out := make([]policy.CountyFigures, 0, len(byCounty))
	for county, fs := range byCounty {
		out = append(out, casefile.LiveFigures(county, fs, now, a.Targets(county)))
	}
	return out, nil
}
