// Package intake is the intake service: it records disputes from every
// channel, validates them, grades their risk and emits "registered"; it
// reopens a dispute when a revisit finds a rebound; it links a repeat report
// to the dispute it repeats and sends a dispute reported too often to second
// handling (二次处置), reopening it when a stable revisit had closed
// its round within the repeat window.
//
// The service runs alone (cmd/intake, configured by environment) or inside
// the embedded platform (devstack), through New and Run.
package intake

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"time"

	"fengqiao.dev/pkg/audit"
	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/sealing"
	"fengqiao.dev/services/intake/internal/adapters"
	"fengqiao.dev/services/intake/internal/app"
	"fengqiao.dev/services/intake/internal/dispute"
	"fengqiao.dev/services/intake/internal/ports"
)

// Name is the service's name: its service.name, CloudEvents source and
// collection prefix.
const Name = "intake"

// Options are what configuration, a test or an embedding may change.
type Options struct {
	// Now is the clock every decision reads (default time.Now).
	Now func() time.Time
	// MatchKey is the secret of the keyed hashes repeat reports are matched
	// on (INTAKE_MATCH_KEY). Changing it makes earlier disputes unmatchable.
	MatchKey []byte
	// DataKey is the AES-256 key personal data is sealed with at rest
	// (INTAKE_DATA_KEY, 32 bytes in standard base64).
	DataKey []byte
	// OldDataKeys still open records sealed before the last rotation
	// (INTAKE_OLD_DATA_KEYS, comma-separated base64 keys) until the re-seal
	// job has moved them to DataKey (docs/privacy.md).
	OldDataKeys [][]byte
}

// devMatchKey is used when INTAKE_MATCH_KEY is unset, so `make run` works;
// a production deployment sets its own (the service logs a warning).
const devMatchKey = "fengqiao-development-match-key"

// dataKeys are intake's data keys in the environment.
var dataKeys = sealing.EnvKeys{Current: "INTAKE_DATA_KEY", Old: "INTAKE_OLD_DATA_KEYS", Sealed: "personal data is", DevSeed: "fengqiao-development-data-key"}

// OptionsFromEnv reads the options from the environment. A data key that
// is not valid base64 is kept as an invalid key, and New refuses to start
// on it.
func OptionsFromEnv() Options {
	key, old := dataKeys.Read()
	return Options{MatchKey: []byte(os.Getenv("INTAKE_MATCH_KEY")), DataKey: key, OldDataKeys: old}
}

// New wires the service with options from the environment; Run on the
// result serves it.
func New(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
	return NewWith(OptionsFromEnv())(ctx, cfg, log)
}

// NewWith returns a constructor of the service with options o.
func NewWith(o Options) bootstrap.Constructor {
	return bootstrap.Wire(Name, func(ctx context.Context, svc *bootstrap.Service) error {
		a, err := build(ctx, svc, o)
		if err != nil {
			return err
		}
		trail, err := svc.AuditTrail(ctx)
		if err != nil {
			return err
		}
		// Registration derives the dispute's ID from its key instead, so a
		// retry finds its dispute even after a crash before the answer.
		svc.HonourIdempotencyKeys("/v1/disputes")
		open311 := ports.Open311{App: a, Audit: trail}
		open311.Prepare(svc.HTTP)
		if err := svc.Serve(httpserver.Tags(a.ETag), ports.HTTP{App: a, Audit: trail}, open311, audit.Routes{Store: trail}); err != nil {
			return err
		}
		svc.Subscribe(ports.Subscriptions(a, trail)...)
		return nil
	})
}

// build connects the service's use cases, serving nothing yet.
func build(ctx context.Context, svc *bootstrap.Service, o Options) (*app.App, error) {
	disputes, err := adapters.DisputeCollection(ctx, svc)
	if err != nil {
		return nil, err
	}
	if err := adapters.EnsureUniqueCaseCodes(ctx, disputes.Mongo()); err != nil {
		// Only data written before codes were unique by construction
		// can stop it; new codes are unique without it, so start.
		svc.Log.Error("the store does not refuse repeated case codes", "err", err)
	}
	c, err := dataKeys.Keyring(o.DataKey, o.OldDataKeys, svc.Log)
	if err != nil {
		return nil, err
	}
	if len(o.MatchKey) == 0 {
		svc.Log.Warn("INTAKE_MATCH_KEY is not set: repeat reports are matched with the development key")
		o.MatchKey = []byte(devMatchKey)
	}
	queues := svc.Queues()
	a := &app.App{
		Disputes: app.WithQueues(disputes, queues), Queues: queues, Now: bootstrap.Clock(o.Now), Source: Name,
		CaseCodes: adapters.NewCaseCodeCounter(svc.DB.Collection(Name + ".case_codes")),
		Keyer:     dispute.NewMatchKeyer(o.MatchKey), Policy: svc.Policies().Policy, Counties: svc.Policies().Counties, Cipher: c,
		RepeatIndex: adapters.RepeatIndex(svc),
		Seatings:    adapters.Seatings(svc),
	}
	if err := a.EnsureRepeatIndex(ctx, svc.Log); err != nil {
		return nil, err
	}
	if err := a.EnsureQueues(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// Reseal is the re-seal job (`intake reseal`): it seals every dispute
// still under an old key again under INTAKE_DATA_KEY, beside the serving
// instances, and exits (docs/privacy.md, key rotation).
func Reseal(ctx context.Context, cfg config.Common, log *slog.Logger) error {
	return ResealWith(OptionsFromEnv())(ctx, cfg, log)
}

// ResealWith returns the re-seal job with options o.
func ResealWith(o Options) func(context.Context, config.Common, *slog.Logger) error {
	return bootstrap.Reseal(Name, "INTAKE_DATA_KEY", o.DataKey, "disputes", func(ctx context.Context, svc *bootstrap.Service) (int, string, error) {
		a, err := build(ctx, svc, o)
		if err != nil {
			return 0, "", err
		}
		n, err := a.Reseal(ctx)
		return n, a.Cipher.CurrentKeyID(), err
	})
}

// Run serves until ctx is cancelled. It is the production entry point
// (cmd/intake): it refuses to start without INTAKE_DATA_KEY and
// INTAKE_MATCH_KEY, because the development keys New falls back to are
// public and would leave personal data readable by anyone with the store.
func Run(ctx context.Context, cfg config.Common, log *slog.Logger) error {
	o := OptionsFromEnv()
	if len(o.DataKey) == 0 || len(o.MatchKey) == 0 {
		return errors.New("INTAKE_DATA_KEY (32 random bytes, base64) and INTAKE_MATCH_KEY (a long random secret) are required")
	}
	return bootstrap.Serve(ctx, cfg, log, NewWith(o))
}
