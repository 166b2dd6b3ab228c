package messaging_test

import (
	"testing"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/pkg/messaging"
)

func TestPublishedTraceID(t *testing.T) {
	for _, tc := range []struct {
		name    string
		headers []kafka.Header
		want    string
	}{
		{"traceparent", []kafka.Header{{Key: "traceparent", Value: []byte("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")}},
			"4bf92f3577b34da6a3ce929d0e0e4736"},
		{"none", nil, ""},
		{"malformed", []kafka.Header{{Key: "traceparent", Value: []byte("00-nothex-01")}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := messaging.PublishedTraceID(kafka.Message{Headers: tc.headers}); got != tc.want {
				t.Errorf("PublishedTraceID = %q, want %q", got, tc.want)
			}
		})
	}
}
