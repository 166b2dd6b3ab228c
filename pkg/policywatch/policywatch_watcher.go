package policywatch

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/segmentio/kafka-go/sasl"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/messaging"
)

// Config configures a Watcher.
type Config struct {
	// Brokers are the Kafka bootstrap addresses.
	Brokers []string
	// Topic defaults to events.TopicPolicy.
	Topic string
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// MaxWait bounds how long a fetch waits for new records; it is also the
	// worst-case delay of a change. Default 500 ms.
	MaxWait time.Duration
	// Retry is the pause after an error (topic missing, broker down).
	// Default 1 s.
	Retry time.Duration
	// SASL and TLS secure the connections, as for every other client of
	// the cluster (messaging.Cluster); nil for a plaintext broker.
	SASL sasl.Mechanism
	TLS  *tls.Config
}

// Change is one county's policy changing. Policy is nil when the county was
// retired; Previous is nil when the county is new.
type Change struct {
	County   string
	Policy   *policy.CountyPolicy
	Previous *policy.CountyPolicy
}

// Watcher holds the latest policy per county.
type Watcher struct {
	cfg Config

	mu        sync.RWMutex
	policies  map[string]*policy.CountyPolicy
	listeners map[int]func(Change)
	nextID    int

	ready     chan struct{}
	readyOnce sync.Once
}

// New returns a Watcher; call Run to start it.
func New(cfg Config) *Watcher {
	if cfg.Topic == "" {
		cfg.Topic = events.TopicPolicy
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxWait == 0 {
		cfg.MaxWait = 500 * time.Millisecond
	}
	if cfg.Retry == 0 {
		cfg.Retry = time.Second
	}
	return &Watcher{cfg: cfg, policies: map[string]*policy.CountyPolicy{},
		listeners: map[int]func(Change){}, ready: make(chan struct{})}
}

// Policy returns the current policy of a county. The value is shared: do
// not modify it.
func (w *Watcher) Policy(countyCode string) (*policy.CountyPolicy, bool) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	p, ok := w.policies[countyCode]
	return p, ok
}

// Counties lists the counties with a policy, sorted.
func (w *Watcher) Counties() []string {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]string, 0, len(w.policies))
	for c := range w.policies {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// OnChange registers fn to be called after each change, in topic order for
// a county, from the Watcher's reading goroutine: fn must be quick and must
// not call OnChange. The returned func unregisters it.
func (w *Watcher) OnChange(fn func(Change)) (cancel func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	id := w.nextID
	w.nextID++
	w.listeners[id] = fn
	return func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		delete(w.listeners, id)
	}
}

// Ready is closed once the Watcher has read everything the topic held when
// it started.
func (w *Watcher) Ready() <-chan struct{} { return w.ready }

// WaitReady waits for Ready or for ctx to end.
func (w *Watcher) WaitReady(ctx context.Context) error {
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("while waiting for the policy topic %s: %w", w.cfg.Topic, ctx.Err())
	}
}

// Run reads the topic until ctx ends; it returns nil then. It waits for the
// topic to exist, and rides out broker outages.
func (w *Watcher) Run(ctx context.Context) error {
	reader := &messaging.TopicReader{
		Brokers: w.cfg.Brokers, Topic: w.cfg.Topic, SASL: w.cfg.SASL, TLS: w.cfg.TLS,
		MaxWait: w.cfg.MaxWait, Retry: w.cfg.Retry, Logger: w.cfg.Logger,
	}
	reader.Follow(ctx, func() { w.readyOnce.Do(func() { close(w.ready) }) }, w.apply)
	return nil
}

// Load reads the topic once, from its first offset to where it ends now,
// instead of following it: for a one-off job (a replay) that needs the
// policies the service would start with. A topic that does not exist
// holds no policy.
func (w *Watcher) Load(ctx context.Context) error {
	reader := &messaging.TopicReader{
		Brokers: w.cfg.Brokers, Topic: w.cfg.Topic, SASL: w.cfg.SASL, TLS: w.cfg.TLS,
		MaxWait: w.cfg.MaxWait, Retry: w.cfg.Retry, Logger: w.cfg.Logger,
	}
	err := reader.ReadToEnd(ctx, func(batch []messaging.Message) error {
		for _, m := range batch {
			w.apply(m)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("while reading the policy topic %s: %w", w.cfg.Topic, err)
	}
	w.readyOnce.Do(func() { close(w.ready) })
	return nil
}
