package messaging

import (
	"errors"
	"fmt"
	"strings"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
)

// MaxMessageBytes bounds every message the platform produces: its key, value
// and headers together (MessageSize). It sits well below what a Kafka broker
// accepts by default (message.max.bytes, 1,048,588 bytes for a whole record
// batch) so that the record batch framing fits, and so that the dead letter
// of any message the platform produced (the same message plus the dlq_*
// headers, at most DeadLetterOverheadBytes) still fits the broker whole.
// api/asyncapi.yaml documents it for outside producers.
const MaxMessageBytes = 1_000_000

// DeadLetterOverheadBytes is what the dlq_* headers may add to a message:
// the reason is cut to 4 KiB, the other headers are short.
const DeadLetterOverheadBytes = 8 << 10

// ErrMessageTooLarge is returned, wrapped, by Publish for a message over its
// topic's limit; nothing of the batch is written.
var ErrMessageTooLarge = errors.New("message too large")

// MessageSize is the bytes a message's key, value and headers take: what
// MaxMessageBytes bounds. The broker's framing adds a few bytes per record.
func MessageSize(m kafka.Message) int {
	n := len(m.Key) + len(m.Value)
	for _, h := range m.Headers {
		n += len(h.Key) + len(h.Value)
	}
	return n
}

// limitOf is the size limit of a message on topic: a dead-letter topic
// takes a message of the limit plus the dead-letter headers.
func limitOf(topic string) int {
	if strings.HasSuffix(topic, events.DeadLetterSuffix) {
		return MaxMessageBytes + DeadLetterOverheadBytes
	}
	return MaxMessageBytes
}

// checkSizes refuses the whole batch if one message is over its limit, so
// the caller learns it before anything is written rather than from the
// broker's "Message Size Too Large" after some of the batch went out.
func checkSizes(msgs []kafka.Message) error {
	for _, m := range msgs {
		if size, limit := MessageSize(m), limitOf(m.Topic); size > limit {
			return fmt.Errorf("cannot publish to %s: %w: %d bytes of key, value and headers, the limit is %d",
				m.Topic, ErrMessageTooLarge, size, limit)
		}
	}
	return nil
}

// isTooLarge reports whether the broker refused a write for its size.
func isTooLarge(err error) bool {
	if errors.Is(err, ErrMessageTooLarge) || errors.Is(err, kafka.MessageSizeTooLarge) {
		return true
	}
	var tooLarge kafka.MessageTooLargeError
	if errors.As(err, &tooLarge) {
		return true
	}
	var werrs kafka.WriteErrors // one error per message; no Unwrap in kafka-go
	if errors.As(err, &werrs) {
		for _, e := range werrs {
			if e != nil && isTooLarge(e) {
				return true
			}
		}
	}
	return false
}
