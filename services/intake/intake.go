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
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/queueindex"
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

// OptionsFromEnv reads the options from the environment. A data key that
// is not valid base64 is left empty, and New refuses to start on it.
func OptionsFromEnv() Options {
	key, _ := base64.StdEncoding.DecodeString(os.Getenv("INTAKE_DATA_KEY"))
	if key == nil && os.Getenv("INTAKE_DATA_KEY") != "" {
		key = []byte("invalid")
	}
	return Options{MatchKey: []byte(os.Getenv("INTAKE_MATCH_KEY")), DataKey: key, OldDataKeys: oldKeysFromEnv()}
}

// oldKeysFromEnv reads INTAKE_OLD_DATA_KEYS; a key that is not valid base64
// is kept as an invalid key, so New refuses to start on it.
func oldKeysFromEnv() [][]byte {
	var keys [][]byte
	for _, s := range strings.Split(os.Getenv("INTAKE_OLD_DATA_KEYS"), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		key, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			key = []byte("invalid")
		}
		keys = append(keys, key)
	}
	return keys
}

// devDataKey seals personal data when INTAKE_DATA_KEY is unset, so `make
// run` works; a production deployment sets its own (the service warns).
var devDataKey = sha256.Sum256([]byte("fengqiao-development-data-key"))

func (o *Options) keyring(log *slog.Logger) (*sealing.Keyring, error) {
	if len(o.DataKey) == 0 {
		log.Warn("INTAKE_DATA_KEY is not set: personal data is sealed with the development key")
		o.DataKey = devDataKey[:]
	}
	k, err := sealing.NewKeyring(o.DataKey, o.OldDataKeys...)
	if err != nil {
		return nil, fmt.Errorf("invalid INTAKE_DATA_KEY or INTAKE_OLD_DATA_KEYS (want 32 bytes in base64 each): %w", err)
	}
	return k, nil
}

// New wires the service with options from the environment; Run on the
// result serves it.
func New(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
	return NewWith(OptionsFromEnv())(ctx, cfg, log)
}

// NewWith returns a constructor of the service with options o.
func NewWith(o Options) func(context.Context, config.Common, *slog.Logger) (*bootstrap.Service, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	return func(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
		svc, a, err := build(ctx, cfg, log, o)
		if err != nil {
			return nil, err
		}
		trail, err := auditTrail(ctx, svc)
		if err != nil {
			svc.Close()
			return nil, err
		}
		// Registration derives the dispute's ID from its key instead, so a
		// retry finds its dispute even after a crash before the answer.
		svc.HonourIdempotencyKeys("/v1/disputes")
		ports.HTTP{App: a, Audit: trail}.Register(svc.HTTP.API)
		ports.Open311{App: a, Audit: trail}.Mount(svc.HTTP)
		audit.Routes{Store: trail}.Register(svc.HTTP.API)
		for _, sub := range ports.Subscriptions(a, trail) {
			svc.Subscribe(sub)
		}
		return svc, nil
	}
}

// auditTrail is where intake records who saw or changed personal data:
// one hash chain per county, whose records the relay publishes on the
// audit topic, which intake creates since no service consumes it.
func auditTrail(ctx context.Context, svc *bootstrap.Service) (*audit.Store, error) {
	if err := messaging.EnsureTopics(ctx, svc.Cluster, events.TopicAudit); err != nil {
		return nil, fmt.Errorf("while creating the audit topic: %w", err)
	}
	heads := bootstrap.Collection[audit.HeadState](svc, "audit_heads")
	return audit.NewStore(Name, heads, svc.DB.Collection(Name+".audit_records")), nil
}

// build connects the service and its use cases, serving nothing yet.
func build(ctx context.Context, cfg config.Common, log *slog.Logger, o Options) (*bootstrap.Service, *app.App, error) {
	svc, err := bootstrap.New(ctx, Name, cfg, log)
	if err != nil {
		return nil, nil, err
	}
	disputes := bootstrap.Collection[dispute.Dispute](svc, "disputes")
	if err := disputes.EnsureIndexes(ctx, "county_code"); err != nil {
		svc.Close()
		return nil, nil, err
	}
	if err := adapters.EnsureUniqueCaseCodes(ctx, disputes.Mongo()); err != nil {
		// Only data written before codes were unique by construction
		// can stop it; new codes are unique without it, so start.
		svc.Log.Error("the store does not refuse repeated case codes", "err", err)
	}
	c, err := o.keyring(svc.Log)
	if err != nil {
		svc.Close()
		return nil, nil, err
	}
	if len(o.MatchKey) == 0 {
		svc.Log.Warn("INTAKE_MATCH_KEY is not set: repeat reports are matched with the development key")
		o.MatchKey = []byte(devMatchKey)
	}
	// Not through bootstrap.Collection either: no outbox.
	queues := &queueindex.Index{Docs: docstore.New[queueindex.Doc](svc.DB.Collection(Name+".queues"), nil), OnlyWriter: svc.SingleWriter()}
	a := &app.App{
		Disputes: app.WithQueues(disputes, queues), Queues: queues, Now: o.Now, Source: Name,
		CaseCodes: adapters.NewCaseCodeCounter(svc.DB.Collection(Name + ".case_codes")),
		Keyer:     dispute.NewMatchKeyer(o.MatchKey), Policy: svc.Policies().Policy, Counties: svc.Policies().Counties, Cipher: c,
		// Not through bootstrap.Collection: the index has no outbox for
		// the relay to publish.
		RepeatIndex: docstore.New[app.MatchedDisputes](svc.DB.Collection(Name+".repeat_keys"), nil),
		Seatings:    docstore.New[app.Seated](svc.DB.Collection(Name+".seatings"), nil),
	}
	if err := a.EnsureRepeatIndex(ctx, svc.Log); err != nil {
		svc.Close()
		return nil, nil, err
	}
	if err := a.EnsureQueues(ctx); err != nil {
		svc.Close()
		return nil, nil, err
	}
	return svc, a, nil
}

// Reseal is the re-seal job (`intake reseal`): it seals every dispute
// still under an old key again under INTAKE_DATA_KEY, beside the serving
// instances, and exits (docs/privacy.md, key rotation).
func Reseal(ctx context.Context, cfg config.Common, log *slog.Logger) error {
	return ResealWith(OptionsFromEnv())(ctx, cfg, log)
}

// ResealWith returns the re-seal job with options o.
func ResealWith(o Options) func(context.Context, config.Common, *slog.Logger) error {
	if o.Now == nil {
		o.Now = time.Now
	}
	return func(ctx context.Context, cfg config.Common, log *slog.Logger) error {
		if len(o.DataKey) == 0 {
			return errors.New("INTAKE_DATA_KEY is required: it is the key records are moved to")
		}
		svc, a, err := build(ctx, cfg, log, o)
		if err != nil {
			return err
		}
		defer svc.Close()
		n, err := a.Reseal(ctx)
		if err != nil {
			return err
		}
		svc.Log.Info("re-sealed the disputes still under an old key", "resealed", n, "key_id", a.Cipher.CurrentKeyID())
		return nil
	}
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
	svc, err := NewWith(o)(ctx, cfg, log)
	if err != nil {
		return err
	}
	return svc.Run(ctx)
}
