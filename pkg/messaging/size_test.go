package messaging_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
)

// poisonSize fits the broker (message.max.bytes 1,048,588 for the record
// batch) with its ce_* headers, but not once the dlq_* headers are added.
const poisonSize = 1_048_150

// oversized is a message of poisonSize bytes of value with valid CloudEvents
// headers, as an outside producer could write it: JSON the decoder refuses
// for its unknown field.
func oversized(topic string) kafka.Message {
	m := testkit.Message(topic, testkit.Event("d-1", 1))
	head := `{"padding":"`
	m.Value = []byte(head + strings.Repeat("x", poisonSize-len(head)-2) + `"}`)
	return m
}

// A message that fits the broker but cannot be dead-lettered whole leaves
// its partition all the same: its dead letter is a truncated copy saying why,
// with the original value's size and hash, and the next message is handled.
func TestTooLargeToDeadLetterWholeIsDeadLetteredTruncated(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.topic(t, 1)
	name := group(t)
	rec := &recorder{}
	h.run(t, handles(name, topic, func(_ context.Context, ev messaging.Event) error {
		rec.add(ev)
		return nil
	}), messaging.ConsumerOptions{})

	poison := oversized(topic)
	// Our producer refuses it; an outside producer's does not.
	raw := &kafka.Writer{Addr: kafka.TCP(h.stack.Brokers...), BatchBytes: 2 << 20, RequiredAcks: kafka.RequireAll}
	defer raw.Close()
	if err := raw.WriteMessages(testkit.Ctx(t, wait), poison); err != nil {
		t.Fatalf("the broker refused the poison message itself: %v", err)
	}
	next := testkit.Message(topic, testkit.Event("d-1", 2))
	h.publish(t, next)

	testkit.Eventually(t, wait, "the message behind the poison one handled", func() bool { return rec.len() == 1 })
	if got := rec.events()[0]; got.Offset != 1 || round(got) != 2 {
		t.Errorf("handled round %d at offset %d, want round 2 at offset 1", round(got), got.Offset)
	}
	dl := testkit.Read(t, h.stack.Brokers, events.DeadLetterTopic(topic), 1, wait)[0]
	sum := sha256.Sum256(poison.Value)
	for key, want := range map[string]string{
		messaging.HeaderDLQTruncated:      "true",
		messaging.HeaderDLQOriginalBytes:  strconv.Itoa(len(poison.Value)),
		messaging.HeaderDLQOriginalSHA256: hex.EncodeToString(sum[:]),
		messaging.HeaderDLQTopic:          topic,
		messaging.HeaderDLQOffset:         "0",
		messaging.HeaderDLQGroup:          name,
		"ce_id":                           testkit.Header(poison, "ce_id"),
	} {
		if got := testkit.Header(dl, key); got != want {
			t.Errorf("header %s = %q, want %q", key, got, want)
		}
	}
	if reason := testkit.Header(dl, messaging.HeaderDLQReason); !strings.Contains(reason, `unknown field "padding"`) || !strings.Contains(reason, "too large to dead-letter whole") {
		t.Errorf("reason %q: want the decoding error and why the copy is cut", reason)
	}
	if len(dl.Value) >= len(poison.Value) || !strings.HasPrefix(string(poison.Value), string(dl.Value)) {
		t.Errorf("dead letter value of %d bytes: want a prefix of the original's %d", len(dl.Value), len(poison.Value))
	}
	testkit.Eventually(t, wait, "both offsets committed", func() bool {
		return testkit.Committed(t, h.stack.Brokers, name, topic)[0] == 2
	})
}

// The producer refuses a message over MaxMessageBytes before writing
// anything of the batch, with an error that says so.
func TestPublishRefusesOversizedMessage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.topic(t, 1)
	ok := testkit.Message(topic, testkit.Event("d-1", 1))
	big := testkit.Message(topic, testkit.Event("d-2", 1))
	big.Value = make([]byte, messaging.MaxMessageBytes)
	err := h.producer.Publish(testkit.Ctx(t, wait), ok, big)
	if !errors.Is(err, messaging.ErrMessageTooLarge) || !strings.Contains(err.Error(), strconv.Itoa(messaging.MaxMessageBytes)) {
		t.Fatalf("Publish = %v, want ErrMessageTooLarge naming the limit", err)
	}
	if n := testkit.Count(t, h.stack.Brokers, topic); n != 0 {
		t.Errorf("%s holds %d messages, want none of the refused batch", topic, n)
	}
	big.Value = big.Value[:messaging.MaxMessageBytes-messaging.MessageSize(big)+len(big.Value)]
	if err := h.producer.Publish(testkit.Ctx(t, wait), big); err != nil {
		t.Errorf("a message of exactly MaxMessageBytes: %v", err)
	}
}
