package app

import (
	"context"
	"fmt"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/sealing"
	"fengqiao.dev/services/intake/internal/dispute"
)

// personalFields lists a dispute's personal data, each with the name that
// binds its ciphertext to the record (the AEAD's associated data): party
// names, ID and phone numbers, the street address and map pin, and the free text (the
// summary, the narrative and the revisits' notes on rebounds), which names
// people as often as not.
func personalFields(d *dispute.Dispute) map[string]*string {
	f := map[string]*string{"address": &d.Address, "location": &d.Location, "summary": &d.Summary, "narrative": &d.Narrative}
	for i := range d.Parties {
		p := &d.Parties[i]
		at := fmt.Sprintf("parties/%d/", i)
		f[at+"name"], f[at+"id_number"], f[at+"phone"] = &p.Name, &p.IDNumber, &p.Phone
	}
	for i := range d.Reopenings {
		f[fmt.Sprintf("reopenings/%d/note", i)] = &d.Reopenings[i].Note
	}
	return f
}

// crypt applies seal or open to every personal field of d.
func (a *App) crypt(d *dispute.Dispute, op func(*sealing.Keyring, string, string) (string, error)) error {
	if a.Cipher == nil {
		return nil
	}
	for name, field := range personalFields(d) {
		v, err := op(a.Cipher, *field, d.ID+"/"+name)
		if err != nil {
			return fmt.Errorf("while sealing or opening %s of dispute %s: %w", name, d.ID, err)
		}
		*field = v
	}
	return nil
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
		if !a.needsReseal(&all[i]) {
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
func (a *App) needsReseal(d *dispute.Dispute) bool {
	for _, field := range personalFields(d) {
		if *field != "" && !a.Cipher.SealedWithCurrent(*field) {
			return true
		}
	}
	return false
}
