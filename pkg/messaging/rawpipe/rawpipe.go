// Package rawpipe is the floor the load generator (devstack/loadgen)
// compares the platform with. It lives beside pkg/messaging, whose writers
// and readers it copies, because only pkg and the operator import the
// Kafka client.
package rawpipe

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/pkg/messaging"
)

// Pipe is the floor the platform is compared with: two hops of plain
// kafka-go on the same broker, in the same run, at the same rate: produce to
// a topic, consume it, produce to a second topic, consume that, as a
// dispute travels intake → disputes topic → referral → copy topic → agency,
// with nothing done in between. Its writers and readers are set up like the
// services' (pkg/messaging), so the ratio measures the platform's own work.
type Pipe struct {
	topics  [2]string
	kafka   kafkaLogin
	first   *kafka.Writer
	second  *kafka.Writer
	relay   *kafka.Reader
	end     *kafka.Reader
	wg      sync.WaitGroup
	stopped context.CancelFunc

	mu   sync.Mutex
	sent map[string]time.Time
	took map[string]time.Duration
}

// kafkaLogin is how the pipe's clients reach the broker.
type kafkaLogin struct {
	brokers   []string
	dialer    *kafka.Dialer
	transport *kafka.Transport
}

// Start creates the pipe's two topics, named after name, starts its hops
// and sends a few messages through it before returning.
func Start(ctx context.Context, c messaging.Cluster, name string) (*Pipe, error) {
	d, err := c.Dialer()
	if err != nil {
		return nil, fmt.Errorf("cannot log in to kafka: %w", err)
	}
	tr, err := c.Transport()
	if err != nil {
		return nil, fmt.Errorf("cannot log in to kafka: %w", err)
	}
	k := kafkaLogin{brokers: c.Brokers, dialer: d, transport: tr}
	p := &Pipe{
		topics: [2]string{name + ".hop1", name + ".hop2"}, kafka: k,
		sent: map[string]time.Time{}, took: map[string]time.Duration{},
	}
	if err := createTopics(ctx, k, p.topics[:]...); err != nil {
		return nil, err
	}
	p.first, p.second = pipeWriter(k), pipeWriter(k)
	p.relay, p.end = pipeReader(k, p.topics[0]), pipeReader(k, p.topics[1])
	runCtx, cancel := context.WithCancel(ctx)
	p.stopped = cancel
	p.wg.Go(func() { p.forward(runCtx) })
	p.wg.Go(func() { p.arrive(runCtx) })
	if err := p.warmUp(ctx); err != nil {
		_ = p.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return p, nil
}

// warmUp sends a few messages through and forgets them, so the figures do
// not hold the writers' and readers' first metadata requests and
// connections, which the platform's long-running clients made long ago.
func (p *Pipe) warmUp(ctx context.Context) error {
	const messages = 5
	for i := range messages {
		if err := p.Send(ctx, fmt.Sprintf("warm-up-%d", i)); err != nil {
			return err
		}
	}
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	p.WaitAll(waitCtx)
	if waitCtx.Err() != nil {
		return fmt.Errorf("the raw pipe on %s did not carry its first messages within 30s", p.topics)
	}
	p.Reset()
	return nil
}

// Reset forgets the messages measured so far.
func (p *Pipe) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.sent)
	clear(p.took)
}

func pipeWriter(k kafkaLogin) *kafka.Writer {
	return &kafka.Writer{
		Addr: kafka.TCP(k.brokers...), Transport: k.transport, Balancer: kafka.Murmur2Balancer{}, RequiredAcks: kafka.RequireAll,
		BatchTimeout: 5 * time.Millisecond, WriteTimeout: 10 * time.Second, MaxAttempts: 3,
	}
}

// readerMaxWait is the services' own (pkg/messaging): a fetch returns as
// soon as a record is there, this bounds only an empty one.
const readerMaxWait = 250 * time.Millisecond

func pipeReader(k kafkaLogin, topic string) *kafka.Reader {
	return kafka.NewReader(kafka.ReaderConfig{
		Brokers: k.brokers, Dialer: k.dialer, Topic: topic, Partition: 0, StartOffset: kafka.FirstOffset,
		MinBytes: 1, MaxBytes: 10 << 20, MaxWait: readerMaxWait,
	})
}

// Send puts one message into the pipe; key names it.
func (p *Pipe) Send(ctx context.Context, key string) error {
	p.mu.Lock()
	p.sent[key] = time.Now()
	p.mu.Unlock()
	if err := p.first.WriteMessages(ctx, kafka.Message{Topic: p.topics[0], Key: []byte(key), Value: []byte(key)}); err != nil {
		return fmt.Errorf("cannot produce to %s: %w", p.topics[0], err)
	}
	return nil
}

// forward is the middle hop: consume the first topic, produce to the
// second. Each message is produced on its own, without waiting for the one
// before: the writer batches those in flight together, as the services'
// outbox relays publish a batch, so the floor does not queue behind one
// acknowledgement at a time when the broker is slow.
func (p *Pipe) forward(ctx context.Context) {
	var inFlight sync.WaitGroup
	defer inFlight.Wait()
	for {
		m, err := p.relay.ReadMessage(ctx)
		if err != nil {
			return
		}
		inFlight.Go(func() {
			_ = p.second.WriteMessages(ctx, kafka.Message{Topic: p.topics[1], Key: m.Key, Value: m.Value})
		})
	}
}

func (p *Pipe) arrive(ctx context.Context) {
	for {
		m, err := p.end.ReadMessage(ctx)
		if err != nil {
			return
		}
		now := time.Now()
		p.mu.Lock()
		if sent, ok := p.sent[string(m.Key)]; ok {
			if _, dup := p.took[string(m.Key)]; !dup {
				p.took[string(m.Key)] = now.Sub(sent)
			}
		}
		p.mu.Unlock()
	}
}

// Latencies returns the time through both hops of every message that made
// it, and how many were sent.
func (p *Pipe) Latencies() (got []time.Duration, sent int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range p.took {
		got = append(got, d)
	}
	return got, len(p.sent)
}

// WaitAll waits until every message sent has come out, or ctx ends.
func (p *Pipe) WaitAll(ctx context.Context) {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if got, sent := p.Latencies(); len(got) == sent {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Close stops the pipe and deletes its topics: they are the generator's,
// not the platform's.
func (p *Pipe) Close(ctx context.Context) error {
	p.stopped()
	_ = p.relay.Close()
	_ = p.end.Close()
	p.wg.Wait()
	_ = p.first.Close()
	_ = p.second.Close()
	return deleteTopics(ctx, p.kafka, p.topics[:]...)
}

// createTopics creates single-partition topics on the cluster's controller.
func createTopics(ctx context.Context, k kafkaLogin, topics ...string) error {
	conn, err := dialController(ctx, k)
	if err != nil {
		return err
	}
	defer conn.Close()
	configs := make([]kafka.TopicConfig, len(topics))
	for i, t := range topics {
		configs[i] = kafka.TopicConfig{Topic: t, NumPartitions: 1, ReplicationFactor: 1}
	}
	if err := conn.CreateTopics(configs...); err != nil {
		return fmt.Errorf("cannot create the raw pipe's topics: %w", err)
	}
	return nil
}

func deleteTopics(ctx context.Context, k kafkaLogin, topics ...string) error {
	conn, err := dialController(ctx, k)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.DeleteTopics(topics...); err != nil {
		return fmt.Errorf("cannot delete the raw pipe's topics: %w", err)
	}
	return nil
}

func dialController(ctx context.Context, k kafkaLogin) (*kafka.Conn, error) {
	broker := k.brokers[0]
	conn, err := k.dialer.DialContext(ctx, "tcp", broker)
	if err != nil {
		return nil, fmt.Errorf("cannot reach the broker %s: %w", broker, err)
	}
	defer conn.Close()
	ctrl, err := conn.Controller()
	if err != nil {
		return nil, fmt.Errorf("cannot find the controller: %w", err)
	}
	c, err := k.dialer.DialContext(ctx, "tcp", net.JoinHostPort(ctrl.Host, strconv.Itoa(ctrl.Port)))
	if err != nil {
		return nil, fmt.Errorf("cannot reach the controller: %w", err)
	}
	return c, nil
}
