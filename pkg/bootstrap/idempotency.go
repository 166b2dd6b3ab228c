package bootstrap

import (
	"context"
	"fmt"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/dueindex"
	"fengqiao.dev/pkg/httpserver"
)

// keyExpirySweep is how often expired Idempotency-Keys are forgotten: a key
// outlives its lifetime by up to this much, which costs only its storage.
const keyExpirySweep = 10 * time.Minute

// keptAnswers keeps the answers to Idempotency-Keys and files each key in
// a due index at the end of its life, so that forgetting expired keys reads
// the keys that expired, not every key ever sent: without it the answers of
// every POST sent with a key, bodies included, would stay stored for good.
type keptAnswers struct {
	answers *docstore.Collection[httpserver.IdempotentAnswer]
	expiry  *dueindex.Index
	now     func() time.Time
}

// Update is the answers' Update, filing the key when a request claims it.
func (k keptAnswers) Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[httpserver.IdempotentAnswer]) error) (httpserver.IdempotentAnswer, error) {
	return k.answers.Update(ctx, id, opts, func(ch *docstore.Change[httpserver.IdempotentAnswer]) error {
		claimed := ch.State.At
		if err := decide(ch); err != nil {
			return err
		}
		if at := ch.State.At; !at.IsZero() && !at.Equal(claimed) {
			return k.expiry.File(ctx, id, at.Add(httpserver.KeyLifetime), k.now())
		}
		return nil
	})
}

// forgetExpired deletes the answers whose keys expired since the last
// sweep. A key claimed again since it was filed is filed again, later, and
// is kept now (Expired is checked on the stored answer).
func (k keptAnswers) forgetExpired(ctx context.Context) error {
	now := k.now()
	// The first sweep of a new index starts its cursor here; later ones
	// catch up from where the last one stopped, even after days down.
	if err := k.expiry.Begin(ctx, now); err != nil {
		return err
	}
	ids, advance, err := k.expiry.Due(ctx, now)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := k.answers.DeleteIf(ctx, id, func(a httpserver.IdempotentAnswer) bool { return a.Expired(now) }); err != nil {
			return fmt.Errorf("while forgetting an expired Idempotency-Key: %w", err)
		}
	}
	return advance(ctx)
}
