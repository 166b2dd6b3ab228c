// Package mediationroom is the mediation-room service: it opens a mediation
// for every referred dispute at the tier the county's policy starts its risk
// at, matches a team of mediators, schedules and records sessions, moves
// the dispute up the tiers, convenes joint meetings, and records how it ends
// and whether the agreement is performed.
package mediationroom

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/audit"
	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/dueindex"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/pkg/sealing"
	"fengqiao.dev/services/mediation-room/internal/adapters"
	"fengqiao.dev/services/mediation-room/internal/app"
	"fengqiao.dev/services/mediation-room/internal/mediation"
	"fengqiao.dev/services/mediation-room/internal/ports"
)

// Name is the service's name.
const Name = "mediation-room"

// Options tune the service; the zero value is production's.
type Options struct {
	// Now is the clock of every decision (time.Now if nil): tests inject one
	// to pass deadlines without sleeping.
	Now func() time.Time
	// SweepEvery is how often deadlines are swept (one minute if zero).
	SweepEvery time.Duration
	// DataKey is the AES-256 key agreements' text is sealed with at rest
	// (MEDIATION_DATA_KEY, 32 bytes in standard base64); OldDataKeys
	// (MEDIATION_OLD_DATA_KEYS, comma-separated) still open records sealed
	// before the last rotation (docs/privacy.md).
	DataKey     []byte
	OldDataKeys [][]byte
}

// devDataKey seals agreements when MEDIATION_DATA_KEY is unset, so `make
// run` works; a production deployment sets its own (the service warns).
var devDataKey = sha256.Sum256([]byte("fengqiao-development-mediation-data-key"))

// OptionsFromEnv reads the data keys from the environment. A key that is
// not valid base64 is kept as an invalid key, so the service refuses it.
func OptionsFromEnv() Options {
	return Options{DataKey: base64Key(os.Getenv("MEDIATION_DATA_KEY")), OldDataKeys: base64Keys(os.Getenv("MEDIATION_OLD_DATA_KEYS"))}
}

func base64Keys(list string) [][]byte {
	var keys [][]byte
	for _, s := range strings.Split(list, ",") {
		if k := base64Key(strings.TrimSpace(s)); k != nil {
			keys = append(keys, k)
		}
	}
	return keys
}

func base64Key(s string) []byte {
	if s == "" {
		return nil
	}
	k, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return []byte("invalid")
	}
	return k
}

func (o Options) keyring(log *slog.Logger) (*sealing.Keyring, error) {
	if len(o.DataKey) == 0 {
		log.Warn("MEDIATION_DATA_KEY is not set: agreements are sealed with the development key")
		o.DataKey = devDataKey[:]
	}
	k, err := sealing.NewKeyring(o.DataKey, o.OldDataKeys...)
	if err != nil {
		return nil, fmt.Errorf("invalid MEDIATION_DATA_KEY or MEDIATION_OLD_DATA_KEYS (want 32 bytes in base64 each): %w", err)
	}
	return k, nil
}

// New wires the service; Run on the result serves it.
func New(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
	return NewWith(OptionsFromEnv())(ctx, cfg, log)
}

// NewWith returns a constructor with the given options.
func NewWith(opts Options) func(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SweepEvery <= 0 {
		opts.SweepEvery = time.Minute
	}
	return func(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
		svc, err := bootstrap.New(ctx, Name, cfg, log)
		if err != nil {
			return nil, err
		}
		coll := bootstrap.Collection[mediation.Mediation](svc, "mediations")
		if err := coll.EnsureIndexes(ctx, "dispute_id", "county_code", "status"); err != nil {
			svc.Close()
			return nil, err
		}
		keys, err := opts.keyring(svc.Log)
		if err != nil {
			svc.Close()
			return nil, err
		}
		// Not through bootstrap.Collection: the queues have no outbox.
		queues := &queueindex.Index{Docs: docstore.New[queueindex.Doc](svc.DB.Collection(Name+".queues"), nil), OnlyWriter: svc.SingleWriter()}
		due := dueindex.New(docstore.New[dueindex.Entry](svc.DB.Collection(Name+".mediations_due"), nil))
		a := &app.App{Queues: queues, Due: due,
			Policies: svc.Policies(), Now: opts.Now, Source: Name,
			// Not through bootstrap.Collection: the loads have no outbox
			// for the relay to publish.
			Loads:       docstore.New[app.MediatorLoad](svc.DB.Collection(Name+".mediator_loads"), nil),
			RaisedRisks: docstore.New[app.RaisedRisk](svc.DB.Collection(Name+".raised_risks"), nil)}
		indexed := app.IndexedMediations{Mediations: app.SealedMediations{Store: adapters.Mediations{Collection: coll}, Keys: keys}, Due: due, NextCheck: a.NextCheck, Now: opts.Now}
		a.Mediations = app.WithQueues(indexed, queues)
		if err := a.EnsureDueIndex(ctx, opts.Now(), svc.Log); err != nil {
			svc.Close()
			return nil, err
		}
		if err := a.EnsureLoads(ctx, svc.Log); err != nil {
			svc.Close()
			return nil, err
		}
		if err := a.EnsureQueues(ctx); err != nil {
			svc.Close()
			return nil, err
		}
		// The only writer of the mediations counts the open ones as it
		// writes them, for the gauges; replicas of a MongoDB deployment
		// query the store when metrics are collected.
		if svc.SingleWriter() {
			open := app.NewOpenMediations()
			if err := open.Load(ctx, a.Mediations); err != nil {
				svc.Close()
				return nil, err
			}
			a.Mediations, a.OpenMediations = app.WithOpenMediations(a.Mediations, open), open
		}
		// The agreements' text and the session records are personal data:
		// their reads and writes go to the room's audit chains, published on
		// the audit topic, which no service consumes, so it is created here.
		if err := messaging.EnsureTopics(ctx, svc.Cluster, events.TopicAudit); err != nil {
			svc.Close()
			return nil, fmt.Errorf("while creating the audit topic: %w", err)
		}
		trail := audit.NewStore(Name, bootstrap.Collection[audit.HeadState](svc, "audit_heads"), svc.DB.Collection(Name+".audit_records"))
		svc.HonourIdempotencyKeys()
		ports.HTTP{App: a, Audit: trail}.Register(svc.HTTP.API)
		audit.Routes{Store: trail}.Register(svc.HTTP.API)
		for _, sub := range ports.Subscriptions(a) {
			svc.Subscribe(sub)
		}
		svc.ObserveItems(a.OpenItems)
		// The sweep reads the due index: its cost follows what came due.
		svc.EveryIndexed("mediation deadline sweep", opts.SweepEvery, func(ctx context.Context) error {
			_, err := a.Sweep(ctx)
			return err
		})
		return svc, nil
	}
}

// Reseal is the re-seal job (`mediation-room reseal`): it seals every
// agreement still under an old key again under MEDIATION_DATA_KEY, beside
// the serving instances, and exits (docs/privacy.md, key rotation).
func Reseal(ctx context.Context, cfg config.Common, log *slog.Logger) error {
	return ResealWith(OptionsFromEnv())(ctx, cfg, log)
}

// ResealWith returns the re-seal job with options o.
func ResealWith(o Options) func(context.Context, config.Common, *slog.Logger) error {
	return func(ctx context.Context, cfg config.Common, log *slog.Logger) error {
		if len(o.DataKey) == 0 {
			return errors.New("MEDIATION_DATA_KEY is required: it is the key agreements are moved to")
		}
		svc, err := bootstrap.New(ctx, Name, cfg, log)
		if err != nil {
			return err
		}
		defer svc.Close()
		keys, err := o.keyring(svc.Log)
		if err != nil {
			return err
		}
		sealed := app.SealedMediations{Store: adapters.Mediations{Collection: bootstrap.Collection[mediation.Mediation](svc, "mediations")}, Keys: keys}
		n, err := sealed.Reseal(ctx)
		if err != nil {
			return err
		}
		svc.Log.Info("re-sealed the agreements still under an old key", "resealed", n, "key_id", keys.CurrentKeyID())
		return nil
	}
}

// Run serves until ctx is cancelled.
func Run(ctx context.Context, cfg config.Common, log *slog.Logger) error {
	svc, err := New(ctx, cfg, log)
	if err != nil {
		return err
	}
	return svc.Run(ctx)
}
