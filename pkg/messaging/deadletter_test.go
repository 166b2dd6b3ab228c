package messaging

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/segmentio/kafka-go"
)

func TestDeadLetterMessage(t *testing.T) {
	orig := kafka.Message{
		Topic: "fengqiao.disputes.v1", Partition: 2, Offset: 41, Key: []byte("d-1"), Value: []byte(`{}`),
		Headers: make([]kafka.Header, 1, 8), // spare capacity: appending must not write into it
	}
	orig.Headers[0] = kafka.Header{Key: "ce_id", Value: []byte("e-1")}
	long := strings.Repeat("调解失败", 1000) // 12 000 bytes of 3-byte runes
	at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	dl := deadLetterMessage(orig, "referral.IssueAndRegradeSlips", errors.New(long), 5, at)

	if dl.Topic != "fengqiao.disputes.v1.dlq" || string(dl.Key) != "d-1" || dl.Partition != 0 || dl.Offset != 0 {
		t.Errorf("dead letter %s/%d@%d key %s", dl.Topic, dl.Partition, dl.Offset, dl.Key)
	}
	if got := orig.Headers[:cap(orig.Headers)][1].Key; got != "" {
		t.Errorf("the original's header array was written to: %q", got)
	}
	h := func(k string) string {
		for _, x := range dl.Headers {
			if x.Key == k {
				return string(x.Value)
			}
		}
		return ""
	}
	reason := h(HeaderDLQReason)
	if len(reason) > maxReasonBytes || !utf8.ValidString(reason) || !strings.HasPrefix(long, reason) || len(reason) < maxReasonBytes-3 {
		t.Errorf("reason of %d bytes, valid UTF-8 %v: want a valid prefix of at most %d", len(reason), utf8.ValidString(reason), maxReasonBytes)
	}
	for k, want := range map[string]string{
		"ce_id": "e-1", HeaderDLQTopic: "fengqiao.disputes.v1", HeaderDLQPartition: "2", HeaderDLQOffset: "41",
		HeaderDLQGroup: "referral.IssueAndRegradeSlips", HeaderDLQAttempts: "5", HeaderDLQFailedAt: "2026-11-23T00:00:00Z",
	} {
		if got := h(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
}
