package policywatch

import (
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/messaging"
)

// apply records one policy record and tells the listeners. A record older
// than the held one from the same source is ignored: the topic keeps order
// per key, but a rewind must not resurrect an old policy.
func (w *Watcher) apply(m messaging.Message) {
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
