package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// Publisher publishes messages; *messaging.Producer satisfies it.
type Publisher interface {
	Publish(ctx context.Context, msgs ...kafka.Message) error
}

// FiguresPublisher reports each county's live figures on
// policy.TopicCountyFigures (key: the county), where the operator shows them
// in the MediationCenter's status: whenever they change, and at least every
// Refresh even when they do not (so AsOf says the figures are current).
type FiguresPublisher struct {
	App     *App
	Out     Publisher
	Refresh time.Duration
	last    map[string]policy.CountyFigures
}

// PublishChanged computes every county's figures and publishes those that
// changed or are older than Refresh; it returns how many it published.
func (p *FiguresPublisher) PublishChanged(ctx context.Context) (int, error) {
	figures, err := p.App.LiveFigures(ctx)
	if err != nil {
		return 0, err
	}
	if p.last == nil {
		p.last = map[string]policy.CountyFigures{}
	}
	var msgs []kafka.Message
	var changed []policy.CountyFigures
	for _, f := range figures {
		county := f.CountyCode
		if last, ok := p.last[county]; ok && casefile.SameFigures(last, f) && f.AsOf.Sub(last.AsOf) < p.Refresh {
			continue
		}
		value, err := policy.EncodeFigures(f)
		if err != nil {
			return 0, err
		}
		msgs = append(msgs, kafka.Message{Topic: policy.TopicCountyFigures, Key: []byte(county), Value: value})
		changed = append(changed, f)
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	if err := p.Out.Publish(ctx, msgs...); err != nil {
		return 0, err
	}
	for _, f := range changed {
		p.last[f.CountyCode] = f
	}
	return len(msgs), nil
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
