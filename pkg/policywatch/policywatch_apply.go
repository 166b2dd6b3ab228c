package policywatch

import (
	"context"
	"time"

	kafka "github.com/segmentio/kafka-go"

	"fengqiao.dev/api/policy"
)

// readPartition follows one partition from its first offset; caughtUp is
// called once the offset that was the end at start has been passed.
func (w *Watcher) readPartition(ctx context.Context, partition int, end int64, caughtUp func()) {
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers: w.cfg.Brokers, Topic: w.cfg.Topic, Partition: partition,
		StartOffset: kafka.FirstOffset, MaxWait: w.cfg.MaxWait, MaxBytes: 16 << 20,
		Dialer: &kafka.Dialer{Timeout: 10 * time.Second, DualStack: true, SASLMechanism: w.cfg.SASL, TLS: w.cfg.TLS},
	})
	defer func() { _ = r.Close() }()
	done := false
	mark := func() {
		if !done {
			done = true
			caughtUp()
		}
	}
	if end <= 0 {
		mark() // empty partition
	}
	for {
		m, err := r.ReadMessage(ctx)
		if ctx.Err() != nil {
			mark() // let WaitReady callers see ctx's error, not hang
			return
		}
		if err != nil {
			w.cfg.Logger.Warn("while reading the policy topic", "partition", partition, "error", err)
			sleep(ctx, w.cfg.Retry)
			continue
		}
		w.apply(m)
		if m.Offset >= end-1 {
			mark()
		}
	}
}

// apply records one policy record and tells the listeners. A record older
// than the held one from the same source is ignored: the topic keeps order
// per key, but a rewind must not resurrect an old policy.
func (w *Watcher) apply(m kafka.Message) {
	county := string(m.Key)
	next, err := policy.Decode(m.Value)
	if err != nil {
		// A bad record is skipped: the next publication replaces it.
		w.cfg.Logger.Error("skipping a policy record", "county", county, "offset", m.Offset, "error", err)
		return
	}
	w.mu.Lock()
	prev := w.policies[county]
	if next != nil && prev != nil && next.Source == prev.Source && next.Revision < prev.Revision {
		w.mu.Unlock()
		return
	}
	if next == nil {
		delete(w.policies, county)
	} else {
		w.policies[county] = next
	}
	listeners := make([]func(Change), 0, len(w.listeners))
	for _, fn := range w.listeners {
		listeners = append(listeners, fn)
	}
	w.mu.Unlock()
	if prev == nil && next == nil {
		return
	}
	for _, fn := range listeners {
		fn(Change{County: county, Policy: next, Previous: prev})
	}
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
