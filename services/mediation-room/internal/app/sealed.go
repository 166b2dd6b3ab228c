package app

import (
	"context"
	"fmt"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/sealing"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// SealedMediations is a Mediations whose stored free text stays sealed:
// the agreement's summary, terms, obligations' duties and places and
// rendered text, and the session records (Mediation.PrivateText). Use
// cases see it open; the store never holds it in the clear.
type SealedMediations struct {
	Store Mediations
	Keys  *sealing.Keyring
}

// GetVisible implements Mediations.
func (s SealedMediations) GetVisible(ctx context.Context, id string, visible func(mediation.Mediation) bool) (mediation.Mediation, error) {
	m, err := s.Store.GetVisible(ctx, id, visible)
	if err != nil {
		return m, err
	}
	return m, s.crypt(&m, sealing.Open)
}

// All implements Mediations.
func (s SealedMediations) All(ctx context.Context) ([]mediation.Mediation, error) {
	return s.opened(s.Store.All(ctx))
}

// Open implements Mediations.
func (s SealedMediations) Open(ctx context.Context) ([]mediation.Mediation, error) {
	return s.opened(s.Store.Open(ctx))
}

// Performing implements Mediations.
func (s SealedMediations) Performing(ctx context.Context) ([]mediation.Mediation, error) {
	return s.opened(s.Store.Performing(ctx))
}

// OfDispute implements Mediations.
func (s SealedMediations) OfDispute(ctx context.Context, county, disputeID string) ([]mediation.Mediation, error) {
	return s.opened(s.Store.OfDispute(ctx, county, disputeID))
}

// opened opens the private text of the mediations a query found.
func (s SealedMediations) opened(found []mediation.Mediation, err error) ([]mediation.Mediation, error) {
	if err != nil {
		return nil, err
	}
	for i := range found {
		if err := s.crypt(&found[i], sealing.Open); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// Update implements Mediations: decide sees the agreement open, the write
// seals it again (under the current key, which also moves an old record to
// a new key).
func (s SealedMediations) Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[mediation.Mediation]) error) (mediation.Mediation, error) {
	m, err := s.Store.Update(ctx, id, opts, func(ch *docstore.Change[mediation.Mediation]) error {
		if err := s.crypt(&ch.State, sealing.Open); err != nil {
			return err
		}
		if err := decide(ch); err != nil {
			return err
		}
		return s.crypt(&ch.State, sealing.Seal)
	})
	if err != nil {
		return m, err
	}
	return m, s.crypt(&m, sealing.Open)
}

func (s SealedMediations) crypt(m *mediation.Mediation, op func(*sealing.Keyring, string, string) (string, error)) error {
	if s.Keys == nil {
		return nil
	}
	for name, field := range m.PrivateText() {
		v, err := op(s.Keys, *field, m.ID+"/"+name)
		if err != nil {
			return fmt.Errorf("while sealing or opening %s of mediation %s: %w", name, m.ID, err)
		}
		*field = v
	}
	return nil
}

// Reseal seals every agreement still under an old key (or stored before
// sealing was switched on) again under the current key, one version-checked
// update per mediation, beside the serving instances; it returns how many
// it rewrote and, run again, skips what is done.
func (s SealedMediations) Reseal(ctx context.Context) (int, error) {
	all, err := s.Store.All(ctx)
	if err != nil {
		return 0, fmt.Errorf("while listing the agreements to reseal: %w", err)
	}
	resealed := 0
	for _, m := range all {
		if !s.needsReseal(m) {
			continue
		}
		// Update opens every field and seals it again under the current key.
		unchanged := func(*docstore.Change[mediation.Mediation]) error { return nil }
		if _, err := s.Update(ctx, m.ID, docstore.Options{}, unchanged); err != nil {
			return resealed, fmt.Errorf("while resealing mediation %s: %w", m.ID, err)
		}
		resealed++
	}
	return resealed, nil
}

func (s SealedMediations) needsReseal(m mediation.Mediation) bool {
	for _, field := range m.PrivateText() {
		if *field != "" && !s.Keys.SealedWithCurrent(*field) {
			return true
		}
	}
	return false
}
