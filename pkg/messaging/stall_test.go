package messaging_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
)

// stallAfter is the StallAfter of these tests: short, so that they are
// quick, and still several fetch waits long.
const stallAfter = 2 * time.Second

// severalTopics is a broker of its own (these tests steer its group
// coordinator) with three topics of three partitions, a record on each
// partition, and a consumer group member reading all three.
type severalTopics struct {
	cluster *kfake.Cluster
	brokers []string
	topics  []string
	group   string
	seen    *recorder
	log     *lockedBuffer
}

func startSeveralTopics(t *testing.T) *severalTopics {
	t.Helper()
	testkit.SkipShort(t)
	b, err := embedded.StartBroker(context.Background(), embedded.BrokerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	s := &severalTopics{
		cluster: b.Cluster(), brokers: b.Addrs, group: group(t), seen: &recorder{}, log: &lockedBuffer{},
		topics: []string{"test.stall.a", "test.stall.b", "test.stall.c"},
	}
	testkit.CreateTopics(t, s.brokers, 3, s.topics...)
	return s
}

// run starts the member; the producer also writes its dead letters.
func (s *severalTopics) run(t *testing.T) {
	t.Helper()
	c := messaging.Cluster{Brokers: s.brokers, Partitions: 3, Replication: 1}
	producer, err := messaging.NewProducer(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = producer.Close() })
	var ms []kafka.Message
	for _, topic := range s.topics {
		for i := range 30 { // enough keys to reach every partition
			ms = append(ms, msgs(topic, fmt.Sprintf("d-%d", i), 1)...)
		}
	}
	if err := producer.Publish(testkit.Ctx(t, wait), ms...); err != nil {
		t.Fatal(err)
	}
	sub := messaging.Subscription{Name: s.group, Topics: s.topics, Handlers: map[string]messaging.HandlerFunc{
		events.TypeDisputeReopened: func(_ context.Context, ev messaging.Event) error {
			s.seen.add(ev)
			return nil
		},
	}}
	consumer, err := messaging.NewConsumer(c, sub, producer, messaging.ConsumerOptions{
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, StallAfter: stallAfter,
		Logger: slog.New(slog.NewTextHandler(s.log, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- consumer.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

// expectCaughtUp waits until the group has committed every partition of
// every topic to its end.
func (s *severalTopics) expectCaughtUp(t *testing.T) {
	t.Helper()
	var behind string
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last seen: %s; the member logged:\n%s", behind, s.log.String())
		}
	})
	testkit.Eventually(t, 3*wait, "every partition of every topic committed to its end", func() bool {
		for _, topic := range s.topics {
			committed := testkit.Committed(t, s.brokers, s.group, topic)
			var sum int64
			for _, off := range committed {
				sum += max(off, 0) // -1: nothing committed yet
			}
			if sum != 30 {
				behind = fmt.Sprintf("%s committed %v, %d of 30 records", topic, committed, sum)
				return false
			}
		}
		return true
	})
}

// A member whose assignment came short — here the group leader's SyncGroup
// loses one of the three topics on its way to the coordinator, so the
// member reads two topics and heartbeats happily — notices that it waits
// while the group stays behind on that topic, says so at warn, and rejoins:
// the new member is assigned everything and catches up.
func TestMemberAssignedTooLittleRejoins(t *testing.T) {
	s := startSeveralTopics(t)
	var cut atomic.Bool
	s.cluster.ControlKey(int16(kmsg.SyncGroup), func(req kmsg.Request) (kmsg.Response, error, bool) {
		sync, ok := req.(*kmsg.SyncGroupRequest)
		if !ok || sync.Group != s.group || len(sync.GroupAssignment) == 0 {
			return nil, nil, false
		}
		for i := range sync.GroupAssignment {
			sync.GroupAssignment[i].MemberAssignment = without(t, sync.GroupAssignment[i].MemberAssignment, s.topics[2])
		}
		cut.Store(true)
		s.cluster.DropControl() // the coordinator handles the shortened request
		return nil, nil, false
	})
	s.run(t)
	s.expectCaughtUp(t)
	if !cut.Load() {
		t.Fatal("the test never shortened an assignment")
	}
	if !strings.Contains(s.log.String(), "consumer stalled") || !strings.Contains(s.log.String(), s.topics[2]) {
		t.Errorf("the member did not say at warn that it stalled on %s:\n%s", s.topics[2], s.log.String())
	}
}

// A member whose commits keep failing while its heartbeats go through (its
// generation is dead to the coordinator's offset store but not to its
// heartbeat handler) rejoins instead of retrying the same commit for ever;
// the messages it handled come again and the new member commits them.
func TestMemberWhoseCommitsKeepFailingRejoins(t *testing.T) {
	s := startSeveralTopics(t)
	var refused atomic.Int32 // the generation whose commits fail; 0 until the first commit
	s.cluster.ControlKey(int16(kmsg.OffsetCommit), func(req kmsg.Request) (kmsg.Response, error, bool) {
		s.cluster.KeepControl()
		commit, ok := req.(*kmsg.OffsetCommitRequest)
		if !ok || commit.Group != s.group {
			return nil, nil, false
		}
		refused.CompareAndSwap(0, commit.Generation)
		if commit.Generation != refused.Load() {
			return nil, nil, false
		}
		resp := commit.ResponseKind().(*kmsg.OffsetCommitResponse)
		for _, topic := range commit.Topics {
			rt := kmsg.NewOffsetCommitResponseTopic()
			rt.Topic = topic.Topic
			for _, p := range topic.Partitions {
				rp := kmsg.NewOffsetCommitResponseTopicPartition()
				rp.Partition = p.Partition
				rp.ErrorCode = kerr.IllegalGeneration.Code
				rt.Partitions = append(rt.Partitions, rp)
			}
			resp.Topics = append(resp.Topics, rt)
		}
		return resp, nil, true
	})
	s.run(t)
	s.expectCaughtUp(t)
	if !strings.Contains(s.log.String(), "commits keep failing") {
		t.Errorf("the member did not say at warn that its commits kept failing:\n%s", s.log.String())
	}
}

// without returns a consumer protocol member assignment with topic removed.
func without(t *testing.T, assignment []byte, topic string) []byte {
	t.Helper()
	var a kmsg.ConsumerMemberAssignment
	if err := a.ReadFrom(assignment); err != nil {
		t.Errorf("cannot read a member assignment: %v", err)
		return assignment
	}
	kept := a.Topics[:0]
	for _, at := range a.Topics {
		if at.Topic != topic {
			kept = append(kept, at)
		}
	}
	a.Topics = kept
	return a.AppendTo(nil)
}

// lockedBuffer is a log destination the member's goroutines may share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
