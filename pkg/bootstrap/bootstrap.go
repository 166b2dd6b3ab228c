// Package bootstrap wires a service's plumbing once, so a service only
// registers its collections, HTTP routes and message handlers:
//
//	var New = bootstrap.Wire("referral", func(ctx context.Context, svc *bootstrap.Service) error {
//		slips, err := bootstrap.IndexedCollection[slip.Record](ctx, svc, "slips", "dispute_id")
//		...
//		svc.Subscribe(messaging.Subscription{...})
//		return svc.Serve(ports.HTTP{App: a})
//	})
//
// Serve mounts each route the access table grants the service
// (pkg/access, pkg/openapi) on the handlers' method named as its
// operationId (httpserver.Mount).
//
// New connects to the store, builds the producer, the outbox relay, the
// telemetry providers and the HTTP server (already listening, so its URL is
// known). Run starts the relay, the consumers and the server, and on
// cancellation stops them and flushes telemetry.
package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/access"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/dueindex"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/identity/bearer"
	"fengqiao.dev/pkg/internal/doclock"
	"fengqiao.dev/pkg/internal/dutycycle"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/openapi"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/pkg/policywatch"
	"fengqiao.dev/pkg/telemetry"
	"fengqiao.dev/pkg/telemetry/mongotrace"
	"fengqiao.dev/pkg/writerlease"
)

// Service is one running service's plumbing.
type Service struct {
	Name      string
	Log       *slog.Logger
	Telemetry *telemetry.Providers
	DB        *mongo.Database
	Producer  *messaging.Producer
	HTTP      *httpserver.Server
	Cluster   messaging.Cluster

	client *mongo.Client
	// atomicStore: the store's conditional update is a compare-and-set
	// (MongoDB), so replicas may write side by side; learnt at connect.
	atomicStore bool
	relay       *outbox.Relay
	colls       []*mongo.Collection
	subs        []messaging.Subscription
	loops       []loop
	cfg         config.Common

	policies *policywatch.Watcher
}

// loop is a background task of the service, e.g. a deadline sweeper.
type loop struct {
	name string
	run  func(context.Context) error
}

// New builds a service's plumbing. On error everything opened is closed.
func New(ctx context.Context, name string, cfg config.Common, log *slog.Logger) (svc *Service, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("invalid configuration of %s: %w", name, err)
	}
	if log == nil {
		log = slog.Default()
	}
	s := &Service{Name: name, Log: log.With("service", name), Cluster: messaging.ClusterFromConfig(cfg), cfg: cfg}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if s.Telemetry, err = telemetry.Setup(ctx, name); err != nil {
		return nil, err
	}
	if err = s.connectStore(ctx); err != nil {
		return nil, err
	}
	if s.Producer, err = messaging.NewProducer(s.Cluster); err != nil {
		return nil, fmt.Errorf("while building the Kafka producer: %w", err)
	}
	interval := cfg.RelayInterval
	if interval <= 0 {
		interval = time.Second
	}
	s.relay = outbox.NewRelay(s.Producer, interval, s.Telemetry.Tracer, s.Log)
	s.relay.SetMetrics(s.Telemetry.Metrics)
	auth, err := authenticator(cfg.Auth, s.Log)
	if err != nil {
		return nil, err
	}
	document, err := openapi.JSON(name)
	if err != nil {
		return nil, fmt.Errorf("while rendering the service's OpenAPI document: %w", err)
	}
	s.HTTP, err = httpserver.New(httpserver.Options{
		OpenAPI: document,
		Service: name, Addr: cfg.HTTPAddr, Logger: s.Log, Tracer: s.Telemetry.Tracer, Meter: s.Telemetry.Meter, Metrics: s.Telemetry.Prometheus,
		Limits: cfg.HTTP, Auth: auth,
		Authorize: func(method, route string, caller identity.Caller) error {
			return access.Authorize(name, method, route, caller)
		},
		Ready: []httpserver.Check{
			{Name: "kafka", Run: func(ctx context.Context) error { return messaging.Ping(ctx, s.Cluster) }},
			{Name: "mongodb", Run: func(ctx context.Context) error { return s.client.Ping(ctx, nil) }},
		},
	})
	return s, err
}

// authenticator is how the API learns who calls it: a bearer token from the
// configured issuer, unless the deployment explicitly believes a gateway's
// identity headers — which it then says, loudly, at every start.
func authenticator(a config.Auth, log *slog.Logger) (identity.Authenticator, error) {
	if a.TrustedHeaders {
		log.Warn("AUTH_TRUSTED_HEADERS is on: the API believes the X-Fengqiao-* identity headers of every request " +
			"instead of verifying a token; anyone who reaches the service without passing the authenticating gateway can claim any identity")
		return identity.TrustedHeaders{}, nil
	}
	if a.Audience == "" {
		a.Audience = config.DefaultAudience
	}
	v, err := bearer.New(bearer.Config{Issuer: a.Issuer, Audience: a.Audience, JWKSURL: a.JWKSURL})
	if err != nil {
		return nil, fmt.Errorf("while configuring token verification: %w", err)
	}
	return v, nil
}

func (s *Service) connectStore(ctx context.Context) error {
	client, err := mongo.Connect(options.Client().ApplyURI(s.cfg.MongoURI).SetAppName("fengqiao-" + s.Name).
		SetMonitor(mongotrace.Monitor(s.Telemetry.Tracer, s.Telemetry.Meter)))
	if err != nil {
		return fmt.Errorf("while configuring the MongoDB client: %w", err)
	}
	s.client = client
	pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := client.Ping(pingCtx, nil); err != nil {
		return fmt.Errorf("cannot reach MongoDB: %w", err)
	}
	s.DB = client.Database(s.cfg.MongoDatabase)
	// Learn now, once, whether the store's conditional update is atomic
	// (see pkg/internal/doclock), and say so: against FerretDB only one
	// process may write a collection.
	atomic, err := doclock.Atomic(pingCtx, s.DB.Collection(s.Name))
	if err != nil {
		return err
	}
	s.atomicStore = atomic
	if !atomic {
		s.Log.Info("store is FerretDB: writes of one document are serialised within this process; run one writer process per collection")
	}
	return nil
}

// Collection returns the named aggregate collection; its outbox is published
// by the service's relay, which every write that adds entries tells which
// document to publish. Call it before Run.
func Collection[S any](s *Service, name string) *docstore.Collection[S] {
	c := s.DB.Collection(s.Name + "." + name)
	s.colls = append(s.colls, c)
	return docstore.New[S](c, nil).NotifyPending(s.relay.Pending)
}

// HonourIdempotencyKeys makes every POST of the API answer an
// Idempotency-Key once (httpserver.Idempotent), keeping the answers in the
// service's idempotency collection; skip names routes that keep keys
// their own way. Call it before registering the routes: echo applies a
// group's middleware to the routes added after it.
func (s *Service) HonourIdempotencyKeys(skip ...string) {
	// Not through Collection: an answer has no outbox.
	kept := keptAnswers{
		answers: docstore.New[httpserver.IdempotentAnswer](s.DB.Collection(s.Name+".idempotency"), nil),
		expiry:  dueindex.New(docstore.New[dueindex.Entry](s.DB.Collection(s.Name+".idempotency_due"), nil)),
		now:     time.Now,
	}
	s.HTTP.API.Use(httpserver.Idempotent(kept, kept.now, skip...))
	s.EveryIndexed("forgetting expired Idempotency-Keys", keyExpirySweep, kept.forgetExpired)
}

// ObserveItems registers a count of the service's open and overdue items
// (copies awaiting signature, revisits due), reported as the gauges
// fengqiao.items.open and fengqiao.items.overdue whenever metrics are
// collected.
func (s *Service) ObserveItems(f telemetry.ItemsFunc) { s.Telemetry.Metrics.ObserveItems(f) }

// SingleWriter reports whether this process is the only writer of the
// service's collections (FerretDB, under the writer lease Run claims), so
// that what it keeps in memory from its own writes is the whole truth.
func (s *Service) SingleWriter() bool { return !s.atomicStore }

// Subscribe registers handler groups. Call it before Run.
func (s *Service) Subscribe(subs ...messaging.Subscription) { s.subs = append(s.subs, subs...) }

// Serve serves the service's routes (openapi.Operations) on the methods of
// handlers named as their operationIds (httpserver.Mount), the entity-tags
// from the one of them that serves them (httpserver.Tags); a route without
// one handler is an error.
func (s *Service) Serve(handlers ...any) error {
	if err := httpserver.Mount(s.HTTP.API, openapi.Operations(s.Name), handlers...); err != nil {
		return fmt.Errorf("while mounting the routes of %s: %w", s.Name, err)
	}
	return nil
}

// Go registers a background task that runs for the service's lifetime, such
// as a sweep for deadlines that passed. It must return nil when ctx is
// cancelled; an error stops the service. Call it before Run.
func (s *Service) Go(name string, run func(ctx context.Context) error) {
	s.loops = append(s.loops, loop{name, run})
}

// Policies returns the live policy of every county, as the MediationCenter
// operator publishes it. Read a county's policy at the moment of
// each decision, so a change applies without a restart; a county without a
// published policy falls back to the service's defaults. The watcher runs
// with the service. Call it before Run.
func (s *Service) Policies() *policywatch.Watcher {
	if s.policies == nil {
		// The mechanism was validated when the producer was built in New.
		mech, _ := s.Cluster.SASL()
		s.policies = policywatch.New(policywatch.Config{
			Brokers: s.cfg.KafkaBrokers, Logger: s.Log, SASL: mech, TLS: s.Cluster.TLS(),
		})
		s.Go("policy watcher", s.policies.Run)
	}
	return s.policies
}

// Every registers a periodic task, such as a deadline sweep: tick runs at
// start and then every interval for the service's lifetime. A failed tick is
// logged and retried at the next one, so a store hiccup delays a deadline
// but never stops the service. Decisions inside tick read the service's own
// clock, so tests move time by moving that clock, not by waiting. Call it
// before Run.
//
// A tick that takes long stretches the wait after it (package dutycycle),
// so a task whose query reads a whole collection costs a bounded share of
// the machine however many documents are stored, at the price of running
// less often; the stretch is logged.
func (s *Service) Every(name string, interval time.Duration, tick func(ctx context.Context) error) {
	s.every(name, interval, tick, true)
}

// EveryIndexed is Every for a task whose cost follows what is due, not what
// is stored, such as a sweep that reads a due index: a slow tick means work
// was due or the machine is busy, and stretching the wait after it would
// only make deadlines late, so it runs again after interval.
func (s *Service) EveryIndexed(name string, interval time.Duration, tick func(ctx context.Context) error) {
	s.every(name, interval, tick, false)
}

func (s *Service) every(name string, interval time.Duration, tick func(ctx context.Context) error, bounded bool) {
	s.Go(name, func(ctx context.Context) error {
		for {
			start := time.Now()
			if err := tick(ctx); err != nil && ctx.Err() == nil {
				s.Log.Warn(name+" failed; retrying at the next tick", "err", err)
			}
			took := time.Since(start)
			wait := max(interval-took, 0)
			if bounded {
				wait = dutycycle.Wait(interval, took)
			}
			if bounded && dutycycle.Stretched(interval, took, wait) {
				s.Log.Warn(name+" is slow; running it less often to bound its cost",
					"took", took.Round(time.Millisecond), "interval", interval, "next_in", wait.Round(time.Second))
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(wait):
			}
		}
	})
}

// Run serves until ctx is cancelled or a component fails, then stops all.
func (s *Service) Run(ctx context.Context) error {
	defer s.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lease, err := s.claimWriterLease(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting: nothing ran, nothing failed
		}
		return err
	}
	if lease != nil {
		s.Go("writer lease", lease.Run)
	}
	if err := s.ensureTopics(ctx); err != nil {
		return err
	}
	s.relay.Watch(s.colls...)
	// Before any consumer or request writes: a crash from here on must
	// leave the relay's marks open, so the next start sweeps.
	if err := s.relay.Open(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("cannot start %s: %w", s.Name, err)
	}
	var wg sync.WaitGroup
	errc := make(chan error, len(s.subs)+len(s.loops)+2)
	run := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil {
				errc <- fmt.Errorf("%s: %w", name, err)
				cancel()
			}
		}()
	}
	run("outbox relay", s.relay.Run)
	for _, sub := range s.subs {
		c, err := messaging.NewConsumer(s.Cluster, sub, s.Producer, messaging.ConsumerOptions{Logger: s.Log, Tracer: s.Telemetry.Tracer, Metrics: s.Telemetry.Metrics})
		if err != nil {
			cancel()
			wg.Wait()
			return err
		}
		run("consumer "+sub.Name, c.Run)
	}
	for _, l := range s.loops {
		run(l.name, l.run)
	}
	run("http server", s.HTTP.Run)
	s.Log.Info("service started", "url", s.HTTP.URL(), "consumers", len(s.subs))
	wg.Wait()
	s.closeRelay()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	s.Log.Info("service stopped")
	return errors.Join(errs...)
}

// closeRelay tells the relay that every writer stopped, so that it can
// record whether it left anything to publish (outbox.Relay.Close).
func (s *Service) closeRelay() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.relay.Close(ctx); err != nil {
		s.Log.Warn("outbox relay: cannot record a clean stop; the next start looks for unpublished events", "err", err)
	}
}

// claimWriterLease makes sure this is the only process writing the service's
// aggregates when the store cannot arbitrate between writers (FerretDB);
// on MongoDB it returns no lease, as replicas may write side by side.
func (s *Service) claimWriterLease(ctx context.Context) (*writerlease.Lease, error) {
	if s.atomicStore {
		return nil, nil
	}
	lease, err := writerlease.Acquire(ctx, s.DB, s.Name, writerlease.Process{})
	if err != nil {
		return nil, fmt.Errorf("cannot start %s: %w", s.Name, err)
	}
	return lease, nil
}

// ensureTopics creates the topics the service consumes and their dead-letter
// topics, so a consumer group never waits on a topic nobody created yet.
func (s *Service) ensureTopics(ctx context.Context) error {
	topics := consumedTopics(s.subs)
	if err := messaging.EnsureTopics(ctx, s.Cluster, topics...); err != nil {
		return fmt.Errorf("while creating the topics %s consumes: %w", s.Name, err)
	}
	s.warnOfTopicConfigDrift(ctx, topics)
	return nil
}

// consumedTopics are the topics subs consume and their dead-letter topics,
// each once: two subscriptions may consume one topic, each in its own
// consumer group, and a broker refuses a request to create a topic that
// names it twice.
func consumedTopics(subs []messaging.Subscription) []string {
	var topics []string
	for _, sub := range subs {
		for _, t := range sub.Topics {
			for _, name := range []string{t, events.DeadLetterTopic(t)} {
				if !slices.Contains(topics, name) {
					topics = append(topics, name)
				}
			}
		}
	}
	return topics
}

// warnOfTopicConfigDrift says when a topic the service consumes does not
// keep its records as documented (say, an event log left at the broker's
// 7-day default by an older release): a replay would silently rebuild from
// a truncated log. A warning, not a failure: the service still works today.
func (s *Service) warnOfTopicConfigDrift(ctx context.Context, topics []string) {
	drift, err := messaging.TopicConfigDrift(ctx, s.Cluster, topics...)
	if err != nil {
		s.Log.Warn("cannot check the retention of the topics consumed", "err", err)
		return
	}
	if len(drift) > 0 {
		s.Log.Warn("topics do not keep their records as documented; set their configs (docs/operations.md, Topics and their retention)",
			"drift", drift)
	}
}

// Close releases what New opened; Run calls it on return. Call it when
// wiring fails after New.
func (s *Service) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if s.Producer != nil {
		_ = s.Producer.Close()
	}
	if s.client != nil {
		_ = s.client.Disconnect(ctx)
	}
	if s.Telemetry != nil {
		_ = s.Telemetry.Shutdown(ctx)
	}
}
