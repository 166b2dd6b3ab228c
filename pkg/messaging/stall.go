package messaging

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/pkg/internal/wait"
)

// A consumer group member must never stay stuck without saying so. kafka-go's
// Reader can end up heartbeating happily in a generation in which it reads
// nothing, or less than it was assigned: a leader's assignment that missed a
// partition, partition readers that were stopped and not restarted, a
// generation that ended before the Reader had started it. Its group then
// looks healthy to the broker, and the partitions it should read fall behind
// for ever with nothing logged.
//
// So each member watches itself. It is stalled when, for StallAfter, it has
// been waiting for a message while some partition of its topics has records
// past the group's committed offset, and that committed offset has not moved
// in that time. A healthy member with records to read gets one within its
// fetch wait (MaxWait) plus, after a broker restart, a rebalance
// (SessionTimeout, RebalanceTimeout): far less than StallAfter. A stalled
// member logs at warn what it found and rejoins with a new Reader.
//
// With several members in a group, a quiet member also notices a partition
// that another member holds and does not move; rejoining then makes the
// group rebalance, which hands that partition to a working member too. A
// partition that moves, however slowly, never counts.

// quietClock tells how long the member has been waiting for a message.
type quietClock struct {
	since atomic.Int64 // unix nanoseconds; 0 while a message is handled
}

// restart starts the clock: the member waits for its next message.
func (q *quietClock) restart() { q.since.Store(time.Now().UnixNano()) }

// stop stops it: the member has a message to handle.
func (q *quietClock) stop() { q.since.Store(0) }

// quietFor is how long the member has been waiting; 0 while it is busy.
func (q *quietClock) quietFor() time.Duration {
	since := q.since.Load()
	if since == 0 {
		return 0
	}
	return time.Since(time.Unix(0, since))
}

// partitionLag is where the group stands on one partition.
type partitionLag struct {
	topic     string
	partition int
	committed int64 // the next offset the group will read
	end       int64 // the partition's high-water mark
}

func (l partitionLag) behind() int64 { return l.end - l.committed }

func (l partitionLag) String() string {
	return fmt.Sprintf("%s/%d at %d of %d", l.topic, l.partition, l.committed, l.end)
}

type partitionKey struct {
	topic     string
	partition int
}

// sighting is a partition seen behind at one committed offset since a time.
type sighting struct {
	committed int64
	since     time.Time
}

// watch looks at the member every half StallAfter while it is quiet, and
// calls rejoin once it finds it stalled.
func (c *Consumer) watch(ctx context.Context, quiet *quietClock, rejoin context.CancelFunc) {
	seen := map[partitionKey]sighting{}
	for wait.Sleep(ctx, c.opts.StallAfter/2) {
		if quiet.quietFor() < c.opts.StallAfter/2 {
			clear(seen) // busy: whatever it owns is moving
			continue
		}
		lags, err := c.groupLag(ctx)
		if err != nil {
			// The broker away: the Reader's own retries deal with that, and
			// a stall is judged once it answers again.
			c.log.Debug("cannot read the group's lag", "err", err)
			continue
		}
		stuck := stuckPartitions(seen, lags, time.Now(), c.opts.StallAfter)
		if len(stuck) == 0 || quiet.quietFor() < c.opts.StallAfter {
			continue
		}
		c.log.Warn("consumer stalled: waiting for messages while the group's committed offsets stay behind; rejoining the group with a new reader",
			"quiet_for", quiet.quietFor().Round(time.Second), "behind", describeLags(stuck))
		rejoin()
		return
	}
}

// stuckPartitions updates seen with lags, seen at now, and returns the
// partitions behind at one committed offset for at least stallAfter.
func stuckPartitions(seen map[partitionKey]sighting, lags []partitionLag, now time.Time, stallAfter time.Duration) []partitionLag {
	var stuck []partitionLag
	behind := map[partitionKey]bool{}
	for _, l := range lags {
		if l.behind() <= 0 {
			continue
		}
		key := partitionKey{l.topic, l.partition}
		behind[key] = true
		s, ok := seen[key]
		if !ok || s.committed != l.committed {
			s = sighting{committed: l.committed, since: now}
			seen[key] = s
		}
		if now.Sub(s.since) >= stallAfter {
			stuck = append(stuck, l)
		}
	}
	for key := range seen {
		if !behind[key] {
			delete(seen, key)
		}
	}
	return stuck
}

func describeLags(lags []partitionLag) string {
	parts := make([]string, len(lags))
	for i, l := range lags {
		parts[i] = l.String()
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// groupLag reads, for every partition of the subscription's topics, the
// group's committed offset and the partition's end. A partition the group
// never committed on counts from its first offset, where a new group starts.
func (c *Consumer) groupLag(ctx context.Context) ([]partitionLag, error) {
	meta, err := c.lag.Metadata(ctx, &kafka.MetadataRequest{Topics: c.sub.Topics})
	if err != nil {
		return nil, fmt.Errorf("cannot read the metadata of %v: %w", c.sub.Topics, err)
	}
	partitions := map[string][]int{}
	for _, t := range meta.Topics {
		if t.Error != nil {
			return nil, fmt.Errorf("cannot read the metadata of %s: %w", t.Name, t.Error)
		}
		for _, p := range t.Partitions {
			partitions[t.Name] = append(partitions[t.Name], p.ID)
		}
	}
	committed, err := c.committedOffsets(ctx, partitions)
	if err != nil {
		return nil, err
	}
	ends, err := c.offsets(ctx, partitions, kafka.LastOffset)
	if err != nil {
		return nil, fmt.Errorf("cannot read the ends of %v: %w", c.sub.Topics, err)
	}
	never := map[string][]int{}
	for key := range ends {
		if _, ok := committed[key]; !ok {
			never[key.topic] = append(never[key.topic], key.partition)
		}
	}
	if len(never) > 0 {
		firsts, err := c.offsets(ctx, never, kafka.FirstOffset)
		if err != nil {
			return nil, fmt.Errorf("cannot read the first offsets of %v: %w", c.sub.Topics, err)
		}
		for key, first := range firsts {
			committed[key] = first
		}
	}
	lags := make([]partitionLag, 0, len(ends))
	for key, end := range ends {
		lags = append(lags, partitionLag{topic: key.topic, partition: key.partition, committed: committed[key], end: end})
	}
	return lags, nil
}

// committedOffsets are the group's committed offsets; a partition it never
// committed on is missing.
func (c *Consumer) committedOffsets(ctx context.Context, partitions map[string][]int) (map[partitionKey]int64, error) {
	resp, err := c.lag.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: c.sub.Name, Topics: partitions})
	if err == nil {
		err = resp.Error
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the committed offsets of %s: %w", c.sub.Name, err)
	}
	out := map[partitionKey]int64{}
	for topic, ps := range resp.Topics {
		for _, p := range ps {
			if p.Error != nil {
				return nil, fmt.Errorf("cannot read the committed offset of %s/%d: %w", topic, p.Partition, p.Error)
			}
			if p.CommittedOffset >= 0 {
				out[partitionKey{topic, p.Partition}] = p.CommittedOffset
			}
		}
	}
	return out, nil
}

// offsets lists the first or the last offset (kafka.FirstOffset or
// kafka.LastOffset) of each partition.
func (c *Consumer) offsets(ctx context.Context, partitions map[string][]int, which int64) (map[partitionKey]int64, error) {
	asks := map[string][]kafka.OffsetRequest{}
	for topic, ps := range partitions {
		for _, p := range ps {
			asks[topic] = append(asks[topic], kafka.OffsetRequest{Partition: p, Timestamp: which})
		}
	}
	resp, err := c.lag.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: asks})
	if err != nil {
		return nil, err
	}
	out := map[partitionKey]int64{}
	for topic, ps := range resp.Topics {
		for _, p := range ps {
			if p.Error != nil {
				return nil, fmt.Errorf("%s/%d: %w", topic, p.Partition, p.Error)
			}
			if which == kafka.FirstOffset {
				out[partitionKey{topic, p.Partition}] = p.FirstOffset
			} else {
				out[partitionKey{topic, p.Partition}] = p.LastOffset
			}
		}
	}
	return out, nil
}

// readerCloseTimeout bounds the wait for a Reader to leave its group.
const readerCloseTimeout = 15 * time.Second

// closeReader closes r, leaving the group. A Reader wedged so badly that it
// does not close in time is left to finish on its own: the member must not
// stay stuck in its predecessor's shutdown.
func (c *Consumer) closeReader(r *kafka.Reader) {
	closed := make(chan error, 1)
	go func() { closed <- r.Close() }()
	select {
	case err := <-closed:
		if err != nil && !errors.Is(err, context.Canceled) {
			c.log.Debug("closing the reader", "err", err)
		}
	case <-time.After(readerCloseTimeout):
		c.log.Warn("the reader did not leave the group in time; left to finish on its own", "waited", readerCloseTimeout)
	}
}
