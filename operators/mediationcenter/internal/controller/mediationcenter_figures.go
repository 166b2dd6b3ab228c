package controller

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/go-logr/logr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/pkg/messaging"
)

// FiguresReader reads the compacted figures topic supervision writes
// (policy.TopicCountyFigures), keeps the latest figures per county, and wakes
// the county's MediationCenter so its status shows them. It runs on every
// replica (not only the leader), so a new leader has the figures at once.
type FiguresReader struct {
	// Cluster is the brokers and their SASL/TLS settings.
	Cluster messaging.Cluster
	Client  client.Reader
	// Retry is how long to wait before looking for the topic again.
	Retry time.Duration

	mu     sync.RWMutex
	latest map[string]policy.CountyFigures
	events chan event.GenericEvent
}

// NewFiguresReader returns a reader; add it to the manager and pass it to
// SetupWithManager.
func NewFiguresReader(cluster messaging.Cluster, c client.Reader) *FiguresReader {
	return &FiguresReader{Cluster: cluster, Client: c, Retry: 2 * time.Second,
		latest: map[string]policy.CountyFigures{}, events: make(chan event.GenericEvent, 64)}
}

// Figures returns the latest figures of a county.
func (f *FiguresReader) Figures(code string) (policy.CountyFigures, bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	v, ok := f.latest[code]
	return v, ok
}

// Source is the controller's event source for figure changes, enqueued by h.
func (f *FiguresReader) Source(h handler.TypedEventHandler[client.Object, reconcile.Request]) source.TypedSource[reconcile.Request] {
	return source.Channel(f.events, h)
}

// NeedLeaderElection is false: every replica keeps the figures warm.
func (f *FiguresReader) NeedLeaderElection() bool { return false }

// Start reads until ctx ends. It fails at once only when the cluster's SASL
// mechanism cannot be built.
func (f *FiguresReader) Start(ctx context.Context) error {
	reader, err := f.Cluster.TopicReader(policy.TopicCountyFigures)
	if err != nil {
		return fmt.Errorf("while setting up the figures reader's Kafka security: %w", err)
	}
	// The operator itself creates the topic on its first reconcile: until
	// then the reader looks for it every Retry.
	reader.Retry = f.Retry
	reader.Logger = slog.New(logr.ToSlogHandler(log.FromContext(ctx)))
	reader.Follow(ctx, nil, func(m messaging.Message) { f.apply(ctx, m) })
	return nil
}

func (f *FiguresReader) apply(ctx context.Context, m messaging.Message) {
	code := string(m.Key)
	if m.Value == nil {
		f.mu.Lock()
		delete(f.latest, code)
		f.mu.Unlock()
		return
	}
	fig, err := policy.DecodeFigures(m.Value)
	if err != nil {
		// A bad record is skipped, not retried: the next report replaces it.
		log.FromContext(ctx).Error(err, "skipping a figures record", "county", code, "offset", m.Offset)
		return
	}
	f.mu.Lock()
	f.latest[code] = fig
	f.mu.Unlock()
	f.wake(ctx, code)
}

// wake enqueues every MediationCenter of the county.
func (f *FiguresReader) wake(ctx context.Context, code string) {
	var list v1alpha1.MediationCenterList
	if err := f.Client.List(ctx, &list, client.MatchingFields{countyCodeField: code}); err != nil {
		log.FromContext(ctx).Error(fmt.Errorf("while listing county %s: %w", code, err), "cannot wake county")
		return
	}
	for i := range list.Items {
		select {
		case f.events <- event.GenericEvent{Object: &list.Items[i]}:
		case <-ctx.Done():
			return
		}
	}
}
