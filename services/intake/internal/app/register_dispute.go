package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
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
// write. A repeat report (the same parties, address or external reference as
// a dispute active within the repeat window) is linked to that dispute
// instead (Linked); a replay of an Idempotency-Key or of an external
// reference finds what it made before (Replayed).
func (a *App) Register(ctx context.Context, cmd RegisterDispute) (d dispute.Dispute, outcome Outcome, err error) {
	if err := a.mayRegister(cmd); err != nil {
		return d, Created, err
	}
	id := disputeID(cmd)
	if cmd.IdempotencyKey != "" {
		if existing, err := a.get(ctx, id); err == nil {
			return replay(existing, cmd)
		} else if !errors.Is(err, docstore.ErrNotFound) {
			return d, Created, err
		}
	}
	now := a.Now()
	keys := a.Keyer.Keys(cmd.Registration)
	// The county's repeat window decides what a report repeats; its risk,
	// and so its threshold, is not known before it is matched.
	window := dispute.RepeatRuleFor(a.PolicyOf(cmd.Registration.CountyCode), events.RiskHigh)
	earlier, unseen, err := a.repeatOrFile(ctx, cmd.Registration.CountyCode, id, keys, window, now)
	if err != nil {
		return d, Created, err
	}
	if earlier != nil {
		return a.linkReport(ctx, *earlier, id, cmd, keys, unseen, now)
	}
	return a.create(ctx, id, cmd, keys, now)
}

func (a *App) mayRegister(cmd RegisterDispute) error {
	if err := cmd.Registration.Validate(a.Now()); err != nil {
		return err
	}
	if err := a.Taxonomy(cmd.Registration.CountyCode).Check(cmd.Registration.Category, cmd.Registration.Subcategory); err != nil {
		return &dispute.ValidationError{Fields: []dispute.FieldError{{Pointer: "#/subcategory", Detail: err.Error()}}}
	}
	if err := a.CheckTenant(cmd.Registration.CountyCode); err != nil {
		return err
	}
	if p := a.PolicyOf(cmd.Registration.CountyCode); p != nil {
		if err := dispute.CheckPlace(cmd.Registration.Place, p.Jurisdiction); err != nil {
			return err
		}
	}
	if cmd.Registration.CountyCode != cmd.Caller.County {
		return fmt.Errorf("%w: a caller of county %s cannot register a dispute in county %s",
			problem.ErrForbidden, cmd.Caller.County, cmd.Registration.CountyCode)
	}
	if !cmd.Caller.Can(identity.RoleOfficer, identity.RoleSystem) {
		return fmt.Errorf("%w: role %s cannot register disputes", problem.ErrForbidden, cmd.Caller.Role)
	}
	return nil
}

// create claims the new dispute's case code and writes the dispute; its
// match keys are filed already (repeatOrFile).
func (a *App) create(ctx context.Context, id string, cmd RegisterDispute, keys []string, now time.Time) (dispute.Dispute, Outcome, error) {
	seq, err := a.CaseCodes.Next(ctx, cmd.Registration.CountyCode, now.Year())
	if err != nil {
		return dispute.Dispute{}, Created, err
	}
	code := CaseCode(cmd.Registration.CountyCode, now.Year(), seq)
	created := false
	// The lookup by Idempotency-Key found nothing (or there was none): the
	// dispute is new unless a concurrent replay is writing it right now.
	d, err := a.update(ctx, id, docstore.Options{Create: true, AssumeNew: true}, func(ch *docstore.Change[dispute.Dispute]) error {
		created = false // decide may run again
		if ch.Exists {  // a concurrent replay of the same key won the insert
			return docstore.ErrNoChange
		}
		reg, err := dispute.RegisterGraded(id, code, cmd.Registration, dispute.Recorder{
			Station: events.Agency{Kind: events.AgencyPoliceStation, ID: cmd.Caller.Agency}, Officer: cmd.Caller.Officer,
		}, dispute.Checked{
			RequestHash: cmd.RequestHash, MatchKeys: keys, TaxonomyVersion: a.Taxonomy(cmd.Registration.CountyCode).Version,
		}, dispute.ThresholdsFor(a.PolicyOf(cmd.Registration.CountyCode)), now)
		if err != nil {
			return err
		}
		ch.State, created = reg, true
		return ch.EmitEvents(ctx, a.Source, now, reg.Admission())
	})
	if err != nil || created {
		return d, Created, err
	}
	return replay(d, cmd)
}

func replay(existing dispute.Dispute, cmd RegisterDispute) (dispute.Dispute, Outcome, error) {
	if existing.RequestHash != cmd.RequestHash {
		return dispute.Dispute{}, Replayed, ErrIdempotencyMismatch
	}
	return existing, Replayed, nil
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
