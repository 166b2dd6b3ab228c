package app

import (
	"context"
	"time"

	"github.com/segmentio/kafka-go"
	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/api/policy"
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
	files, err := p.App.CaseFiles.Find(ctx, bson.D{})
	if err != nil {
		return 0, err
	}
	byCounty := map[string][]casefile.CaseFile{}
	for _, f := range files {
		byCounty[f.CountyCode] = append(byCounty[f.CountyCode], f)
	}
	if p.last == nil {
		p.last = map[string]policy.CountyFigures{}
	}
	now := p.App.Now().UTC()
	var msgs []kafka.Message
	var changed []policy.CountyFigures
	for county, fs := range byCounty {
		f := casefile.LiveFigures(county, fs, now, p.App.Targets(county))
		if last, ok := p.last[county]; ok && casefile.SameFigures(last, f) && now.Sub(last.AsOf) < p.Refresh {
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
