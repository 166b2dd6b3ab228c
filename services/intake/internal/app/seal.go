package app

import (
	"context"
	"fmt"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/sealing"
	"fengqiao.dev/services/intake/internal/dispute"
)

// crypt applies seal or open to every personal field of d (the dispute's
// PersonalData), each bound to the record by its path.
func (a *App) crypt(d *dispute.Dispute, op func(*sealing.Keyring, string, string) (string, error)) error {
	if a.Cipher == nil {
		return nil
	}
	return d.RewritePersonalData(func(path, value string) (string, error) {
		v, err := op(a.Cipher, value, d.ID+"/"+path)
		if err != nil {
			return "", fmt.Errorf("while sealing or opening %s of dispute %s: %w", path, d.ID, err)
		}
		return v, nil
	})
}

// get loads a dispute with its personal data opened.
func (a *App) get(ctx context.Context, id string) (dispute.Dispute, error) {
	d, err := a.Disputes.Get(ctx, id)
	if err != nil {
		return d, err
	}
	return d, a.crypt(&d, sealing.Open)
}

// update is Disputes.Update with the personal data opened for decide and
// sealed again for the write: the store never holds it in the clear.
func (a *App) update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[dispute.Dispute]) error) (dispute.Dispute, error) {
	d, err := a.Disputes.Update(ctx, id, opts, func(ch *docstore.Change[dispute.Dispute]) error {
		if err := a.crypt(&ch.State, sealing.Open); err != nil {
			return err
		}
		if err := decide(ch); err != nil {
			return err
		}
		return a.crypt(&ch.State, sealing.Seal)
	})
	if err != nil {
		return d, err
	}
	return d, a.crypt(&d, sealing.Open)
}

// Reseal seals every dispute still under an old key (or stored before
// sealing was switched on) again under the current key, and returns how
// many it rewrote. Each record is one version-checked update, the way every
// use case writes, so it runs beside serving instances (which must already
// hold the new key, see docs/privacy.md); a record changed meanwhile is
// simply loaded again. Run it again after a failure: it skips what is done.
func (a *App) Reseal(ctx context.Context) (int, error) {
	if a.Cipher == nil {
		return 0, nil
	}
	all, err := a.Disputes.All(ctx)
	if err != nil {
		return 0, fmt.Errorf("while listing the disputes to reseal: %w", err)
	}
	resealed := 0
	for i := range all {
		if !a.needsReseal(all[i]) {
			continue
		}
		// Update opens every field and seals it again under the current key.
		unchanged := func(*docstore.Change[dispute.Dispute]) error { return nil }
		if _, err := a.update(ctx, all[i].ID, docstore.Options{}, unchanged); err != nil {
			return resealed, fmt.Errorf("while resealing dispute %s: %w", all[i].ID, err)
		}
		resealed++
	}
	return resealed, nil
}

// needsReseal reports whether a stored dispute holds a personal field that
// is not sealed under the current key.
func (a *App) needsReseal(d dispute.Dispute) bool {
	for _, value := range d.PersonalData() {
		if value != "" && !a.Cipher.SealedWithCurrent(value) {
			return true
		}
	}
	return false
}
