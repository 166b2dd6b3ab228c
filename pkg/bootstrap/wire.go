package bootstrap

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/audit"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/dueindex"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/queueindex"
)

// Constructor is a service's New: it wires the service on cfg, serving
// nothing yet; Run on the result serves it.
type Constructor = func(ctx context.Context, cfg config.Common, log *slog.Logger) (*Service, error)

// Wire returns the constructor of the service called name whose own part
// is wire: New builds the plumbing, then wire adds the service's
// collections, routes, subscriptions and tasks. When wire fails, everything
// New opened is closed, so wire only returns its error.
func Wire(name string, wire func(ctx context.Context, svc *Service) error) Constructor {
	return func(ctx context.Context, cfg config.Common, log *slog.Logger) (*Service, error) {
		svc, err := New(ctx, name, cfg, log)
		if err != nil {
			return nil, err
		}
		if err := wire(ctx, svc); err != nil {
			svc.Close()
			return nil, err
		}
		return svc, nil
	}
}

// Serve builds the service with newService and serves it until ctx is
// cancelled: the body of every service's Run.
func Serve(ctx context.Context, cfg config.Common, log *slog.Logger, newService Constructor) error {
	svc, err := newService(ctx, cfg, log)
	if err != nil {
		return err
	}
	return svc.Run(ctx)
}

// Clock is the clock option now, or time.Now when a service's options
// leave it nil (production).
func Clock(now func() time.Time) func() time.Time {
	if now == nil {
		return time.Now
	}
	return now
}

// Interval is the interval option d, or def when a service's options
// leave it zero (production) or negative.
func Interval(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// IndexedCollection is Collection with the store's indexes on fields
// ensured.
func IndexedCollection[S any](ctx context.Context, s *Service, name string, fields ...string) (*docstore.Collection[S], error) {
	c := Collection[S](s, name)
	if err := c.EnsureIndexes(ctx, fields...); err != nil {
		return nil, err
	}
	return c, nil
}

// MappedCollection is IndexedCollection for an aggregate of the service's
// domain kept through its adapter's storage model D (docstore.Mapped): the
// relay publishes its outbox as Collection's, and fields name D's fields.
func MappedCollection[S, D any](ctx context.Context, s *Service, name string, toDocument func(S) D, fromDocument func(D) S, fields ...string) (*docstore.Collection[S], error) {
	coll := s.DB.Collection(s.Name + "." + name)
	s.colls = append(s.colls, coll)
	c := docstore.Mapped(coll, nil, toDocument, fromDocument).NotifyPending(s.relay.Pending)
	if err := c.EnsureIndexes(ctx, fields...); err != nil {
		return nil, err
	}
	return c, nil
}

// MappedDocuments is Documents for documents kept through a storage model
// of the service's adapter (docstore.Mapped).
func MappedDocuments[S, D any](s *Service, name string, toDocument func(S) D, fromDocument func(D) S) *docstore.Collection[S] {
	return docstore.Mapped(s.DB.Collection(s.Name+"."+name), nil, toDocument, fromDocument)
}

// Documents returns a collection of the service whose documents have no
// outbox (an index, a counter, the loads of a roster): the relay has
// nothing to publish from it, so it does not watch it.
func Documents[S any](s *Service, name string) *docstore.Collection[S] {
	return docstore.New[S](s.DB.Collection(s.Name+"."+name), nil)
}

// DueIndex returns the due index kept in the service's collection name.
func (s *Service) DueIndex(name string) *dueindex.Index {
	return dueindex.New(Documents[dueindex.Entry](s, name))
}

// Queues returns the index of the service's work queues (docs/work-queues.md),
// kept in its "queues" collection; it remembers what it listed when this
// process is the only writer.
func (s *Service) Queues() *queueindex.Index {
	return &queueindex.Index{Docs: Documents[queueindex.Doc](s, "queues"), OnlyWriter: s.SingleWriter()}
}

// AuditTrail is where the service records who saw or changed personal
// data: one hash chain per county, whose records the relay publishes on the
// audit topic. No service consumes that topic, so it is created here.
func (s *Service) AuditTrail(ctx context.Context) (*audit.Store, error) {
	if err := messaging.EnsureTopics(ctx, s.Cluster, events.TopicAudit); err != nil {
		return nil, fmt.Errorf("while creating the audit topic: %w", err)
	}
	return audit.NewStore(s.Name, Collection[audit.HeadState](s, "audit_heads"), s.DB.Collection(s.Name+".audit_records")), nil
}

// Counted adapts a sweep that reports how much it did to a periodic task
// (Every, EveryIndexed), which only reports whether it failed.
func Counted[N any](sweep func(context.Context) (N, error)) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := sweep(ctx)
		return err
	}
}

// Reseal is a service's re-seal job (docs/privacy.md, key rotation): it
// refuses to run without the key records are moved to (key, read from the
// environment variable keyEnv), starts the service's plumbing beside the
// serving instances, has reseal seal again the records (what) still under
// an old key, logs how many and the key they are under now, and exits.
func Reseal(name, keyEnv string, key []byte, what string, reseal func(ctx context.Context, svc *Service) (n int, keyID string, err error)) func(context.Context, config.Common, *slog.Logger) error {
	return func(ctx context.Context, cfg config.Common, log *slog.Logger) error {
		if len(key) == 0 {
			return fmt.Errorf("%s is required: it is the key the %s are moved to", keyEnv, what)
		}
		svc, err := New(ctx, name, cfg, log)
		if err != nil {
			return err
		}
		defer svc.Close()
		n, keyID, err := reseal(ctx, svc)
		if err != nil {
			return err
		}
		svc.Log.Info("re-sealed the "+what+" still under an old key", "resealed", n, "key_id", keyID)
		return nil
	}
}

// SweepOptions are what a test or an embedding may change in a service
// whose sweeper looks for what came due; the zero value is production's.
type SweepOptions struct {
	// Now is the clock every decision reads (time.Now when nil): tests
	// move it to pass a deadline without waiting.
	Now func() time.Time
	// SweepEvery is the sweeper's cadence (the service's default when
	// zero).
	SweepEvery time.Duration
}

// Sweeping returns the NewWith of the service called name whose sweeper
// runs every sweepEvery by default: each constructor it returns wires the
// service with wire (see Wire), given the clock and the cadence its
// options resolve to.
func Sweeping(name string, sweepEvery time.Duration, wire func(ctx context.Context, svc *Service, now func() time.Time, sweepEvery time.Duration) error) func(SweepOptions) Constructor {
	return func(o SweepOptions) Constructor {
		now, every := Clock(o.Now), Interval(o.SweepEvery, sweepEvery)
		return Wire(name, func(ctx context.Context, svc *Service) error { return wire(ctx, svc, now, every) })
	}
}
