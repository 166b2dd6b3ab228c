package messaging

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
)

// Dead-letter headers, added to the original message's headers (which keep
// its CloudEvents attributes and trace context). asyncapi.yaml documents them.
const (
	HeaderDLQReason    = "dlq_reason"
	HeaderDLQTopic     = "dlq_origin_topic"
	HeaderDLQPartition = "dlq_origin_partition"
	HeaderDLQOffset    = "dlq_origin_offset"
	HeaderDLQGroup     = "dlq_consumer_group"
	HeaderDLQFailedAt  = "dlq_failed_at"
	HeaderDLQAttempts  = "dlq_attempts"
	// A message too large to dead-letter whole is dead-lettered truncated,
	// with these three headers: the original value's size and SHA-256 let an
	// operator match the copy with the original still on its topic.
	HeaderDLQTruncated      = "dlq_truncated"
	HeaderDLQOriginalBytes  = "dlq_original_value_bytes"
	HeaderDLQOriginalSHA256 = "dlq_original_value_sha256"
)

// What a truncated dead letter keeps of the original: the start of its key
// and value, and its headers while they fit (the ce_* attributes and trace
// context come first and are short).
const (
	truncatedKeyBytes     = 1 << 10
	truncatedValueBytes   = 64 << 10
	truncatedHeaderBudget = 16 << 10
)

// maxReasonBytes bounds the reason header: a panic's stack can be long.
const maxReasonBytes = 4096

func deadLetterMessage(m kafka.Message, group string, cause error, attempts int, now time.Time) kafka.Message {
	reason := cause.Error()
	if len(reason) > maxReasonBytes {
		// Cut on a rune boundary: reasons quote Chinese text.
		reason = strings.ToValidUTF8(reason[:maxReasonBytes], "")
	}
	headers := append(append([]kafka.Header(nil), m.Headers...),
		kafka.Header{Key: HeaderDLQReason, Value: []byte(reason)},
		kafka.Header{Key: HeaderDLQTopic, Value: []byte(m.Topic)},
		kafka.Header{Key: HeaderDLQPartition, Value: []byte(strconv.Itoa(m.Partition))},
		kafka.Header{Key: HeaderDLQOffset, Value: []byte(strconv.FormatInt(m.Offset, 10))},
		kafka.Header{Key: HeaderDLQGroup, Value: []byte(group)},
		kafka.Header{Key: HeaderDLQFailedAt, Value: []byte(now.UTC().Format(time.RFC3339Nano))},
		kafka.Header{Key: HeaderDLQAttempts, Value: []byte(strconv.Itoa(attempts))},
	)
	return kafka.Message{Topic: events.DeadLetterTopic(m.Topic), Key: m.Key, Value: m.Value, Headers: headers}
}

// truncatedDeadLetter is the dead letter of a message too large to
// dead-letter whole: without it the consumer could neither dead-letter nor
// skip the message, and its partition would stop for good. The copy keeps
// the start of the value, says it was cut, and carries the original value's
// size and hash; the original stays on its topic until retention removes it.
func truncatedDeadLetter(m kafka.Message, group string, cause error, attempts int, now time.Time) kafka.Message {
	sum := sha256.Sum256(m.Value)
	cut := m
	cut.Key = prefix(m.Key, truncatedKeyBytes)
	cut.Value = prefix(m.Value, truncatedValueBytes)
	cut.Headers = nil
	budget := truncatedHeaderBudget
	for _, h := range m.Headers {
		if size := len(h.Key) + len(h.Value); size <= budget {
			cut.Headers = append(cut.Headers, h)
			budget -= size
		}
	}
	reason := fmt.Errorf("%w; the message (%d bytes) is too large to dead-letter whole, so its value is cut to its first %d bytes",
		cause, MessageSize(m), len(cut.Value))
	dl := deadLetterMessage(cut, group, reason, attempts, now)
	dl.Headers = append(dl.Headers,
		kafka.Header{Key: HeaderDLQTruncated, Value: []byte("true")},
		kafka.Header{Key: HeaderDLQOriginalBytes, Value: []byte(strconv.Itoa(len(m.Value)))},
		kafka.Header{Key: HeaderDLQOriginalSHA256, Value: []byte(hex.EncodeToString(sum[:]))},
	)
	return dl
}

func prefix(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	return b[:n]
}

// header returns the value of m's header key, "" when absent.
func header(m kafka.Message, key string) string {
	for _, h := range m.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}
