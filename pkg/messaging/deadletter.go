package messaging

import (
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
