package loadgen

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/messaging"
)

// copyReaders read the counties' copy topics as the agencies' systems do,
// without a consumer group, every partition from the end it had before the
// first report was sent: a consumer group would also work, but its join
// takes seconds, and any copy published while it joins would be missed and
// counted as lost.
type copyReaders struct {
	stop context.CancelFunc
	wg   sync.WaitGroup
}

// readCopies starts the readers; every copy read is handed to arrived with
// the dispute ID (the message key), the copy and when it was read.
func readCopies(ctx context.Context, cluster messaging.Cluster, counties []County, arrived func(disputeID string, c events.Copy, at time.Time)) (*copyReaders, error) {
	ctx, stop := context.WithCancel(ctx)
	cr := &copyReaders{stop: stop}
	for _, county := range counties {
		for _, cp := range events.Copies() {
			topic := events.CountyCopyTopic(county.Code, cp)
			reader, err := cluster.TopicReader(topic)
			if err != nil {
				cr.close()
				return nil, err
			}
			reader.MaxWait = readerMaxWait
			ends, err := reader.Ends(ctx)
			if err != nil {
				cr.close()
				return nil, fmt.Errorf("cannot find the end of %s (is the county published?): %w", topic, err)
			}
			cr.wg.Go(func() {
				reader.FollowFrom(ctx, ends, func(m messaging.Message) { arrived(string(m.Key), cp, time.Now()) })
			})
		}
	}
	return cr, nil
}

// readerMaxWait is the services' own (pkg/messaging): a fetch returns as
// soon as a record is there, this bounds only an empty one.
const readerMaxWait = 250 * time.Millisecond

func (cr *copyReaders) close() {
	cr.stop()
	cr.wg.Wait()
}

// tracker matches copies to the disputes the run opened. A copy can be read
// before the POST that opened its dispute has returned, so copies of
// disputes not yet known wait in early until it does; copies of disputes of
// other runs or of other clients are never claimed and are dropped with it.
type tracker struct {
	mu       sync.Mutex
	disputes map[string]*tracked
	early    map[string][]arrival
	complete chan struct{} // signalled whenever a dispute gets its last copy
}

type tracked struct {
	posted time.Time // when its POST was sent
	copies map[events.Copy]time.Time
}

type arrival struct {
	copy events.Copy
	at   time.Time
}

func newTracker() *tracker {
	return &tracker{disputes: map[string]*tracked{}, early: map[string][]arrival{}, complete: make(chan struct{}, 1)}
}

// opened records a dispute the run opened with a POST sent at posted.
func (t *tracker) opened(id string, posted time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, dup := t.disputes[id]; dup {
		return
	}
	d := &tracked{posted: posted, copies: map[events.Copy]time.Time{}}
	t.disputes[id] = d
	for _, a := range t.early[id] {
		t.record(d, a)
	}
	delete(t.early, id)
}

func (t *tracker) arrived(id string, c events.Copy, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if d, ok := t.disputes[id]; ok {
		t.record(d, arrival{c, at})
		return
	}
	t.early[id] = append(t.early[id], arrival{c, at})
}

// record keeps the first arrival of each copy: a copy delivered twice
// (at least once) counts when it first arrived.
func (t *tracker) record(d *tracked, a arrival) {
	if _, seen := d.copies[a.copy]; seen {
		return
	}
	d.copies[a.copy] = a.at
	if len(d.copies) == len(events.Copies()) {
		select {
		case t.complete <- struct{}{}:
		default:
		}
	}
}

// waitAll returns once every dispute opened has its three copies, or the
// last one's deadline has passed, or ctx ends.
func (t *tracker) waitAll(ctx context.Context, deadline time.Duration) error {
	for {
		pending, last := t.pending()
		if pending == 0 {
			return nil
		}
		wait := time.Until(last.Add(deadline))
		if wait <= 0 {
			return nil
		}
		timer := time.NewTimer(wait)
		select {
		case <-t.complete:
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		}
		timer.Stop()
	}
}

// pending counts the disputes still missing a copy and the latest POST time
// among them.
func (t *tracker) pending() (int, time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n, last := 0, time.Time{}
	for _, d := range t.disputes {
		if len(d.copies) < len(events.Copies()) {
			n++
			if d.posted.After(last) {
				last = d.posted
			}
		}
	}
	return n, last
}

// latencies returns, for every dispute that had its three copies within
// deadline of its POST, the time from the POST to its last copy, and the
// count of those that did not.
func (t *tracker) latencies(deadline time.Duration) (got []time.Duration, late int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, d := range t.disputes {
		if len(d.copies) < len(events.Copies()) {
			late++
			continue
		}
		var lastCopy time.Time
		for _, at := range d.copies {
			if at.After(lastCopy) {
				lastCopy = at
			}
		}
		if l := lastCopy.Sub(d.posted); l <= deadline {
			got = append(got, l)
		} else {
			late++
		}
	}
	return got, late
}

func (t *tracker) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.disputes)
}
