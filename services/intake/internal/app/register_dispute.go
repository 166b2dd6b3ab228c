package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/services/intake/internal/dispute"
)

// RegisterDispute is a request to record a dispute.
type RegisterDispute struct {
	Registration   dispute.Registration
	Caller         identity.Caller
	IdempotencyKey string // optional; the same key gives the same dispute
	RequestHash    string // fingerprint of the request body
}

// idempotencyNamespace scopes dispute IDs derived from Idempotency-Keys.
var idempotencyNamespace = uuid.MustParse("5b0c8f63-2d0e-4c33-9a55-3f1f0d6b7a10")

// Register records a dispute and queues its "registered" event in the same
// write. created is false when an Idempotency-Key replay found the dispute.
func (a *App) Register(ctx context.Context, cmd RegisterDispute) (d dispute.Dispute, created bool, err error) {
	if err := cmd.Registration.Validate(); err != nil {
		return d, false, err
	}
	if cmd.Registration.CountyCode != cmd.Caller.County {
		return d, false, fmt.Errorf("%w: a caller of county %s cannot register a dispute in county %s",
			ErrForbidden, cmd.Caller.County, cmd.Registration.CountyCode)
	}
	if !cmd.Caller.Can(identity.RoleOfficer, identity.RoleSystem) {
		return d, false, fmt.Errorf("%w: role %s cannot register disputes", ErrForbidden, cmd.Caller.Role)
	}
	id := disputeID(cmd)
	if cmd.IdempotencyKey != "" {
		if existing, err := a.Disputes.Get(ctx, id); err == nil {
			return replay(existing, cmd)
		} else if !errors.Is(err, docstore.ErrNotFound) {
			return d, false, err
		}
	}
	now := a.Now()
	seq, err := a.CaseCodes.Next(ctx, cmd.Registration.CountyCode, now.Year())
	if err != nil {
		return d, false, err
	}
	code := CaseCode(cmd.Registration.CountyCode, now.Year(), seq)
	d, err = a.Disputes.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[dispute.Dispute]) error {
		if ch.Exists { // a concurrent replay of the same key won the insert
			return docstore.ErrNoChange
		}
		reg, err := dispute.Register(id, code, cmd.Registration, dispute.Recorder{
			Station: events.Agency{Kind: events.AgencyPoliceStation, ID: cmd.Caller.Agency}, Officer: cmd.Caller.Officer,
		}, now)
		if err != nil {
			return err
		}
		reg.RequestHash = cmd.RequestHash
		entry, err := outbox.New(ctx, a.Source, reg.Registered(), now)
		if err != nil {
			return err
		}
		ch.State, created = reg, true
		ch.Emit(entry)
		return nil
	})
	if err != nil || created {
		return d, created, err
	}
	return replay(d, cmd)
}

func replay(existing dispute.Dispute, cmd RegisterDispute) (dispute.Dispute, bool, error) {
	if existing.RequestHash != cmd.RequestHash {
		return dispute.Dispute{}, false, ErrIdempotencyMismatch
	}
	return existing, false, nil
}

// disputeID derives the ID from the Idempotency-Key, scoped to the caller's
// county and agency, so a retried request finds the dispute it created even
// after a crash between insert and response. Without a key, a fresh UUIDv7.
func disputeID(cmd RegisterDispute) string {
	if cmd.IdempotencyKey == "" {
		return uuid.Must(uuid.NewV7()).String()
	}
	return uuid.NewSHA1(idempotencyNamespace, []byte(cmd.Caller.County+"\x00"+cmd.Caller.Agency+"\x00"+cmd.IdempotencyKey)).String()
}

// CaseCode renders the readable case code (一案一码): county, year, and a
// per-county sequence, e.g. "622901-2026-000042". It stays with the case for
// life, across rounds.
func CaseCode(county string, year int, seq int64) string {
	return fmt.Sprintf("%s-%d-%06d", county, year, seq)
}
