// Package mediationroom is the mediation-room service: it opens a mediation
// for every referred dispute at the tier the county's policy starts its risk
// at, matches a team of mediators, schedules and records sessions, moves
// the dispute up the tiers, convenes joint meetings, and records how it ends
// and whether the agreement is performed.
package mediationroom

import (
	"context"
	"log/slog"
	"time"

	"fengqiao.dev/pkg/audit"
	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/sealing"
	"fengqiao.dev/services/mediation-room/internal/adapters"
	"fengqiao.dev/services/mediation-room/internal/app"
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

// dataKeys are the room's data keys in the environment.
var dataKeys = sealing.EnvKeys{Current: "MEDIATION_DATA_KEY", Old: "MEDIATION_OLD_DATA_KEYS", Sealed: "agreements are", DevSeed: "fengqiao-development-mediation-data-key"}

// OptionsFromEnv reads the data keys from the environment. A key that is
// not valid base64 is kept as an invalid key, so the service refuses it.
func OptionsFromEnv() Options {
	key, old := dataKeys.Read()
	return Options{DataKey: key, OldDataKeys: old}
}

func (o Options) keyring(log *slog.Logger) (*sealing.Keyring, error) {
	return dataKeys.Keyring(o.DataKey, o.OldDataKeys, log)
}

// New wires the service; Run on the result serves it.
func New(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
	return NewWith(OptionsFromEnv())(ctx, cfg, log)
}

// NewWith returns a constructor with the given options.
func NewWith(opts Options) bootstrap.Constructor {
	now, sweepEvery := bootstrap.Clock(opts.Now), bootstrap.Interval(opts.SweepEvery, time.Minute)
	return bootstrap.Wire(Name, func(ctx context.Context, svc *bootstrap.Service) error {
		mediations, err := adapters.MediationsOf(ctx, svc)
		if err != nil {
			return err
		}
		keys, err := opts.keyring(svc.Log)
		if err != nil {
			return err
		}
		queues := svc.Queues()
		due := svc.DueIndex("mediations_due")
		a := &app.App{Queues: queues, Due: due,
			Policies: svc.Policies(), Now: now, Source: Name,
			Loads:       adapters.MediatorLoadsOf(svc),
			RaisedRisks: adapters.RaisedRisksOf(svc)}
		indexed := app.IndexMediations(app.SealedMediations{Store: mediations, Keys: keys}, due, a.NextCheck, now)
		a.Mediations = app.WithQueues(indexed, queues)
		if err := a.EnsureDueIndex(ctx, now(), svc.Log); err != nil {
			return err
		}
		if err := a.EnsureLoads(ctx, svc.Log); err != nil {
			return err
		}
		if err := a.EnsureQueues(ctx); err != nil {
			return err
		}
		// The only writer of the mediations counts the open ones as it
		// writes them, for the gauges; replicas of a MongoDB deployment
		// query the store when metrics are collected.
		if svc.SingleWriter() {
			open := app.NewOpenMediations()
			if err := open.Load(ctx, a.Mediations); err != nil {
				return err
			}
			a.Mediations, a.OpenMediations = app.WithOpenMediations(a.Mediations, open), open
		}
		// The agreements' text and the session records are personal data:
		// their reads and writes go to the room's audit trail.
		trail, err := svc.AuditTrail(ctx)
		if err != nil {
			return err
		}
		svc.HonourIdempotencyKeys()
		// The handlers serve the mediation's entity-tag too: it is taken of
		// the mediation as the API shows it.
		if err := svc.Serve(ports.HTTP{App: a, Audit: trail}, audit.Routes{Store: trail}); err != nil {
			return err
		}
		svc.Subscribe(ports.Subscriptions(a)...)
		svc.ObserveItems(a.OpenItems)
		// The sweep reads the due index: its cost follows what came due.
		svc.EveryIndexed("mediation deadline sweep", sweepEvery, bootstrap.Counted(a.Sweep))
		return nil
	})
}

// Reseal is the re-seal job (`mediation-room reseal`): it seals every
// agreement still under an old key again under MEDIATION_DATA_KEY, beside
// the serving instances, and exits (docs/privacy.md, key rotation).
func Reseal(ctx context.Context, cfg config.Common, log *slog.Logger) error {
	return ResealWith(OptionsFromEnv())(ctx, cfg, log)
}

// ResealWith returns the re-seal job with options o.
func ResealWith(o Options) func(context.Context, config.Common, *slog.Logger) error {
	return bootstrap.Reseal(Name, "MEDIATION_DATA_KEY", o.DataKey, "agreements", func(ctx context.Context, svc *bootstrap.Service) (int, string, error) {
		keys, err := o.keyring(svc.Log)
		if err != nil {
			return 0, "", err
		}
		mediations, err := adapters.MediationsOf(ctx, svc)
		if err != nil {
			return 0, "", err
		}
		sealed := app.SealedMediations{Store: mediations, Keys: keys}
		n, err := sealed.Reseal(ctx)
		return n, keys.CurrentKeyID(), err
	})
}

// Run serves until ctx is cancelled.
func Run(ctx context.Context, cfg config.Common, log *slog.Logger) error {
	return bootstrap.Serve(ctx, cfg, log, New)
}
