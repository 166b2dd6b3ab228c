package messaging

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/internal/diskfull"
	"fengqiao.dev/pkg/internal/wait"
	"fengqiao.dev/pkg/telemetry"
)

// ConsumerOptions tune a consumer; zero values take the defaults.
type ConsumerOptions struct {
	Attempts   int           // handler attempts before dead-lettering; default 5
	MinBackoff time.Duration // first retry delay; default 100ms, doubled per attempt
	MaxBackoff time.Duration // cap on a retry delay; default 5s
	Logger     *slog.Logger
	Tracer     trace.TracerProvider
	// Metrics, when set, count dead letters and observe the group's lag.
	Metrics *telemetry.Metrics
	// StallAfter is how long a member may wait for a message while its
	// group's committed offsets stay behind the ends of its topics, or keep
	// failing to commit, before it rejoins the group with a new reader;
	// default 30s. See stall.go.
	StallAfter time.Duration
}

func (o *ConsumerOptions) defaults() {
	if o.Attempts <= 0 {
		o.Attempts = 5
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = 100 * time.Millisecond
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 5 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Tracer == nil {
		o.Tracer = trace.NewNoopTracerProvider()
	}
	if o.StallAfter <= 0 {
		o.StallAfter = 30 * time.Second
	}
}

// Consumer runs one Subscription as a consumer group member.
type Consumer struct {
	sub    Subscription
	opts   ConsumerOptions
	reader kafka.ReaderConfig
	lag    *kafka.Client // reads the group's committed offsets and the partitions' ends
	dlq    *Producer
	tracer trace.Tracer
	log    *slog.Logger
}

// NewConsumer builds a consumer; dlq publishes dead letters. It joins the
// group only when Run starts.
func NewConsumer(c Cluster, sub Subscription, dlq *Producer, opts ConsumerOptions) (*Consumer, error) {
	opts.defaults()
	if sub.Name == "" || len(sub.Topics) == 0 || len(sub.Handlers) == 0 {
		return nil, fmt.Errorf("subscription %q needs a name, topics and handlers", sub.Name)
	}
	dialer, err := c.Dialer()
	if err != nil {
		return nil, err
	}
	transport, err := c.Transport()
	if err != nil {
		return nil, err
	}
	config := kafka.ReaderConfig{
		Brokers:     c.Brokers,
		GroupID:     sub.Name,
		GroupTopics: sub.Topics,
		Dialer:      dialer,
		// A new group starts from the oldest record: a service deployed
		// after events were published must still see them.
		StartOffset:       kafka.FirstOffset,
		MinBytes:          1,
		MaxBytes:          10 << 20,
		MaxWait:           250 * time.Millisecond,
		HeartbeatInterval: time.Second,
		SessionTimeout:    10 * time.Second,
		RebalanceTimeout:  10 * time.Second,
		JoinGroupBackoff:  500 * time.Millisecond,
		ReadBackoffMin:    50 * time.Millisecond,
		ReadBackoffMax:    500 * time.Millisecond,
		// CommitInterval 0: CommitMessages is synchronous, so a returned
		// commit is a durable one.
		CommitInterval: 0,
		Logger:         nil,
		ErrorLogger:    kafka.LoggerFunc(func(msg string, args ...any) { opts.Logger.Debug(fmt.Sprintf(msg, args...), "group", sub.Name) }),
	}
	return &Consumer{
		sub: sub, opts: opts, reader: config, dlq: dlq,
		lag:    &kafka.Client{Addr: kafka.TCP(c.Brokers...), Transport: transport, Timeout: 10 * time.Second},
		tracer: opts.Tracer.Tracer("fengqiao.dev/pkg/messaging"),
		log:    opts.Logger.With("group", sub.Name),
	}, nil
}

// Run consumes until ctx is cancelled. It returns nil on cancellation.
//
// Each membership of the group is one kafka-go Reader. A member found
// stalled (stall.go) leaves the group and joins again with a new Reader:
// whatever wedged the old one, a fresh join gets a fresh assignment and
// starts every partition from its committed offset, so nothing is skipped.
func (c *Consumer) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		c.member(ctx)
	}
	return nil
}

// member takes part in the group with one Reader until ctx ends or the
// member is found stalled.
//
// Messages are handled by a worker, in the order fetched (one key's, with
// KeysInParallel); a subscription with PartitionsInParallel has a worker
// per partition instead, the partitions' workers running side by side (see
// there).
func (c *Consumer) member(ctx context.Context) {
	reader := kafka.NewReader(c.reader)
	defer c.closeReader(reader)
	memberCtx, rejoin := context.WithCancel(ctx)
	defer rejoin()
	busy := &inFlight{quiet: &quietClock{}}
	busy.quiet.restart()
	go c.watch(memberCtx, busy.quiet, rejoin)

	workers := map[partitionKey]chan kafka.Message{}
	var wg sync.WaitGroup
	defer func() {
		for _, w := range workers {
			close(w)
		}
		wg.Wait() // before the reader closes: a worker may be committing
	}()
	backoff := c.opts.MinBackoff
	for {
		m, err := reader.FetchMessage(memberCtx)
		if memberCtx.Err() != nil {
			// Cancelled, or found stalled while waiting: a message fetched
			// at that very moment stays uncommitted and comes again.
			return
		}
		if err != nil {
			c.log.Warn("fetch failed; retrying", "err", err)
			if !wait.Sleep(memberCtx, backoff) {
				return
			}
			backoff = min(backoff*2, c.opts.MaxBackoff)
			continue
		}
		backoff = c.opts.MinBackoff
		c.observeLag(m)
		var key partitionKey // one worker for all
		if c.sub.PartitionsInParallel {
			key = partitionKey{m.Topic, m.Partition}
		}
		w, ok := workers[key]
		if !ok {
			w = make(chan kafka.Message, workerQueue)
			workers[key] = w
			wg.Go(func() { c.work(ctx, memberCtx, reader, w, busy, rejoin) })
		}
		busy.add()
		select {
		case w <- m:
		case <-memberCtx.Done():
			return
		}
	}
}

// workerQueue is how many fetched messages may wait for a worker; a full
// queue holds back the fetching.
const workerQueue = 256

// work handles its messages until the channel closes or the membership
// ends. A message it did not finish stays uncommitted and comes again.
//
// The messages go to lanes by key (one lane unless the subscription has
// KeysInParallel), each lane handling its messages one at a time in the
// order fetched: one key's messages, one dispute's events, stay in order,
// while different keys' messages may be handled side by side.
//
// Offsets are committed once the worker has no message waiting or being
// handled, or every commitEvery messages: a commit is a round trip to the
// broker, and one per message was as dear as handling a message that is
// not for this group. A partition's offset is committed only past
// messages that are handled, every earlier one of the partition too, so a
// crash between two commits redelivers messages whose effect is stored,
// which the handlers' event IDs make no-ops, and never skips one.
func (c *Consumer) work(ctx, memberCtx context.Context, reader *kafka.Reader, msgs <-chan kafka.Message, busy *inFlight, rejoin context.CancelFunc) {
	p := &progress{pending: map[partitionKey][]*fetched{}, ready: map[partitionKey]kafka.Message{}}
	lanes := make([]chan *fetched, max(c.sub.KeysInParallel, 1))
	var wg sync.WaitGroup
	for i := range lanes {
		lanes[i] = make(chan *fetched, laneQueue)
		wg.Go(func() { c.lane(ctx, memberCtx, reader, lanes[i], msgs, p, busy, rejoin) })
	}
	for m := range msgs {
		f := p.fetch(m)
		lanes[laneOf(m.Key, len(lanes))] <- f
	}
	for _, l := range lanes {
		close(l)
	}
	wg.Wait()
	c.flush(ctx, reader, p) // what was handled before the membership ended
}

// lane handles its messages one at a time, in order.
func (c *Consumer) lane(ctx, memberCtx context.Context, reader *kafka.Reader, l <-chan *fetched, msgs <-chan kafka.Message, p *progress, busy *inFlight, rejoin context.CancelFunc) {
	for f := range l {
		if memberCtx.Err() != nil {
			p.finish(f, false)
			busy.done()
			continue // drain: the next owner gets it
		}
		ok := c.process(ctx, f.m) == nil
		if p.finish(f, ok) && (p.idle() && len(msgs) == 0 || p.due()) {
			ok = c.flush(ctx, reader, p)
		}
		busy.done()
		if !ok {
			// Cancelled (the message stays uncommitted and is redelivered
			// to whoever owns the partition next) or commits failing for
			// StallAfter: either way this membership is over.
			rejoin()
		}
	}
}

// flush commits what p holds ready. Commits of one worker are made one at
// a time, each with what was ready when it began, so a partition's
// committed offset never goes back.
func (c *Consumer) flush(ctx context.Context, reader *kafka.Reader, p *progress) bool {
	p.commitMu.Lock()
	defer p.commitMu.Unlock()
	last := p.take()
	if len(last) == 0 {
		return true
	}
	return c.commit(ctx, reader, last...) == nil
}

// commitEvery bounds the messages handled between two commits of a worker.
const commitEvery = 100

// laneQueue is how many messages may wait for one lane; a full lane holds
// back its worker's others.
const laneQueue = 16

// laneOf is the lane of a message's key: FNV-1a, so a key's messages
// always meet in one lane.
func laneOf(key []byte, lanes int) int {
	if lanes <= 1 {
		return 0
	}
	h := fnv.New32a()
	h.Write(key)
	return int(h.Sum32() % uint32(lanes))
}

// fetched is a message of a worker, and whether it is handled.
type fetched struct {
	m    kafka.Message
	done bool
}

// progress is where a worker stands on its partitions: the messages fetched
// and not yet committable, in fetch order, and per partition the last
// message whose every predecessor is handled.
type progress struct {
	commitMu sync.Mutex // one commit at a time

	mu          sync.Mutex
	pending     map[partitionKey][]*fetched
	ready       map[partitionKey]kafka.Message
	uncommitted int // messages made ready since the last take
	open        int // fetched, not yet finished
}

func (p *progress) fetch(m kafka.Message) *fetched {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := &fetched{m: m}
	k := partitionKey{m.Topic, m.Partition}
	p.pending[k] = append(p.pending[k], f)
	p.open++
	return f
}

// finish records that f's lane is done with it, handled or not, and
// reports handled. A message not handled is never committed, nor anything
// after it in its partition.
func (p *progress) finish(f *fetched, handled bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.open--
	if !handled {
		return false
	}
	f.done = true
	k := partitionKey{f.m.Topic, f.m.Partition}
	q := p.pending[k]
	i := 0
	for ; i < len(q) && q[i].done; i++ {
		p.ready[k] = q[i].m
	}
	p.uncommitted += i
	if i == len(q) {
		delete(p.pending, k)
	} else {
		p.pending[k] = q[i:]
	}
	return true
}

// idle reports whether no fetched message is being handled or waits for a
// lane.
func (p *progress) idle() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.open == 0
}

// due reports whether commitEvery messages are ready.
func (p *progress) due() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.uncommitted >= commitEvery
}

// take returns the ready message of every partition and forgets them.
func (p *progress) take() []kafka.Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	last := make([]kafka.Message, 0, len(p.ready))
	for _, m := range p.ready {
		last = append(last, m)
	}
	clear(p.ready)
	p.uncommitted = 0
	return last
}

// inFlight counts the messages fetched and not yet finished, and runs the
// member's quiet clock while there are none.
type inFlight struct {
	mu    sync.Mutex
	n     int
	quiet *quietClock
}

func (f *inFlight) add() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	f.quiet.stop()
}

func (f *inFlight) done() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n--
	if f.n == 0 {
		f.quiet.restart()
	}
}

// commitTimeout bounds one commit made after shutdown began.
const commitTimeout = 5 * time.Second

// commit records that m's effect is durable. It tries even when ctx ended
// while the handler ran (a shutdown): the effect is stored, and a commit
// skipped here makes the partition's next owner redo it. kafka-go's
// CommitMessages given a cancelled context picks at random between
// committing and giving up.
//
// Commits that keep failing for StallAfter end the membership instead of
// being retried for ever on a generation that may be dead: the new member
// is redelivered m, and its effect, already stored, is not applied twice.
func (c *Consumer) commit(ctx context.Context, reader *kafka.Reader, msgs ...kafka.Message) error {
	m := msgs[len(msgs)-1] // for the logs
	failingSince := time.Now()
	for backoff := c.opts.MinBackoff; ; backoff = min(backoff*2, c.opts.MaxBackoff) {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commitTimeout)
		err := reader.CommitMessages(cctx, msgs...)
		cancel()
		if err == nil {
			return nil
		}
		if time.Since(failingSince) >= c.opts.StallAfter {
			c.log.Warn("commits keep failing; rejoining the group with a new reader", "topic", m.Topic,
				"partition", m.Partition, "offset", m.Offset, "failing_for", time.Since(failingSince).Round(time.Second), "err", err)
			return fmt.Errorf("cannot commit offset %d of %s/%d: %w", m.Offset, m.Topic, m.Partition, err)
		}
		c.log.Warn("commit failed; retrying", "topic", m.Topic, "partition", m.Partition, "offset", m.Offset, "err", err)
		if !wait.Sleep(ctx, backoff) {
			return ctx.Err()
		}
	}
}

// process handles one message to a final state: handled, skipped or
// dead-lettered. It returns an error only when ctx ends first.
func (c *Consumer) process(ctx context.Context, m kafka.Message) error {
	ctx, span := startConsumerSpan(ctx, c.tracer, c.sub.Name, m)
	defer span.End()

	ev, err := decode(m)
	if err != nil {
		return c.deadLetter(ctx, span, m, Permanent(err), 1)
	}
	ev.TraceID = PublishedTraceID(m)
	span.SetAttributes(eventAttributes(ev.Envelope)...)
	describeHandoff(span, ev.Payload)
	handle, ok := c.sub.Handlers[ev.Envelope.Type]
	if !ok {
		return nil // not ours: other handlers share the topic
	}
	attempt := 0
	for backoff := c.opts.MinBackoff; ; backoff = min(backoff*2, c.opts.MaxBackoff) {
		attempt++
		err = safeCall(ctx, handle, ev)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			// Shutting down: the error is likely the cancellation itself,
			// not the message's fault. Leave it uncommitted for the next
			// owner rather than dead-letter a good message.
			return ctx.Err()
		}
		// A store refusing writes for want of space is not the message's
		// fault: dead-lettering it would lose a good message's effect, so
		// it waits for space however long that takes, without a budget.
		if IsPermanent(err) || (attempt >= c.opts.Attempts && !diskfull.Is(err)) {
			return c.deadLetter(ctx, span, m, err, attempt)
		}
		span.AddEvent("retry", trace.WithAttributes(retryAttributes(attempt, err)...))
		c.log.Warn("handler failed; retrying", "type", ev.Envelope.Type, "event_id", ev.Envelope.ID,
			"dispute_id", ev.Envelope.Subject, "attempt", attempt, "err", err)
		if !wait.Sleep(ctx, backoff) {
			return ctx.Err()
		}
	}
}

func decode(m kafka.Message) (Event, error) {
	env, err := cloudevents.Parse(m.Headers)
	if err != nil {
		return Event{}, err
	}
	if env.Subject != string(m.Key) {
		return Event{}, fmt.Errorf("message key %q is not the event subject %q", m.Key, env.Subject)
	}
	p, err := events.Decode(env.Type, m.Value)
	if err != nil {
		return Event{}, err
	}
	if p.DisputeKey() != env.Subject {
		return Event{}, fmt.Errorf("payload dispute_id %q is not the event subject %q", p.DisputeKey(), env.Subject)
	}
	if p.County() != env.CountyCode {
		return Event{}, fmt.Errorf("payload county_code %q is not the event's ce_countycode %q", p.County(), env.CountyCode)
	}
	return Event{Envelope: env, Payload: p, Topic: m.Topic, Partition: m.Partition, Offset: m.Offset}, nil
}

// safeCall turns a handler's panic into an error, so one bad message ends in
// the dead-letter topic instead of taking the consumer down.
func safeCall(ctx context.Context, h HandlerFunc, ev Event) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = Permanent(fmt.Errorf("handler panicked: %v\n%s", r, debug.Stack()))
		}
	}()
	return h(ctx, ev)
}

func (c *Consumer) deadLetter(ctx context.Context, span trace.Span, m kafka.Message, cause error, attempts int) error {
	span.SetStatus(codes.Error, cause.Error())
	span.AddEvent("dead_letter", trace.WithAttributes(deadLetterAttributes(m, cause, attempts)...))
	c.log.Error("message dead-lettered", "topic", m.Topic, "partition", m.Partition, "offset", m.Offset,
		"attempts", attempts, "reason", cause)
	dl := deadLetterMessage(m, c.sub.Name, cause, attempts, time.Now())
	if MessageSize(dl) > limitOf(dl.Topic) {
		dl = truncatedDeadLetter(m, c.sub.Name, cause, attempts, time.Now())
	}
	for backoff := c.opts.MinBackoff; ; backoff = min(backoff*2, c.opts.MaxBackoff) {
		err := c.dlq.Publish(ctx, dl)
		if err != nil && isTooLarge(err) && header(dl, HeaderDLQTruncated) == "" {
			// The broker's limit is below ours (a topic's
			// max.message.bytes): the truncated copy fits any sane one.
			dl = truncatedDeadLetter(m, c.sub.Name, cause, attempts, time.Now())
			err = c.dlq.Publish(ctx, dl)
		}
		if err == nil {
			if c.opts.Metrics != nil {
				c.opts.Metrics.RecordDeadLetter(ctx, m.Topic, c.sub.Name)
			}
			return nil
		}
		// A dead letter that cannot be written must not be committed past.
		c.log.Error("dead-letter write failed; retrying", "topic", dl.Topic, "err", err)
		if !wait.Sleep(ctx, backoff) {
			return ctx.Err()
		}
	}
}

// observeLag records how far the group is behind the end of m's partition:
// kafka-go reports the partition's high-water mark with every message.
func (c *Consumer) observeLag(m kafka.Message) {
	if c.opts.Metrics != nil {
		c.opts.Metrics.ObserveLag(c.sub.Name, m.Topic, m.Partition, m.HighWaterMark-m.Offset-1)
	}
}
