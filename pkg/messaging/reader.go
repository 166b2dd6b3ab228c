package messaging

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"

	"fengqiao.dev/pkg/internal/wait"
)

// Message is one Kafka record, as published and as read. Callers name it
// through this package, which is the one place the platform's Kafka client
// is imported.
type Message = kafka.Message

// Header is one header of a Message.
type Header = kafka.Header

// TopicReader reads a whole topic without a consumer group: it moves no
// group's offsets, so every replica and tool may read the topic from its
// first offset. It serves the readers that need everything a topic holds,
// not a share of it: a replay of the event log, the compacted policy and
// figures topics every replica keeps in memory, tools and tests.
type TopicReader struct {
	Brokers []string
	Topic   string
	// SASL and TLS secure the connections; nil for a plaintext broker.
	SASL sasl.Mechanism
	TLS  *tls.Config
	// MaxWait bounds how long a fetch waits for new records when
	// following a topic: the worst-case delay of a record. Default 500 ms.
	MaxWait time.Duration
	// Retry is the pause, when following, after an error (the topic
	// missing, the broker down). Default 1 s.
	Retry time.Duration
	// Logger receives the errors a follower rides out; default
	// slog.Default().
	Logger *slog.Logger
}

// IsUnknownTopic reports whether err says a topic does not exist.
func IsUnknownTopic(err error) bool { return errors.Is(err, kafka.UnknownTopicOrPartition) }

// TopicReader returns a reader of topic on the cluster; it fails only when
// the cluster's SASL mechanism cannot be built.
func (c Cluster) TopicReader(topic string) (*TopicReader, error) {
	m, err := c.mechanism()
	if err != nil {
		return nil, err
	}
	return &TopicReader{Brokers: c.Brokers, Topic: topic, SASL: m, TLS: c.tlsConfig()}, nil
}

// Fetch sizes: a fetch returns at most fetchMaxBytes (far above
// MaxMessageBytes, so one record never stops a partition), and bounds a
// read to the end at fetchWait, though the broker answers as soon as it
// has a record, and below the partition's end it always has.
const (
	fetchMaxBytes = 16 << 20
	fetchWait     = 30 * time.Second
)

// errNoProgress is a fetch below a partition's end that returned nothing.
var errNoProgress = errors.New("the fetch returned nothing")

func (r *TopicReader) dialer() *kafka.Dialer {
	return &kafka.Dialer{SASLMechanism: r.SASL, TLS: r.TLS, Timeout: 10 * time.Second, DualStack: true}
}

func (r *TopicReader) maxWait() time.Duration {
	if r.MaxWait > 0 {
		return r.MaxWait
	}
	return 500 * time.Millisecond
}

func (r *TopicReader) retry() time.Duration {
	if r.Retry > 0 {
		return r.Retry
	}
	return time.Second
}

func (r *TopicReader) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}

// ReadToEnd calls each with the topic's messages, partition by partition,
// each partition's in offset order, from its first offset to the offset it
// ended at when its read began. each gets the messages of one fetch at a
// time (up to 16 MiB of them); the slice is each's until it returns. A topic
// that does not exist reads as empty. The first error each returns stops
// the read and is returned as it is; the reader's own errors name the topic
// and partition.
func (r *TopicReader) ReadToEnd(ctx context.Context, each func([]Message) error) error {
	partitions, err := r.Partitions(ctx)
	if errors.Is(err, kafka.UnknownTopicOrPartition) {
		return nil // nothing was ever published on it
	}
	if err != nil {
		return err
	}
	for _, p := range partitions {
		if err := r.ReadPartition(ctx, p, each); err != nil {
			return err
		}
	}
	return nil
}

// Partitions lists the topic's partitions, asking the brokers in turn; the
// error of a topic that does not exist is kafka-go's
// UnknownTopicOrPartition (IsUnknownTopic).
func (r *TopicReader) Partitions(ctx context.Context) ([]int, error) {
	if len(r.Brokers) == 0 {
		return nil, errors.New("no broker to read " + r.Topic + " from")
	}
	var errs []error
	for _, broker := range r.Brokers {
		conn, err := r.dialer().DialContext(ctx, "tcp", broker)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		parts, err := conn.ReadPartitions(r.Topic)
		_ = conn.Close()
		if err != nil {
			return nil, fmt.Errorf("while listing the partitions of %s: %w", r.Topic, err)
		}
		ids := make([]int, len(parts))
		for i, p := range parts {
			ids[i] = p.ID
		}
		return ids, nil
	}
	return nil, fmt.Errorf("while connecting to read %s: %w", r.Topic, errors.Join(errs...))
}

// ReadPartition is ReadToEnd for one partition. It reads in fetch batches
// over the leader's own connection: a kafka-go Reader, with its goroutines
// and fetch wait, costs more than a small partition's whole read. A
// partition that holds fewer records than its offsets promise (a broker
// that lost some in a crash) fails the read, naming the offset.
func (r *TopicReader) ReadPartition(ctx context.Context, partition int, each func([]Message) error) error {
	leader, err := r.dialer().DialLeader(ctx, "tcp", r.Brokers[0], r.Topic, partition)
	if err != nil {
		return fmt.Errorf("while connecting to %s/%d: %w", r.Topic, partition, err)
	}
	defer func() { _ = leader.Close() }()
	first, last, err := leader.ReadOffsets()
	if err != nil {
		return fmt.Errorf("while reading the offsets of %s/%d: %w", r.Topic, partition, err)
	}
	if first >= last {
		return nil
	}
	if _, err := leader.Seek(first, kafka.SeekAbsolute); err != nil {
		return fmt.Errorf("while seeking %s/%d: %w", r.Topic, partition, err)
	}
	var batch []Message
	for next := first; next < last; {
		if err := ctx.Err(); err != nil {
			return err
		}
		deadline := time.Now().Add(fetchWait)
		if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
			deadline = d
		}
		if err := leader.SetReadDeadline(deadline); err != nil {
			return err
		}
		fetch := leader.ReadBatch(1, fetchMaxBytes)
		batch = batch[:0]
		after := next
		for after < last {
			m, err := fetch.ReadMessage()
			if err != nil {
				break // the fetch is exhausted; Close says why if it was empty
			}
			after = m.Offset + 1
			batch = append(batch, m)
		}
		closeErr := fetch.Close()
		if after == next {
			return fmt.Errorf("while reading %s/%d: no message at offset %d before the end at %d: %w",
				r.Topic, partition, next, last, errors.Join(closeErr, errNoProgress))
		}
		if err := each(batch); err != nil {
			return err
		}
		next = after
	}
	return nil
}

// Follow reads the topic from the first offset of every partition and then
// follows it until ctx ends, calling each with every message: the
// partitions side by side, so each is called from several goroutines at
// once, each partition's messages in offset order. It waits for the topic to
// exist and rides out broker outages, logging them. caughtUp, when not nil,
// is called once, when every partition has been read to the offset it ended
// at when the topic was found, or when ctx ends first, so that nobody waits
// for it in vain. Follow returns when ctx ends; a topic's partitions added
// after it started are not read.
func (r *TopicReader) Follow(ctx context.Context, caughtUp func(), each func(Message)) {
	ends, err := r.waitForTopic(ctx)
	if err != nil {
		return // ctx ended
	}
	var once sync.Once
	done := func() {
		if caughtUp != nil {
			once.Do(caughtUp)
		}
	}
	var pending sync.WaitGroup
	pending.Add(len(ends))
	go func() { pending.Wait(); done() }()
	var wg sync.WaitGroup
	for partition, end := range ends {
		wg.Go(func() { r.follow(ctx, partition, -1, end, pending.Done, each) })
	}
	wg.Wait()
}

// Ends returns, by partition, the offset the next record of the topic will
// get: where FollowFrom starts to read only what is published from now on.
func (r *TopicReader) Ends(ctx context.Context) (map[int]int64, error) {
	tr := &kafka.Transport{SASL: r.SASL, TLS: r.TLS, DialTimeout: 10 * time.Second}
	defer tr.CloseIdleConnections()
	c := &kafka.Client{Addr: kafka.TCP(r.Brokers...), Timeout: 10 * time.Second, Transport: tr}
	return partitionOffsets(ctx, c, r.Topic, func(p kafka.PartitionOffsets) int64 { return p.LastOffset })
}

// FollowFrom is Follow from the given offset of each partition named in
// from (Ends, say), until ctx ends.
func (r *TopicReader) FollowFrom(ctx context.Context, from map[int]int64, each func(Message)) {
	var wg sync.WaitGroup
	for partition, start := range from {
		wg.Go(func() { r.follow(ctx, partition, start, 0, func() {}, each) })
	}
	wg.Wait()
}

// waitForTopic returns, for each partition, the offset the topic ends at
// now, 0 for an empty one.
func (r *TopicReader) waitForTopic(ctx context.Context) (map[int]int64, error) {
	// Its own transport: kafka-go answers Metadata from the transport's
	// cache, and the shared default one would hide a new topic for seconds.
	tr := &kafka.Transport{MetadataTTL: r.retry() / 2, SASL: r.SASL, TLS: r.TLS, DialTimeout: 10 * time.Second}
	defer tr.CloseIdleConnections()
	c := &kafka.Client{Addr: kafka.TCP(r.Brokers...), Timeout: 10 * time.Second, Transport: tr}
	for {
		ends, err := topicEnds(ctx, c, r.Topic)
		if err == nil {
			return ends, nil
		}
		r.logger().Debug("topic not readable yet", "topic", r.Topic, "error", err)
		if !wait.Sleep(ctx, r.retry()) {
			return nil, ctx.Err()
		}
	}
}

// topicEnds returns, by partition, the offset topic ends at, 0 for an
// empty partition (all records deleted or none yet): nothing to catch up
// with.
func topicEnds(ctx context.Context, c *kafka.Client, topic string) (map[int]int64, error) {
	return partitionOffsets(ctx, c, topic, func(p kafka.PartitionOffsets) int64 {
		if p.LastOffset <= p.FirstOffset {
			return 0
		}
		return p.LastOffset
	})
}

func partitionOffsets(ctx context.Context, c *kafka.Client, topic string, pick func(kafka.PartitionOffsets) int64) (map[int]int64, error) {
	md, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, fmt.Errorf("while reading the metadata of %s: %w", topic, err)
	}
	if len(md.Topics) != 1 || md.Topics[0].Error != nil || len(md.Topics[0].Partitions) == 0 {
		return nil, fmt.Errorf("topic %s does not exist", topic)
	}
	var reqs []kafka.OffsetRequest
	for _, p := range md.Topics[0].Partitions {
		reqs = append(reqs, kafka.FirstOffsetOf(p.ID), kafka.LastOffsetOf(p.ID))
	}
	res, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("while listing the offsets of %s: %w", topic, err)
	}
	ends := map[int]int64{}
	for _, p := range res.Topics[topic] {
		if p.Error != nil {
			return nil, fmt.Errorf("while listing the offsets of %s/%d: %w", topic, p.Partition, p.Error)
		}
		ends[p.Partition] = pick(p)
	}
	return ends, nil
}

// follow reads one partition from start (its first offset when negative)
// until ctx ends; caughtUp is called once the offset end, where the
// partition ended when the read began, has been passed, or ctx ended.
func (r *TopicReader) follow(ctx context.Context, partition int, start, end int64, caughtUp func(), each func(Message)) {
	reader := kafka.NewReader(kafka.ReaderConfig{
		Brokers: r.Brokers, Topic: r.Topic, Partition: partition,
		StartOffset: kafka.FirstOffset, MaxWait: r.maxWait(), MaxBytes: fetchMaxBytes, Dialer: r.dialer(),
	})
	defer func() { _ = reader.Close() }()
	if start >= 0 {
		if err := reader.SetOffset(start); err != nil {
			r.logger().Error("cannot start following a topic", "topic", r.Topic, "partition", partition, "offset", start, "error", err)
			caughtUp()
			return
		}
	}
	var once sync.Once
	mark := func() { once.Do(caughtUp) }
	if end <= 0 {
		mark() // an empty partition
	}
	for {
		m, err := reader.ReadMessage(ctx)
		if ctx.Err() != nil {
			mark() // let those waiting for caughtUp see ctx's error, not hang
			return
		}
		if err != nil {
			r.logger().Warn("while following a topic", "topic", r.Topic, "partition", partition, "error", err)
			wait.Sleep(ctx, r.retry())
			continue
		}
		each(m)
		if m.Offset >= end-1 {
			mark()
		}
	}
}
